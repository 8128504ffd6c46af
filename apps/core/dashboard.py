"""What the dashboard says to do next: reads across the apps, each a fixed number of queries, filtered to what
this person may see as part of the query (their own records; the schemes and programmes they organise)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.selectors import authenticator_apps_of
from apps.assessments.models import Assessment, FeedbackRound
from apps.assessments.selectors import assessments_for_owner
from apps.bilaterals.models import BilateralMeeting
from apps.bilaterals.selectors import proposals_to_answer
from apps.bilaterals.selectors import upcoming_meetings_for as upcoming_bilateral_meetings_for
from apps.buddies.models import BuddyPair
from apps.buddies.selectors import buddy_of, published_pairs_of
from apps.common.prepared import PreparedQuery
from apps.development.models import Plan
from apps.development.selectors import plans_for_owner
from apps.learning_sets.models import ApplicationStatus, ProgrammeStatus, Session
from apps.learning_sets.selectors import applications_closed, programmes_run_by, sessions_for
from apps.mentoring.models import (
    MatchRound,
    MentoringRelationship,
    MentoringRequest,
    Proposal,
    ProposalStatus,
    RequestStatus,
    RoundStatus,
)
from apps.mentoring.selectors import active_relationships_for, proposals_waiting_for
from apps.networks.models import NetworkMeeting
from apps.networks.selectors import upcoming_meetings_for as upcoming_network_meetings_for
from apps.pathways.selectors import PathwaySummary, enrolments_of, pathway_for
from apps.shadowing.selectors import pending_answers_for
from apps.succession.models import Candidacy
from apps.succession.selectors import candidacies_of, standing_forward_for_dashboard, uncovered_count_for_lead


class _CountOf(Subquery):
    """`(SELECT COUNT(*) FROM (subquery))`: a count as one column of a larger query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def listed_for(*, user: User, now: datetime) -> dict[str, Callable[[], QuerySet[Any]]]:
    """What each part of the dashboard lists, as its app's selector gives it (built when called). `waiting_for`
    asks of each whether it has a row (an EXISTS apiece, in its one query) and the page reads only those that do:
    most people have none of most of these, and each read costs a round trip and the ORM's work however few rows
    it finds."""
    return {
        "assessment": lambda: assessments_for_owner(owner=user),
        "plan": lambda: plans_for_owner(owner=user).annotate(goal_count=Count("goals")),
        "pair": lambda: active_relationships_for(user=user),
        "session": lambda: sessions_for(user=user).filter(starts_at__gte=now, cancelled_at__isnull=True),
        "buddy": lambda: published_pairs_of(user=user),
        "bilateral": lambda: upcoming_bilateral_meetings_for(user=user, now=now),
        "pathway": lambda: enrolments_of(user=user),
        "network": lambda: upcoming_network_meetings_for(user=user, now=now),
        "forward": lambda: candidacies_of(person=user),
    }


@dataclass(frozen=True)
class Waiting:
    """The dashboard's counts of what waits for this person, whether they set up an authenticator app, and which
    parts of the page have anything to list (the names of `listed_for`)."""

    has_mfa: bool
    proposals_waiting: int  # mentoring proposals waiting for their yes or no
    attendance_to_record: int  # past sessions they facilitated whose attendance is not recorded
    shadowing_to_answer: int  # requests to talk to or shadow them
    bilaterals_to_answer: int  # bilaterals proposed to them
    listed: frozenset[str]
    sources: dict[str, Callable[[], QuerySet[Any]]] = field(default_factory=dict, compare=False, repr=False)

    def first(self, name: str) -> Any:
        """The first row of the part `name` when it has any, else None without a query."""
        return self.sources[name]().first() if name in self.listed else None

    def rows(self, name: str) -> list[Any]:
        """Every row of the part `name` when it has any, else none without a query."""
        return list(self.sources[name]()) if name in self.listed else []


def _waiting_query(*, user: User, now: datetime) -> QuerySet[Any]:
    def count(queryset: QuerySet[Any]) -> _CountOf:
        return _CountOf(queryset.order_by().values("pk"))

    listed = listed_for(user=user, now=now)
    return (
        User.objects.filter(pk=user.pk)
        .annotate(
            **{f"listed_{name}": Exists(rows()) for name, rows in listed.items()},
            has_mfa=Exists(authenticator_apps_of(user=user)),
            proposals=count(proposals_waiting_for(user=user)),
            attendance=count(
                sessions_for(user=user).filter(
                    learning_set__facilitator=user,
                    starts_at__lt=now,
                    attendance_recorded_at__isnull=True,
                    cancelled_at__isnull=True,
                )
            ),
            shadowing=count(pending_answers_for(user=user)),
            bilaterals=count(proposals_to_answer(user=user)),
        )
        .values("has_mfa", "proposals", "attendance", "shadowing", "bilaterals", *(f"listed_{n}" for n in listed))
    )


# Built by the ORM once per process (9 ms of Python for 2 ms in PostgreSQL), checked to depend on nothing but the
# person's id and the instant: apps/common/prepared.py.
_WAITING = PreparedQuery(_waiting_query)


def waiting_for(*, user: User, now: datetime) -> Waiting:
    """One query for all of them, each a subquery of the selector that says what counts: at scale a page's time
    goes on round trips to the database and the ORM's building of queries, not on these counts (each reads a few
    rows through an index)."""
    row = _WAITING.row(user=user, now=now)
    listed = listed_for(user=user, now=now)
    return Waiting(
        has_mfa=row["has_mfa"],
        proposals_waiting=row["proposals"],
        attendance_to_record=row["attendance"],
        shadowing_to_answer=row["shadowing"],
        bilaterals_to_answer=row["bilaterals"],
        listed=frozenset(name for name in listed if row[f"listed_{name}"]),
        sources=listed,
    )


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str


@dataclass(frozen=True)
class Development:
    """After a self-assessment: 360 feedback on it, and a plan to act on it."""

    feedback: FeedbackRound | None
    plan: Plan | None


def own_development(*, latest: Assessment | None, waiting: Waiting) -> Development:
    """Up to two queries: the latest assessment's feedback round (with how many answered) and the newest plan."""
    feedback = None
    if latest is not None and not latest.is_draft:
        feedback = (
            FeedbackRound.objects.filter(assessment=latest)
            .annotate(answered=Count("invitations", filter=Q(invitations__answered=True)))
            .first()
        )
    plan = waiting.first("plan")
    return Development(feedback=feedback, plan=plan)


@dataclass(frozen=True)
class WorkingWithOthers:
    """Mentoring and learning sets at a glance: what waits for this person."""

    proposals_waiting: int
    working_together: list[MentoringRelationship]
    next_session: Session | None
    attendance_to_record: int  # past sessions they facilitated whose attendance is not recorded
    shadowing_to_answer: int = 0  # requests to talk to or shadow them, waiting for their answer

    @property
    def anything(self) -> bool:
        return bool(
            self.proposals_waiting
            or self.working_together
            or self.next_session
            or self.attendance_to_record
            or self.shadowing_to_answer
        )


def working_with_others(*, waiting: Waiting) -> WorkingWithOthers:
    """Up to two queries, for what `waiting_for` found (the counts come from it too): active pairs and the next
    session."""
    return WorkingWithOthers(
        proposals_waiting=waiting.proposals_waiting,
        working_together=waiting.rows("pair"),
        next_session=waiting.first("session"),
        attendance_to_record=waiting.attendance_to_record,
        shadowing_to_answer=waiting.shadowing_to_answer,
    )


def organiser_next_steps(*, user: User, today: date) -> list[NextStep]:
    """What waits for an organiser, in three queries: mentees in their schemes waiting for a match, match rounds
    not yet published, and programmes whose applications are ready to group or whose sets are ready to publish."""
    steps: list[NextStep] = []
    waiting = Proposal.objects.filter(request=OuterRef("pk"), status=ProposalStatus.PROPOSED)
    unmatched = (
        MentoringRequest.objects.filter(scheme__organisers=user, status=RequestStatus.OPEN)
        .exclude(Exists(waiting))
        .values("scheme_id", "scheme__name")
        .annotate(n=Count("id", distinct=True))
        .order_by("scheme__name")
    )
    for row in unmatched:
        steps.append(
            NextStep(
                f"{row['n']} mentee{'s' if row['n'] != 1 else ''} in {row['scheme__name']} waiting for a match",
                reverse("mentoring:scheme", args=[row["scheme_id"]]),
            )
        )
    drafts = MatchRound.objects.filter(scheme__organisers=user, status=RoundStatus.DRAFT).select_related("scheme")
    for match_round in drafts.order_by("created_at")[:5]:
        steps.append(
            NextStep(
                f"Review and publish the match round for {match_round.scheme.name}",
                reverse("mentoring:round", args=[match_round.scheme_id, match_round.pk]),
            )
        )
    programmes = (
        programmes_run_by(user)
        .filter(status__in=[ProgrammeStatus.OPEN, ProgrammeStatus.GROUPING])
        .annotate(applicants=Count("applications", filter=Q(applications__status=ApplicationStatus.APPLIED)))
        .order_by("applications_close_on", "name")
    )
    for programme in programmes:
        url = reverse("learning_sets:programme", args=[programme.pk])
        closed = applications_closed(programme, today=today)
        if programme.status == ProgrammeStatus.GROUPING:
            steps.append(NextStep(f"Review and publish the sets of {programme.name}", url))
        elif closed and programme.applicants:
            n = programme.applicants
            steps.append(NextStep(f"Form sets from {n} application{'s' if n != 1 else ''} to {programme.name}", url))
    return steps


@dataclass(frozen=True)
class Succession:
    """Succession at a glance: where the person stands forward (each with their next talent conversation there),
    and, for an organisation lead, how many of their posts fall vacant within six months with no one ready now."""

    standing_forward: list[Candidacy]
    is_lead: bool
    uncovered: int


def succession_at_a_glance(*, user: User, is_lead: bool, today: date, waiting: Waiting) -> Succession:
    """One query for someone who stands forward somewhere (with the next talent conversation at each); two more
    for an organisation lead (the organisation they lead, its uncovered posts counted)."""
    forward = "forward" in waiting.listed
    return Succession(
        standing_forward=list(standing_forward_for_dashboard(person=user, today=today)) if forward else [],
        is_lead=is_lead,
        uncovered=uncovered_count_for_lead(lead=user, today=today) if is_lead else 0,
    )


@dataclass(frozen=True)
class InTheRole:
    """Support for a serving medical director at a glance (issue 19): their first-year pathway, their buddy, their
    next bilateral, bilaterals proposed to them, and their next network meeting."""

    pathway: PathwaySummary | None
    buddy_pair: BuddyPair | None
    buddy: User | None
    buddy_organisation: str  # as it was when they were paired
    next_bilateral: BilateralMeeting | None
    bilateral_with: User | None
    bilaterals_to_answer: int
    next_network_meeting: NetworkMeeting | None

    @property
    def anything(self) -> bool:
        return bool(
            self.pathway
            or self.buddy_pair
            or self.next_bilateral
            or self.bilaterals_to_answer
            or self.next_network_meeting
        )


def in_the_role(*, user: User, waiting: Waiting) -> InTheRole:
    """A query for each that `waiting_for` found (bilaterals to answer come from it too): the pathway (six: the
    enrolment, its check-ins and the four steps), the published buddy pair, the next bilateral meeting, the next
    network meeting."""
    pair: BuddyPair | None = waiting.first("buddy")
    bilateral: BilateralMeeting | None = waiting.first("bilateral")
    organisation = ""
    if pair is not None:
        organisation = pair.second_organisation if pair.first_id == user.pk else pair.first_organisation
    return InTheRole(
        pathway=pathway_for(user=user) if "pathway" in waiting.listed else None,
        buddy_pair=pair,
        buddy=buddy_of(pair=pair, user=user) if pair is not None else None,
        buddy_organisation=organisation,
        next_bilateral=bilateral,
        bilateral_with=bilateral.bilateral.other(user.pk) if bilateral is not None else None,
        bilaterals_to_answer=waiting.bilaterals_to_answer,
        next_network_meeting=waiting.first("network"),
    )
