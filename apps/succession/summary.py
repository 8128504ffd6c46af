"""The readiness summary a person may choose to show an organisation's leads when they put themself forward, and
the four facts about what they are doing that the pipeline shows beside each name.

Built only from what the person's own pages already show them, so a lead never learns more than the person can
see: the readiness by criterion group of their latest completed self-assessment (the results page's own figures,
`assessments.report.results_context`); from their latest closed 360 feedback, how many raters were counted and,
group by group, how many criteria the raters' combined score meets what the target role expects, under the same
anonymity rules (a group's scores only once at least three in it answered); from their current development plan,
counts and the next target date. Never a comment, a rater, a rater's relationship, a note, a prompt answer, a
reflection, evidence or the words of a goal: the dataclasses below have nowhere to hold them.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.models import Assessment
from apps.assessments.report import results_context
from apps.development.models import Activity, ActivityStatus, GoalStatus, OpportunityKind, Plan
from apps.learning_sets.models import Membership, ProgrammeStatus
from apps.mentoring.models import MentoringRelationship, RelationshipStatus
from apps.profiles.models import LeadershipLevel
from apps.shadowing.models import OfferKind, RequestStatus, ShadowingRequest

OWN_ACTIVITY = "Their own activities"  # an activity in the plan not taken from the catalogue


@dataclass(frozen=True)
class GroupLine:
    """One criterion group of the self-assessment: how many of its criteria meet what the target role expects."""

    group: str
    with_expectation: int
    meeting: int


@dataclass(frozen=True)
class SelfAssessmentPart:
    framework: str
    target_role: str
    completed_on: date
    groups: tuple[GroupLine, ...]


@dataclass(frozen=True)
class RatersLine:
    """One criterion group as the raters see it: of the criteria whose combined score may show, how many meet
    what the target role expects."""

    group: str
    scored: int
    meeting: int


@dataclass(frozen=True)
class FeedbackPart:
    closed_on: date
    counted: int  # answers in groups large enough to show; never who, never in which relationship
    groups: tuple[RatersLine, ...]


@dataclass(frozen=True)
class PlanPart:
    starts_on: date
    ends_on: date
    goals: int  # dropped goals left out
    goals_done: int
    next_target_on: date | None  # the earliest target date of a goal still open
    activities: tuple[tuple[str, int], ...]  # (kind, how many), cancelled ones left out


@dataclass(frozen=True)
class Flags:
    """What a person is doing, as counts and names of programmes only: not their mentor's name, nor whom they
    shadowed."""

    programmes: tuple[str, ...] = ()  # running learning set programmes they are a member of
    mentored: bool = False  # an active mentor or coach
    shadowing: int = 0  # shadowing days and role-share placements agreed or done
    conversations: int = 0  # conversations with someone in a role, agreed or done

    @property
    def anything(self) -> bool:
        return bool(self.programmes or self.mentored or self.shadowing or self.conversations)


@dataclass(frozen=True)
class ReadinessSummary:
    self_assessment: SelfAssessmentPart | None
    feedback: FeedbackPart | None
    plan: PlanPart | None
    doing: Flags


def readiness_summary(*, person: User) -> ReadinessSummary | None:
    """The person's readiness summary, or None when there is nothing to summarise yet (no completed
    self-assessment, no current plan, nothing they are doing)."""
    latest = _completed(person).first()
    summary = ReadinessSummary(
        self_assessment=_self_assessment(latest) if latest else None,
        feedback=_feedback(person),
        plan=_plan(person),
        doing=development_flags(people=[person.pk]).get(person.pk, Flags()),
    )
    if summary.self_assessment is None and summary.feedback is None and summary.plan is None:
        return None if not summary.doing.anything else summary
    return summary


def _completed(person: User) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(owner=person, submitted_at__isnull=False)
        .select_related("framework")
        .order_by("-submitted_at", "-pk")
    )


def _self_assessment(assessment: Assessment) -> SelfAssessmentPart:
    by_group = results_context(assessment=assessment)["by_group"]
    assert assessment.submitted_at is not None  # a completed assessment
    return SelfAssessmentPart(
        framework=assessment.framework.name,
        target_role=LeadershipLevel(assessment.target_level).label,
        completed_on=timezone.localdate(assessment.submitted_at),
        groups=tuple(GroupLine(g.group, g.with_expectation, g.meeting) for g in by_group),
    )


def _feedback(person: User) -> FeedbackPart | None:
    """The latest closed 360 feedback, on whichever completed self-assessment it was asked for: the same figures
    the person's results page shows for it, reduced to counts."""
    now = timezone.now()
    closed = Q(feedback_round__closed_early_at__isnull=False) | Q(feedback_round__closes_at__lte=now)
    assessment = _completed(person).filter(closed).order_by("-feedback_round__closes_at", "-pk").first()
    if assessment is None:
        return None
    context = results_context(assessment=assessment)
    feedback = context["feedback"]
    counted = sum(feedback.answered.values()) - feedback.withheld
    if counted == 0:
        return None
    scored: Counter[str] = Counter()
    meeting: Counter[str] = Counter()
    for result, _ in context["results"]:
        if result.others is not None and result.expected is not None:
            scored[result.group] += 1
            meeting[result.group] += result.others >= result.expected
    groups = [line.group for line in context["by_group"]]
    round_ = assessment.feedback_round
    closed_at = round_.closed_early_at or round_.closes_at
    return FeedbackPart(
        closed_on=timezone.localdate(closed_at),
        counted=counted,
        groups=tuple(RatersLine(g, scored[g], meeting[g]) for g in groups if scored[g]),
    )


def _plan(person: User) -> PlanPart | None:
    """The plan that covers today (the latest to start, if two do); counts only."""
    today = timezone.localdate()
    plan = (
        Plan.objects.filter(owner=person, starts_on__lte=today, ends_on__gte=today)
        .annotate(
            goals_counted=Count("goals", filter=~Q(goals__status=GoalStatus.DROPPED), distinct=True),
            goals_done=Count("goals", filter=Q(goals__status=GoalStatus.DONE), distinct=True),
        )
        .order_by("-starts_on", "-pk")
        .first()
    )
    if plan is None:
        return None
    open_goals = plan.goals.filter(status__in=(GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS))
    next_target = open_goals.order_by("target_date").values_list("target_date", flat=True).first()
    kinds = dict(OpportunityKind.choices)
    counts = (
        Activity.objects.filter(plan=plan)
        .exclude(status=ActivityStatus.CANCELLED)
        .values("opportunity__kind")
        .annotate(n=Count("pk"))
        .order_by("opportunity__kind")
    )
    activities = tuple(
        (kinds.get(row["opportunity__kind"], OWN_ACTIVITY) if row["opportunity__kind"] else OWN_ACTIVITY, row["n"])
        for row in counts
    )
    return PlanPart(
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        goals=plan.goals_counted,  # type: ignore[attr-defined]
        goals_done=plan.goals_done,  # type: ignore[attr-defined]
        next_target_on=next_target,
        activities=activities,
    )


def development_flags(*, people: list[int]) -> dict[int, Flags]:
    """What each of `people` is doing, in three queries however many they are: running learning set programmes
    they are in, whether they have an active mentor or coach, and the shadowing and conversations agreed or done.
    Everyone asked about has an entry (Flags() when they are doing none of it)."""
    programmes: dict[int, set[str]] = defaultdict(set)
    for member_id, name in Membership.objects.filter(
        member__in=people, learning_set__programme__status=ProgrammeStatus.RUNNING
    ).values_list("member_id", "learning_set__programme__name"):
        programmes[member_id].add(name)
    mentored = set(
        MentoringRelationship.objects.filter(mentee__in=people, status=RelationshipStatus.ACTIVE).values_list(
            "mentee_id", flat=True
        )
    )
    shadowing: Counter[int] = Counter()
    conversations: Counter[int] = Counter()
    for row in (
        ShadowingRequest.objects.filter(requester__in=people, status=RequestStatus.ACCEPTED)
        .values("requester_id", "offer__kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        target = conversations if row["offer__kind"] == OfferKind.CONVERSATION else shadowing
        target[row["requester_id"]] += row["n"]
    return {
        pk: Flags(
            programmes=tuple(sorted(programmes[pk])),
            mentored=pk in mentored,
            shadowing=shadowing[pk],
            conversations=conversations[pk],
        )
        for pk in people
    }
