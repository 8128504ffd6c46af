"""Forming and reviewing the draft sets: the organiser groups the applicants (`programme_group`), then moves
people between sets, swaps two, or changes a set's time and facilitator, each checked against the hard rules
(`move_check`, `swap_check`, which the review page also asks live). Every change locks the programme's row first,
so two organisers' moves queue rather than interleave (two moves into one set could otherwise both take its last
place), and goes on the change record of the people moved."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from apps.accounts.models import User
from apps.audit.services import change_record

from .. import grouping
from ..models import Application, ApplicationStatus, LearningSet, Membership, Programme, ProgrammeStatus
from ..selectors import LIVE_APPLICATIONS, applications_closed, grouping_problem, programme_facilitators
from ..slots import common_slots, is_valid_slot, slot_label
from . import LearningSetError
from .checks import organiser, runs

MOVED_OUT = "taken out of the sets by an organiser"


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
    organiser(actor)
    runs(programme, actor)
    if programme.status not in (ProgrammeStatus.OPEN, ProgrammeStatus.GROUPING):
        if programme.status == ProgrammeStatus.DRAFT:
            raise LearningSetError("Open the programme and take applications before forming sets.")
        raise LearningSetError("The sets are published: they can no longer be formed again.")
    if not applications_closed(programme, today=timezone.localdate(now)):
        raise LearningSetError(
            f"Applications are open until {date_format(programme.applications_close_on, 'j F Y')}: "
            "form the sets once the window has closed, or close applications now from the programme's page."
        )
    applications = list(
        Application.objects.filter(programme=programme, status__in=LIVE_APPLICATIONS)
        .select_related("organisation", "sector")
        .order_by("pk")
    )
    if not applications:
        raise LearningSetError("Nobody has applied to this programme: there is nobody to put in sets.")
    facilitators = programme_facilitators(programme=programme)
    try:
        problem = grouping_problem(programme=programme, applications=applications, sets=len(facilitators) or None)
        result = grouping.group(problem)
    except grouping.ProblemError as exc:
        raise LearningSetError(f"The sets cannot be formed: {exc}") from exc

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
        if not programme.is_in_house and any(
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
    organiser(actor)
    runs(locked, actor)
    if locked.status != ProgrammeStatus.GROUPING:
        raise LearningSetError("Only draft sets can be changed: these sets are not being formed now.")
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
        raise LearningSetError("Choose someone who applied to this programme.")
    target = None
    if target_id is not None:
        target = LearningSet.objects.filter(programme=programme, pk=target_id).first()
        if target is None:
            raise LearningSetError("Choose one of this programme's sets.")
    check = move_check(programme=programme, application=application, target=target)
    if not check.allowed:
        raise LearningSetError(f"{application.person} cannot be moved: {check.reason}.")
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
        if not programme.is_in_house and any(
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
        raise LearningSetError("Choose two people who applied to this programme.")
    first, second = found[first_id], found[second_id]
    check = swap_check(programme=programme, first=first, second=second)
    if not check.allowed:
        raise LearningSetError(f"{first.person} and {second.person} cannot be swapped: {check.reason}.")
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
        raise LearningSetError("Choose one of this programme's sets.")
    if not is_valid_slot(slot):
        raise LearningSetError("Choose one of the weekly times offered.")
    members = list(Application.objects.filter(membership__learning_set=learning_set))
    if slot not in common_slots([member.slots for member in members]):
        raise LearningSetError(
            f"Not every member of set {learning_set.number} can make {slot_label(slot)}: choose a time they all share."
        )
    facilitator = None
    if facilitator_id is not None:
        facilitator = programme.facilitators.filter(pk=facilitator_id).first()
        if facilitator is None:
            raise LearningSetError("Choose one of the programme's facilitators, or none.")
        clash = (
            LearningSet.objects.filter(programme=programme, facilitator=facilitator, slot=slot)
            .exclude(pk=learning_set.pk)
            .first()
        )
        if clash is not None:
            raise LearningSetError(f"{facilitator} already facilitates set {clash.number} at {slot_label(slot)}.")
    learning_set.slot, learning_set.facilitator = slot, facilitator
    learning_set.save(update_fields=["slot", "facilitator"])
    return learning_set
