"""Reads of development plans, always through their owner, and the suggestions for a plan."""

from django.db.models import Prefetch, QuerySet

from apps.accounts.models import User
from apps.assessments.anonymity import visible_feedback
from apps.assessments.models import Assessment, RaterCategory
from apps.assessments.selectors import all_entries, feedback_answers
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
    return (
        Assessment.objects.filter(owner=owner, submitted_at__isnull=False)
        .select_related("framework")
        .order_by("-submitted_at")
        .first()
    )


def criteria_for_goals(*, owner: User) -> QuerySet[Criterion]:
    """The criteria a goal can be tied to: those of the person's latest self-assessment's framework."""
    assessment = latest_completed_assessment(owner=owner)
    if assessment is None:
        return Criterion.objects.filter(framework__slug="md-person-spec").order_by("-framework__loaded_at", "position")
    return Criterion.objects.filter(framework=assessment.framework_id).order_by("position")


def plan_suggestions(*, owner: User) -> tuple[Assessment | None, list[Suggestion]]:
    assessment = latest_completed_assessment(owner=owner)
    if assessment is None:
        return None, []
    entries = all_entries(assessment=assessment)
    feedback = visible_feedback(
        feedback_answers(assessment=assessment),
        labels=dict(RaterCategory.choices),
        criteria=[e.criterion.code for e in entries],
    )
    states = [
        CriterionState(
            code=e.criterion.code,
            title=e.criterion.title,
            own=e.rating_value,
            others=feedback.criteria[e.criterion.code].others_mean,
            expected=e.expected,
            no_chance=bool(e.not_rated_label),
        )
        for e in entries
    ]
    links: dict[int, set[str]] = {}
    for opportunity_id, code in OpportunityCriterion.objects.filter(
        framework_slug=assessment.framework.slug, opportunity__is_active=True
    ).values_list("opportunity_id", "criterion_code"):
        links.setdefault(opportunity_id, set()).add(code)
    options = [
        OpportunityOption(code=o.code, title=o.title, develops=frozenset(links[o.pk]))
        for o in Opportunity.objects.filter(pk__in=links)
    ]
    return assessment, suggestions(states, options)


def progress(plan: Plan) -> tuple[int, int]:
    """(done, counted) over the plan's goals, from the prefetched goals; dropped goals do not count."""
    goals = [g for g in plan.goals.all() if g.status != GoalStatus.DROPPED]
    return sum(1 for g in goals if g.status == GoalStatus.DONE), len(goals)
