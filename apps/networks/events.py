"""A network meeting in words and as a calendar event, the same in every invitation, reminder and download: one
UID per meeting, and a SEQUENCE that rises when it moves or is cancelled, so calendars update it in place (as
`apps/learning_sets/events.py` does for sessions)."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from apps.notifications.emails import event_ics
from apps.notifications.services import portal_url

from .models import NetworkMeeting

LONDON = ZoneInfo("Europe/London")


def location_of(meeting: NetworkMeeting) -> str:
    """Where a meeting is, in one line: the place, the online link, or both."""
    if meeting.place and meeting.online_url:
        return f"{meeting.place} (or online: {meeting.online_url})"
    if meeting.online_url:
        return f"Online: {meeting.online_url}"
    return meeting.place


def network_url(meeting: NetworkMeeting) -> str:
    return portal_url(reverse("networks:network", args=[meeting.network_id]))


def meeting_event(meeting: NetworkMeeting) -> dict[str, object]:
    """The meeting as a calendar event for the notifications app (which turns it into an .ics)."""
    agenda = [item.title for item in meeting.agenda_items.all()] if meeting.agenda_set_at else []
    description = f"{meeting.network.name}. Agenda and topics: {network_url(meeting)}"
    if agenda:
        description += "\nAgenda:\n" + "\n".join(f"{n}. {title}" for n, title in enumerate(agenda, start=1))
    event: dict[str, object] = {
        "uid": f"network-meeting-{meeting.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}",
        "start": timezone.localtime(meeting.starts_at, LONDON).isoformat(),
        "end": timezone.localtime(meeting.ends_at, LONDON).isoformat(),
        "summary": f"{meeting.network.name}: meeting",
        "location": location_of(meeting),
        "description": description,
        "url": network_url(meeting),
        "sequence": meeting.sequence,
    }
    if meeting.is_cancelled:
        event["status"] = "CANCELLED"
    return event


def meeting_ics(meeting: NetworkMeeting) -> str:
    """The meeting's calendar file for a member to download. Its DTSTAMP is the meeting's last change, so the
    same file is made until the meeting changes; a cancelled meeting is STATUS:CANCELLED with a higher SEQUENCE,
    which takes it out of a calendar that imported it."""
    return event_ics(meeting_event(meeting), now=meeting.changed_at)
