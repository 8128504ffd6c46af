from django.urls import path

from . import views_programmes as views

urlpatterns = [
    # Members: programmes taking applications, applying, changing and withdrawing.
    path("", views.programme_list, name="programmes"),
    path("<int:programme_id>/apply/", views.apply, name="apply"),
    path("<int:programme_id>/withdraw/", views.withdraw, name="withdraw"),
    # Organisers: set up, open, close applications early, form the sets, review them, report.
    path("organise/", views.organise, name="organise"),
    path("new/", views.programme_create, name="programme_new"),
    path("<int:programme_id>/", views.programme_detail, name="programme"),
    path("<int:programme_id>/edit/", views.programme_edit, name="programme_edit"),
    path("<int:programme_id>/open/", views.programme_open_view, name="programme_open"),
    path("<int:programme_id>/close-applications/", views.programme_close_view, name="programme_close"),
    path("<int:programme_id>/group/", views.programme_group_view, name="programme_group"),
    path("<int:programme_id>/review/", views.review, name="review"),
    path("<int:programme_id>/review/sets/<int:set_id>/", views.set_edit, name="set_edit"),
    path("<int:programme_id>/review/people/<int:application_id>/move/", views.move, name="move"),
    path("<int:programme_id>/review/people/<int:application_id>/check/", views.move_check_view, name="move_check"),
    path("<int:programme_id>/review/swap/", views.swap, name="swap"),
    path("<int:programme_id>/review/swap/check/", views.swap_check_view, name="swap_check"),
    path("<int:programme_id>/report/", views.report, name="report"),
]
