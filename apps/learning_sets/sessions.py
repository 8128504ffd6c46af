"""A learning set's life after grouping: publishing a programme (sessions, invitations, reminders), moving a
session, apologies, attendance, the facilitator's notes, members' private reflections, and calendar feeds.

Who may do what is part of every query: a set is seen by its members and its facilitator (`sets_for`), nobody
else, whatever their role; a reflection only by its author; moving a session also by the programme's organisers
(`sessions_movable_by`), who still never see the set's notes.

Reminders go through the notifications app, each keyed under `session:<id>:` so one `cancel_all` clears a
session's, and each key ends with the session's start time, because a reminder once sent is never sent again
under its key: when a session moves, the reminders for the old time are cancelled and new ones, under new keys,
are due before the new time.

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

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from apps.accounts.models import Role, User
from apps.accounts.selectors import user_roles
from apps.audit.services import change_record
from apps.common.validation import clean_problem
from apps.development.models import Plan
from apps.development.records import Anchor, reflection_add
from apps.development.services import PlanError
from apps.notifications.emails import vevent
from apps.notifications.services import (
    Scheduled,
    cancel,
    cancel_all,
    portal_url,
    refresh_unsent,
    schedule,
    schedule_many,
)
from apps.notifications.templatetags.notification_format import london_date, london_datetime

from .calendar import bank_holiday_name, plan_sessions, programme_last_day
from .models import (
    Apology,
    Attendance,
    CalendarFeed,
    LearningSet,
    Membership,
    Programme,
    ProgrammeStatus,
    Reflection,
    Session,
    SetNote,
)
from .slots import is_valid_slot, slot_label

LONDON = ZoneInfo("Europe/London")
REMINDER_HOUR = time(9, 0)  # the attendance reminder arrives at nine in the morning, London time
WEEK_BEFORE = timedelta(days=7)
DAY_BEFORE = timedelta(days=1)
# A moved session still has to be at a time people work: this catches "2:00" typed for 2pm.
EARLIEST, LATEST_END = time(7, 0), time(21, 0)
LIVE = (ProgrammeStatus.RUNNING, ProgrammeStatus.FINISHED)
# Invitations and "it has moved" e-mails go out with the dispatcher's next beat tick rather than straight after the
# commit: due at once, each would queue its own dispatch, one broker round trip per member inside the request.
NEWS_DELAY = timedelta(minutes=2)


class SessionError(Exception):
    """Something a person asked for that cannot be done, in words they can act on. Nothing was written."""


def _clean(instance: Model) -> None:
    problem = clean_problem(instance)
    if problem:
        raise SessionError(problem)


# Reads.


def _member_of_set(user: User) -> Exists:
    return Exists(Membership.objects.filter(learning_set=OuterRef("pk"), member=user))


def sets_for(*, user: User) -> QuerySet[LearningSet]:
    """The published sets this person is in or facilitates."""
    return (
        LearningSet.objects.filter(_member_of_set(user) | Q(facilitator=user), programme__status__in=LIVE)
        .select_related("programme", "facilitator")
        .order_by("programme__name", "number")
    )


def sessions_for(*, user: User) -> QuerySet[Session]:
    """Sessions of the sets this person is in or facilitates."""
    in_set = Exists(Membership.objects.filter(learning_set=OuterRef("learning_set"), member=user))
    return (
        Session.objects.filter(in_set | Q(learning_set__facilitator=user), learning_set__programme__status__in=LIVE)
        .select_related("learning_set__programme", "learning_set__facilitator")
        .order_by("starts_at", "pk")
    )


def _is_organiser(user: User) -> bool:
    """Whether the person holds the organiser role now: being listed on a programme is not enough once the role
    has been revoked."""
    return Role.ORGANISER in user_roles(user=user)


def sessions_movable_by(*, user: User) -> QuerySet[Session]:
    """Sessions this person may move: as the set's facilitator or an organiser of its programme."""
    movable = Q(learning_set__facilitator=user)
    if _is_organiser(user):
        organisers = Programme.organisers.through.objects
        movable |= Q(Exists(organisers.filter(programme=OuterRef("learning_set__programme"), user=user)))
    return (
        Session.objects.filter(movable, learning_set__programme__status=ProgrammeStatus.RUNNING)
        .select_related("learning_set__programme", "learning_set__facilitator")
        .order_by("starts_at", "pk")
    )


def programmes_publishable_by(*, user: User) -> QuerySet[Programme]:
    if not _is_organiser(user):
        return Programme.objects.none()
    return Programme.objects.filter(organisers=user)


def members_of(learning_set: LearningSet) -> QuerySet[Membership]:
    """The set's members with what the set page shows of them: name, organisation, role. One query."""
    return (
        Membership.objects.filter(learning_set=learning_set)
        .select_related("member__profile", "application__organisation")
        .order_by("member__last_name", "member__first_name", "pk")
    )


def reflections_of(*, author: User, learning_set: LearningSet) -> QuerySet[Reflection]:
    return Reflection.objects.filter(author=author, learning_set=learning_set).select_related("session")


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


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%MZ")


# Reminders.


def _remind_member(session: Session, member: User, *, name: str, now: datetime) -> None:
    schedule_many(_member_reminders(session, member, name=name, now=now))


def _member_reminders(session: Session, member: User, *, name: str, now: datetime) -> list[Scheduled]:
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


def _cancel_member_reminders(session: Session, member: User) -> None:
    for label in ("7d", "24h"):
        cancel_all(prefix=f"session:{session.pk}:{label}:{member.pk}:")


# Publishing.


@dataclass
class Published:
    sessions: int = 0
    members: int = 0
    sets: int = 0
    empty_sets: list[int] = field(default_factory=list)  # set numbers with nobody in them: no sessions made


def _check_publishable(programme: Programme, sets: list[LearningSet], members: dict[int, list[User]]) -> None:
    """The draft as it is now, against the programme's settings as they are now: both may have changed since the
    grouping. A set with members needs a facilitator and a size within the programme's; an empty set is skipped
    (it gets no sessions). A set's facilitator, if it has one, must still be one of the programme's."""
    if programme.status in LIVE:
        raise SessionError("This programme is already published.")
    if programme.status != ProgrammeStatus.GROUPING:
        raise SessionError("Form the sets first: this programme is not at the grouping stage yet.")
    if not sets:
        raise SessionError("There are no sets to publish. Form the sets first.")
    facilitators = set(programme.facilitators.values_list("pk", flat=True))
    low, high = programme.set_size_min, programme.set_size_max
    for learning_set in sets:
        number, size = learning_set.number, len(members[learning_set.pk])
        if not is_valid_slot(learning_set.slot):
            raise SessionError(f"Set {number} has no weekly meeting time. Choose one before publishing.")
        if learning_set.facilitator_id is None and size:
            raise SessionError(f"Set {number} has no facilitator. Choose one before publishing.")
        if learning_set.facilitator_id is not None and learning_set.facilitator_id not in facilitators:
            raise SessionError(
                f"Set {number}'s facilitator, {learning_set.facilitator}, is not one of the programme's "
                "facilitators. Choose another before publishing."
            )
        if size and not low <= size <= high:
            raise SessionError(
                f"Set {number} has {size} member{'s' if size != 1 else ''}, but this programme's sets have "
                f"{low} to {high}. Move people, or change the set sizes, before publishing."
            )


def _plan(programme: Programme, learning_set: LearningSet) -> list[Session]:
    return [
        Session(
            learning_set=learning_set,
            number=planned.number,
            starts_at=planned.starts_at,
            ends_at=planned.ends_at,
            venue=learning_set.venue or programme.default_venue,
            video_url=learning_set.video_url or programme.default_video_url,
        )
        for planned in plan_sessions(
            slot=learning_set.slot,
            first_from=programme.first_sessions_from,
            count=programme.sessions_count,
            cadence_weeks=programme.cadence_weeks,
            minutes=programme.session_minutes,
        )
    ]


@transaction.atomic
def publish(*, programme: Programme, actor: User, now: datetime) -> Published:
    """Turn the programme's draft sets into live ones: their sessions, an invitation to every member with all
    their sessions in one .ics, the reminders before each session, and the facilitator's attendance reminders.
    Only an organiser of the programme, and only once, from the grouping stage."""
    locked = Programme.objects.select_for_update(of=("self",)).filter(pk=programme.pk, organisers=actor).first()
    if locked is None or not _is_organiser(actor):
        raise SessionError("Only the programme's organisers can publish it.")
    sets = list(locked.sets.select_related("facilitator").order_by("number"))
    members: dict[int, list[User]] = {s.pk: [] for s in sets}
    for membership in Membership.objects.filter(learning_set__in=sets).select_related("member").order_by("pk"):
        members[membership.learning_set_id].append(membership.member)
    _check_publishable(locked, sets, members)
    outcome = Published()
    planned: dict[int, list[Session]] = {}
    for learning_set in sets:
        if not members[learning_set.pk]:
            outcome.empty_sets.append(learning_set.number)
            continue
        planned[learning_set.pk] = _plan(locked, learning_set)
    first = min((s.starts_at for sessions in planned.values() for s in sessions), default=None)
    if first is not None and first <= now:
        raise SessionError(
            f"The first sessions would start on {london_date(timezone.localdate(first, LONDON))}, which has passed. "
            "Change the date the first sessions start from, then publish."
        )
    Session.objects.bulk_create([s for sessions in planned.values() for s in sessions])
    for learning_set in sets:
        if learning_set.pk in planned:
            _announce(locked, learning_set, planned[learning_set.pk], members[learning_set.pk], now=now)
            outcome.sets += 1
            outcome.sessions += len(planned[learning_set.pk])
            outcome.members += len(members[learning_set.pk])
    locked.status, locked.published_at = ProgrammeStatus.RUNNING, now
    locked.save(update_fields=["status", "published_at"])
    return outcome


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


def _placed_key(programme_id: int, member_id: int) -> str:
    return f"programme:{programme_id}:placed:{member_id}"


def _announce(
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
                dedupe_key=_placed_key(programme.pk, member.pk),
                context=placed,
            )
        )
        for session in sessions:
            reminders.extend(_member_reminders(session, member, name=name, now=now))
    if learning_set.facilitator is not None:
        reminders.extend(_facilitator_reminder(s, learning_set.facilitator, name=name) for s in sessions)
    schedule_many(reminders)


# Moving a session.


def _locked_session(session: Session) -> Session:
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("learning_set__programme", "learning_set__facilitator")
        .get(pk=session.pk)
    )


def _may_move(session: Session, actor: User) -> bool:
    if session.learning_set.facilitator_id == actor.pk:
        return True
    return _is_organiser(actor) and session.learning_set.programme.organisers.filter(pk=actor.pk).exists()


def _check_new_time(session: Session, starts_at: datetime, now: datetime) -> datetime:
    """Refuse a new start the session cannot move to; else return its new end. The day is checked against the
    programme first, so that no arithmetic is done on a date far off (9999-12-31 plus two hours overflows)."""
    programme = session.learning_set.programme
    if timezone.is_naive(starts_at):
        raise SessionError("Give the new time in UK time.")
    local = timezone.localtime(starts_at, LONDON)
    day = local.date()
    if starts_at <= now:
        raise SessionError("Choose a time in the future.")
    if day < programme.first_sessions_from:
        raise SessionError(
            f"The programme's sessions start from {london_date(programme.first_sessions_from)}: "
            "choose that day or later."
        )
    slots = list(programme.sets.values_list("slot", flat=True))
    last_day = programme_last_day(
        slots=[s for s in slots if is_valid_slot(s)],
        first_from=programme.first_sessions_from,
        count=programme.sessions_count,
        cadence_weeks=programme.cadence_weeks,
    )
    if day > last_day:
        raise SessionError(f"That is after the programme ends: choose {london_date(last_day)} or earlier.")
    ends_at = starts_at + (session.ends_at - session.starts_at)
    local_end = timezone.localtime(ends_at, LONDON)
    if local.time() < EARLIEST or local_end.time() > LATEST_END or local_end.date() != day:
        raise SessionError("Choose a time between 7am and 9pm: the session has to finish by 9pm.")
    if holiday := bank_holiday_name(day):
        raise SessionError(f"{london_date(day)} is a bank holiday ({holiday}). Choose another day.")
    _check_order(session, day)
    return ends_at


def _check_order(session: Session, day: date) -> None:
    """Sessions keep their order: session 3 stays after session 2's day and before session 4's."""
    others = Session.objects.filter(learning_set=session.learning_set_id).exclude(pk=session.pk)
    before = others.filter(number__lt=session.number).order_by("-number").first()
    after = others.filter(number__gt=session.number).order_by("number").first()
    if before and day <= timezone.localdate(before.starts_at, LONDON):
        raise SessionError(
            f"Session {session.number} must stay after session {before.number}, "
            f"on {london_date(timezone.localdate(before.starts_at, LONDON))}."
        )
    if after and day >= timezone.localdate(after.starts_at, LONDON):
        raise SessionError(
            f"Session {session.number} must stay before session {after.number}, "
            f"on {london_date(timezone.localdate(after.starts_at, LONDON))}."
        )


@transaction.atomic
def reschedule(*, session: Session, starts_at: datetime, actor: User, now: datetime) -> Session:
    """Move a session (keeping its length) within the programme, by its set's facilitator or an organiser; the
    reminders move with it, and the members and facilitator are e-mailed a new invitation."""
    locked = _locked_session(session)
    if not _may_move(locked, actor):
        raise SessionError("Only the set's facilitator or the programme's organisers can move a session.")
    if locked.learning_set.programme.status != ProgrammeStatus.RUNNING:
        raise SessionError("This programme is not running, so its sessions cannot be moved.")
    if locked.is_cancelled:
        raise SessionError("This session is cancelled, so it cannot be moved.")
    if locked.starts_at <= now:
        raise SessionError("This session has already started, so it cannot be moved.")
    ends_at = _check_new_time(locked, starts_at, now)
    if starts_at == locked.starts_at:
        return locked
    was = locked.starts_at
    locked.starts_at, locked.ends_at, locked.rescheduled_at = starts_at, ends_at, now
    locked.sequence += 1
    _clean(locked)
    locked.save(update_fields=["starts_at", "ends_at", "rescheduled_at", "sequence"])
    _record_session_change(locked, actor, "moved a session of your set", {"starts": _when(was)}, now)
    _remind_after_move(locked, was=was, actor=actor, now=now)
    return locked


def _when(moment: datetime) -> str:
    return str(london_datetime(moment))


def _record_session_change(
    session: Session, actor: User, action: str, before: dict[str, object], now: datetime
) -> None:
    """The change goes on record for every member and the facilitator, except the person who made it."""
    learning_set = session.learning_set
    people = [*_set_members(learning_set), *([learning_set.facilitator] if learning_set.facilitator else [])]
    organiser = learning_set.programme.organisers.filter(pk=actor.pk).exists()
    change_record(
        actor=actor,
        capacity="organiser" if organiser else "facilitator",
        action=action,
        target=f"{set_name(learning_set)}, session {session.number}",
        subjects=[person for person in people if person.pk != actor.pk],
        before=before,
        after={"starts": _when(session.starts_at)} if not session.is_cancelled else {"status": "cancelled"},
        now=now,
    )


def _set_members(learning_set: LearningSet) -> list[User]:
    return [m.member for m in Membership.objects.filter(learning_set=learning_set).select_related("member")]


def _refresh_invitations(learning_set: LearningSet, members: list[User]) -> None:
    """An invitation to the set still in the outbox (sent two minutes after publishing, or later if the mail
    server was down) is rewritten with the sessions as they are now: it is built when sent, from what it holds."""
    sessions = list(Session.objects.filter(learning_set=learning_set).order_by("starts_at", "pk"))
    refresh_unsent(
        dedupe_keys=[_placed_key(learning_set.programme_id, member.pk) for member in members],
        context=_placed_context(learning_set, sessions),
    )


def _remind_after_move(session: Session, *, was: datetime, actor: User, now: datetime) -> None:
    cancel_all(prefix=f"session:{session.pk}:")
    learning_set = session.learning_set
    name = set_name(learning_set)
    apologised = set(Apology.objects.filter(session=session).values_list("member_id", flat=True))
    members = _set_members(learning_set)
    _refresh_invitations(learning_set, members)
    for member in members:
        if member.pk not in apologised:
            _remind_member(session, member, name=name, now=now)
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


# Cancelling a session.


def _cancelled_key(session_id: int, person_id: int) -> str:
    return f"session:{session_id}:cancelled:{person_id}"


@transaction.atomic
def session_cancel(*, session: Session, actor: User, now: datetime) -> Session:
    """Call off a session that has not started, by its set's facilitator or an organiser of the programme. Its
    reminders stop, an invitation still waiting to be sent leaves it out, and the members and the facilitator
    (but the person cancelling) are e-mailed a cancellation for their calendars: the same UID, a higher
    SEQUENCE, STATUS:CANCELLED. The other sessions keep their dates."""
    locked = _locked_session(session)
    if not _may_move(locked, actor):
        raise SessionError("Only the set's facilitator or the programme's organisers can cancel a session.")
    if locked.is_cancelled:
        raise SessionError("This session is already cancelled.")
    if locked.learning_set.programme.status != ProgrammeStatus.RUNNING:
        raise SessionError("This programme is not running, so its sessions cannot be cancelled.")
    if locked.starts_at <= now:
        raise SessionError("This session has already started, so it cannot be cancelled.")
    locked.cancelled_at = now
    locked.sequence += 1
    locked.save(update_fields=["cancelled_at", "sequence"])
    _record_session_change(locked, actor, "cancelled a session of your set", {"starts": _when(locked.starts_at)}, now)
    cancel_all(prefix=f"session:{locked.pk}:")
    learning_set = locked.learning_set
    members = _set_members(learning_set)
    _refresh_invitations(learning_set, members)
    name = set_name(learning_set)
    context = {
        "set_name": name,
        "starts_at": locked.starts_at.isoformat(),
        "location": location_of(locked),
        "url": session_url(locked),
        "event": session_event(locked, name=name),
    }
    people = [*members, *([learning_set.facilitator] if learning_set.facilitator else [])]
    schedule_many(
        [
            Scheduled(
                kind="session_cancelled",
                recipient=person,
                due_at=now + NEWS_DELAY,
                dedupe_key=_cancelled_key(locked.pk, person.pk),
                context=context,
            )
            for person in people
            if person.pk != actor.pk
        ]
    )
    return locked


# Leaving a live set.


@transaction.atomic
def member_uninvite(*, learning_set: LearningSet, member: User, now: datetime) -> int:
    """For whatever takes someone out of a live set: their reminders of its sessions stop, their invitation is
    withdrawn if it is still waiting, and they are e-mailed one calendar file that takes the sessions still to
    come out of their calendar. Returns how many sessions that file removes.

    The file is METHOD:CANCEL naming them as the attendee and with no STATUS, which RFC 5546 (3.2.5) keeps for
    uninviting one person: the sessions go on for everyone else. Its SEQUENCE is one above the session's, so
    that a calendar holding the invitation takes it as newer; the session's own count is left alone, since
    nothing changed for the others."""
    sessions = list(Session.objects.filter(learning_set=learning_set).order_by("starts_at", "pk"))
    for session in sessions:
        _cancel_member_reminders(session, member)
        # News of a session they are no longer in: that it moved, or that it is off.
        cancel_all(prefix=f"session:{session.pk}:moved:{member.pk}:")
        cancel(dedupe_key=_cancelled_key(session.pk, member.pk))
    cancel(dedupe_key=_placed_key(learning_set.programme_id, member.pk))
    name = set_name(learning_set)
    events = [
        {**session_event(s, name=name), "sequence": s.sequence + 1}
        for s in sessions
        if not s.is_cancelled and s.starts_at > now
    ]
    if events:
        schedule(
            kind="set_left",
            recipient=member,
            due_at=now + NEWS_DELAY,
            # Keyed by the moment: someone who leaves, rejoins and leaves again is told both times.
            dedupe_key=f"set:{learning_set.pk}:left:{member.pk}:{now.astimezone(UTC).isoformat()}",
            context={"set_name": name, "url": portal_url(reverse("learning_sets:home")), "events": events},
        )
    return len(events)


# Apologies.


def _membership(session: Session, member: User) -> Membership:
    found = Membership.objects.filter(learning_set=session.learning_set_id, member=member).first()
    if found is None:
        raise SessionError("Only the set's members can send apologies.")
    return found


@transaction.atomic
def apology_send(*, session: Session, member: User, message: str, now: datetime) -> Apology:
    """A member says they cannot come, before the session starts; sending again changes the message. Their
    reminders for the session stop."""
    locked = _locked_session(session)
    _membership(locked, member)
    if locked.is_cancelled:
        raise SessionError("This session is cancelled: there is nothing to send apologies for.")
    if locked.starts_at <= now:
        raise SessionError("This session has already started. Tell your facilitator directly.")
    apology, _ = Apology.objects.update_or_create(
        session=locked, member=member, defaults={"message": message.strip(), "created_at": now}
    )
    _cancel_member_reminders(locked, member)
    return apology


@transaction.atomic
def apology_withdraw(*, session: Session, member: User, now: datetime) -> None:
    """The member can come after all: the apology goes and their reminders come back."""
    locked = _locked_session(session)
    _membership(locked, member)
    if locked.is_cancelled:
        raise SessionError("This session is cancelled, so its apologies can no longer change.")
    if locked.starts_at <= now:
        raise SessionError("This session has already started, so its apologies can no longer change.")
    if not Apology.objects.filter(session=locked, member=member).delete()[0]:
        raise SessionError("You have not sent apologies for this session.")
    _remind_member(locked, member, name=set_name(locked.learning_set), now=now)


# Attendance.


@transaction.atomic
def attendance_record(*, session: Session, actor: User, present: dict[int, bool], now: datetime) -> list[Attendance]:
    """The facilitator records, once the session has started, who came: `present` maps every member's user id
    to True or False. Recording again corrects it. The facilitator's reminder to record it is cancelled."""
    locked = _locked_session(session)
    if locked.learning_set.facilitator_id != actor.pk:
        raise SessionError("Only the set's facilitator records attendance.")
    if locked.is_cancelled:
        raise SessionError("This session was cancelled, so there is no attendance to record.")
    if locked.starts_at > now:
        raise SessionError("Record attendance once the session has started.")
    members = set(Membership.objects.filter(learning_set=locked.learning_set_id).values_list("member_id", flat=True))
    strangers = set(present) - members
    if strangers:
        raise SessionError("Attendance can only be recorded for the set's members.")
    missing = members - set(present)
    if missing:
        raise SessionError("Say whether each member was there.")
    # A former member's mark (member null: they closed their account) stays in the session's record.
    Attendance.objects.filter(session=locked, member__isnull=False).delete()
    marks = Attendance.objects.bulk_create(
        Attendance(session=locked, member_id=member_id, present=came, recorded_by=actor, recorded_at=now)
        for member_id, came in present.items()
    )
    locked.attendance_recorded_at = now
    locked.save(update_fields=["attendance_recorded_at"])
    cancel_all(prefix=f"session:{locked.pk}:attendance:")
    return marks


# Notes.


@transaction.atomic
def note_add(*, learning_set: LearningSet, author: User, text: str, session: Session | None, now: datetime) -> SetNote:
    """The facilitator's note, which the set's members can read and nobody outside the set can."""
    if learning_set.facilitator_id != author.pk:
        raise SessionError("Only the set's facilitator writes its notes.")
    if session is not None and session.learning_set_id != learning_set.pk:
        raise SessionError("Choose a session of this set.")
    if not text.strip():
        raise SessionError("Enter the note.")
    note = SetNote(learning_set=learning_set, session=session, author=author, text=text.strip(), created_at=now)
    _clean(note)
    note.save()
    return note


# Reflections.


@transaction.atomic
def reflection_write(
    *,
    learning_set: LearningSet,
    author: User,
    session: Session | None,
    what_happened: str,
    so_what: str,
    now_what: str,
    now: datetime,
) -> Reflection:
    if not Membership.objects.filter(learning_set=learning_set, member=author).exists():
        raise SessionError("Only the set's members keep reflections on it.")
    if session is not None and session.learning_set_id != learning_set.pk:
        raise SessionError("Choose a session of this set.")
    if session is not None and (session.starts_at > now or session.is_cancelled):
        raise SessionError("Choose a session that has taken place.")
    reflection = Reflection(
        learning_set=learning_set,
        session=session,
        author=author,
        what_happened=what_happened.strip(),
        so_what=so_what.strip(),
        now_what=now_what.strip(),
        created_at=now,
    )
    _clean(reflection)
    reflection.save()
    return reflection


@transaction.atomic
def reflection_to_plan(*, reflection: Reflection, author: User, plan_id: int, title: str, now: datetime) -> Reflection:
    """Copy a set reflection into one of the author's own development plans, where it counts as evidence. Never
    into anyone else's plan: another person's plan id is refused as if it did not exist."""
    locked = Reflection.objects.select_for_update().filter(pk=reflection.pk, author=author).first()
    if locked is None:
        raise SessionError("That reflection is not yours.")
    plan = Plan.objects.filter(owner=author, pk=plan_id).first()
    if plan is None:
        raise SessionError("Choose one of your development plans.")
    if locked.plan_reflection_id is not None:
        raise SessionError("This reflection is already in your development plan.")
    try:
        copy = reflection_add(
            plan=plan,
            anchor=Anchor(),
            title=title.strip() or "Action learning set reflection",
            what_happened=locked.what_happened,
            so_what=locked.so_what,
            now_what=locked.now_what,
            written_on=timezone.localdate(locked.created_at, LONDON),
            now=now,
        )
    except PlanError as exc:
        raise SessionError(str(exc)) from None
    locked.plan_reflection = copy
    locked.save(update_fields=["plan_reflection"])
    return locked


# Calendar feeds.


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def feed_token_for(*, person: User, now: datetime) -> CalendarFeed:
    """The person's feed, made on first use. The token is the only key: 256 random bits."""
    existing = CalendarFeed.objects.filter(person=person).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(person=person, token=_new_token(), created_at=now)
    except IntegrityError:  # made by a second request at the same moment: that one stands
        return CalendarFeed.objects.get(person=person)


@transaction.atomic
def feed_reset(*, person: User, now: datetime) -> CalendarFeed:
    """A new link; the old one stops working at once (someone may have seen it)."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        person=person, defaults={"token": _new_token(), "created_at": now}
    )
    if not created:
        feed.token, feed.created_at = _new_token(), now
        feed.save(update_fields=["token", "created_at"])
    return feed


def feed_person(*, token: str) -> User | None:
    feed = CalendarFeed.objects.filter(token=token).select_related("person").first()
    if feed is None or not feed.person.is_active:
        return None
    return feed.person


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
