from django.urls import path

from . import views_schemes as views

ROUND = "<int:scheme_id>/rounds/<int:round_id>/"
PAIR = ROUND + "pairs/<int:pair_id>/"

urlpatterns = [
    path("", views.scheme_list, name="schemes"),
    path("new/", views.scheme_create, name="scheme_new"),
    path("<int:scheme_id>/", views.scheme_detail, name="scheme"),
    path("<int:scheme_id>/edit/", views.scheme_edit, name="scheme_edit"),
    path("<int:scheme_id>/rounds/run/", views.round_run_view, name="round_run"),
    path(ROUND, views.round_detail, name="round"),
    path(ROUND + "status/", views.round_status, name="round_status"),
    path(ROUND + "publish/", views.round_publish_view, name="round_publish"),
    path(PAIR, views.pair_detail, name="pair"),
    path(PAIR + "change/", views.pair_change_view, name="pair_change"),
    path(PAIR + "swap/", views.pair_swap_view, name="pair_swap"),
    path(PAIR + "unmatch/", views.pair_unmatch_view, name="pair_unmatch"),
    path(PAIR + "check/", views.pair_check_view, name="pair_check"),
]
