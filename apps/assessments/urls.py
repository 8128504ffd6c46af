from django.urls import path

from . import views, views_feedback

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", views.assessment_new, name="new"),
    path("<int:assessment_id>/", views.assessment_overview, name="overview"),
    path("<int:assessment_id>/part/<str:code>/", views.assessment_group, name="group"),
    path("<int:assessment_id>/complete/", views.assessment_complete, name="complete"),
    path("<int:assessment_id>/delete/", views.assessment_discard, name="delete"),
    path("<int:assessment_id>/results/", views.assessment_results, name="results"),
    path("<int:assessment_id>/feedback/", views_feedback.feedback_manage, name="feedback"),
]

from .urls_evidence import urlpatterns as evidence_urlpatterns  # noqa: E402
from .urls_sharing import urlpatterns as sharing_urlpatterns  # noqa: E402

urlpatterns += evidence_urlpatterns + sharing_urlpatterns

from .views_pdf import assessment_results_pdf  # noqa: E402

urlpatterns.append(path("<int:assessment_id>/results.pdf", assessment_results_pdf, name="results_pdf"))
