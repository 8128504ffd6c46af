from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from .kinds import KINDS
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

    # An account e-mail's context holds its link (to confirm an address, to reset a password): nobody reads it
    # here, not even administrators. It is emptied once the e-mail is sent.
    def get_exclude(self, request: HttpRequest, obj: Reminder | None = None) -> list[str]:
        hidden = ["context"] if _holds_a_secret(obj) else []
        return [*(super().get_exclude(request, obj) or []), *hidden]

    def get_readonly_fields(self, request: HttpRequest, obj: Reminder | None = None) -> list[str]:
        shown = ["context_withheld"] if _holds_a_secret(obj) else []
        return [*super().get_readonly_fields(request, obj), *shown]

    @admin.display(description="Context")
    def context_withheld(self, obj: Reminder) -> str:
        return "Not shown: it holds a private link for the person it is sent to."

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


def _holds_a_secret(reminder: Reminder | None) -> bool:
    kind = KINDS.get(reminder.kind) if reminder is not None else None
    return kind is not None and kind.secret_context
