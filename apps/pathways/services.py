"""Writes of the first-year pathway: a new medical director enrols (themself, or by accepting an organiser's
invitation to a cohort), ticks the induction checklist, records the scope and objectives agreed with their chief
executive, writes their check-ins, and may leave; an organiser names a cohort and invites people to it.

Seed 001 asks for "more support for medical leaders in the first few months and years", so the pathway takes people
up to two years into the role and starts no more than a few months ahead. Check-in reminders are scheduled at
enrolment and cancelled on leaving, through apps.notifications only. Every change is a `change_record`; what the
person wrote never goes into it."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.accounts.models import User
from apps.audit.services import change_record
from apps.notifications.services import cancel, cancel_all, schedule

from .models import CheckIn, ChecklistTick, Cohort, Enrolment, Invitation, TickState
from .reminders import CHECKIN_KIND, INVITED_KIND
from .selectors import REPORT_MIN_COUNT, CohortProgress, cohort_counts
from .template import checkin_due_on, shipped

LONDON = ZoneInfo("Europe/London")
AHEAD_DAYS = 92  # "a few months": enrol up to three months before starting
BACK_YEARS = 2  # "the first few months and years" (seed 001)
REMINDER_AT = time(9, 0)  # a check-in reminder arrives at 9 in the morning, London time

TOO_FAR_AHEAD = "Your start date can be at most three months ahead: enrol nearer the time."
TOO_LONG_AGO = (
    "The pathway is for your first two years as medical director: that start date is more than two years ago."
)
ALREADY = "You are already on the first-year pathway."


class PathwayError(Exception):
    """A change the pathway refuses; the message says why in the person's words."""


def _key(enrolment: Enrolment) -> str:
    return f"pathway:{enrolment.pk}:"


def checkin_key(enrolment: Enrolment, months: int) -> str:
    return f"{_key(enrolment)}checkin:{months}"


def _earliest_start(today: date) -> date:
    try:
        return today.replace(year=today.year - BACK_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - BACK_YEARS, day=28)


def start_date_problem(*, started_on: date, today: date) -> str:
    """Why a start date is refused, or "" when it is fine (the form shows the same words)."""
    if started_on > today + timedelta(days=AHEAD_DAYS):
        return TOO_FAR_AHEAD
    if started_on < _earliest_start(today):
        return TOO_LONG_AGO
    return ""


def _audit(*, actor: User, capacity: str, action: str, enrolment: Enrolment, now: datetime) -> None:
    change_record(
        actor=actor,
        capacity=capacity,
        action=action,
        target="first-year pathway",
        subjects=[enrolment.person],
        before={},
        after={},
        now=now,
    )


def _schedule_checkins(enrolment: Enrolment, now: datetime) -> None:
    """One reminder per check-in still ahead; those already due show on the person's page."""
    for months in shipped().checkins:
        due_on = checkin_due_on(enrolment.started_on, months)
        due_at = datetime.combine(due_on, REMINDER_AT, tzinfo=LONDON)
        if due_at <= now:
            continue
        schedule(
            recipient=enrolment.person,
            kind=CHECKIN_KIND,
            due_at=due_at,
            dedupe_key=checkin_key(enrolment, months),
            context={"months": months, "due_on": due_on.isoformat(), "url": reverse("pathways:checkin", args=[months])},
        )


@transaction.atomic
def enrolment_create(
    *, person: User, started_on: date, now: datetime, invitation: Invitation | None = None
) -> Enrolment:
    """Put `person` on the pathway; through an invitation, in its cohort (and the invitation is used up)."""
    problem = start_date_problem(started_on=started_on, today=now.astimezone(LONDON).date())
    if problem:
        raise PathwayError(problem)
    if invitation is not None and invitation.person_id != person.pk:
        raise PathwayError("That invitation is not yours.")
    if Enrolment.objects.filter(person=person).exists():
        raise PathwayError(ALREADY)
    enrolment = Enrolment(
        person=person, cohort=invitation.cohort if invitation else None, started_on=started_on, enrolled_at=now
    )
    try:
        enrolment.full_clean(validate_unique=False)  # one pathway each: the database says, below
    except ValidationError as exc:
        raise PathwayError(" ".join(exc.messages)) from None
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:  # a double submit got past the check above first
        raise PathwayError(ALREADY) from None
    if invitation is not None:
        cancel(dedupe_key=f"pathway-invitation:{invitation.pk}")  # no "join us" e-mail after joining
        invitation.delete()
    _schedule_checkins(enrolment, now)
    where = f" in {enrolment.cohort}" if enrolment.cohort else ""
    _audit(
        actor=person, capacity="member", action=f"joined the first-year pathway{where}", enrolment=enrolment, now=now
    )
    return enrolment


@transaction.atomic
def enrolment_leave(*, enrolment: Enrolment, now: datetime) -> None:
    """Leave the pathway: everything written on it goes, and the check-in reminders stop."""
    cancel_all(prefix=_key(enrolment))
    _audit(
        actor=enrolment.person, capacity="member", action="left the first-year pathway", enrolment=enrolment, now=now
    )
    enrolment.delete()


@transaction.atomic
def scope_record(*, enrolment: Enrolment, scope: str, objectives: str, agreed_on: date, now: datetime) -> Enrolment:
    if agreed_on > now.astimezone(LONDON).date():
        raise PathwayError("The date you agreed them cannot be in the future.")
    if agreed_on < enrolment.started_on:
        raise PathwayError("The date you agreed them cannot be before you started as medical director.")
    if not objectives.strip():
        raise PathwayError("Write the objectives you agreed.")
    enrolment.scope, enrolment.objectives, enrolment.scope_agreed_on = scope.strip(), objectives.strip(), agreed_on
    try:
        enrolment.full_clean()
    except ValidationError as exc:
        raise PathwayError(" ".join(exc.messages)) from None
    enrolment.save(update_fields=["scope", "objectives", "scope_agreed_on"])
    # The record says that they were written, never their words.
    _audit(
        actor=enrolment.person,
        capacity="member",
        action="recorded the scope of their role",
        enrolment=enrolment,
        now=now,
    )
    return enrolment


@transaction.atomic
def tick_set(*, enrolment: Enrolment, item_key: str, state: str, now: datetime) -> ChecklistTick | None:
    """Tick an induction item done or not applicable; an empty state clears the tick."""
    if item_key not in shipped().item_keys:
        raise PathwayError("That item is not on the checklist.")
    if state == "":
        ChecklistTick.objects.filter(enrolment=enrolment, item_key=item_key).delete()
        return None
    if state not in TickState.values:
        raise PathwayError("Choose done or does not apply.")
    tick, _ = ChecklistTick.objects.update_or_create(
        enrolment=enrolment, item_key=item_key, defaults={"state": state, "ticked_at": now}
    )
    return tick


def checkin_due(*, enrolment: Enrolment, months: int, today: date) -> bool:
    return months in shipped().checkins and checkin_due_on(enrolment.started_on, months) <= today


@transaction.atomic
def checkin_complete(*, enrolment: Enrolment, months: int, going: str, support: str, now: datetime) -> CheckIn:
    if months not in shipped().checkins:
        raise PathwayError("There is no check-in then.")
    due_on = checkin_due_on(enrolment.started_on, months)
    if due_on > now.astimezone(LONDON).date():
        raise PathwayError(f"Your {months}-month check-in opens on {due_on:%-d %B %Y}.")
    done = "You have already written this check-in."
    if CheckIn.objects.filter(enrolment=enrolment, months=months).exists():
        raise PathwayError(done)
    checkin = CheckIn(
        enrolment=enrolment, months=months, going=going.strip(), support=support.strip(), completed_at=now
    )
    try:
        checkin.full_clean(validate_unique=False)  # the database says, below
    except ValidationError as exc:
        raise PathwayError(" ".join(exc.messages)) from None
    try:
        with transaction.atomic():
            checkin.save()
    except IntegrityError:
        raise PathwayError(done) from None
    cancel(dedupe_key=checkin_key(enrolment, months))
    _audit(
        actor=enrolment.person,
        capacity="member",
        action=f"wrote their {months}-month check-in",
        enrolment=enrolment,
        now=now,
    )
    return checkin


@transaction.atomic
def cohort_create(*, organiser: User, name: str, now: datetime) -> Cohort:
    name = name.strip()
    taken = f"There is already a cohort called “{name}”: choose another name."
    if Cohort.objects.filter(name__iexact=name).exists():
        raise PathwayError(taken)
    cohort = Cohort(name=name, created_at=now)
    try:
        cohort.full_clean(validate_unique=False)  # checked above, and by the database below
    except ValidationError as exc:
        raise PathwayError(" ".join(exc.messages)) from None
    try:
        with transaction.atomic():
            cohort.save()
    except IntegrityError:  # the same name set up at the same moment
        raise PathwayError(taken) from None
    cohort.organisers.add(organiser)
    return cohort


@transaction.atomic
def cohort_invite(*, cohort: Cohort, organiser: User, email: str, now: datetime) -> None:
    """Ask the account with this exact address to join the cohort. Says nothing back: the organiser is told the
    same whether the address has an account, is already on a pathway, or was invited before, because organisers
    do not otherwise learn who is on the portal."""
    person = User.objects.filter(email__iexact=email.strip(), is_active=True).exclude(pk=organiser.pk).first()
    if person is None or Enrolment.objects.filter(person=person).exists():
        return
    invitation, created = Invitation.objects.get_or_create(
        cohort=cohort, person=person, defaults={"invited_by": organiser, "invited_at": now}
    )
    if not created:
        return
    schedule(
        recipient=person,
        kind=INVITED_KIND,
        due_at=now,
        dedupe_key=f"pathway-invitation:{invitation.pk}",
        context={"cohort": cohort.name, "url": reverse("pathways:home")},
    )
    change_record(
        actor=organiser,
        capacity="organiser",
        action="invited them to the first-year pathway",
        target=cohort.name,
        subjects=[person],
        before={},
        after={},
        now=now,
    )


@transaction.atomic
def invitation_decline(*, invitation: Invitation, now: datetime) -> None:
    cancel(dedupe_key=f"pathway-invitation:{invitation.pk}")
    change_record(
        actor=invitation.person,
        capacity="member",
        action="declined an invitation to the first-year pathway",
        target=invitation.cohort.name,
        subjects=[invitation.person],
        before={},
        after={},
        now=now,
    )
    invitation.delete()


def _changed(before: dict[str, str], now: dict[str, str]) -> int:
    """How many people's progress differs: come, gone, or changed (each person once, however much changed)."""
    return sum(1 for who in before.keys() | now.keys() if before.get(who) != now.get(who))


def _stored(cohort: Cohort) -> CohortProgress:
    assert cohort.progress is not None and cohort.progress_at is not None
    return CohortProgress.from_json(cohort.progress, as_at=cohort.progress_at.astimezone(LONDON).date())


def cohort_progress_current(*, cohort: Cohort, now: datetime, renew: bool = True) -> CohortProgress | None:
    """The counts an organiser reads: the stored ones while fewer than `REPORT_MIN_COUNT` (5) people's progress
    changed since they were worked out, otherwise worked out again now and stored.

    Computed on each view, the counts gave one person away to an organiser who invited them: "Scope agreed: 5
    done, 0 not yet" one day, and, once that one person joined, "6, 0" or the row hidden; the same for a tick, a
    check-in or a leaver, since the organiser may know who acted. The rule ("anything derived from few people is
    suppressed or delayed so that no sequence of views reveals one person") is kept as in the succession diversity
    tables (apps/succession/services/diversity_snapshots.py): a new table only once at least 5 people joined,
    left, or moved on a step, an area or a check-in, so that a difference mixes at least five people. A leaver's
    progress stays inside the stored counts until then (forcing new counts would show it by difference). What this
    cannot stop, as there: an organiser with four accomplices in the cohort acting together.

    Two organisers viewing at once must not store two tables one person apart: the renewal locks the cohort's row,
    looks again, and only then stores. With `renew=False` (the page shown again with a refused invitation, which
    must change nothing) the stored counts, or None when none are stored yet: never live ones, which would be a
    second, newer table to compare with."""
    if not renew:
        return _stored(cohort) if cohort.progress is not None else None
    progress, members = cohort_counts(cohort=cohort, today=now.astimezone(LONDON).date())
    if cohort.progress is not None and _changed(cohort.progress_members, members) < REPORT_MIN_COUNT:
        return _stored(cohort)
    return _renew(cohort=cohort, progress=progress, members=members, now=now)


@transaction.atomic
def _renew(*, cohort: Cohort, progress: CohortProgress, members: dict[str, str], now: datetime) -> CohortProgress:
    """Stores the counts under a lock on the cohort, having looked again: a request that held the lock first may
    have stored them already, and then what it stored is what to show."""
    locked = Cohort.objects.select_for_update(no_key=True).get(pk=cohort.pk)
    if locked.progress is not None and _changed(locked.progress_members, members) < REPORT_MIN_COUNT:
        return _stored(locked)
    locked.progress, locked.progress_members, locked.progress_at = progress.to_json(), members, now
    locked.save(update_fields=["progress", "progress_members", "progress_at"])
    return _stored(locked)
