"""A bilateral meeting as a calendar event, the same in the invitation, the reminders and the download: one UID
per meeting and a SEQUENCE that rises when it moves or is cancelled, so calendars update it in place (as
`apps/learning_sets/events.py` does for sessions)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.emails import event_ics
from apps.notifications.services import portal_url

from .models import BilateralMeeting

LONDON = ZoneInfo("Europe/London")


def meeting_path(meeting: BilateralMeeting) -> str:
    return reverse("bilaterals:meeting", args=[meeting.pk])


def meeting_event(meeting: BilateralMeeting, *, other_name: str) -> dict[str, object]:
    """The meeting as seen by one of the two (`other_name` is the other): a dict the notifications app turns into
    an .ics."""
    url = portal_url(meeting_path(meeting))
    event: dict[str, object] = {
        "uid": f"bilateral-meeting-{meeting.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}",
        "start": timezone.localtime(meeting.starts_at, LONDON).isoformat(),
        "end": timezone.localtime(meeting.ends_at, LONDON).isoformat(),
        "summary": f"Bilateral with {other_name}",
        "description": f"Your regular bilateral with {other_name}. The log and details: {url}",
        "url": url,
        "sequence": meeting.sequence,
    }
    if meeting.is_cancelled:
        event["status"] = "CANCELLED"
    return event


def meeting_ics(meeting: BilateralMeeting, *, viewer: User, now: datetime) -> str:
    """The download: METHOD:PUBLISH while the meeting stands, METHOD:CANCEL (naming the viewer, with
    STATUS:CANCELLED) once cancelled, so opening either updates the event the invitation put in the calendar."""
    other = meeting.bilateral.other(viewer.pk)
    event = meeting_event(meeting, other_name=other.display_name)
    if meeting.is_cancelled:
        return event_ics(event, now=now, method="CANCEL", attendee=viewer.email)
    return event_ics(event, now=now)
