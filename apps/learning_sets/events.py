"""A session in words and as a calendar event, the same in every e-mail, reminder and the calendar feed: one UID
per session, and a SEQUENCE that rises when it moves or is cancelled, so calendars update it in place."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from apps.accounts.models import User
from apps.notifications.emails import vevent
from apps.notifications.services import portal_url

from .models import LearningSet, Session
from .selectors import sessions_for

LONDON = ZoneInfo("Europe/London")


def set_name(learning_set: LearningSet) -> str:
    return f"{learning_set.programme.name}, set {learning_set.number}"


def location_of(session: Session) -> str:
    """Where a session is, in one line for an e-mail or a calendar: the venue, the video link, or both."""
    if session.venue and session.video_url:
        return f"{session.venue} (or by video: {session.video_url})"
    if session.video_url:
        return f"Video call: {session.video_url}"
    return session.venue


def session_url(session: Session) -> str:
    return portal_url(reverse("learning_sets:session", args=[session.pk]))


def session_event(session: Session, *, name: str) -> dict[str, object]:
    """The session as a calendar event (the notifications app turns it into an .ics). The UID is the same in
    every invitation and in the feed, and the sequence rises when it moves or is cancelled, so calendars update
    it in place."""
    event: dict[str, object] = {
        "uid": f"learning-set-session-{session.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}",
        "start": timezone.localtime(session.starts_at, LONDON).isoformat(),
        "end": timezone.localtime(session.ends_at, LONDON).isoformat(),
        "summary": f"Action learning set: {name}",
        "location": location_of(session),
        "description": f"Session {session.number} of {name}. Details: {session_url(session)}",
        "url": session_url(session),
        "sequence": session.sequence,
    }
    if session.is_cancelled:
        event["status"] = "CANCELLED"
    return event


def _revised_at(session: Session) -> datetime:
    """When the session last changed: its move, else the programme's publishing, which made it."""
    programme = session.learning_set.programme
    made = programme.published_at or programme.created_at
    return max(made, session.rescheduled_at) if session.rescheduled_at else made


def feed_calendar(*, person: User) -> str:
    """Every session of every set the person is in or facilitates, as an iCalendar feed.

    A cancelled session is left out rather than listed with STATUS:CANCELLED. A subscribed calendar mirrors the
    feed, so every client drops an event that is no longer in it at its next refresh; a cancelled status in a
    feed is read in different ways (Apple Calendar strikes the event through and keeps it, Google Calendar has
    been seen both to hide it and to show it as if confirmed). The e-mailed cancellation and the session page
    say that it was cancelled.

    The feed has no METHOD, so each event's DTSTAMP is when the session last changed (RFC 5545 3.8.7.2), not
    the time of the request: a calendar that syncs sees an unchanged session as unchanged."""
    calendar = Calendar()
    calendar.add("prodid", "-//Stepping Up//Learning sets//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{settings.PORTAL_NAME}: action learning sets")
    for session in sessions_for(user=person).filter(cancelled_at__isnull=True):
        event = session_event(session, name=set_name(session.learning_set))
        calendar.add_component(vevent(event, stamp=_revised_at(session)))
    return calendar.to_ical().decode()
