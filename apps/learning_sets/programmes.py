"""Programmes of action learning sets, up to publishing: organisers set one up and open it, members apply with their
weekly availability, organisers may close applications early, group the applicants into draft sets, review them,
and move or swap people by hand.

Every write here raises ProgrammeError with a message for a person to read and writes nothing when it refuses.
Changes to draft sets lock the programme's row first, so two organisers' moves queue rather than interleave (two
moves into one set could otherwise both take its last place). Publishing the draft (sessions, invitations) is in
apps/learning_sets/sessions.py.

The report is for the programme's organisers only: counts through the small-number suppression every report uses
(apps/common/reporting.py), and never a note, a reflection or anything about one person.
"""

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from apps.accounts.models import Role, User
from apps.accounts.selectors import user_roles
from apps.audit.services import change_record
from apps.common.reporting import ReportRow, suppress_small_counts
from apps.common.validation import clean_problem
from apps.organisations.models import Organisation, Sector
from apps.profiles.models import LEVEL_OF_ROLE

from . import grouping
from .models import (
    Application,
    ApplicationStatus,
    Attendance,
    LearningSet,
    Membership,
    Programme,
    ProgrammeStatus,
)
from .slots import ALL_SLOTS, is_valid_slot, slot_label

SIZE_LOWEST, SIZE_HIGHEST = 2, 12
MOVED_OUT = "taken out of the sets by an organiser"
# Until these are published, organisers may still change the programme's settings.
EDITABLE = (ProgrammeStatus.DRAFT, ProgrammeStatus.OPEN, ProgrammeStatus.GROUPING)
LIVE = (ApplicationStatus.APPLIED, ApplicationStatus.PLACED, ApplicationStatus.UNPLACED)


class ProgrammeError(Exception):
    """A change that cannot be made as asked; the message is shown, and nothing was written."""


def _day(value: date) -> str:
    return date_format(value, "j F Y")


# --- Reads ---------------------------------------------------------------------------------------------------------


def programmes_run_by(user: User) -> QuerySet[Programme]:
    """The programmes this person organises: every organiser view starts from this queryset."""
    return Programme.objects.filter(organisers=user)


def programmes_taking_applications(*, today: date) -> QuerySet[Programme]:
    return Programme.objects.filter(
        status=ProgrammeStatus.OPEN,
        applications_open_on__lte=today,
        applications_close_on__gte=today,
        applications_closed_at__isnull=True,
    ).order_by("applications_close_on", "name")


def programmes_visible_to_members() -> QuerySet[Programme]:
    """Programmes a member may look at: every one except those still being set up."""
    return Programme.objects.exclude(status=ProgrammeStatus.DRAFT)


def applications_of(person: User) -> QuerySet[Application]:
    return Application.objects.filter(person=person).select_related("programme").order_by("-created_at")


def applications_closed(programme: Programme, *, today: date) -> bool:
    """Whether the window has closed: its last day has passed, or an organiser closed it early."""
    return programme.applications_closed_at is not None or today > programme.applications_close_on


def refusal_to_apply(programme: Programme, *, today: date) -> str | None:
    """Why this programme is not taking applications today, or None when it is."""
    if programme.status == ProgrammeStatus.DRAFT:
        return f"“{programme.name}” is not taking applications yet."
    if programme.status != ProgrammeStatus.OPEN or applications_closed(programme, today=today):
        return f"Applications for “{programme.name}” closed on {_day(programme.applications_close_on)}."
    if today < programme.applications_open_on:
        return f"Applications for “{programme.name}” open on {_day(programme.applications_open_on)}."
    return None


# --- Setting up a programme ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeDetails:
    """What an organiser sets for a programme (everything but its organisers and status)."""

    name: str
    audience: str
    description: str
    set_size_min: int
    set_size_max: int
    sessions_count: int
    cadence_weeks: int
    session_minutes: int
    applications_open_on: date
    applications_close_on: date
    first_sessions_from: date
    default_venue: str = ""
    default_video_url: str = ""
    facilitator_emails: list[str] = field(default_factory=list)


def details_problem(details: ProgrammeDetails) -> str | None:
    """The first rule these settings break, in words for the organiser, or None. The form checks the same rules
    field by field; the database has them as constraints too."""
    for size in (details.set_size_min, details.set_size_max):
        if not SIZE_LOWEST <= size <= SIZE_HIGHEST:
            return f"Set sizes must be between {SIZE_LOWEST} and {SIZE_HIGHEST} members."
    if details.set_size_min > details.set_size_max:
        return "The smallest set size cannot be bigger than the largest."
    if details.applications_close_on < details.applications_open_on:
        return "Applications cannot close before they open."
    if details.first_sessions_from <= details.applications_close_on:
        return "The first sessions must start after applications close."
    return None


def _clean(instance: Model) -> None:
    problem = clean_problem(instance)
    if problem:
        raise ProgrammeError(problem)


def _organiser(actor: User) -> None:
    if Role.ORGANISER not in user_roles(user=actor):
        raise ProgrammeError("Only organisers can run programmes of learning sets.")


def _runs(programme: Programme, actor: User) -> None:
    if not programme.organisers.filter(pk=actor.pk).exists():
        raise ProgrammeError("Only the programme's organisers can change it.")


def _facilitators(emails: list[str]) -> list[User]:
    """The people behind these addresses, whose accounts are active. Those that cannot be used are named, so that
    a typo can be put right, but not why: no account and a closed one get the same answer."""
    wanted = {email.strip().lower() for email in emails if email.strip()}
    found = list(User.objects.filter(email__in=wanted, is_active=True))
    unusable = wanted - {user.email.lower() for user in found}
    if unusable:
        raise ProgrammeError(
            f"Check these addresses: {', '.join(sorted(unusable))}. Facilitators need an account on the portal, "
            "under the address given here."
        )
    return found


@transaction.atomic
def programme_save(*, actor: User, programme: Programme | None, details: ProgrammeDetails, now: datetime) -> Programme:
    """Create a programme (in draft, run by `actor`) or change one that is not yet published."""
    _organiser(actor)
    if programme is not None:
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        _runs(programme, actor)
        if programme.status not in EDITABLE:
            raise ProgrammeError("This programme's sets are published: its settings can no longer be changed.")
    problem = details_problem(details)
    if problem:
        raise ProgrammeError(problem)
    facilitators = _facilitators(details.facilitator_emails)
    if programme is not None and details.applications_close_on != programme.applications_close_on:
        # A new closing date undoes an early close: the window is the dates as now set.
        programme.applications_closed_at, programme.applications_closed_by = None, None
    programme = programme or Programme(created_at=now)
    for name in (
        "audience", "set_size_min", "set_size_max", "sessions_count", "cadence_weeks", "session_minutes",
        "applications_open_on", "applications_close_on", "first_sessions_from", "default_video_url",
    ):  # fmt: skip
        setattr(programme, name, getattr(details, name))
    programme.name = details.name.strip()
    programme.description = details.description.strip()
    programme.default_venue = details.default_venue.strip()
    _clean(programme)
    programme.save()
    programme.organisers.add(actor)
    programme.facilitators.set(facilitators)
    # Someone taken off the list no longer facilitates the draft set they were given: the organiser chooses again.
    LearningSet.objects.filter(programme=programme, facilitator__isnull=False).exclude(
        facilitator__in=facilitators
    ).update(facilitator=None)
    return programme


@transaction.atomic
def programme_open(*, programme: Programme, actor: User, now: datetime) -> Programme:
    """Open a programme being set up: members see it and can apply once its window opens."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _organiser(actor)
    _runs(programme, actor)
    if programme.status != ProgrammeStatus.DRAFT:
        raise ProgrammeError(f"“{programme.name}” is already open.")
    if programme.applications_close_on < timezone.localdate(now):
        raise ProgrammeError(
            f"Applications were to close on {_day(programme.applications_close_on)}, which has passed: "
            "change the dates before opening the programme."
        )
    programme.status = ProgrammeStatus.OPEN
    programme.save(update_fields=["status"])
    return programme


def close_refusal(programme: Programme, *, today: date) -> str | None:
    """Why this programme's applications cannot be closed early today, or None when they can."""
    if programme.status == ProgrammeStatus.DRAFT:
        return f"“{programme.name}” is not open yet, so it has no applications to close."
    if programme.status != ProgrammeStatus.OPEN or applications_closed(programme, today=today):
        closed_on = _day(programme.applications_close_on)
        return f"Applications for “{programme.name}” are already closed: they closed on {closed_on}."
    if today < programme.applications_open_on:
        return (
            f"Applications for “{programme.name}” do not open until {_day(programme.applications_open_on)}, "
            "so nobody can have applied yet: change the dates instead."
        )
    return None


@transaction.atomic
def programme_close_applications(*, programme: Programme, actor: User, now: datetime) -> Programme:
    """Close applications today, before the planned last day, so that the sets can be formed at once. From now
    nobody can apply, change or withdraw an application. The programme keeps who closed them and when, and today
    becomes the closing date that pages show."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _organiser(actor)
    _runs(programme, actor)
    today = timezone.localdate(now)
    refusal = close_refusal(programme, today=today)
    if refusal:
        raise ProgrammeError(refusal)
    programme.applications_close_on = today
    programme.applications_closed_at, programme.applications_closed_by = now, actor
    _clean(programme)
    programme.save(update_fields=["applications_close_on", "applications_closed_at", "applications_closed_by"])
    return programme


# --- Applying --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationDetails:
    organisation: Organisation
    sector: Sector
    career_stage: str
    profession: str
    slots: list[str]
    hopes: str = ""


def _taking_applications(programme: Programme, now: datetime) -> None:
    refusal = refusal_to_apply(programme, today=timezone.localdate(now))
    if refusal:
        raise ProgrammeError(refusal)


def _clean_slots(slots: list[str]) -> list[str]:
    bad = [slot for slot in slots if not is_valid_slot(slot)]
    if bad:
        raise ProgrammeError(
            f"“{bad[0]}” is not one of the weekly times offered: choose your times from the boxes on the page."
        )
    if not slots:
        raise ProgrammeError("Choose at least one weekly time you can make.")
    chosen = set(slots)
    return [slot for slot in ALL_SLOTS if slot in chosen]


@transaction.atomic
def application_save(*, programme: Programme, person: User, details: ApplicationDetails, now: datetime) -> Application:
    """Apply, or change an application (a withdrawn one is made live again), while the window is open."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _taking_applications(programme, now)
    slots = _clean_slots(details.slots)
    application = Application.objects.filter(programme=programme, person=person).first() or Application(
        programme=programme, person=person, created_at=now
    )
    application.organisation = details.organisation
    application.sector = details.sector
    application.career_stage = details.career_stage
    application.profession = details.profession
    application.slots = slots
    application.hopes = details.hopes.strip()
    application.status = ApplicationStatus.APPLIED
    application.unplaced_reason = ""
    application.updated_at = now
    _clean(application)
    application.save()
    return application


@transaction.atomic
def application_withdraw(*, application: Application, person: User, now: datetime) -> Application:
    programme = Programme.objects.select_for_update().get(pk=application.programme_id)
    application = Application.objects.get(pk=application.pk)
    if application.person_id != person.pk:
        raise ProgrammeError("Only the person who applied can withdraw an application.")
    if application.status == ApplicationStatus.WITHDRAWN:
        raise ProgrammeError("You have already withdrawn this application.")
    if refusal_to_apply(programme, today=timezone.localdate(now)):
        raise ProgrammeError(
            f"Applications for “{programme.name}” have closed, so the application can no longer be withdrawn "
            "here: write to the programme's organisers instead."
        )
    application.status, application.updated_at = ApplicationStatus.WITHDRAWN, now
    application.save(update_fields=["status", "updated_at"])
    return application


# --- Grouping --------------------------------------------------------------------------------------------------------


def _stage(role: str) -> str:
    """The career stage the grouping balances: the leadership level a role is on (a divisional and an associate
    medical director are alike, whatever their titles), else the role itself (a consultant, an SAS doctor)."""
    level = LEVEL_OF_ROLE.get(role)
    return f"level {int(level)}" if level is not None else role


def _participant(application: Application) -> grouping.Participant:
    return grouping.Participant(
        id=str(application.pk),
        organisation=application.organisation.ods_code,
        sector=application.sector.code,
        stage=_stage(application.career_stage),
        slots=tuple(application.slots),
    )


def _problem(programme: Programme, applications: list[Application], sets: int | None) -> grouping.Problem:
    return grouping.Problem(
        participants=[_participant(application) for application in applications],
        min_size=programme.set_size_min,
        max_size=programme.set_size_max,
        sets=sets,
    )


def ordered_facilitators(programme: Programme) -> list[User]:
    """The programme's facilitators in the order sets are given them: by name, then address."""
    return list(programme.facilitators.order_by("last_name", "first_name", "email"))


@dataclass(frozen=True)
class GroupingRun:
    sets: int
    placed: int
    unplaced: int
    score: int


@transaction.atomic
def programme_group(*, programme: Programme, actor: User, now: datetime) -> GroupingRun:
    """Group the live applications into draft sets (replacing an earlier draft) for the organiser to review.

    The number of sets is the number of facilitators, one each, when the programme has any; otherwise the fewest
    sets of the largest size that hold everyone. Nothing is written when the applicants cannot be grouped."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _organiser(actor)
    _runs(programme, actor)
    if programme.status not in (ProgrammeStatus.OPEN, ProgrammeStatus.GROUPING):
        if programme.status == ProgrammeStatus.DRAFT:
            raise ProgrammeError("Open the programme and take applications before forming sets.")
        raise ProgrammeError("The sets are published: they can no longer be formed again.")
    if not applications_closed(programme, today=timezone.localdate(now)):
        raise ProgrammeError(
            f"Applications are open until {_day(programme.applications_close_on)}: "
            "form the sets once the window has closed, or close applications now from the programme's page."
        )
    applications = list(
        Application.objects.filter(programme=programme, status__in=LIVE)
        .select_related("organisation", "sector")
        .order_by("pk")
    )
    if not applications:
        raise ProgrammeError("Nobody has applied to this programme: there is nobody to put in sets.")
    facilitators = ordered_facilitators(programme)
    try:
        result = grouping.group(_problem(programme, applications, len(facilitators) or None))
    except grouping.ProblemError as exc:
        raise ProgrammeError(f"The sets cannot be formed: {exc}") from exc

    # The sets' own venue and video link stay blank: publishing falls back to the programme's, as they are then.
    LearningSet.objects.filter(programme=programme).delete()  # the earlier draft, with its memberships
    by_id = {str(application.pk): application for application in applications}
    sets = LearningSet.objects.bulk_create(
        [
            LearningSet(
                programme=programme,
                number=number,
                slot=proposed.slot,
                facilitator=facilitators[number - 1] if number <= len(facilitators) else None,
            )
            for number, proposed in enumerate(result.sets, start=1)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(learning_set=learning_set, application=by_id[id_], member_id=by_id[id_].person_id)
            for learning_set, proposed in zip(sets, result.sets, strict=True)
            for id_ in proposed.members
        ],
        batch_size=2000,
    )
    reasons = {unplaced.id: unplaced.reason for unplaced in result.unplaced}
    for id_, application in by_id.items():
        placed = id_ not in reasons
        application.status = ApplicationStatus.PLACED if placed else ApplicationStatus.UNPLACED
        application.unplaced_reason = "" if placed else reasons[id_][:300]
        application.updated_at = now
    Application.objects.bulk_update(applications, ["status", "unplaced_reason", "updated_at"], batch_size=2000)
    programme.status = ProgrammeStatus.GROUPING
    programme.save(update_fields=["status"])
    return GroupingRun(sets=len(sets), placed=result.placed, unplaced=len(result.unplaced), score=result.score)


# --- Reviewing the draft sets ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetReview:
    learning_set: LearningSet
    members: list[Application]
    sectors: int
    shared_slots: list[str]  # every slot all members can make, the set's own among them

    @property
    def slot_label(self) -> str:
        return slot_label(self.learning_set.slot) if is_valid_slot(self.learning_set.slot) else self.learning_set.slot

    @property
    def slot_choices(self) -> list[tuple[str, str]]:
        return [(slot, slot_label(slot)) for slot in self.shared_slots]


@dataclass(frozen=True)
class Review:
    programme: Programme
    sets: list[SetReview]
    unplaced: list[Application]
    score: int
    facilitators: list[User]


def _shared_slots(members: list[Application]) -> list[str]:
    if not members:
        return list(ALL_SLOTS)
    common = set(ALL_SLOTS)
    for member in members:
        common &= set(member.slots)
    return [slot for slot in ALL_SLOTS if slot in common]


def programme_review(programme: Programme) -> Review:
    """The draft (or published) sets with their members, the unplaced, and the score, in four queries however many
    people applied."""
    sets = list(LearningSet.objects.filter(programme=programme).select_related("facilitator").order_by("number"))
    applications = list(
        Application.objects.filter(programme=programme, status__in=LIVE)
        .select_related("person", "organisation", "sector", "membership")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    members: dict[int, list[Application]] = defaultdict(list)
    unplaced = []
    for application in applications:
        membership = getattr(application, "membership", None)
        if membership is None:
            unplaced.append(application)
        else:
            members[membership.learning_set_id].append(application)
    reviews = [
        SetReview(
            learning_set=learning_set,
            members=members[learning_set.pk],
            sectors=len({member.sector_id for member in members[learning_set.pk]}),
            shared_slots=_shared_slots(members[learning_set.pk]),
        )
        for learning_set in sets
    ]
    problem = _problem(programme, applications, len(sets) or None)
    current = [[str(member.pk) for member in review.members] for review in reviews]
    # The formula only: hand-made changes can leave sets the grouping would never propose (a set of one sector).
    score = grouping.score(problem, current) if applications and sets else 0
    return Review(
        programme=programme,
        sets=reviews,
        unplaced=unplaced,
        score=score,
        facilitators=ordered_facilitators(programme),
    )


@dataclass(frozen=True)
class MoveCheck:
    """Whether a person may be moved as asked; `reasons` says why not, in plain words."""

    allowed: bool
    reasons: list[str]

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def move_check(*, programme: Programme, application: Application, target: LearningSet | None) -> MoveCheck:
    """The hard rules for moving this person into `target` (None: out of the sets), against the sets as they are
    now: room in the set, nobody else from their organisation there, the set's time one they can make, and the
    set they leave still at the minimum size. Two queries."""
    if application.status == ApplicationStatus.WITHDRAWN:
        return MoveCheck(False, ["they have withdrawn their application"])
    rows = list(
        Membership.objects.filter(learning_set__programme=programme).values_list(
            "learning_set_id", "learning_set__number", "application_id", "application__organisation_id"
        )
    )
    sizes = Counter(set_id for set_id, _, _, _ in rows)
    numbers = {set_id: number for set_id, number, _, _ in rows}
    source = next((set_id for set_id, _, application_id, _ in rows if application_id == application.pk), None)
    reasons: list[str] = []
    if target is not None and target.pk == source:
        return MoveCheck(False, [f"they are already in set {target.number}"])
    if target is None and source is None:
        return MoveCheck(False, ["they are not in a set"])
    if target is not None:
        if sizes[target.pk] >= programme.set_size_max:
            reasons.append(f"set {target.number} is full, with {sizes[target.pk]} members")
        if any(
            set_id == target.pk and organisation_id == application.organisation_id
            for set_id, _, _, organisation_id in rows
        ):
            reasons.append(f"someone from {application.organisation} is already in set {target.number}")
        if target.slot not in application.slots:
            when = slot_label(target.slot) if is_valid_slot(target.slot) else target.slot
            reasons.append(f"they cannot make set {target.number}'s time, {when}")
    if source is not None and sizes[source] - 1 < programme.set_size_min:
        reasons.append(
            f"set {numbers[source]} would be left with {sizes[source] - 1} members, "
            f"fewer than the {programme.set_size_min} this programme needs"
        )
    return MoveCheck(not reasons, reasons)


def _locked_for_review(programme: Programme, actor: User) -> Programme:
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    _organiser(actor)
    _runs(locked, actor)
    if locked.status != ProgrammeStatus.GROUPING:
        raise ProgrammeError("Only draft sets can be changed: these sets are not being formed now.")
    return locked


@transaction.atomic
def member_move(*, programme: Programme, application_id: int, target_id: int | None, actor: User, now: datetime) -> str:
    """Move one applicant into another set, out of the sets, or from the unplaced into a set, with the rules
    checked again under the programme's lock. Returns what was done, for the organiser to read."""
    programme = _locked_for_review(programme, actor)
    application = (
        Application.objects.filter(programme=programme, pk=application_id)
        .select_related("person", "organisation")
        .first()
    )
    if application is None:
        raise ProgrammeError("Choose someone who applied to this programme.")
    target = None
    if target_id is not None:
        target = LearningSet.objects.filter(programme=programme, pk=target_id).first()
        if target is None:
            raise ProgrammeError("Choose one of this programme's sets.")
    check = move_check(programme=programme, application=application, target=target)
    if not check.allowed:
        raise ProgrammeError(f"{application.person} cannot be moved: {check.reason}.")
    was = Membership.objects.filter(application=application).select_related("learning_set").first()
    Membership.objects.filter(application=application).delete()
    change_record(
        actor=actor,
        capacity="organiser",
        action="moved you out of the sets" if target is None else "moved you to another set",
        target=programme.name,
        subjects=[application.person],
        before={"set": was.learning_set.number if was else None},
        after={"set": target.number if target else None},
        now=now,
    )
    if target is None:
        application.status, application.unplaced_reason = ApplicationStatus.UNPLACED, MOVED_OUT
        done = f"{application.person} is now out of the sets."
    else:
        Membership.objects.create(learning_set=target, application=application, member_id=application.person_id)
        application.status, application.unplaced_reason = ApplicationStatus.PLACED, ""
        done = f"{application.person} is now in set {target.number}."
    application.updated_at = now
    application.save(update_fields=["status", "unplaced_reason", "updated_at"])
    return done


def swap_check(*, programme: Programme, first: Application, second: Application) -> MoveCheck:
    """The hard rules for swapping two people between their sets, against the sets as they are now: each can make
    the time of the set they join, and neither finds someone else from their organisation there (the person they
    change places with has left it). Both sets keep their size. One query."""
    if first.pk == second.pk:
        return MoveCheck(False, ["choose two different people"])
    withdrawn = [person for person in (first, second) if person.status == ApplicationStatus.WITHDRAWN]
    if withdrawn:
        return MoveCheck(False, [f"{person.person} has withdrawn their application" for person in withdrawn])
    rows = list(
        Membership.objects.filter(learning_set__programme=programme).values_list(
            "learning_set_id",
            "learning_set__number",
            "learning_set__slot",
            "application_id",
            "application__organisation_id",
        )
    )
    place = {application_id: (set_id, number, slot) for set_id, number, slot, application_id, _ in rows}
    outside = [person for person in (first, second) if person.pk not in place]
    if outside:
        return MoveCheck(False, [f"{person.person} is not in a set: move them into one instead" for person in outside])
    if place[first.pk][0] == place[second.pk][0]:
        return MoveCheck(False, [f"they are both in set {place[first.pk][1]}"])
    reasons: list[str] = []
    for joining, leaving in ((first, second), (second, first)):
        set_id, number, slot = place[leaving.pk]
        if slot not in joining.slots:
            when = slot_label(slot) if is_valid_slot(slot) else slot
            reasons.append(f"{joining.person} cannot make set {number}'s time, {when}")
        if any(
            other_set == set_id and organisation_id == joining.organisation_id and application_id != leaving.pk
            for other_set, _, _, application_id, organisation_id in rows
        ):
            reasons.append(f"someone else from {joining.organisation} is already in set {number}")
    return MoveCheck(not reasons, reasons)


@transaction.atomic
def members_swap(*, programme: Programme, first_id: int, second_id: int, actor: User, now: datetime) -> str:
    """Swap two people between their draft sets in one step (a move each way would be refused while both sets are
    full), with the rules checked again under the programme's lock. Returns what was done, for the organiser."""
    programme = _locked_for_review(programme, actor)
    found = {
        application.pk: application
        for application in Application.objects.filter(programme=programme, pk__in=[first_id, second_id]).select_related(
            "person", "organisation"
        )
    }
    if first_id not in found or second_id not in found:
        raise ProgrammeError("Choose two people who applied to this programme.")
    first, second = found[first_id], found[second_id]
    check = swap_check(programme=programme, first=first, second=second)
    if not check.allowed:
        raise ProgrammeError(f"{first.person} and {second.person} cannot be swapped: {check.reason}.")
    memberships = {
        m.application_id: m
        for m in Membership.objects.filter(application__in=[first, second]).select_related("learning_set")
    }
    one, other = memberships[first.pk], memberships[second.pk]
    for person, leaving, joining in ((first.person, one, other), (second.person, other, one)):
        change_record(
            actor=actor,
            capacity="organiser",
            action="swapped you into another set",
            target=programme.name,
            subjects=[person],
            before={"set": leaving.learning_set.number},
            after={"set": joining.learning_set.number},
            now=now,
        )
    one.learning_set, other.learning_set = other.learning_set, one.learning_set
    Membership.objects.bulk_update([one, other], ["learning_set"])
    Application.objects.filter(pk__in=[first.pk, second.pk]).update(updated_at=now)
    return (
        f"{first.person} is now in set {one.learning_set.number} "
        f"and {second.person} in set {other.learning_set.number}."
    )


@transaction.atomic
def set_change(
    *, programme: Programme, learning_set_id: int, slot: str, facilitator_id: int | None, actor: User
) -> LearningSet:
    """Change a draft set's weekly time (to one every member can make) and its facilitator (one of the
    programme's, not already facilitating another set at that time, or none)."""
    programme = _locked_for_review(programme, actor)
    learning_set = LearningSet.objects.filter(programme=programme, pk=learning_set_id).first()
    if learning_set is None:
        raise ProgrammeError("Choose one of this programme's sets.")
    if not is_valid_slot(slot):
        raise ProgrammeError("Choose one of the weekly times offered.")
    members = list(Application.objects.filter(membership__learning_set=learning_set))
    if slot not in _shared_slots(members):
        raise ProgrammeError(
            f"Not every member of set {learning_set.number} can make {slot_label(slot)}: choose a time they all share."
        )
    facilitator = None
    if facilitator_id is not None:
        facilitator = programme.facilitators.filter(pk=facilitator_id).first()
        if facilitator is None:
            raise ProgrammeError("Choose one of the programme's facilitators, or none.")
        clash = (
            LearningSet.objects.filter(programme=programme, facilitator=facilitator, slot=slot)
            .exclude(pk=learning_set.pk)
            .first()
        )
        if clash is not None:
            raise ProgrammeError(f"{facilitator} already facilitates set {clash.number} at {slot_label(slot)}.")
    learning_set.slot, learning_set.facilitator = slot, facilitator
    learning_set.save(update_fields=["slot", "facilitator"])
    return learning_set


# --- The organisers' report ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetFigures:
    number: int
    members: int | None  # None: not shown (see programme_report)
    sectors: int | None  # distinct sectors among its members; not shown when its members are not
    attendance: str  # "83%", or a sentence saying why it is not shown


@dataclass(frozen=True)
class ProgrammeReport:
    minimum: int
    applications: int | None  # every application, withdrawn included: the placement rows' sum, or None
    placement: list[ReportRow]
    sets: list[SetFigures]
    attendance: str


def _too_few(row: Mapping[str, Any], minimum: int) -> bool:
    return row["recorded"] > 0 and (row["recorded"] < minimum or row["people"] < minimum)


def _rate(row: Mapping[str, Any], minimum: int) -> str:
    """An attendance rate, shown only over enough records and enough people that it says nothing about one."""
    if row["recorded"] == 0:
        return "Not recorded yet."
    if _too_few(row, minimum):
        return f"Not shown: fewer than {minimum} people or records."
    return f"{round(100 * row['present'] / row['recorded'])}%"


def _attendance(sets: list[Mapping[str, Any]], overall: Mapping[str, Any], minimum: int) -> tuple[list[str], str]:
    """Each set's attendance rate, and the programme's.

    A rate over fewer than `minimum` records or people is not shown. When exactly one set's rate is hidden that
    way, the programme's rate is hidden as well: from it and the other sets' rates, the hidden one could be worked
    out. Two or more hidden rates could only be worked out together, so the programme's rate then stays."""
    rates = [_rate(row, minimum) for row in sets]
    programme_rate = _rate(overall, minimum)
    if sum(_too_few(row, minimum) for row in sets) == 1 and not _too_few(overall, minimum):
        programme_rate = "Not shown: with it, the rate of the set whose rate is not shown could be worked out."
    return rates, programme_rate


def _placement(statuses: dict[str, int], minimum: int) -> tuple[int | None, list[ReportRow]]:
    """The placement rows and their total. The rows are suppressed as one group; the total is shown only when
    every row is, since with it one hidden row could be worked out from the others (and "Placed in a set" is also
    the sum of the set sizes, which may all be shown)."""
    rows = suppress_small_counts(
        [
            ("Placed in a set", statuses.get(ApplicationStatus.PLACED, 0)),
            ("Not placed", statuses.get(ApplicationStatus.UNPLACED, 0)),
            ("Not yet grouped", statuses.get(ApplicationStatus.APPLIED, 0)),
            ("Withdrawn", statuses.get(ApplicationStatus.WITHDRAWN, 0)),
        ],
        minimum=minimum,
    )
    if any(row.suppressed for row in rows):
        return None, rows
    return sum(row.count or 0 for row in rows), rows


def programme_report(programme: Programme) -> ProgrammeReport:
    """Placement, sector mix and attendance for the programme, in four queries however big it is.

    No count under the minimum is shown, nor one that would let a hidden count be worked out: set sizes are
    suppressed as one group (their sum is "Placed in a set"), and a set's sector count goes with its size."""
    minimum = settings.REPORT_MIN_COUNT
    statuses = dict(
        Application.objects.filter(programme=programme)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    sets = list(
        LearningSet.objects.filter(programme=programme)
        .annotate(
            size=Count("memberships", distinct=True),
            sectors=Count("memberships__application__sector", distinct=True),
        )
        .order_by("number")
    )
    attendance = {
        row["session__learning_set"]: row
        for row in Attendance.objects.filter(session__learning_set__programme=programme)
        .values("session__learning_set")
        .annotate(
            recorded=Count("pk"), present=Count("pk", filter=Q(present=True)), people=Count("member", distinct=True)
        )
    }
    overall = Attendance.objects.filter(session__learning_set__programme=programme).aggregate(
        recorded=Count("pk"), present=Count("pk", filter=Q(present=True)), people=Count("member", distinct=True)
    )
    nothing = {"recorded": 0, "present": 0, "people": 0}
    rates, programme_rate = _attendance(
        [attendance.get(learning_set.pk, nothing) for learning_set in sets], overall, minimum
    )
    sizes = suppress_small_counts(
        [(str(learning_set.number), learning_set.size) for learning_set in sets],  # type: ignore[attr-defined]
        minimum=minimum,
    )
    figures = [
        SetFigures(
            number=learning_set.number,
            members=size.count,
            sectors=None if size.suppressed else learning_set.sectors,  # type: ignore[attr-defined]
            attendance=rate,
        )
        for learning_set, size, rate in zip(sets, sizes, rates, strict=True)
    ]
    applications, placement = _placement(statuses, minimum)
    return ProgrammeReport(
        minimum=minimum,
        applications=applications,
        placement=placement,
        sets=figures,
        attendance=programme_rate,
    )
