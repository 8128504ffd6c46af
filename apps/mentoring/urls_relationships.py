from django.urls import path

from . import views_relationships as views

urlpatterns = [
    path("", views.relationship_list, name="relationships"),
    path("<int:relationship_id>/", views.relationship_detail, name="relationship"),
    path("<int:relationship_id>/agreement/", views.agreement_edit, name="relationship_agreement"),
    path("<int:relationship_id>/agreement/agree/", views.agreement_agree, name="relationship_agree"),
    path("<int:relationship_id>/meetings/", views.meeting_add, name="meeting_add"),
    path("<int:relationship_id>/meetings/<int:meeting_id>/", views.meeting_edit, name="meeting_edit"),
    path("<int:relationship_id>/meetings/<int:meeting_id>/delete/", views.meeting_remove, name="meeting_delete"),
    path("<int:relationship_id>/close/", views.close, name="relationship_close"),
    path("<int:relationship_id>/early-check/", views.early_check, name="relationship_early_check"),
    path("<int:relationship_id>/feedback/", views.feedback, name="relationship_feedback"),
]
