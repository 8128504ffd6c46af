"""Turning a reminder into an e-mail: subject and bodies from templates, an .ics for events, and the headers
that let people unsubscribe in one click (RFC 8058) and let mail systems drop a resent copy (a Message-ID that
is the same every time the same reminder is sent)."""

import hashlib
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from icalendar import Calendar, Event

from .kinds import KINDS
from .models import Reminder

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# The kind in a digest's unsubscribe link: a summary mixes kinds, so its link offers to stop all of them.
ALL_KINDS = "*"


def unsubscribe_token(*, user_id: int | None, email: str, kind: str) -> str:
    payload: dict[str, Any] = {"k": kind}
    if user_id is not None:
        payload["u"] = user_id
    else:
        payload["e"] = email.lower()
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> dict[str, Any]:
    """The payload of a genuine token; raises signing.BadSignature for a tampered or made-up one."""
    payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    kind = payload.get("k") if isinstance(payload, dict) else None
    if (kind not in KINDS and kind != ALL_KINDS) or not ("u" in payload or "e" in payload):
        raise signing.BadSignature("Not an unsubscribe token.")
    return payload


def absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.PORTAL_BASE_URL.rstrip("/") + "/" + path.lstrip("/")


def render_reminder(reminder: Reminder, *, address: str, name: str) -> tuple[str, str, str]:
    """(subject, text, html). The text template's first line is the subject."""
    context = {
        **reminder.context,
        "name": name,
        "url": absolute(str(reminder.context.get("url", "/"))),
        "portal_name": settings.PORTAL_NAME,
        "preferences_url": absolute(reverse("notifications:preferences")),
        "unsubscribe_url": unsubscribe_url(reminder, address=address),
        "is_member": reminder.recipient_id is not None,
    }
    text = render_to_string(f"notifications/email/{reminder.kind}.txt", context)
    subject, _, body = text.strip().partition("\n")
    html = render_to_string(f"notifications/email/{reminder.kind}.html", {**context, "subject": subject.strip()})
    return subject.strip(), body.strip() + "\n", html


def reminder_subject(reminder: Reminder) -> str:
    """The reminder's headline, as its e-mail subject says it; the kind's label if it cannot be rendered."""
    try:
        return render_reminder(reminder, address=reminder.email or "member@example.invalid", name="")[0]
    except Exception:  # a reminder whose context no longer fits its template still gets listed
        kind = KINDS.get(reminder.kind)
        return kind.label if kind else reminder.kind


def unsubscribe_url(reminder: Reminder, *, address: str) -> str:
    token = unsubscribe_token(user_id=reminder.recipient_id, email=address, kind=reminder.kind)
    return absolute(reverse("notifications:unsubscribe", args=[token]))


def message_id(reminder: Reminder) -> str:
    """The same for every send of one reminder, so a copy resent after a crash is a duplicate by Message-ID."""
    digest = hashlib.sha256(f"{reminder.pk}:{reminder.dedupe_key}".encode()).hexdigest()[:16]
    return f"<reminder-{reminder.pk}-{digest}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"


def build_message(reminder: Reminder, *, address: str, name: str) -> EmailMultiAlternatives:
    subject, text, html = render_reminder(reminder, address=address, name=name)
    unsubscribe = unsubscribe_url(reminder, address=address)
    message = EmailMultiAlternatives(
        subject=f"{settings.EMAIL_SUBJECT_PREFIX_PORTAL}{subject}",
        body=text,
        to=[address],
        headers={
            "Message-ID": message_id(reminder),
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    kind = KINDS[reminder.kind]
    if kind.has_event and isinstance(reminder.context.get("event"), dict):
        message.attach("invitation.ics", event_ics(reminder.context["event"]), "text/calendar; method=PUBLISH")
    if kind.has_events and isinstance(reminder.context.get("events"), list) and reminder.context["events"]:
        message.attach("sessions.ics", events_ics(reminder.context["events"]), "text/calendar; method=PUBLISH")
    return message


def event_ics(event: dict[str, Any]) -> str:
    """An iCalendar file for one event. `event` has uid, start and end (ISO 8601 with offset), summary,
    and optionally location, description, url and sequence (higher when the event has changed, so a calendar
    that already has it replaces it)."""
    return events_ics([event])


def events_ics(events: list[dict[str, Any]]) -> str:
    """One iCalendar file holding several events (a learning set's sessions), each as in `event_ics`."""
    calendar = Calendar()
    calendar.add("prodid", "-//Stepping Up//Reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for event in events:
        calendar.add_component(vevent(event))
    return calendar.to_ical().decode()


def _utc(value: object) -> datetime:
    # In UTC ("…Z"), which every calendar reads: a fixed offset would be written as a TZID with no VTIMEZONE.
    moment = datetime.fromisoformat(str(value))
    return moment.astimezone(UTC) if moment.tzinfo else moment


def vevent(event: dict[str, Any]) -> Event:
    entry = Event()
    entry.add("uid", str(event["uid"]))
    entry.add("dtstamp", _utc(event["start"]))
    entry.add("dtstart", _utc(event["start"]))
    entry.add("dtend", _utc(event["end"]))
    entry.add("summary", str(event["summary"]))
    if event.get("sequence"):
        entry.add("sequence", int(event["sequence"]))
    for key in ("location", "description", "url"):
        if event.get(key):
            entry.add(key, str(event[key]))
    return entry


def build_digest(*, reminders: list[Reminder], address: str, name: str, user_id: int) -> EmailMultiAlternatives:
    items = []
    for reminder in reminders:
        subject, _, _ = render_reminder(reminder, address=address, name=name)
        items.append({"subject": subject, "url": absolute(str(reminder.context.get("url", "/")))})
    unsubscribe = absolute(
        reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id=user_id, email="", kind=ALL_KINDS)])
    )
    context = {
        "name": name,
        "items": items,
        "portal_name": settings.PORTAL_NAME,
        "preferences_url": absolute(reverse("notifications:preferences")),
        "notifications_url": absolute(reverse("notifications:list")),
        "unsubscribe_url": unsubscribe,
    }
    subject = f"Your daily summary: {len(items)} reminder{'s' if len(items) != 1 else ''}"
    message = EmailMultiAlternatives(
        subject=f"{settings.EMAIL_SUBJECT_PREFIX_PORTAL}{subject}",
        body=render_to_string("notifications/email/digest.txt", context),
        to=[address],
        headers={
            "Message-ID": f"<digest-{user_id}-{min(r.pk for r in reminders)}-{len(reminders)}"
            f"@{settings.EMAIL_MESSAGE_ID_DOMAIN}>",
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string("notifications/email/digest.html", context), "text/html")
    return message
