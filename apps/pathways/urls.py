from django.urls import path

from . import views

app_name = "pathways"

urlpatterns = [
    path("", views.home, name="home"),
    path("join/", views.join, name="join"),
    path("invitations/<int:invitation_id>/join/", views.invitation_join, name="invitation_join"),
    path("invitations/<int:invitation_id>/decline/", views.invitation_decline_view, name="invitation_decline"),
    path("scope/", views.scope, name="scope"),
    path("checklist/<slug:item_key>/", views.tick, name="tick"),
    path("check-ins/<int:months>/", views.checkin, name="checkin"),
    path("leave/", views.leave, name="leave"),
    path("cohorts/", views.cohorts, name="cohorts"),
    path("cohorts/<int:cohort_id>/", views.cohort, name="cohort"),
    path("cohorts/<int:cohort_id>/invite/", views.cohort_invite_view, name="cohort_invite"),
]
