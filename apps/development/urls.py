from django.urls import path

from . import views

app_name = "development"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:plan_id>/", views.plan_detail, name="plan"),
    path("<int:plan_id>/goals/new/", views.goal_add, name="goal_add"),
    path("<int:plan_id>/goals/<int:goal_id>/", views.goal_edit, name="goal_edit"),
    path("<int:plan_id>/suggestions/<slug:code>/", views.suggestion_take, name="suggestion_take"),
    path("<int:plan_id>/activities/<int:activity_id>/status/", views.activity_status, name="activity_status"),
]
