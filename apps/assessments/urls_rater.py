from django.urls import path

from . import views_feedback

app_name = "feedback"
urlpatterns = [
    path("<str:token>/", views_feedback.feedback_respond, name="respond"),
]
