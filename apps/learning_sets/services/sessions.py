"""A live set's sessions: moving one, cancelling one, a member leaving the set, apologies and attendance.

Moving or cancelling is for the set's facilitator or an organiser of the programme; apologies for its members;
attendance for its facilitator. Each write locks the session's row first, and each change to a session goes on the
change record of the people in the set (but whoever made it).
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.accounts.selectors import user_has_role
from apps.audit.services import change_record
from apps.notifications.services import Scheduled, cancel, cancel_all, portal_url, schedule, schedule_many
from apps.notifications.templatetags.notification_format import london_date, london_datetime

from ..calendar import bank_holiday_name, programme_last_day
from ..events import location_of, session_event, session_url, set_name
from ..models import Apology, Attendance, LearningSet, Membership, ProgrammeStatus, Session
from ..selectors import people_in
from ..slots import is_valid_slot
from . import LearningSetError
from .checks import valid
from .reminders import (
    NEWS_DELAY,
    cancelled_key,
    invitations_refresh,
    member_reminders_cancel,
    member_reminders_schedule,
    placed_key,
    reminders_after_move,
)

LONDON = ZoneInfo("Europe/London")
# A moved session still has to be at a time people work: this catches "2:00" typed for 2pm.
EARLIEST, LATEST_END = time(7, 0), time(21, 0)


def _locked_session(session: Session) -> Session:
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("learning_set__programme", "learning_set__facilitator")
        .get(pk=session.pk)
    )


def _may_move(session: Session, actor: User) -> bool:
    if session.learning_set.facilitator_id == actor.pk:
        return True
    organisers = session.learning_set.programme.organisers
    return user_has_role(user=actor, role=Role.ORGANISER) and organisers.filter(pk=actor.pk).exists()


def _check_new_time(session: Session, starts_at: datetime, now: datetime) -> datetime:
    """Refuse a new start the session cannot move to; else return its new end. The day is checked against the
    programme first, so that no arithmetic is done on a date far off (9999-12-31 plus two hours overflows)."""
    programme = session.learning_set.programme
    if timezone.is_naive(starts_at):
        raise LearningSetError("Give the new time in UK time.")
    local = timezone.localtime(starts_at, LONDON)
    day = local.date()
    if starts_at <= now:
        raise LearningSetError("Choose a time in the future.")
    if day < programme.first_sessions_from:
        raise LearningSetError(
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
        raise LearningSetError(f"That is after the programme ends: choose {london_date(last_day)} or earlier.")
    ends_at = starts_at + (session.ends_at - session.starts_at)
    local_end = timezone.localtime(ends_at, LONDON)
    if local.time() < EARLIEST or local_end.time() > LATEST_END or local_end.date() != day:
        raise LearningSetError("Choose a time between 7am and 9pm: the session has to finish by 9pm.")
    if holiday := bank_holiday_name(day):
        raise LearningSetError(f"{london_date(day)} is a bank holiday ({holiday}). Choose another day.")
    _check_order(session, day)
    return ends_at


def _check_order(session: Session, day: date) -> None:
    """Sessions keep their order: session 3 stays after session 2's day and before session 4's."""
    others = Session.objects.filter(learning_set=session.learning_set_id).exclude(pk=session.pk)
    before = others.filter(number__lt=session.number).order_by("-number").first()
    after = others.filter(number__gt=session.number).order_by("number").first()
    if before and day <= timezone.localdate(before.starts_at, LONDON):
        raise LearningSetError(
            f"Session {session.number} must stay after session {before.number}, "
            f"on {london_date(timezone.localdate(before.starts_at, LONDON))}."
        )
    if after and day >= timezone.localdate(after.starts_at, LONDON):
        raise LearningSetError(
            f"Session {session.number} must stay before session {after.number}, "
            f"on {london_date(timezone.localdate(after.starts_at, LONDON))}."
        )


@transaction.atomic
def session_reschedule(*, session: Session, starts_at: datetime, actor: User, now: datetime) -> Session:
    """Move a session (keeping its length) within the programme, by its set's facilitator or an organiser; the
    reminders move with it, and the members and facilitator are e-mailed a new invitation."""
    locked = _locked_session(session)
    if not _may_move(locked, actor):
        raise LearningSetError("Only the set's facilitator or the programme's organisers can move a session.")
    if locked.learning_set.programme.status != ProgrammeStatus.RUNNING:
        raise LearningSetError("This programme is not running, so its sessions cannot be moved.")
    if locked.is_cancelled:
        raise LearningSetError("This session is cancelled, so it cannot be moved.")
    if locked.starts_at <= now:
        raise LearningSetError("This session has already started, so it cannot be moved.")
    ends_at = _check_new_time(locked, starts_at, now)
    if starts_at == locked.starts_at:
        return locked
    was = locked.starts_at
    locked.starts_at, locked.ends_at, locked.rescheduled_at = starts_at, ends_at, now
    locked.sequence += 1
    valid(locked)
    locked.save(update_fields=["starts_at", "ends_at", "rescheduled_at", "sequence"])
    _record_session_change(locked, actor, "moved a session of your set", {"starts": _when(was)}, now)
    reminders_after_move(locked, was=was, actor=actor, now=now)
    return locked


def _when(moment: datetime) -> str:
    return str(london_datetime(moment))


def _record_session_change(
    session: Session, actor: User, action: str, before: dict[str, object], now: datetime
) -> None:
    """The change goes on record for every member and the facilitator, except the person who made it."""
    learning_set = session.learning_set
    people = [*people_in(learning_set=learning_set), *([learning_set.facilitator] if learning_set.facilitator else [])]
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


@transaction.atomic
def session_cancel(*, session: Session, actor: User, now: datetime) -> Session:
    """Call off a session that has not started, by its set's facilitator or an organiser of the programme. Its
    reminders stop, an invitation still waiting to be sent leaves it out, and the members and the facilitator
    (but the person cancelling) are e-mailed a cancellation for their calendars: the same UID, a higher
    SEQUENCE, STATUS:CANCELLED. The other sessions keep their dates."""
    locked = _locked_session(session)
    if not _may_move(locked, actor):
        raise LearningSetError("Only the set's facilitator or the programme's organisers can cancel a session.")
    if locked.is_cancelled:
        raise LearningSetError("This session is already cancelled.")
    if locked.learning_set.programme.status != ProgrammeStatus.RUNNING:
        raise LearningSetError("This programme is not running, so its sessions cannot be cancelled.")
    if locked.starts_at <= now:
        raise LearningSetError("This session has already started, so it cannot be cancelled.")
    locked.cancelled_at = now
    locked.sequence += 1
    locked.save(update_fields=["cancelled_at", "sequence"])
    _record_session_change(locked, actor, "cancelled a session of your set", {"starts": _when(locked.starts_at)}, now)
    cancel_all(prefix=f"session:{locked.pk}:")
    learning_set = locked.learning_set
    members = people_in(learning_set=learning_set)
    invitations_refresh(learning_set, members)
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
                dedupe_key=cancelled_key(locked.pk, person.pk),
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
        member_reminders_cancel(session, member)
        # News of a session they are no longer in: that it moved, or that it is off.
        cancel_all(prefix=f"session:{session.pk}:moved:{member.pk}:")
        cancel(dedupe_key=cancelled_key(session.pk, member.pk))
    cancel(dedupe_key=placed_key(learning_set.programme_id, member.pk))
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
        raise LearningSetError("Only the set's members can send apologies.")
    return found


@transaction.atomic
def apology_send(*, session: Session, member: User, message: str, now: datetime) -> Apology:
    """A member says they cannot come, before the session starts; sending again changes the message. Their
    reminders for the session stop."""
    locked = _locked_session(session)
    _membership(locked, member)
    if locked.is_cancelled:
        raise LearningSetError("This session is cancelled: there is nothing to send apologies for.")
    if locked.starts_at <= now:
        raise LearningSetError("This session has already started. Tell your facilitator directly.")
    apology, _ = Apology.objects.update_or_create(
        session=locked, member=member, defaults={"message": message.strip(), "created_at": now}
    )
    member_reminders_cancel(locked, member)
    return apology


@transaction.atomic
def apology_withdraw(*, session: Session, member: User, now: datetime) -> None:
    """The member can come after all: the apology goes and their reminders come back."""
    locked = _locked_session(session)
    _membership(locked, member)
    if locked.is_cancelled:
        raise LearningSetError("This session is cancelled, so its apologies can no longer change.")
    if locked.starts_at <= now:
        raise LearningSetError("This session has already started, so its apologies can no longer change.")
    if not Apology.objects.filter(session=locked, member=member).delete()[0]:
        raise LearningSetError("You have not sent apologies for this session.")
    member_reminders_schedule(locked, member, name=set_name(locked.learning_set), now=now)


# Attendance.


@transaction.atomic
def attendance_record(*, session: Session, actor: User, present: dict[int, bool], now: datetime) -> list[Attendance]:
    """The facilitator records, once the session has started, who came: `present` maps every member's user id
    to True or False. Recording again corrects it. The facilitator's reminder to record it is cancelled."""
    locked = _locked_session(session)
    if locked.learning_set.facilitator_id != actor.pk:
        raise LearningSetError("Only the set's facilitator records attendance.")
    if locked.is_cancelled:
        raise LearningSetError("This session was cancelled, so there is no attendance to record.")
    if locked.starts_at > now:
        raise LearningSetError("Record attendance once the session has started.")
    members = set(Membership.objects.filter(learning_set=locked.learning_set_id).values_list("member_id", flat=True))
    strangers = set(present) - members
    if strangers:
        raise LearningSetError("Attendance can only be recorded for the set's members.")
    missing = members - set(present)
    if missing:
        raise LearningSetError("Say whether each member was there.")
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
