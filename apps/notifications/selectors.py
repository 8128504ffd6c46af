"""Reads of reminders for the portal: a person's own notifications, their unread count and preferences."""

from datetime import datetime

from django.db.models import QuerySet

from apps.accounts.models import User

from .kinds import Kind, Mode, member_kinds
from .models import NotificationPreference, Reminder, ReminderStatus

SHOWN_STATUSES = [
    ReminderStatus.PENDING,
    ReminderStatus.SENDING,
    ReminderStatus.DIGEST,
    ReminderStatus.SENT,
    ReminderStatus.SKIPPED,
    ReminderStatus.FAILED,
]


def notifications_for_user(*, user: User, now: datetime) -> QuerySet[Reminder]:
    """Reminders that have fallen due for this person, newest first. Cancelled ones never happened."""
    return Reminder.objects.filter(recipient=user, due_at__lte=now, status__in=SHOWN_STATUSES).order_by(
        "-due_at", "-id"
    )


def unread_count(*, user: User, now: datetime) -> int:
    return notifications_for_user(user=user, now=now).filter(read_at__isnull=True).count()


def preferences_for_user(*, user: User) -> list[tuple[Kind, str]]:
    """Every member kind with this person's mode (their choice, or the kind's default). One query."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "mode"))
    return [(kind, chosen.get(kind.code, kind.default_mode.value)) for kind in member_kinds()]


def failed_reminders() -> QuerySet[Reminder]:
    return Reminder.objects.filter(status=ReminderStatus.FAILED).select_related("recipient")


MODE_LABELS = {Mode.IMMEDIATE.value: "Immediately", Mode.DIGEST.value: "In a daily summary", Mode.OFF.value: "Off"}
