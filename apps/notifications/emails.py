"""Turning a reminder into an e-mail: subject and bodies from templates, an .ics for events, and the headers
that let people unsubscribe in one click (RFC 8058) and let mail systems drop a resent copy (a Message-ID that
is the same every time the same reminder is sent)."""

import hashlib
from datetime import UTC, datetime
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from icalendar import Calendar, Event, vCalAddress

from .kinds import KINDS, Audience, Kind
from .links import context_to_send
from .models import Reminder

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# The kind in a digest's unsubscribe link: a summary mixes kinds, so its link offers to stop all of them.
ALL_KINDS = "*"
PUBLISH, CANCEL = "PUBLISH", "CANCEL"


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
    known = KINDS.get(kind) if isinstance(kind, str) else None
    if known is not None and not known.can_unsubscribe:  # account e-mails are never stopped by a link
        raise signing.BadSignature("Not an unsubscribe token.")
    return payload


def absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.PORTAL_BASE_URL.rstrip("/") + "/" + path.lstrip("/")


def render_reminder(
    reminder: Reminder, *, address: str, name: str, stored: dict[str, Any] | None = None
) -> tuple[str, str, str]:
    """(subject, text, html). The text template's first line is the subject. `stored`: the context to render
    instead of the reminder's own (the one it is sent with, links minted)."""
    kind = KINDS[reminder.kind]
    stored = reminder.context if stored is None else stored
    context = {
        **stored,
        "name": name,
        "url": absolute(str(stored.get("url", "/"))),
        "portal_name": settings.PORTAL_NAME,
        "preferences_url": absolute(reverse("notifications:preferences")),
        "unsubscribe_url": unsubscribe_url(reminder, address=address) if kind.can_unsubscribe else "",
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


def build_message(reminder: Reminder, *, address: str, name: str, now: datetime) -> EmailMultiAlternatives:
    """The e-mail for one reminder, built when it is sent (`now`): its calendar file is made from the context
    as the reminder holds it then, which the feature keeps up to date while the reminder waits. A private link
    (a rater's) is minted now and exists only in this message (links.py)."""
    sending = context_to_send(kind=reminder.kind, context=reminder.context, now=now)
    subject, text, html = render_reminder(reminder, address=address, name=name, stored=sending)
    kind = KINDS[reminder.kind]
    headers = {"Message-ID": message_id(reminder), "Auto-Submitted": "auto-generated"}
    if kind.can_unsubscribe:
        unsubscribe = unsubscribe_url(reminder, address=address)
        headers |= {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    # An account e-mail's subject is allauth's as it was rendered, prefix and all.
    prefix = "" if kind.audience == Audience.ACCOUNT else settings.EMAIL_SUBJECT_PREFIX_PORTAL
    message = EmailMultiAlternatives(subject=f"{prefix}{subject}", body=text, to=[address], headers=headers)
    message.attach_alternative(html, "text/html")
    events = _calendar_events(kind, sending)
    if events:
        cancels = kind.ics_method == CANCEL
        filename = "cancellation.ics" if cancels else ("invitation.ics" if kind.has_event else "sessions.ics")
        ics = events_ics(events, now=now, method=kind.ics_method, attendee=address if cancels else "")
        message.attach(filename, ics, f"text/calendar; method={kind.ics_method}")
    return message


def _calendar_events(kind: Kind, context: dict[str, Any]) -> list[dict[str, Any]]:
    if kind.has_event and isinstance(context.get("event"), dict):
        return [context["event"]]
    if kind.has_events and isinstance(context.get("events"), list):
        return list(context["events"])
    return []


def event_ics(event: dict[str, Any], *, now: datetime, method: str = PUBLISH, attendee: str = "") -> str:
    """An iCalendar file for one event. `event` has uid, start and end (ISO 8601 with offset), summary, sequence
    (higher each time the event changes, so that a calendar holding it replaces it), and optionally location,
    description, url and status ("CANCELLED" for an event that will not take place)."""
    return events_ics([event], now=now, method=method, attendee=attendee)


def events_ics(events: list[dict[str, Any]], *, now: datetime, method: str = PUBLISH, attendee: str = "") -> str:
    """One iCalendar file holding several events (a learning set's sessions), each as in `event_ics`, made at
    `now` (every event's DTSTAMP, as RFC 5546 asks of a scheduling message).

    PUBLISH adds or updates the events; it names no attendee (RFC 5546 3.2.1). CANCEL takes them out of the
    calendar of `attendee`, the address the file is sent to: with STATUS:CANCELLED in an event the event is off
    for everyone, without it only this attendee is no longer invited (RFC 5546 3.2.5)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Stepping Up//Reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    for event in events:
        entry = vevent(event, stamp=now)
        if attendee:
            entry.add("attendee", vCalAddress(f"mailto:{attendee}"))
        calendar.add_component(entry)
    return calendar.to_ical().decode()


def _utc(value: object) -> datetime:
    # In UTC ("…Z"), which every calendar reads: a fixed offset would be written as a TZID with no VTIMEZONE.
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.astimezone(UTC) if moment.tzinfo else moment


def _organizer() -> vCalAddress:
    """The portal, which sends every invitation: iTIP requires an ORGANIZER in each PUBLISH and CANCEL
    (RFC 5546 3.2.1, 3.2.5), and it is the same in every file, so a cancellation matches the invitation."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["CN"] = name or settings.PORTAL_NAME
    return organizer


def vevent(event: dict[str, Any], *, stamp: datetime) -> Event:
    """The event as a VEVENT. `stamp` is its DTSTAMP: when the file is made, for a file with a METHOD (an
    e-mailed invitation); when the event last changed, for one without (a feed) (RFC 5545 3.8.7.2)."""
    entry = Event()
    entry.add("uid", str(event["uid"]))
    entry.add("dtstamp", _utc(stamp))
    entry.add("dtstart", _utc(event["start"]))
    entry.add("dtend", _utc(event["end"]))
    entry.add("summary", str(event["summary"]))
    entry.add("sequence", int(event.get("sequence") or 0))
    entry.add("organizer", _organizer())
    if event.get("status"):
        entry.add("status", str(event["status"]))
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
