"""What a network's meetings send through the notifications app (which knows no feature: it is handed a kind, a
recipient, a time, a key and a context), and under which keys.

Keys are `netmeeting:<meeting>:<label>:<person>…`, so one `cancel_all` clears a label for everyone:

- `…:invite:<person>` — when the meeting is scheduled (or the person joins later), with the .ics. While it waits
  in the outbox, a move, a cancellation or a new agenda rewrites it.
- `…:24h:<person>:<start>` — the day before, to every member. The start is in the key because a reminder once
  sent is never sent again under its key: a moved meeting is reminded again at its new time.
- `…:moved:<person>:<when moved>` and `…:cancelled:<person>` — the news, to every member but the organiser who
  made the change, with an .ics that updates or cancels the event (same UID, higher SEQUENCE).
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.services import Scheduled, cancel, cancel_all, refresh_unsent, schedule_many

from ..events import location_of, meeting_event, network_url
from ..models import NetworkMeeting

LONDON = ZoneInfo("Europe/London")
DAY_BEFORE = timedelta(days=1)
# News goes out with the dispatcher's next tick rather than one dispatch per member inside the request (as
# learning sets do).
NEWS_DELAY = timedelta(minutes=2)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%MZ")


def meeting_context(meeting: NetworkMeeting) -> dict[str, object]:
    return {
        "network_name": meeting.network.name,
        "starts_at": meeting.starts_at.isoformat(),
        "location": location_of(meeting),
        "url": network_url(meeting),
        "event": meeting_event(meeting),
    }


def invite_key(meeting: NetworkMeeting, person: User) -> str:
    return f"netmeeting:{meeting.pk}:invite:{person.pk}"


def upcoming_key(meeting: NetworkMeeting, person: User) -> str:
    return f"netmeeting:{meeting.pk}:24h:{person.pk}:{stamp(meeting.starts_at)}"


def member_reminders(
    meeting: NetworkMeeting,
    person: User,
    *,
    now: datetime,
    invite: bool,
    context: dict[str, object] | None = None,
) -> list[Scheduled]:
    """A member's invitation (when asked) and day-before reminder of one meeting, those still ahead. `context`:
    the meeting's, made once by a caller looping over members (making it reads the agenda)."""
    context = context if context is not None else meeting_context(meeting)
    items = []
    if invite:
        items.append(
            Scheduled(
                kind="network_meeting_invitation",
                recipient=person,
                due_at=now + NEWS_DELAY,
                dedupe_key=invite_key(meeting, person),
                context=context,
            )
        )
    # At the meeting's time of day in London, a day before, whether or not the clocks change between.
    due = timezone.localtime(meeting.starts_at, LONDON) - DAY_BEFORE
    if due > now:
        items.append(
            Scheduled(
                kind="network_meeting_upcoming",
                recipient=person,
                due_at=due,
                dedupe_key=upcoming_key(meeting, person),
                context=context,
            )
        )
    return items


def reminders_for_members(meeting: NetworkMeeting, members: list[User], *, actor: User | None, now: datetime) -> None:
    """Invitations to everyone but `actor`, and the day-before reminder to everyone."""
    items: list[Scheduled] = []
    context = meeting_context(meeting)
    for person in members:
        invite = actor is None or person.pk != actor.pk
        items += member_reminders(meeting, person, now=now, invite=invite, context=context)
    schedule_many(items)


def person_reminders_cancel(meeting: NetworkMeeting, person: User) -> None:
    """Someone who leaves or is removed hears no more of the network's meetings."""
    cancel(dedupe_key=invite_key(meeting, person))
    cancel(dedupe_key=f"netmeeting:{meeting.pk}:cancelled:{person.pk}")
    for label in ("24h", "moved"):
        cancel_all(prefix=f"netmeeting:{meeting.pk}:{label}:{person.pk}:")


def invitations_refresh(meeting: NetworkMeeting, members: list[User]) -> None:
    """Invitations and day-before reminders still waiting carry the meeting as it is now."""
    keys = [invite_key(meeting, p) for p in members] + [upcoming_key(meeting, p) for p in members]
    refresh_unsent(dedupe_keys=keys, context=meeting_context(meeting))


def news_send(
    meeting: NetworkMeeting, members: list[User], *, kind: str, label: str, actor: User, now: datetime, **extra: str
) -> None:
    context = {**meeting_context(meeting), **extra}
    # "moved" keys carry the moment, since a meeting moved twice is news twice.
    suffix = f":{stamp(now)}" if label == "moved" else ""
    schedule_many(
        [
            Scheduled(
                kind=kind,
                recipient=person,
                due_at=now + NEWS_DELAY,
                dedupe_key=f"netmeeting:{meeting.pk}:{label}:{person.pk}{suffix}",
                context=context,
            )
            for person in members
            if person.pk != actor.pk
        ]
    )
