"""Development plans: goals tied to criteria with their reminders, suggestions explained from the self-assessment,
one click from suggestion to goal or activity, and only ever the owner's."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.models import Assessment, Rating
from apps.competencies.models import Criterion, Framework
from apps.development.models import (
    Activity,
    Goal,
    GoalStatus,
    Opportunity,
    OpportunityCriterion,
    Plan,
    PlanEvidence,
)
from apps.development.services import goal_create, plan_create
from apps.development.suggest import CriterionState, OpportunityOption, suggestions
from apps.notifications.models import Reminder, ReminderStatus
from tests.conftest import signed_in
from tests.support.colleagues import become_mentor_of, share_plan_with

pytestmark = pytest.mark.django_db


# Every test here runs on the same day: plan dates, reminders and quarterly reviews depend on it (a year from
# 2027-03-01 crosses 29 February 2028, which once made the quarterly count differ).
FROZEN = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_day() -> Iterator[None]:
    with time_machine.travel(FROZEN, tick=True):
        yield


def today() -> object:
    return timezone.localdate()


@pytest.fixture
def plan(owner: User) -> Plan:
    return plan_create(
        owner=owner,
        title="Towards deputy MD",
        target_level=4,
        starts_on=today(),
        ends_on=today() + timedelta(days=365),
        now=timezone.now(),
    )


def goal_data(person_spec: Framework, **changes: object) -> dict[str, object]:
    data = {
        "title": "Chair the quality sub-committee",
        "measure": "Chaired three meetings; the chair's feedback",
        "target_date": (today() + timedelta(days=60)).isoformat(),
        "criteria": [Criterion.objects.get(framework=person_spec, code="SKI-6").pk],
    }
    data.update(changes)
    return data


def test_a_plan_schedules_its_quarterly_reviews(plan: Plan) -> None:
    reviews = Reminder.objects.filter(kind="plan_quarterly_review", recipient=plan.owner)
    assert reviews.count() == 4


def test_adding_a_goal_schedules_its_reminders(owner: User, plan: Plan, person_spec: Framework) -> None:
    response = signed_in(owner).post(reverse("development:goal_add", args=[plan.pk]), goal_data(person_spec))
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert [c.code for c in goal.criteria.all()] == ["SKI-6"]
    kinds = set(Reminder.objects.filter(dedupe_key__startswith=f"goal:{goal.pk}:").values_list("kind", flat=True))
    assert kinds == {"goal_due_14d", "goal_overdue"}


def test_marking_a_goal_done_cancels_its_reminders(owner: User, plan: Plan, person_spec: Framework) -> None:
    client = signed_in(owner)
    client.post(reverse("development:goal_add", args=[plan.pk]), goal_data(person_spec))
    goal = Goal.objects.get()
    client.post(reverse("development:goal_edit", args=[plan.pk, goal.pk]), {**goal_data(person_spec), "status": "done"})
    goal.refresh_from_db()
    assert goal.status == GoalStatus.DONE and goal.completed_at is not None
    statuses = set(Reminder.objects.filter(dedupe_key__startswith=f"goal:{goal.pk}:").values_list("status", flat=True))
    assert statuses == {ReminderStatus.CANCELLED}


def test_moving_a_goal_moves_its_reminders(owner: User, plan: Plan, person_spec: Framework) -> None:
    client = signed_in(owner)
    client.post(reverse("development:goal_add", args=[plan.pk]), goal_data(person_spec))
    goal = Goal.objects.get()
    later = (today() + timedelta(days=100)).isoformat()
    client.post(
        reverse("development:goal_edit", args=[plan.pk, goal.pk]),
        {**goal_data(person_spec, target_date=later), "status": "in_progress"},
    )
    pending = Reminder.objects.filter(dedupe_key__startswith=f"goal:{goal.pk}:", status=ReminderStatus.PENDING)
    assert {r.context["due_on"] for r in pending} == {later}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target_date": "2020-01-01"}, "must be today or in the future"),
        ({"title": ""}, "Enter what you want to achieve"),
        ({"target_date": "31/02/2027"}, "Enter a real date"),
        ({"criteria": ["999999"]}, "Choose criteria from the list"),
    ],
)
def test_bad_goals_are_refused_and_nothing_is_saved(
    owner: User, plan: Plan, person_spec: Framework, changes: dict[str, object], message: str
) -> None:
    response = signed_in(owner).post(reverse("development:goal_add", args=[plan.pk]), goal_data(person_spec, **changes))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Goal.objects.exists()


def test_a_criterion_from_another_framework_is_refused(owner: User, plan: Plan, person_spec: Framework) -> None:
    from apps.competencies.fileformat import parse
    from apps.competencies.services import framework_load
    from tests.competencies.test_fileformat import MINIMAL

    other = framework_load(spec=parse(MINIMAL)).framework
    from apps.development.services import PlanError

    with pytest.raises(PlanError, match="same framework"):
        goal_create(
            plan=plan,
            title="x",
            description="",
            measure="y",
            target_date=today(),
            now=timezone.now(),
            criteria=[
                Criterion.objects.get(framework=person_spec, code="SKI-6"),
                Criterion.objects.get(framework=other),
            ],
        )
    assert not Goal.objects.exists()


@pytest.mark.parametrize("shared", [False, True], ids=["nothing shared", "the plan shared with them"])
def test_another_persons_plan_is_404_and_unchanged(
    owner: User, colleague: User, plan: Plan, person_spec: Framework, shared: bool
) -> None:
    if shared:  # the owner's mentor reads the plan on its shared page, and changes nothing
        become_mentor_of(owner, colleague)
        share_plan_with(colleague, plan)
    client = signed_in(colleague)
    for url in (reverse("development:plan", args=[plan.pk]), reverse("development:goal_add", args=[plan.pk])):
        assert client.get(url).status_code == 404
    assert client.post(reverse("development:goal_add", args=[plan.pk]), goal_data(person_spec)).status_code == 404
    assert not Goal.objects.exists()


def test_a_plan_that_would_already_be_over_is_refused(owner: User) -> None:
    response = signed_in(owner).post(
        reverse("development:list"),
        {"title": "Old", "target_level": "4", "starts_on": "2020-01-01", "ends_on": "2020-12-31"},
    )
    assert response.status_code == 400 and "already be over" in response.content.decode()
    assert not Plan.objects.exists()


@pytest.fixture
def catalogue(person_spec: Framework) -> list[Opportunity]:
    rows = []
    for code, title, develops in [
        ("chair-sub-committee", "Chair a board sub-committee", ["SKI-6", "SKI-5"]),
        ("negotiation-course", "Negotiation and influencing course", ["SKI-8", "SKI-4"]),
        ("shadow-md", "Shadow the medical director", ["KNO-4", "SKI-6"]),
    ]:
        opportunity = Opportunity.objects.create(
            code=code, title=title, description="…", kind="course", typical_time="", typical_cost="", source="Seed 003"
        )
        OpportunityCriterion.objects.bulk_create(
            OpportunityCriterion(opportunity=opportunity, framework_slug="md-person-spec", criterion_code=c)
            for c in develops
        )
        rows.append(opportunity)
    return rows


def test_suggestions_address_the_weakest_criteria_with_reasons(
    owner: User, plan: Plan, completed_assessment: Assessment, catalogue: list[Opportunity]
) -> None:
    Rating.objects.filter(assessment=completed_assessment, criterion__code="SKI-6").update(value=1)
    Rating.objects.filter(assessment=completed_assessment, criterion__code="SKI-8").update(value=2)
    body = signed_in(owner).get(reverse("development:plan", args=[plan.pk])).content.decode()
    first = body.index("Chair a board sub-committee")
    assert first < body.index("Negotiation and influencing course")
    assert "you rated “Can act corporately and take corporate decisions" in body


def test_a_suggestion_becomes_a_goal_through_the_form_prefilled_but_for_the_measure(
    owner: User, plan: Plan, completed_assessment: Assessment, catalogue: list[Opportunity]
) -> None:
    client = signed_in(owner)
    url = reverse("development:goal_add", args=[plan.pk])
    response = client.get(url, {"suggestion": "chair-sub-committee", "criteria": ["SKI-6", "SKI-5"]})
    form = response.context["form"]
    assert form.initial["title"] == "Chair a board sub-committee"
    assert {c.code for c in form.initial["criteria"]} == {"SKI-6", "SKI-5"}
    assert "measure" not in form.initial  # only the person can say how they will know it is done
    assert not Goal.objects.exists()


def test_a_goal_is_not_made_twice(owner: User, plan: Plan) -> None:
    client = signed_in(owner)
    url = reverse("development:goal_add", args=[plan.pk])
    data = {
        "title": "Chair a board sub-committee",
        "measure": "Chaired four meetings",
        "target_date": str(today() + timedelta(days=60)),
    }
    client.post(url, data)
    response = client.post(url, {**data, "title": "chair a board sub-committee"})
    assert response.status_code == 400
    assert "already has a goal called" in response.content.decode()
    assert Goal.objects.count() == 1


def test_one_click_adds_a_suggestion_as_an_activity_once(
    owner: User, plan: Plan, completed_assessment: Assessment, catalogue: list[Opportunity]
) -> None:
    Rating.objects.filter(assessment=completed_assessment, criterion__code="SKI-6").update(value=1)
    client = signed_in(owner)
    url = reverse("development:suggestion_take", args=[plan.pk, "chair-sub-committee"])
    assert (
        'Add as an activity<span class="nhsuk-u-visually-hidden">: Chair a board'
        in client.get(reverse("development:plan", args=[plan.pk])).content.decode()
    )
    client.post(url)
    assert Activity.objects.get().opportunity.code == "chair-sub-committee"  # type: ignore[union-attr]
    response = client.post(url, follow=True)
    assert "is already in your plan" in response.content.decode()
    assert Activity.objects.count() == 1
    body = client.get(reverse("development:plan", args=[plan.pk])).content.decode()
    assert "In your plan" in body


def test_taking_a_suggestion_into_someone_elses_plan_is_404(
    colleague: User, plan: Plan, catalogue: list[Opportunity]
) -> None:
    url = reverse("development:suggestion_take", args=[plan.pk, "chair-sub-committee"])
    assert signed_in(colleague).post(url).status_code == 404
    assert not Activity.objects.exists()


def test_suggestion_logic_is_pure_and_explained() -> None:
    states = [
        CriterionState("A", "Alpha", own=1, others=1.0, expected=3),
        CriterionState("B", "Beta", own=4, others=2.0, expected=3),
        CriterionState("C", "Gamma", own=3, others=None, expected=3),
    ]
    options = [OpportunityOption("x", "X course", frozenset({"A", "B"})), OpportunityOption("y", "Y", frozenset({"C"}))]
    result = suggestions(states, options)
    assert result[0].opportunity == "x" and result[0].criteria == ("A", "B")
    assert result[0].reasons[0] == "you rated “Alpha” among your lowest, and your raters agree"
    assert result[0].reasons[1] == "your raters scored “Beta” lower than you did (2.0 against your 4)"


def test_plan_page_query_count_is_constant(
    owner: User,
    plan: Plan,
    person_spec: Framework,
    completed_assessment: Assessment,
    catalogue: list[Opportunity],
    django_assert_num_queries: object,
) -> None:
    criteria = list(Criterion.objects.filter(framework=person_spec)[:3])
    for i in range(30):
        goal = Goal.objects.create(
            plan=plan, title=f"Goal {i}", measure="m", target_date=today(), created_at=timezone.now()
        )
        goal.criteria.set(criteria)
    Activity.objects.bulk_create(
        Activity(plan=plan, title=f"Activity {i}", starts_on=today(), created_at=timezone.now()) for i in range(100)
    )
    goals = list(plan.goals.all())
    PlanEvidence.objects.bulk_create(
        PlanEvidence(
            plan=plan, goal=goals[i % 30], kind="text", title=f"Evidence {i}", text="…", added_at=timezone.now()
        )
        for i in range(200)
    )
    client = signed_in(owner)
    url = reverse("development:plan", args=[plan.pk])
    client.get(url)
    # 1. the session  2. the user  3. the plan  4. goals  5. their criteria  6. activities  7. reflections
    # 8. evidence  9. the latest self-assessment with its framework and feedback round (none, so no rater answers
    # are read)  10. each criterion with its rating and expectation (`criterion_figures`)  11. the catalogue's
    # links for that framework with their opportunities  12. the slugs of the counted criteria's frameworks
    # 13. their crosswalk links (none here, so no query for what they lead to)  14. roles and 15. unread count
    with django_assert_num_queries(15):  # type: ignore[operator]
        assert client.get(url).status_code == 200


def test_pages_need_sign_in(client: Client, plan: Plan) -> None:
    assert client.get(reverse("development:list")).status_code == 302
    assert client.get(reverse("development:plan", args=[plan.pk])).status_code == 302


def test_adding_an_activity_by_hand(owner: User, plan: Plan) -> None:
    client = signed_in(owner)
    url = reverse("development:activity_new", args=[plan.pk])
    response = client.post(
        url, {"title": "Shadow the chair", "provider": "", "starts_on": "2026-12-01", "ends_on": "2026-11-01"}
    )
    assert response.status_code == 400 and "The end must be on or after the start" in response.content.decode()
    assert not Activity.objects.exists()
    assert client.post(url, {"title": "Shadow the chair", "starts_on": "2026-12-01"}).status_code == 302
    assert Activity.objects.get().title == "Shadow the chair"


def test_a_plan_made_with_the_forms_dates_gets_four_reviews_across_a_leap_day(owner: User) -> None:
    from apps.development.forms import PlanForm

    with time_machine.travel(datetime(2027, 3, 5, 10, 0, tzinfo=UTC), tick=False):
        initial = PlanForm().initial
        assert str(initial["ends_on"]) == "2028-03-05"
        plan = plan_create(
            owner=owner,
            title="Across a leap year",
            target_level=4,
            starts_on=initial["starts_on"],
            ends_on=initial["ends_on"],
            now=timezone.now(),
        )
    assert Reminder.objects.filter(kind="plan_quarterly_review", recipient=plan.owner).count() == 4


def test_saving_a_done_goal_again_keeps_the_day_it_was_done(owner: User, plan: Plan, person_spec: Framework) -> None:
    client = signed_in(owner)
    client.post(reverse("development:goal_add", args=[plan.pk]), goal_data(person_spec))
    goal = Goal.objects.get()
    url = reverse("development:goal_edit", args=[plan.pk, goal.pk])
    client.post(url, {**goal_data(person_spec), "status": "done"})
    goal.refresh_from_db()
    done_at = goal.completed_at
    with time_machine.travel(FROZEN + timedelta(days=9), tick=False):
        client.post(url, {**goal_data(person_spec), "status": "done", "measure": "Chaired three meetings, minuted"})
    goal.refresh_from_db()
    assert goal.measure == "Chaired three meetings, minuted" and goal.completed_at == done_at
    client.post(url, {**goal_data(person_spec), "status": "in_progress"})
    goal.refresh_from_db()
    assert goal.completed_at is None
