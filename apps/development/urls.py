from django.urls import path

from . import views, views_records

app_name = "development"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:plan_id>/", views.plan_detail, name="plan"),
    path("<int:plan_id>/goals/new/", views.goal_add, name="goal_add"),
    path("<int:plan_id>/goals/<int:goal_id>/", views.goal_edit, name="goal_edit"),
    path("<int:plan_id>/suggestions/<slug:code>/", views.suggestion_take, name="suggestion_take"),
    path("<int:plan_id>/activities/<int:activity_id>/status/", views.activity_status, name="activity_status"),
    path("<int:plan_id>/plan.pdf", views_records.plan_download, name="plan_pdf"),
    path("<int:plan_id>/reflections/new/", views_records.reflection_new, name="reflection_new"),
    path("<int:plan_id>/activities/new/", views_records.activity_new, name="activity_new"),
    path("<int:plan_id>/evidence/new/", views_records.evidence_new, name="evidence_new"),
    path("<int:plan_id>/evidence/<int:evidence_id>/file/", views_records.evidence_file, name="evidence_file"),
    path("<int:plan_id>/<str:kind>/<int:record_id>/remove/", views_records.record_remove, name="record_remove"),
]

from .urls_sharing import urlpatterns as sharing_urlpatterns  # noqa: E402

urlpatterns += sharing_urlpatterns
