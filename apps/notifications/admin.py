from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from .models import EmailOptOut, NotificationPreference, Reminder, ReminderStatus
from .services import NotificationError, reminder_retry


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Administrators see failed reminders here (filter by status) and send them again."""

    list_display = ["kind", "recipient", "email", "due_at", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["dedupe_key", "recipient__email", "email"]
    date_hierarchy = "due_at"
    raw_id_fields = ["recipient"]
    readonly_fields = ["claim_token", "claimed_until", "attempts", "sent_at", "created_at", "updated_at"]
    actions = ["retry_failed"]

    @admin.action(description="Send the selected failed reminders again")
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[Reminder]) -> None:
        retried = 0
        for reminder in queryset.filter(status=ReminderStatus.FAILED):
            try:
                reminder_retry(reminder=reminder, now=timezone.now())
                retried += 1
            except NotificationError as exc:
                self.message_user(request, str(exc), messages.ERROR)
        self.message_user(request, f"{retried} reminder(s) will be sent again.", messages.SUCCESS)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "mode", "updated_at"]
    list_filter = ["kind", "mode"]
    raw_id_fields = ["user"]


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    list_display = ["email", "kind", "created_at"]
    search_fields = ["email"]
