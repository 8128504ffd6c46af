from django.urls import path

from . import views

app_name = "bilaterals"

urlpatterns = [
    path("", views.bilateral_list, name="list"),
    path("propose/", views.propose, name="propose"),
    path("<int:bilateral_id>/", views.detail, name="detail"),
    path("<int:bilateral_id>/accept/", views.accept, name="accept"),
    path("<int:bilateral_id>/decline/", views.decline, name="decline"),
    path("<int:bilateral_id>/availability/", views.availability, name="availability"),
    path("<int:bilateral_id>/choose-a-time/", views.choose_time, name="choose_time"),
    path("<int:bilateral_id>/end/", views.end, name="end"),
    path("meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path("meetings/<int:meeting_id>/calendar.ics", views.meeting_calendar, name="meeting_calendar"),
    path("meetings/<int:meeting_id>/log/", views.note_new, name="note_new"),
    path("meetings/<int:meeting_id>/move/", views.meeting_move_view, name="meeting_move"),
    path("meetings/<int:meeting_id>/cancel/", views.meeting_cancel_view, name="meeting_cancel"),
]
