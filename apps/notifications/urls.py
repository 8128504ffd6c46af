from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:reminder_id>/open/", views.notification_open, name="open"),
    path("mark-all-read/", views.notification_mark_all_read, name="mark_all_read"),
    path("choices/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe_link, name="unsubscribe"),
    path("failed/", views.FailedRemindersView.as_view(), name="failed"),
    path("failed/<int:reminder_id>/retry/", views.FailedReminderRetryView.as_view(), name="retry"),
]
