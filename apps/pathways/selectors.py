"""Reads of the first-year pathway. A person's pathway is read only through `pathway_of(person=…)`, so another
person's is never reachable; an organiser reads a cohort they run through `cohort_for_organiser`, and its progress
only as counts (`cohort_progress`), never anyone's scope, objectives, reflections or which person did what.

Whether a step is done is read from the part of the portal that does it, for many people at once in a fixed number
of queries (`steps_done`): the cohort page costs the same for 5 people or 500."""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.crypto import salted_hmac

from apps.accounts.models import User
from apps.buddies.selectors import people_with_buddy
from apps.common.reporting import ReportRow, suppress_small_counts, suppressed_total
from apps.development.models import Opportunity
from apps.learning_sets.models import Audience, Membership, ProgrammeStatus
from apps.mentoring.models import MentoringRelationship, RelationshipStatus
from apps.shadowing.models import RequestStatus, ShadowingRequest

from .models import CheckIn, ChecklistTick, Cohort, Enrolment, Invitation
from .template import ChecklistArea, ChecklistItem, Step, checkin_due_on, shipped

REPORT_MIN_COUNT = 5  # PRODUCT.md: counts under 5 are suppressed in reports
PERSON_SALT = "apps.pathways.cohort-progress.person"
ENTRY_SALT = "apps.pathways.cohort-progress.entry"


def pathway_of(*, person: User) -> Enrolment | None:
    return Enrolment.objects.select_related("cohort").filter(person=person).first()


def invitations_for(*, person: User) -> QuerySet[Invitation]:
    return Invitation.objects.filter(person=person).select_related("cohort")


def invitation_for(*, person: User, invitation_id: int) -> Invitation | None:
    return invitations_for(person=person).filter(pk=invitation_id).first()


def steps_done(*, enrolments: list[Enrolment]) -> dict[str, set[int]]:
    """For each step, the ids of the people (among these enrolments) who have done it. Four queries however many
    people: buddies, mentors, shadowing, learning sets (the scope is on the enrolment itself)."""
    ids = {e.person_id for e in enrolments}
    if not ids:
        return {step.key: set() for step in shipped().steps}
    return {
        "scope": {e.person_id for e in enrolments if e.scope_agreed},
        "buddy": people_with_buddy(user_ids=ids),
        "mentor": _with_outside_mentor(ids),
        "shadowing": set(
            ShadowingRequest.objects.filter(requester_id__in=ids, status=RequestStatus.ACCEPTED).values_list(
                "requester_id", flat=True
            )
        ),
        "learning_set": set(
            Membership.objects.filter(
                member_id__in=ids,
                learning_set__programme__audience=Audience.NEW_MDS,
                learning_set__programme__status__in=[ProgrammeStatus.RUNNING, ProgrammeStatus.FINISHED],
            ).values_list("member_id", flat=True)
        ),
    }


def _with_outside_mentor(ids: set[int]) -> set[int]:
    """An active mentoring relationship whose mentor's profile names an organisation other than the mentee's
    (seed 002: a "Senior, non organisational mentor")."""
    rows = MentoringRelationship.objects.filter(mentee_id__in=ids, status=RelationshipStatus.ACTIVE).values_list(
        "mentee_id", "mentor__profile__organisation_id", "mentee__profile__organisation_id"
    )
    return {mentee for mentee, theirs, own in rows if theirs is not None and theirs != own}


@dataclass(frozen=True)
class StepState:
    step: Step
    done: bool
    url: str


@dataclass(frozen=True)
class ItemState:
    item: ChecklistItem
    state: str  # "", "done" or "not_applicable"
    opportunity: Opportunity | None


@dataclass(frozen=True)
class AreaState:
    area: ChecklistArea
    items: tuple[ItemState, ...]

    @property
    def ticked(self) -> int:
        return sum(1 for i in self.items if i.state)


@dataclass(frozen=True)
class CheckInState:
    months: int
    due_on: date
    done: CheckIn | None
    due: bool  # open for writing: due and not written


@dataclass(frozen=True)
class PathwayPage:
    enrolment: Enrolment
    steps: tuple[StepState, ...]
    areas: tuple[AreaState, ...]
    checkins: tuple[CheckInState, ...]

    @property
    def steps_done(self) -> int:
        return sum(1 for s in self.steps if s.done)


def _checkins(enrolment: Enrolment, written: dict[int, CheckIn], today: date) -> tuple[CheckInState, ...]:
    states = []
    for months in shipped().checkins:
        due_on = checkin_due_on(enrolment.started_on, months)
        done = written.get(months)
        states.append(CheckInState(months, due_on, done, due=done is None and due_on <= today))
    return tuple(states)


def pathway_page(*, enrolment: Enrolment, today: date) -> PathwayPage:
    """Everything the person's pathway page shows, in a fixed number of queries: ticks, check-ins, the catalogue's
    suggestions, and the four step queries."""
    template = shipped()
    ticks = dict(ChecklistTick.objects.filter(enrolment=enrolment).values_list("item_key", "state"))
    written = {c.months: c for c in CheckIn.objects.filter(enrolment=enrolment)}
    opportunities = {o.code: o for o in Opportunity.objects.filter(code__in=template.opportunity_codes, is_active=True)}
    done = steps_done(enrolments=[enrolment])
    return PathwayPage(
        enrolment=enrolment,
        steps=tuple(StepState(s, enrolment.person_id in done[s.key], reverse(s.link)) for s in template.steps),
        areas=tuple(
            AreaState(
                area,
                tuple(ItemState(i, ticks.get(i.key, ""), opportunities.get(i.opportunity)) for i in area.items),
            )
            for area in template.areas
        ),
        checkins=_checkins(enrolment, written, today),
    )


# --- The lead's dashboard ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PathwaySummary:
    """What a dashboard card shows: steps done of the total, and the next check-in not yet written."""

    steps_done: int
    steps_total: int
    next_checkin_months: int | None
    next_checkin_due_on: date | None
    url: str


def enrolments_of(*, user: User) -> QuerySet[Enrolment]:
    """The signed-in person's own enrolment (there is at most one)."""
    return Enrolment.objects.filter(person=user)


def pathway_for(*, user: User) -> PathwaySummary | None:
    """The signed-in person's pathway for the dashboard, or None when they are not on one. Six queries: the
    enrolment, its check-ins, and the four step queries."""
    enrolment = enrolments_of(user=user).first()
    if enrolment is None:
        return None
    done = steps_done(enrolments=[enrolment])
    written = set(CheckIn.objects.filter(enrolment=enrolment).values_list("months", flat=True))
    upcoming = next((m for m in shipped().checkins if m not in written), None)
    return PathwaySummary(
        steps_done=sum(1 for key in done if user.pk in done[key]),
        steps_total=len(shipped().steps),
        next_checkin_months=upcoming,
        next_checkin_due_on=checkin_due_on(enrolment.started_on, upcoming) if upcoming else None,
        url=reverse("pathways:home"),
    )


# --- Organisers -------------------------------------------------------------------------------------------------


def cohorts_run_by(*, user: User) -> QuerySet[Cohort]:
    return Cohort.objects.filter(organisers=user)


def cohort_for_organiser(*, user: User, cohort_id: int) -> Cohort | None:
    return cohorts_run_by(user=user).filter(pk=cohort_id).first()


@dataclass(frozen=True)
class ProgressRow:
    label: str
    done: ReportRow
    not_yet: ReportRow


@dataclass(frozen=True)
class CohortProgress:
    enrolled: int | None  # None: fewer than REPORT_MIN_COUNT, so nothing is shown
    steps: tuple[ProgressRow, ...]
    areas: tuple[ProgressRow, ...]
    checkins: tuple[ProgressRow, ...]
    as_at: date | None = None  # the day the stored counts were worked out (services.cohort_progress_current)

    def to_json(self) -> dict[str, Any]:
        def rows(found: tuple[ProgressRow, ...]) -> list[list[Any]]:
            return [[row.label, row.done.count, row.not_yet.count] for row in found]

        return {
            "enrolled": self.enrolled,
            "steps": rows(self.steps),
            "areas": rows(self.areas),
            "checkins": rows(self.checkins),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], *, as_at: date | None) -> "CohortProgress":
        def rows(found: list[list[Any]]) -> tuple[ProgressRow, ...]:
            return tuple(
                ProgressRow(label, ReportRow("done", done), ReportRow("not yet", not_yet))
                for label, done, not_yet in found
            )

        return cls(data["enrolled"], rows(data["steps"]), rows(data["areas"]), rows(data["checkins"]), as_at)


def _row(label: str, done: int, total: int) -> ProgressRow:
    """Done and not yet, with small counts suppressed (and the other hidden too when one is, so that neither can
    be worked out from the total). Here 0 is a small count too: "0 done, 7 not yet" would tell an organiser, who
    knows whom they invited, that not one of them has done it (and "7, 0" that each one has)."""
    if min(done, total - done) < REPORT_MIN_COUNT:
        return ProgressRow(label, ReportRow("done", None), ReportRow("not yet", None))
    cells = suppress_small_counts([("done", done), ("not yet", total - done)], minimum=REPORT_MIN_COUNT)
    return ProgressRow(label, cells[0], cells[1])


def _hmac(salt: str, value: object) -> str:
    return salted_hmac(salt, json.dumps(value), secret=settings.SECRET_KEY, algorithm="sha256").hexdigest()


def cohort_progress(*, cohort: Cohort, today: date) -> CohortProgress:
    """The cohort's progress in counts only, worked out now (the page shows the stored counts instead:
    services.cohort_progress_current)."""
    return cohort_counts(cohort=cohort, today=today)[0]


def cohort_counts(*, cohort: Cohort, today: date) -> tuple[CohortProgress, dict[str, str]]:
    """The cohort's progress in counts only, and for each person counted a keyed hash of who they are mapped to a
    keyed hash of their progress (steps done, areas ticked, check-ins due and written), so that the service can
    tell how many people's progress changed without keeping who they are or what they did. Seven queries however
    big: enrolments, ticks, check-ins and the four step queries. A check-in counts among those whose check-in has
    fallen due."""
    enrolments = list(
        Enrolment.objects.filter(cohort=cohort).only("person_id", "started_on", "scope_agreed_on", "objectives")
    )
    total = len(enrolments)
    if suppressed_total(total, minimum=REPORT_MIN_COUNT) is None:
        # Still who is counted, so that the first 5 to join publish the counts and a fifth alone does not.
        members = {
            _hmac(PERSON_SALT, [cohort.pk, e.person_id]): _hmac(ENTRY_SALT, [cohort.pk, e.person_id])
            for e in enrolments
        }
        return CohortProgress(None, (), (), ()), members
    template = shipped()
    done = steps_done(enrolments=enrolments)
    ticked: dict[int, set[str]] = defaultdict(set)
    for enrolment_id, key in ChecklistTick.objects.filter(enrolment__cohort=cohort).values_list(
        "enrolment_id", "item_key"
    ):
        ticked[enrolment_id].add(key)
    written: dict[int, set[int]] = defaultdict(set)
    for enrolment_id, months in CheckIn.objects.filter(enrolment__cohort=cohort).values_list("enrolment_id", "months"):
        written[enrolment_id].add(months)
    complete = {e.pk: [a.key for a in template.areas if {i.key for i in a.items} <= ticked[e.pk]] for e in enrolments}
    due = {e.pk: [m for m in template.checkins if checkin_due_on(e.started_on, m) <= today] for e in enrolments}
    areas = []
    for area in template.areas:
        areas.append(_row(area.title, sum(1 for e in enrolments if area.key in complete[e.pk]), total))
    checkins = []
    for months in template.checkins:
        due_now = [e for e in enrolments if months in due[e.pk]]
        if suppressed_total(len(due_now), minimum=REPORT_MIN_COUNT) is None:
            checkins.append(
                ProgressRow(f"{months}-month check-in", ReportRow("done", None), ReportRow("not yet", None))
            )
            continue
        checkins.append(
            _row(f"{months}-month check-in", sum(1 for e in due_now if months in written[e.pk]), len(due_now))
        )
    members = {
        _hmac(PERSON_SALT, [cohort.pk, e.person_id]): _hmac(
            ENTRY_SALT,
            [
                cohort.pk,
                e.person_id,
                sorted(key for key in done if e.person_id in done[key]),
                complete[e.pk],
                due[e.pk],
                sorted(written[e.pk]),
            ],
        )
        for e in enrolments
    }
    progress = CohortProgress(
        enrolled=total,
        steps=tuple(_row(s.title, len(done[s.key]), total) for s in template.steps),
        areas=tuple(areas),
        checkins=tuple(checkins),
    )
    return progress, members
