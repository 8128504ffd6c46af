"""Evidence URLs, added to the assessments namespace by urls.py (`urlpatterns += ...`): no app_name here."""

from django.urls import path

from . import views_evidence

urlpatterns = [
    path("<int:assessment_id>/evidence/<int:criterion_id>/add/", views_evidence.evidence_new, name="evidence_add"),
    path(
        "<int:assessment_id>/evidence/<int:evidence_id>/remove/",
        views_evidence.evidence_discard,
        name="evidence_remove",
    ),
    path(
        "<int:assessment_id>/evidence/<int:evidence_id>/file/", views_evidence.evidence_file, name="evidence_download"
    ),
]
