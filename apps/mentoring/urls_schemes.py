from django.urls import path

from . import views_schemes as views

urlpatterns = [
    path("", views.scheme_list, name="schemes"),
    path("new/", views.scheme_create, name="scheme_new"),
    path("<int:scheme_id>/", views.scheme_detail, name="scheme"),
    path("<int:scheme_id>/edit/", views.scheme_edit, name="scheme_edit"),
    path("<int:scheme_id>/rounds/run/", views.round_run_view, name="round_run"),
    path("<int:scheme_id>/rounds/<int:round_id>/", views.round_detail, name="round"),
    path("<int:scheme_id>/rounds/<int:round_id>/status/", views.round_status, name="round_status"),
    path("<int:scheme_id>/rounds/<int:round_id>/publish/", views.round_publish_view, name="round_publish"),
    path("<int:scheme_id>/rounds/<int:round_id>/pairs/<int:pair_id>/", views.pair_edit, name="pair"),
    path("<int:scheme_id>/rounds/<int:round_id>/pairs/<int:pair_id>/check/", views.pair_check_view, name="pair_check"),
]
