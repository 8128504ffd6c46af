from django.urls import path

from . import views_conversations as views

# Talent conversations, included from urls.py under "conversations/" (names in the "succession" namespace).
urlpatterns = [
    path("", views.conversations, name="conversations"),
    path("new/<int:candidacy_id>/", views.conversation_new, name="conversation_new"),
    path("<int:conversation_id>/", views.conversation, name="conversation"),
    path("<int:conversation_id>/edit/", views.conversation_edit, name="conversation_edit"),
    path("<int:conversation_id>/delete/", views.conversation_delete_view, name="conversation_delete"),
    path("<int:conversation_id>/to-plan/", views.conversation_step_to_plan_view, name="conversation_step_to_plan"),
]
