"""The reminders and news a learning set's sessions send, scheduled through the notifications app (which knows no
feature: it is handed a kind, a recipient, a time, a key and a context).

Each is keyed under `session:<id>:` so one `cancel_all` clears a session's, and each key ends with the session's
start time, because a reminder once sent is never sent again under its key: when a session moves, the reminders
for the old time are cancelled and new ones, under new keys, are due before the new time.

- `session:<id>:7d:<user>:<start>` and `…:24h:<user>:<start>` — to each member without apologies.
- `session:<id>:attendance:<user>:<start>` — to the facilitator, 09:00 London the day after; cancelled once
  attendance is recorded.
- `session:<id>:moved:<user>:<moved at>` — to the members and facilitator when it moves, with the new .ics.
- `session:<id>:cancelled:<user>` — to the members and facilitator when it is cancelled, with an .ics that
  cancels it (METHOD:CANCEL, STATUS:CANCELLED).
- `programme:<id>:placed:<user>` — to each member when the programme is published, with every session's .ics.
  While it waits in the outbox, a move or a cancellation rewrites it, so it never carries a time that changed.
- `set:<id>:left:<user>:<when>` — to a member who leaves a live set, with an .ics that takes its sessions to come
  out of their calendar.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.services import Scheduled, cancel_all, portal_url, refresh_unsent, schedule, schedule_many

from ..events import location_of, session_event, session_url, set_name
from ..models import Apology, LearningSet, Programme, Session
from ..selectors import people_in
from ..slots import slot_label

LONDON = ZoneInfo("Europe/London")
REMINDER_HOUR = time(9, 0)  # the attendance reminder arrives at nine in the morning, London time
WEEK_BEFORE = timedelta(days=7)
DAY_BEFORE = timedelta(days=1)
# Invitations and "it has moved" e-mails go out with the dispatcher's next beat tick rather than straight after the
# commit: due at once, each would queue its own dispatch, one broker round trip per member inside the request.
NEWS_DELAY = timedelta(minutes=2)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%MZ")


def member_reminders_schedule(session: Session, member: User, *, name: str, now: datetime) -> None:
    schedule_many(member_reminders(session, member, name=name, now=now))


def member_reminders(session: Session, member: User, *, name: str, now: datetime) -> list[Scheduled]:
    """The 7-day and 24-hour reminders of one session for one member, those still ahead."""
    context = {
        "set_name": name,
        "starts_at": session.starts_at.isoformat(),
        "location": location_of(session),
        "url": session_url(session),
        "event": session_event(session, name=name),
    }
    reminders = []
    for label, kind, before in (
        ("7d", "session_upcoming_7d", WEEK_BEFORE),
        ("24h", "session_upcoming_24h", DAY_BEFORE),
    ):
        # At the session's time of day in London, a week or a day before, whether or not the clocks change between.
        due = timezone.localtime(session.starts_at, LONDON) - before
        if due > now:
            reminders.append(
                Scheduled(
                    kind=kind,
                    recipient=member,
                    due_at=due,
                    dedupe_key=f"session:{session.pk}:{label}:{member.pk}:{_stamp(session.starts_at)}",
                    context=context,
                )
            )
    return reminders


def _attendance_due(session: Session) -> datetime:
    day_after = timezone.localdate(session.starts_at, LONDON) + timedelta(days=1)
    return datetime.combine(day_after, REMINDER_HOUR, tzinfo=LONDON)


def _remind_facilitator(session: Session, facilitator: User, *, name: str) -> None:
    schedule_many([_facilitator_reminder(session, facilitator, name=name)])


def _facilitator_reminder(session: Session, facilitator: User, *, name: str) -> Scheduled:
    return Scheduled(
        kind="attendance_not_recorded",
        recipient=facilitator,
        due_at=_attendance_due(session),
        dedupe_key=f"session:{session.pk}:attendance:{facilitator.pk}:{_stamp(session.starts_at)}",
        context={
            "set_name": name,
            "session_on": timezone.localdate(session.starts_at, LONDON).isoformat(),
            "url": session_url(session),
        },
    )


def member_reminders_cancel(session: Session, member: User) -> None:
    for label in ("7d", "24h"):
        cancel_all(prefix=f"session:{session.pk}:{label}:{member.pk}:")


def _placed_context(learning_set: LearningSet, sessions: list[Session]) -> dict[str, object]:
    """The invitation to a set: its sessions as they are now (the cancelled ones left out)."""
    name = set_name(learning_set)
    held = [s for s in sessions if not s.is_cancelled]
    return {
        "set_name": name,
        "programme_name": learning_set.programme.name,
        "when": slot_label(learning_set.slot),
        "facilitator_name": str(learning_set.facilitator or ""),
        "location": location_of(held[0]) if held else "",
        "url": portal_url(reverse("learning_sets:set", args=[learning_set.pk])),
        "events": [session_event(s, name=name) for s in held],
    }


def placed_key(programme_id: int, member_id: int) -> str:
    return f"programme:{programme_id}:placed:{member_id}"


def set_announce(
    programme: Programme, learning_set: LearningSet, sessions: list[Session], members: list[User], *, now: datetime
) -> None:
    learning_set.programme = programme
    name = set_name(learning_set)
    placed = _placed_context(learning_set, sessions)
    # Every reminder of the set in one go: a few queries rather than a few per reminder.
    reminders: list[Scheduled] = []
    for member in members:
        reminders.append(
            Scheduled(
                kind="set_placed",
                recipient=member,
                due_at=now + NEWS_DELAY,
                dedupe_key=placed_key(programme.pk, member.pk),
                context=placed,
            )
        )
        for session in sessions:
            reminders.extend(member_reminders(session, member, name=name, now=now))
    if learning_set.facilitator is not None:
        reminders.extend(_facilitator_reminder(s, learning_set.facilitator, name=name) for s in sessions)
    schedule_many(reminders)


def invitations_refresh(learning_set: LearningSet, members: list[User]) -> None:
    """An invitation to the set still in the outbox (sent two minutes after publishing, or later if the mail
    server was down) is rewritten with the sessions as they are now: it is built when sent, from what it holds."""
    sessions = list(Session.objects.filter(learning_set=learning_set).order_by("starts_at", "pk"))
    refresh_unsent(
        dedupe_keys=[placed_key(learning_set.programme_id, member.pk) for member in members],
        context=_placed_context(learning_set, sessions),
    )


def reminders_after_move(session: Session, *, was: datetime, actor: User, now: datetime) -> None:
    cancel_all(prefix=f"session:{session.pk}:")
    learning_set = session.learning_set
    name = set_name(learning_set)
    apologised = set(Apology.objects.filter(session=session).values_list("member_id", flat=True))
    members = people_in(learning_set=learning_set)
    invitations_refresh(learning_set, members)
    for member in members:
        if member.pk not in apologised:
            member_reminders_schedule(session, member, name=name, now=now)
    if learning_set.facilitator is not None:
        _remind_facilitator(session, learning_set.facilitator, name=name)
    moved = {
        "set_name": name,
        "starts_at": session.starts_at.isoformat(),
        "was_starts_at": was.isoformat(),
        "location": location_of(session),
        "url": session_url(session),
        "event": session_event(session, name=name),
    }
    for person in [*members, *([learning_set.facilitator] if learning_set.facilitator else [])]:
        if person.pk != actor.pk:
            schedule(
                kind="session_rescheduled",
                recipient=person,
                due_at=now + NEWS_DELAY,
                # Keyed by the move, not the new time: a session moved away and back is news both times.
                dedupe_key=f"session:{session.pk}:moved:{person.pk}:{now.astimezone(UTC).isoformat()}",
                context=moved,
            )


def cancelled_key(session_id: int, person_id: int) -> str:
    return f"session:{session_id}:cancelled:{person_id}"
