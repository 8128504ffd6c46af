"""Writes for bilaterals: propose, agree or decline, availability, book, move or cancel a meeting, the log, end.

Seed 002: established medical directors valued "bi-laterals monthly or every 2-3 months". The rules, each refused
with a `BilateralError` whose message is shown, nothing written:
- between two people at medical director level (deputy MD and above, `Profile.is_md_level`), found by the exact
  e-mail address the proposer types; an address of nobody, of someone not at that level or of a closed account
  gets one and the same message, so the form never tells whether an account exists;
- every one, two or three months (`bilateral_cadence_one_to_three_months`): never more often than monthly;
- never with oneself (`bilateral_not_with_oneself`), one live bilateral per pair whoever proposed it
  (`one_live_bilateral_per_pair`, which also settles two proposals made at the same moment);
- nothing is booked, sent or logged until the partner agrees; only the partner answers, once (the row is locked, so
  a double accept finds it answered);
- one booked meeting at a time, in the future, not on a bank holiday, starting 07:00 to 20:00 London time and
  within a year; the bilateral's row is locked while booking, so two people picking a time at once book one;
- the log is written by the two only, once the meeting has started.

Reminders (keys under `bilateral:<id>:`): the invitation to both when a meeting is booked or moved, the day before,
and the next meeting falling due with none booked (09:00 London on the due day, a cadence after the last meeting,
or a fortnight after agreeing: `planning.next_due_on`). Ending a bilateral cancels every one of them.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.services import change_record
from apps.common.validation import clean_problem
from apps.learning_sets.calendar import bank_holiday_name
from apps.learning_sets.slots import ALL_SLOTS, is_valid_slot
from apps.notifications.services import cancel_all, schedule
from apps.profiles.models import Profile

from .events import meeting_event, meeting_path
from .models import (
    CADENCE_MAX,
    CADENCE_MIN,
    MEETING_MINUTES,
    Bilateral,
    BilateralMeeting,
    BilateralNote,
    BilateralStatus,
    Cadence,
    MeetingStatus,
)
from .planning import next_due_on
from .selectors import last_meeting_start, upcoming_meeting

LONDON = ZoneInfo("Europe/London")
REMINDER_HOUR = time(9, 0)
EARLIEST_START, LATEST_START = time(7, 0), time(20, 0)
BOOK_WITHIN = timedelta(days=366)

CADENCE_REFUSED = "A bilateral meets every one, two or three months: choose one of those (not more often than monthly)."
NOT_AVAILABLE = (
    "We cannot propose a bilateral to that address. Bilaterals are between people at medical director level "
    "(deputy medical director and above) who are on the portal: check the address with them."
)
NEEDS_NAME = "Add your name to your profile first: the person you propose to sees your name."
NOT_MD = (
    "Bilaterals are for people at medical director level (deputy medical director and above). If your role has "
    "changed, update it on your profile."
)


class BilateralError(Exception):
    """A change that cannot be made as asked; the message is shown, and nothing was written."""


def _checked(instance: Bilateral | BilateralMeeting | BilateralNote) -> None:
    problem = clean_problem(instance)
    if problem is not None:
        raise BilateralError(problem)


def _key(bilateral: Bilateral) -> str:
    return f"bilateral:{bilateral.pk}:"


def _url(bilateral: Bilateral) -> str:
    return reverse("bilaterals:detail", args=[bilateral.pk])


def _is_md_level(user: User) -> bool:
    profile = Profile.objects.filter(user=user).first()
    return profile is not None and profile.is_md_level


def _record(bilateral: Bilateral, *, actor: User, action: str, after: dict[str, object], now: datetime) -> None:
    """The change, in the other person's log of changes that involved them (never a note's words)."""
    change_record(
        actor=actor,
        capacity="one of the two in the bilateral",
        action=action,
        target=f"Bilateral of {bilateral.proposer.display_name} and {bilateral.partner.display_name}",
        subjects=[bilateral.other(actor.pk)],
        before={},
        after=after,
        now=now,
    )


def _london(moment: datetime) -> datetime:
    return timezone.localtime(moment, LONDON)


# --- Proposing and answering --------------------------------------------------------------------------------------


def _partner_by_address(address: str) -> User | None:
    """The active person at MD level with exactly this address, or None: the caller says the same for all else."""
    person = User.objects.filter(email__iexact=address.strip(), is_active=True).first()
    if person is None or not _is_md_level(person):
        return None
    return person


def _live_between(a: User, b: User) -> Bilateral | None:
    return (
        Bilateral.objects.filter(Q(proposer=a, partner=b) | Q(proposer=b, partner=a))
        .filter(status__in=(BilateralStatus.PROPOSED, BilateralStatus.AGREED))
        .first()
    )


def _already(live: Bilateral, proposer: User) -> BilateralError:
    other = live.other(proposer.pk)
    if live.is_proposed and live.partner_id == proposer.pk:
        return BilateralError(
            f"{other.display_name} has already proposed a bilateral to you: answer it on your bilaterals page."
        )
    if live.is_proposed:
        return BilateralError(f"You have already proposed a bilateral to {other.display_name}: it waits for an answer.")
    return BilateralError(f"You already have a bilateral with {other.display_name}.")


@transaction.atomic
def bilateral_propose(
    *, proposer: User, partner_email: str, cadence_months: int, message: str, now: datetime
) -> Bilateral:
    """Propose to meet `partner_email` every `cadence_months`. Nothing is scheduled until they agree."""
    if cadence_months not in (CADENCE_MIN, 2, CADENCE_MAX):
        raise BilateralError(CADENCE_REFUSED)
    if not proposer.full_name:
        raise BilateralError(NEEDS_NAME)
    if not _is_md_level(proposer):
        raise BilateralError(NOT_MD)
    if partner_email.strip().lower() == proposer.email.lower():
        raise BilateralError("You cannot propose a bilateral to yourself.")
    partner = _partner_by_address(partner_email)
    if partner is None:
        raise BilateralError(NOT_AVAILABLE)
    if partner.pk == proposer.pk:
        raise BilateralError("You cannot propose a bilateral to yourself.")
    live = _live_between(proposer, partner)
    if live is not None:
        raise _already(live, proposer)
    bilateral = Bilateral(
        proposer=proposer, partner=partner, cadence_months=cadence_months, message=message.strip(), proposed_at=now
    )
    try:
        _checked(bilateral)  # checks the constraints too: a proposal the other way may have landed since
        with transaction.atomic():
            bilateral.save()
    except (IntegrityError, BilateralError) as error:  # proposed at the same moment, by either of the two
        live = _live_between(proposer, partner)
        if live is not None:
            raise _already(live, proposer) from None
        if isinstance(error, BilateralError):
            raise
        raise BilateralError(NOT_AVAILABLE) from None
    schedule(
        recipient=partner,
        kind="bilateral_proposed",
        due_at=now,
        dedupe_key=f"{_key(bilateral)}proposed",
        context={"other_name": proposer.display_name, "cadence": Cadence(cadence_months).label, "url": _url(bilateral)},
    )
    _record(bilateral, actor=proposer, action="proposed a bilateral", after={"cadence_months": cadence_months}, now=now)
    return bilateral


def _locked(bilateral_id: int, person: User) -> Bilateral:
    """The bilateral's row, locked, if `person` is one of the two; else the same refusal as for no bilateral."""
    bilateral = (
        Bilateral.objects.select_for_update(of=("self",))
        .select_related("proposer", "partner")
        .filter(Q(proposer=person) | Q(partner=person), pk=bilateral_id)
        .first()
    )
    if bilateral is None:
        raise BilateralError("This bilateral is not there any more.")
    return bilateral


def _answerable(bilateral_id: int, partner: User) -> Bilateral:
    bilateral = _locked(bilateral_id, partner)
    if bilateral.partner_id != partner.pk:
        raise BilateralError("Only the person it was proposed to can answer a proposal.")
    if bilateral.status == BilateralStatus.ENDED and bilateral.answered_at is None:
        raise BilateralError("This proposal was withdrawn.")
    if not bilateral.is_proposed:
        raise BilateralError(
            f"You have already answered this proposal: it is {bilateral.get_status_display().lower()}."
        )
    return bilateral


def _answered(bilateral: Bilateral, *, agreed: bool, now: datetime) -> None:
    # The invitation to answer, if still unsent (a digest, a worker behind), would ask again what is now answered.
    cancel_all(prefix=f"{_key(bilateral)}proposed")
    schedule(
        recipient=bilateral.proposer,
        kind="bilateral_answered",
        due_at=now,
        dedupe_key=f"{_key(bilateral)}answered",
        context={"other_name": bilateral.partner.display_name, "agreed": agreed, "url": _url(bilateral)},
    )


@transaction.atomic
def bilateral_accept(*, bilateral_id: int, partner: User, now: datetime) -> Bilateral:
    """The partner agrees: from now on meetings can be booked, and the first is due a fortnight on."""
    bilateral = _answerable(bilateral_id, partner)
    bilateral.status, bilateral.answered_at = BilateralStatus.AGREED, now
    _checked(bilateral)
    bilateral.save(update_fields=["status", "answered_at"])
    _answered(bilateral, agreed=True, now=now)
    _schedule_due(bilateral, now)
    _record(bilateral, actor=partner, action="agreed to a bilateral", after={"status": "agreed"}, now=now)
    return bilateral


@transaction.atomic
def bilateral_decline(*, bilateral_id: int, partner: User, now: datetime) -> Bilateral:
    bilateral = _answerable(bilateral_id, partner)
    bilateral.status, bilateral.answered_at = BilateralStatus.DECLINED, now
    _checked(bilateral)
    bilateral.save(update_fields=["status", "answered_at"])
    _answered(bilateral, agreed=False, now=now)
    _record(bilateral, actor=partner, action="declined a bilateral", after={"status": "declined"}, now=now)
    return bilateral


@transaction.atomic
def availability_set(*, bilateral_id: int, person: User, slots: list[str], now: datetime) -> Bilateral:
    """`person`'s weekly times for this bilateral (slot ids, "tue-14:00"), in week order."""
    bilateral = _locked(bilateral_id, person)
    if bilateral.status not in (BilateralStatus.PROPOSED, BilateralStatus.AGREED):
        raise BilateralError(f"This bilateral is {bilateral.get_status_display().lower()}: there is nothing to plan.")
    wrong = [slot for slot in slots if not is_valid_slot(slot)]
    if wrong:
        raise BilateralError(f"“{wrong[0]}” is not one of the weekly times offered: choose from the boxes.")
    chosen = [slot for slot in ALL_SLOTS if slot in set(slots)]
    if person.pk == bilateral.proposer_id:
        bilateral.proposer_slots = chosen
    else:
        bilateral.partner_slots = chosen
    bilateral.save(update_fields=["proposer_slots", "partner_slots"])
    return bilateral


# --- Meetings -----------------------------------------------------------------------------------------------------


def _meeting_key(meeting: BilateralMeeting) -> str:
    return f"{_key(meeting.bilateral)}meeting:{meeting.pk}:"


def _check_time(starts_at: datetime, now: datetime) -> None:
    if timezone.is_naive(starts_at):
        raise BilateralError("Give the time in UK time.")
    if starts_at <= now:
        raise BilateralError("Choose a time in the future: that one has passed.")
    if starts_at > now + BOOK_WITHIN:
        raise BilateralError("Choose a time within the next year.")
    local = _london(starts_at)
    holiday = bank_holiday_name(local.date())
    if holiday:
        raise BilateralError(f"{local.day} {local:%B %Y} is a bank holiday ({holiday}): choose another day.")
    if local.weekday() >= 5:
        raise BilateralError("Choose a weekday: bilaterals are part of the working week.")
    if not EARLIEST_START <= local.time() <= LATEST_START:
        raise BilateralError("Choose a start between 07:00 and 20:00, UK time.")


def _tell_both(
    meeting: BilateralMeeting, *, kind: str, key: str, due_at: datetime, extra: dict[str, object] | None = None
) -> None:
    bilateral = meeting.bilateral
    for person in (bilateral.proposer, bilateral.partner):
        if not person.is_active:
            continue
        other = bilateral.other(person.pk).display_name
        schedule(
            recipient=person,
            kind=kind,
            due_at=due_at,
            dedupe_key=f"{_meeting_key(meeting)}{key}:{person.pk}",
            context={
                "other_name": other,
                "starts_at": _london(meeting.starts_at).isoformat(),
                "url": meeting_path(meeting),
                "event": meeting_event(meeting, other_name=other),
                **(extra or {}),
            },
        )


def _invite_and_remind(meeting: BilateralMeeting, *, kind: str, now: datetime, extra: dict[str, object]) -> None:
    """The invitation (or the news that it moved) now, and the day-before reminder; both keyed by the start, so a
    meeting moved back to an earlier time is news, and reminded, again."""
    stamp = int(meeting.starts_at.timestamp())
    _tell_both(meeting, kind=kind, key=f"{kind}:{stamp}:{int(now.timestamp())}", due_at=now, extra=extra)
    day_before = meeting.starts_at - timedelta(days=1)
    if day_before > now:
        _tell_both(meeting, kind="bilateral_meeting_tomorrow", key=f"tomorrow:{stamp}", due_at=day_before)


def _schedule_due(bilateral: Bilateral, now: datetime) -> None:
    """Both people at 09:00 on the day the next meeting falls due, a cadence after the latest meeting booked (or a
    fortnight after agreeing). Worked out again at every booking, move and cancellation; an earlier due reminder
    still waiting is cancelled first."""
    cancel_all(prefix=f"{_key(bilateral)}due:")
    if bilateral.status != BilateralStatus.AGREED or bilateral.answered_at is None:
        return
    last = last_meeting_start(bilateral=bilateral)
    due_on = next_due_on(
        cadence_months=bilateral.cadence_months,
        last_meeting_on=_london(last).date() if last else None,
        agreed_on=_london(bilateral.answered_at).date(),
    )
    due_at = max(datetime.combine(due_on, REMINDER_HOUR, tzinfo=LONDON), now)
    for person in (bilateral.proposer, bilateral.partner):
        if person.is_active:
            schedule(
                recipient=person,
                kind="bilateral_due",
                due_at=due_at,
                dedupe_key=f"{_key(bilateral)}due:{person.pk}:{due_on.isoformat()}",
                context={
                    "other_name": bilateral.other(person.pk).display_name,
                    "due_on": due_on.isoformat(),
                    "url": _url(bilateral),
                },
            )


@transaction.atomic
def meeting_schedule(*, bilateral_id: int, person: User, starts_at: datetime, now: datetime) -> BilateralMeeting:
    """Book the next meeting, at a time offered or typed; both are sent an invitation with its .ics."""
    bilateral = _locked(bilateral_id, person)
    if bilateral.is_proposed:
        raise BilateralError(
            f"{bilateral.partner.display_name} has not agreed to this bilateral yet: nothing can be booked until "
            "they do."
            if person.pk == bilateral.proposer_id
            else "Agree to this bilateral first: nothing can be booked until you do."
        )
    if not bilateral.is_agreed:
        raise BilateralError(f"This bilateral is {bilateral.get_status_display().lower()}: nothing can be booked.")
    _check_time(starts_at, now)
    booked = upcoming_meeting(bilateral=bilateral, now=now)
    if booked is not None:
        when = _london(booked.starts_at)
        raise BilateralError(
            f"A meeting is already booked for {when.day} {when:%B %Y} at {when:%H:%M}: move or cancel it instead."
        )
    meeting = BilateralMeeting(
        bilateral=bilateral,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=MEETING_MINUTES),
        created_at=now,
        updated_at=now,
    )
    _checked(meeting)
    meeting.save()
    _invite_and_remind(meeting, kind="bilateral_meeting_booked", now=now, extra={})
    _schedule_due(bilateral, now)
    _record(bilateral, actor=person, action="booked a bilateral meeting", after=_when(meeting), now=now)
    return meeting


def _when(meeting: BilateralMeeting) -> dict[str, object]:
    return {"starts_at": meeting.starts_at.isoformat(), "status": meeting.status}


def _changeable(meeting_id: int, person: User, now: datetime) -> BilateralMeeting:
    # The bilateral's row first, as booking and ending lock it: a move or cancellation and an end at the same moment
    # then happen one after the other, and the end sees (and cancels) the moved meeting's new reminders.
    mine = Q(bilateral__proposer=person) | Q(bilateral__partner=person)
    bilateral_id = BilateralMeeting.objects.filter(mine, pk=meeting_id).values_list("bilateral_id", flat=True).first()
    if bilateral_id is None:
        raise BilateralError("This meeting is not there any more.")
    _locked(bilateral_id, person)
    meeting = (
        BilateralMeeting.objects.select_for_update(of=("self",))
        .select_related("bilateral__proposer", "bilateral__partner")
        .filter(Q(bilateral__proposer=person) | Q(bilateral__partner=person), pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise BilateralError("This meeting is not there any more.")
    if meeting.is_cancelled:
        raise BilateralError("This meeting was cancelled: book a new one instead.")
    if meeting.starts_at <= now:
        raise BilateralError("This meeting has already started: it can no longer be moved or cancelled.")
    if not meeting.bilateral.is_agreed:
        raise BilateralError("This bilateral has ended.")
    return meeting


@transaction.atomic
def meeting_move(*, meeting_id: int, person: User, starts_at: datetime, now: datetime) -> BilateralMeeting:
    """Move a meeting before it starts: both get the updated invitation (same UID, SEQUENCE one higher)."""
    meeting = _changeable(meeting_id, person, now)
    _check_time(starts_at, now)
    if starts_at == meeting.starts_at:
        raise BilateralError("That is the time it is already booked for: choose another.")
    was = meeting.starts_at
    cancel_all(prefix=_meeting_key(meeting))
    meeting.starts_at, meeting.ends_at = starts_at, starts_at + timedelta(minutes=MEETING_MINUTES)
    meeting.sequence += 1
    meeting.updated_at = now
    _checked(meeting)
    meeting.save(update_fields=["starts_at", "ends_at", "sequence", "updated_at"])
    _invite_and_remind(
        meeting, kind="bilateral_meeting_moved", now=now, extra={"was_starts_at": _london(was).isoformat()}
    )
    _schedule_due(meeting.bilateral, now)
    _record(meeting.bilateral, actor=person, action="moved a bilateral meeting", after=_when(meeting), now=now)
    return meeting


def _cancel(meeting: BilateralMeeting, now: datetime) -> None:
    cancel_all(prefix=_meeting_key(meeting))
    meeting.status, meeting.updated_at = MeetingStatus.CANCELLED, now
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    _tell_both(meeting, kind="bilateral_meeting_cancelled", key="cancelled", due_at=now)


@transaction.atomic
def meeting_cancel(*, meeting_id: int, person: User, now: datetime) -> BilateralMeeting:
    """Cancel a meeting before it starts: both get a calendar cancellation; the next is due as if it never was."""
    meeting = _changeable(meeting_id, person, now)
    _cancel(meeting, now)
    _schedule_due(meeting.bilateral, now)
    _record(meeting.bilateral, actor=person, action="cancelled a bilateral meeting", after=_when(meeting), now=now)
    return meeting


@transaction.atomic
def note_add(*, meeting_id: int, author: User, text: str, now: datetime) -> BilateralNote:
    """A note in the meeting's log, by one of the two, once the meeting has started. Not audit-logged: the log is
    the two people's own record, and its words go nowhere else."""
    meeting = (
        BilateralMeeting.objects.filter(Q(bilateral__proposer=author) | Q(bilateral__partner=author), pk=meeting_id)
        .select_related("bilateral")
        .first()
    )
    if meeting is None:
        raise BilateralError("This meeting is not there any more.")
    if meeting.is_cancelled:
        raise BilateralError("This meeting was cancelled: there is nothing to log.")
    if meeting.starts_at > now:
        raise BilateralError("You can write in the log once the meeting has started.")
    note = BilateralNote(meeting=meeting, author=author, text=text.strip(), created_at=now)
    if not note.text:
        raise BilateralError("Write the note first.")
    _checked(note)
    note.save()
    return note


# --- Ending -------------------------------------------------------------------------------------------------------


@transaction.atomic
def bilateral_end(*, bilateral_id: int, person: User, now: datetime, leaving: bool = False) -> Bilateral:
    """End a bilateral (or withdraw a proposal not yet answered): every reminder stops, a meeting still to come is
    cancelled in both calendars, and the other person is told. The log stays, for the two to read. `leaving`: the
    person is closing their account, so the bilateral is about to go and the e-mail links to the list instead."""
    bilateral = _locked(bilateral_id, person)
    if bilateral.is_proposed and person.pk == bilateral.partner_id:
        raise BilateralError("Answer the proposal instead: decline it if you would rather not meet.")
    if bilateral.status not in (BilateralStatus.PROPOSED, BilateralStatus.AGREED):
        raise BilateralError(f"This bilateral is already {bilateral.get_status_display().lower()}.")
    was_proposed = bilateral.is_proposed
    cancel_all(prefix=_key(bilateral))
    upcoming = BilateralMeeting.objects.filter(bilateral=bilateral, status=MeetingStatus.SCHEDULED, starts_at__gt=now)
    for meeting in upcoming.select_related("bilateral__proposer", "bilateral__partner"):
        _cancel(meeting, now)
    bilateral.status, bilateral.ended_at = BilateralStatus.ENDED, now
    _checked(bilateral)
    bilateral.save(update_fields=["status", "ended_at"])
    other = bilateral.other(person.pk)
    if other.is_active:
        schedule(
            recipient=other,
            kind="bilateral_ended",
            due_at=now,
            dedupe_key=f"{_key(bilateral)}ended",
            context={
                "other_name": person.display_name,
                "url": reverse("bilaterals:list") if leaving else _url(bilateral),
            },
        )
    action = "withdrew a proposed bilateral" if was_proposed else "ended a bilateral"
    _record(bilateral, actor=person, action=action, after={"status": "ended"}, now=now)
    return bilateral


@transaction.atomic
def bilaterals_leave(*, person: User, now: datetime) -> None:
    """Before an account closes (apps.privacy): every live bilateral of the person is ended as if they ended it,
    so the other's reminders stop and their calendar drops meetings to come; a proposal made to them is declined.
    The rows then go with the account (CASCADE)."""
    to_answer = Bilateral.objects.filter(partner=person, status=BilateralStatus.PROPOSED)
    for bilateral_id in to_answer.values_list("pk", flat=True):
        bilateral_decline(bilateral_id=bilateral_id, partner=person, now=now)
    live = Bilateral.objects.filter(Q(proposer=person) | Q(partner=person)).filter(
        status__in=(BilateralStatus.PROPOSED, BilateralStatus.AGREED)
    )
    for bilateral_id in live.values_list("pk", flat=True):
        bilateral_end(bilateral_id=bilateral_id, person=person, now=now, leaving=True)
