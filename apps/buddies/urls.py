from django.urls import path

from . import views

app_name = "buddies"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("join/", views.join, name="join"),
    path("memberships/<int:member_id>/move/", views.move, name="move"),
    path("cohorts/", views.cohorts, name="cohorts"),
    path("cohorts/<int:cohort_id>/", views.cohort, name="cohort"),
    path("cohorts/<int:cohort_id>/members/", views.member_new, name="member_new"),
    path("cohorts/<int:cohort_id>/pairing/", views.run_pairing, name="run_pairing"),
    path("cohorts/<int:cohort_id>/pairs/", views.pair_new, name="pair_new"),
    path("cohorts/<int:cohort_id>/pairs/<int:pair_id>/remove/", views.pair_delete, name="pair_delete"),
    path("cohorts/<int:cohort_id>/publish/", views.publish, name="publish"),
]
