"""Reads of reminders for the portal: a person's own notifications, their unread count and preferences, and
how an account e-mail is getting on."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from apps.accounts.models import User

from .kinds import ACCOUNT_EMAIL, Kind, Mode, member_kinds
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


def reminders_for_administrator() -> QuerySet[Reminder]:
    """Every reminder: the administrator's failed-reminders page acts on any of them (the service says which)."""
    return Reminder.objects.all()


def failed_reminders() -> QuerySet[Reminder]:
    return Reminder.objects.filter(status=ReminderStatus.FAILED).select_related("recipient")


MODE_LABELS = {Mode.IMMEDIATE.value: "Immediately", Mode.DIGEST.value: "In a daily summary", Mode.OFF.value: "Off"}


@dataclass(frozen=True)
class AccountEmailDelivery:
    """Where an account e-mail is, for the person waiting for it: "sending", "sent", "failed", or "retrying"
    (the mail server refused it; tried again at `next_attempt_at`, when that is still to come)."""

    state: str
    next_attempt_at: datetime | None = None


def account_email_delivery(*, dedupe_key: str, now: datetime) -> AccountEmailDelivery | None:
    """The state of the account e-mail under this key (the session that asked for it holds the key), or None."""
    row = (
        Reminder.objects.filter(dedupe_key=dedupe_key, kind=ACCOUNT_EMAIL)
        .values("status", "attempts", "next_attempt_at")
        .first()
    )
    if row is None:
        return None
    status, attempts, next_attempt_at = row["status"], row["attempts"], row["next_attempt_at"]
    if status == ReminderStatus.SENT:
        return AccountEmailDelivery("sent")
    if status == ReminderStatus.FAILED:
        return AccountEmailDelivery("failed")
    # `attempts` counts claims: a pending row claimed before, or one claimed again, was refused at least once.
    if (status == ReminderStatus.PENDING and attempts > 0) or (status == ReminderStatus.SENDING and attempts > 1):
        waiting = status == ReminderStatus.PENDING and next_attempt_at > now
        return AccountEmailDelivery("retrying", next_attempt_at if waiting else None)
    return AccountEmailDelivery("sending")
