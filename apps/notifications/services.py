"""How every other app talks to notifications: schedule a reminder, move it, cancel it. Nothing else sends e-mail.

Scheduling only writes a row in the outbox (`Reminder`); the dispatcher (dispatch.py, run by Celery beat every
minute) sends what is due. So a reminder scheduled inside a transaction that rolls back never existed, and one
scheduled while Redis is down is still sent when the dispatcher next runs.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import User

from .kinds import ACCOUNT_EMAIL, KINDS, Audience, Kind, Mode, member_kinds
from .models import EmailOptOut, NotificationPreference, Reminder, ReminderStatus

logger = logging.getLogger(__name__)
# A reminder due this soon is worth a dispatch straight after commit rather than at the next beat tick.
PROMPT_DISPATCH_WINDOW = timedelta(minutes=1)


class NotificationError(Exception):
    """A reminder that cannot be scheduled as asked; nothing was written."""


def _kind(code: str) -> Kind:
    try:
        return KINDS[code]
    except KeyError:
        raise NotificationError(f"“{code}” is not a kind of reminder. Known kinds: {', '.join(KINDS)}.") from None


def _check(*, kind: Kind, recipient: User | None, email: str, due_at: datetime, context: dict[str, Any]) -> None:
    if timezone.is_naive(due_at):
        raise NotificationError("The due time has no time zone: pass an aware datetime (timezone.now() based).")
    if (recipient is None) == (not email):
        raise NotificationError("Give either a recipient who has an account or an e-mail address, not both.")
    if kind.audience == Audience.MEMBER and recipient is None:
        raise NotificationError(f"Reminders of kind “{kind.code}” go to members: give a recipient.")
    if kind.audience == Audience.ACCOUNT and recipient is not None:
        # The address is what the e-mail is about (a new one to confirm), not the account's current one.
        raise NotificationError(f"Reminders of kind “{kind.code}” go to the address they are about: give email.")
    address = recipient.email if recipient is not None else email
    if not address:
        raise NotificationError(f"{recipient} has no e-mail address to send reminders to.")
    try:
        validate_email(address)
    except ValidationError:
        raise NotificationError(f"“{address}” is not an e-mail address.") from None
    missing = [key for key in kind.context_keys if key not in context]
    if missing:
        raise NotificationError(f"The context of a “{kind.code}” reminder needs: {', '.join(missing)}.")


@transaction.atomic
def schedule(
    *,
    kind: str,
    due_at: datetime,
    dedupe_key: str,
    context: dict[str, Any],
    recipient: User | None = None,
    email: str = "",
) -> Reminder:
    """Schedule a reminder, or move the one already scheduled under `dedupe_key`.

    Idempotent: the same key twice keeps one reminder. A pending reminder takes the new time and context
    (the event moved); one already sent is left as it is, so to remind about a moved event again, put the
    event's time in the key.
    """
    spec = _kind(kind)
    _check(kind=spec, recipient=recipient, email=email, due_at=due_at, context=context)
    defaults = {"due_at": due_at, "next_attempt_at": due_at, "context": context}
    existing = Reminder.objects.select_for_update().filter(dedupe_key=dedupe_key).first()
    if existing is None:
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    kind=kind, recipient=recipient, email=email.lower(), dedupe_key=dedupe_key, **defaults
                )
        except IntegrityError:  # scheduled concurrently under the same key: that one stands, moved to this time
            return schedule(
                kind=kind, due_at=due_at, dedupe_key=dedupe_key, context=context, recipient=recipient, email=email
            )
    else:
        if existing.kind != kind or existing.recipient_id != (recipient.pk if recipient else None):
            raise NotificationError(f"The key “{dedupe_key}” belongs to another reminder.")
        reminder = existing
        if reminder.status in (ReminderStatus.PENDING, ReminderStatus.CANCELLED):
            for name, value in defaults.items():
                setattr(reminder, name, value)
            reminder.status = ReminderStatus.PENDING
            reminder.save(update_fields=[*defaults, "status", "updated_at"])
    if reminder.status == ReminderStatus.PENDING and due_at <= timezone.now() + PROMPT_DISPATCH_WINDOW:
        transaction.on_commit(_dispatch_soon)
    return reminder


@dataclass(frozen=True)
class Scheduled:
    """One reminder for `schedule_many`: the same arguments as `schedule`."""

    kind: str
    due_at: datetime
    dedupe_key: str
    context: dict[str, Any]
    recipient: User | None = None
    email: str = ""


@transaction.atomic
def schedule_many(items: list[Scheduled]) -> int:
    """`schedule` for many reminders at once, in a handful of queries however many there are (publishing a
    programme schedules hundreds). The same rules as calling `schedule` for each in turn: a key used twice keeps
    the last; a pending or cancelled reminder under a key is moved; one already sent is left alone; a key that
    belongs to another kind or person is refused and nothing is written. Returns how many are pending."""
    latest: dict[str, Scheduled] = {}
    for item in items:
        _check(
            kind=_kind(item.kind), recipient=item.recipient, email=item.email, due_at=item.due_at, context=item.context
        )
        latest[item.dedupe_key] = item
    existing = {r.dedupe_key: r for r in Reminder.objects.select_for_update().filter(dedupe_key__in=list(latest))}
    now = timezone.now()
    moved, new = [], []
    for key, item in latest.items():
        reminder = existing.get(key)
        if reminder is None:
            new.append(
                Reminder(
                    kind=item.kind,
                    recipient=item.recipient,
                    email=item.email.lower(),
                    dedupe_key=key,
                    due_at=item.due_at,
                    next_attempt_at=item.due_at,
                    context=item.context,
                )
            )
            continue
        if reminder.kind != item.kind or reminder.recipient_id != (item.recipient.pk if item.recipient else None):
            raise NotificationError(f"The key “{key}” belongs to another reminder.")
        if reminder.status in (ReminderStatus.PENDING, ReminderStatus.CANCELLED):
            reminder.due_at = reminder.next_attempt_at = item.due_at
            reminder.context, reminder.status, reminder.updated_at = item.context, ReminderStatus.PENDING, now
            moved.append(reminder)
    Reminder.objects.bulk_update(moved, ["due_at", "next_attempt_at", "context", "status", "updated_at"], 500)
    try:
        with transaction.atomic():
            Reminder.objects.bulk_create(new, batch_size=500)
    except IntegrityError:  # a key scheduled concurrently: one at a time, as schedule() settles such races
        for reminder in new:
            schedule(
                kind=reminder.kind,
                due_at=reminder.due_at,
                dedupe_key=reminder.dedupe_key,
                context=reminder.context,
                recipient=reminder.recipient,
                email=reminder.email,
            )
    pending = [*moved, *new]
    if any(r.due_at <= now + PROMPT_DISPATCH_WINDOW for r in pending):
        transaction.on_commit(_dispatch_soon)
    return len(pending)


def account_email_schedule(*, address: str, subject: str, heading: str, text: str, html: str, now: datetime) -> str:
    """Put an account e-mail (confirm an address, reset a password), already rendered by allauth, in the outbox,
    due `now`, in the caller's transaction; returns its key. The request that asked for it never waits on the
    mail server: a worker sends it straight after commit, and a refusal is retried like any reminder's."""
    key = f"account:{uuid4()}"
    context = {"subject": subject, "heading": heading, "text": text, "html": html}
    schedule(kind=ACCOUNT_EMAIL, email=address, due_at=now, dedupe_key=key, context=context)
    return key


def _dispatch_soon() -> None:
    """Ask a worker to dispatch now. Best effort: if the broker is down, the next beat tick sends it anyway."""
    from config.celery import app

    from .tasks import dispatch_due_reminders

    try:
        # One quick try: left to itself, kombu retries for seconds, and this runs at the end of a web request.
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
            dispatch_due_reminders.apply_async(
                connection=connection, retry=False, expires=PROMPT_DISPATCH_WINDOW.total_seconds()
            )
    except Exception:  # the broker is unreachable; the outbox row is safe and beat will find it
        logger.warning("Could not queue an immediate dispatch; the next scheduled run will send it.")


@transaction.atomic
def refresh_unsent(*, dedupe_keys: list[str], context: dict[str, Any]) -> int:
    """Give the reminders under these keys that are not sent yet (waiting, or held for a digest) a new context,
    keeping their time and attempts: what they are about changed while they waited (a session in an invitation
    moved), and the e-mail is built from the context when it is sent. One being sent at this moment goes out as
    it was, but a retry after a failed send carries the new context. Sent, failed and cancelled reminders stay as
    they are, and no reminder is made for a key without one. Returns how many changed."""
    unsent_statuses = [ReminderStatus.PENDING, ReminderStatus.DIGEST, ReminderStatus.SENDING]
    # Locked, so that a dispatcher cannot claim one between the check and the update (it skips locked rows).
    unsent = list(
        Reminder.objects.select_for_update()
        .filter(dedupe_key__in=dedupe_keys, status__in=unsent_statuses)
        .values_list("pk", "kind")
    )
    for _, kind in unsent:
        missing = [key for key in _kind(kind).context_keys if key not in context]
        if missing:
            raise NotificationError(f"The context of a “{kind}” reminder needs: {', '.join(missing)}.")
    ids = [pk for pk, _ in unsent]
    return Reminder.objects.filter(pk__in=ids).update(context=context, updated_at=timezone.now()) if ids else 0


@transaction.atomic
def cancel(*, dedupe_key: str) -> bool:
    """Cancel a reminder that has not been sent. Returns whether there was one to cancel."""
    updated = Reminder.objects.filter(
        dedupe_key=dedupe_key, status__in=[ReminderStatus.PENDING, ReminderStatus.DIGEST]
    ).update(status=ReminderStatus.CANCELLED, updated_at=timezone.now())
    return updated > 0


@transaction.atomic
def cancel_all(*, prefix: str) -> int:
    """Cancel every unsent reminder whose key starts with `prefix` (e.g. all of one session's reminders)."""
    if len(prefix) < 3:
        raise NotificationError("Give a longer key prefix: cancelling by a short one could hit other reminders.")
    return Reminder.objects.filter(
        dedupe_key__startswith=prefix, status__in=[ReminderStatus.PENDING, ReminderStatus.DIGEST]
    ).update(status=ReminderStatus.CANCELLED, updated_at=timezone.now())


def cancel_unsent_where(*, kind: str, condition: Q) -> int:
    """Cancel every unsent reminder of `kind` that matches `condition`, in one update however many: for a feature
    whose reminders stop being wanted by a rule over many rows at once (a condition on the reminder's fields, such
    as an Exists over the feature's own rows keyed by `recipient_id` and `dedupe_key`) rather than one key."""
    return (
        Reminder.objects.filter(kind=kind, status__in=[ReminderStatus.PENDING, ReminderStatus.DIGEST])
        .filter(condition)
        .update(status=ReminderStatus.CANCELLED, updated_at=timezone.now())
    )


@transaction.atomic
def preferences_set(*, user: User, modes: dict[str, str]) -> None:
    for code, mode in modes.items():
        spec = _kind(code)
        if spec.audience != Audience.MEMBER:
            raise NotificationError(f"“{spec.label}” is not sent to members.")
        if mode not in {m.value for m in Mode}:
            raise NotificationError(f"“{mode}” is not a choice: immediately, daily digest or off.")
        NotificationPreference.objects.update_or_create(user=user, kind=code, defaults={"mode": mode})


@transaction.atomic
def unsubscribe(*, user_id: int | None, email: str, kind: str, everything: bool) -> None:
    """What a signed unsubscribe link does: turn a kind (or everything) off for a member or an address."""
    if user_id is not None:
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            return  # the account is gone: nothing left to send to it
        codes = [k.code for k in member_kinds()] if everything else [kind]
        preferences_set(user=user, modes=dict.fromkeys(codes, Mode.OFF.value))
    else:
        EmailOptOut.objects.get_or_create(email=email.lower(), kind="" if everything else kind)


@transaction.atomic
def mark_read(*, user: User, reminder_ids: list[int] | None, now: datetime) -> int:
    reminders = Reminder.objects.filter(recipient=user, read_at__isnull=True, due_at__lte=now)
    if reminder_ids is not None:
        reminders = reminders.filter(pk__in=reminder_ids)
    return reminders.update(read_at=now)


@transaction.atomic
def reminder_retry(*, reminder: Reminder, now: datetime) -> Reminder:
    """An administrator sends a failed reminder again: it starts over with a full set of attempts."""
    if reminder.status != ReminderStatus.FAILED:
        raise NotificationError("Only a failed reminder can be retried.")
    reminder.status, reminder.attempts, reminder.next_attempt_at = ReminderStatus.PENDING, 0, now
    reminder.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    transaction.on_commit(_dispatch_soon)
    return reminder


def portal_url(path: str) -> str:
    """An absolute link for an e-mail."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.PORTAL_BASE_URL.rstrip("/") + "/" + path.lstrip("/")
