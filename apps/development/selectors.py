"""Reads of development plans, always through their owner, and the suggestions for a plan."""

from datetime import datetime

from django.db.models import Prefetch, QuerySet

from apps.accounts.models import User
from apps.assessments.anonymity import visible_feedback
from apps.assessments.models import Assessment, FeedbackRound, RaterCategory
from apps.assessments.selectors import criterion_figures, feedback_answers
from apps.competencies.models import Criterion

from .models import Activity, Goal, GoalStatus, Opportunity, OpportunityCriterion, Plan, PlanEvidence, Reflection
from .suggest import CriterionState, OpportunityOption, Suggestion, suggestions


def plans_for_owner(*, owner: User) -> QuerySet[Plan]:
    return Plan.objects.filter(owner=owner).order_by("-starts_on", "-id")


def plan_for_owner(*, owner: User, plan_id: int) -> Plan | None:
    return Plan.objects.filter(owner=owner, pk=plan_id).first()


def plan_with_content(*, owner: User, plan_id: int) -> Plan | None:
    """The plan with its goals (and their criteria), activities, reflections and evidence: six queries."""
    return (
        Plan.objects.filter(owner=owner, pk=plan_id)
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.prefetch_related("criteria").order_by("target_date", "id")),
            Prefetch("activities", queryset=Activity.objects.select_related("opportunity").order_by("starts_on", "id")),
            Prefetch("reflections", queryset=Reflection.objects.select_related("goal", "activity", "criterion")),
            Prefetch("evidence", queryset=PlanEvidence.objects.select_related("goal", "activity", "criterion")),
        )
        .first()
    )


def evidence_by_criterion(plan: Plan) -> list[tuple[Criterion, int]]:
    """(criterion, how many records count towards it) in the framework's order, from the prefetched plan: a record
    on a goal counts for the goal's criteria, one on an activity for its goal's, one on a criterion for that
    criterion. Criteria rather than codes, so that pages can name them by their titles."""
    goal_criteria = {g.pk: list(g.criteria.all()) for g in plan.goals.all()}
    activity_goal = {a.pk: a.goal_id for a in plan.activities.all()}
    named: dict[int, Criterion] = {}
    counts: dict[int, int] = {}
    records: list[Reflection | PlanEvidence] = [*plan.reflections.all(), *plan.evidence.all()]
    for record in records:
        if record.criterion is not None:
            criteria = [record.criterion]
        elif record.goal_id:
            criteria = goal_criteria.get(record.goal_id, [])
        elif record.activity_id:
            criteria = goal_criteria.get(activity_goal.get(record.activity_id) or 0, [])
        else:
            criteria = []
        for criterion in criteria:
            named[criterion.pk] = criterion
            counts[criterion.pk] = counts.get(criterion.pk, 0) + 1
    ordered = sorted(named.values(), key=lambda c: (c.framework_id, c.position))
    return [(criterion, counts[criterion.pk]) for criterion in ordered]


def goal_for_owner(*, owner: User, plan_id: int, goal_id: int) -> Goal | None:
    return Goal.objects.filter(plan__owner=owner, plan_id=plan_id, pk=goal_id).select_related("plan").first()


def activity_for_owner(*, owner: User, plan_id: int, activity_id: int) -> Activity | None:
    return Activity.objects.filter(plan__owner=owner, plan_id=plan_id, pk=activity_id).first()


def plan_document_for_owner(*, owner: User, plan_id: int, evidence_id: int) -> PlanEvidence | None:
    """A document in the person's own plan: notes and links have no file to download."""
    return PlanEvidence.objects.filter(plan_id=plan_id, plan__owner=owner, pk=evidence_id, kind="file").first()


def opportunity_active(*, code: str) -> Opportunity | None:
    """An opportunity still offered, by its code. A code with a NUL finds nothing: PostgreSQL refuses one (a 500)."""
    if "\x00" in code:
        return None
    return Opportunity.objects.filter(code=code, is_active=True).first()


def latest_completed_assessment(*, owner: User) -> Assessment | None:
    """The person's latest completed self-assessment, with its framework and its 360 round (if any) in the same
    query: the owner's index finds their few assessments, whoever else has how many."""
    return (
        Assessment.objects.filter(owner=owner, submitted_at__isnull=False)
        .select_related("framework", "feedback_round")
        .order_by("-submitted_at")
        .first()
    )


def criteria_for_goals(*, owner: User) -> QuerySet[Criterion]:
    """The criteria a goal can be tied to: those of the person's latest self-assessment's framework."""
    assessment = latest_completed_assessment(owner=owner)
    if assessment is None:
        return Criterion.objects.filter(framework__slug="md-person-spec").order_by("-framework__loaded_at", "position")
    return Criterion.objects.filter(framework=assessment.framework_id).order_by("position")


def plan_suggestions(*, owner: User, now: datetime) -> tuple[Assessment | None, list[Suggestion]]:
    """Suggestions from the person's latest completed self-assessment and the live catalogue. Reads only that
    assessment's figures (one query, `criterion_figures`), its raters' answers once its round has closed (before
    that none may show), and the catalogue's links for its framework with their opportunities (one query): three
    queries, or six with closed 360 feedback, however many people and assessments there are."""
    assessment = latest_completed_assessment(owner=owner)
    if assessment is None:
        return None, []
    figures = criterion_figures(assessment=assessment)
    feedback_round = _round_of(assessment)
    answers = (
        feedback_answers(assessment=assessment, now=now)
        if feedback_round is not None and not feedback_round.is_open(now)
        else []
    )
    feedback = visible_feedback(answers, labels=dict(RaterCategory.choices), criteria=[f.code for f in figures])
    states = [
        CriterionState(
            code=f.code,
            title=f.title,
            own=f.rating,
            others=feedback.criteria[f.code].others_mean,
            expected=f.expected,
            no_chance=bool(f.not_rated_label),
        )
        for f in figures
    ]
    return assessment, suggestions(states, _catalogue_options(slug=assessment.framework.slug))


def _round_of(assessment: Assessment) -> FeedbackRound | None:
    """The round `latest_completed_assessment` read with the assessment just now, so no query (a fresh read:
    `feedback_round_for` says why an assessment held longer must not be trusted for it)."""
    try:
        return assessment.feedback_round
    except FeedbackRound.DoesNotExist:
        return None


def _catalogue_options(*, slug: str) -> list[OpportunityOption]:
    """The active opportunities that develop a criterion of the framework `slug`, in the catalogue's order (by
    title), with the codes each develops: one query over the catalogue's index on (framework slug, code)."""
    develops: dict[str, set[str]] = {}
    titles: dict[str, str] = {}
    for code, title, criterion_code in (
        OpportunityCriterion.objects.filter(framework_slug=slug, opportunity__is_active=True)
        .order_by("opportunity__title", "opportunity__code")
        .values_list("opportunity__code", "opportunity__title", "criterion_code")
    ):
        develops.setdefault(code, set()).add(criterion_code)
        titles[code] = title
    return [OpportunityOption(code=code, title=titles[code], develops=frozenset(develops[code])) for code in titles]


def progress(plan: Plan) -> tuple[int, int]:
    """(done, counted) over the plan's goals, from the prefetched goals; dropped goals do not count."""
    goals = [g for g in plan.goals.all() if g.status != GoalStatus.DROPPED]
    return sum(1 for g in goals if g.status == GoalStatus.DONE), len(goals)
