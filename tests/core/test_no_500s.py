"""The inputs that once reached a 500 are refused with a clear message naming the field, and change nothing:
dates far in the future (reminder arithmetic past the year 9999) and an e-mail address longer than its column."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.feedback import feedback_round_open
from apps.assessments.models import Assessment, RaterInvitation
from apps.assessments.services import assessment_start
from apps.competencies.models import Framework
from apps.development.models import Goal, Plan
from tests.assessments.conftest import person_spec  # noqa: F401 (fixture)
from tests.conftest import signed_in
from tests.factories import year_plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", ["9999-01-01", "9999-12-31", "0001-01-01", "2101-01-01"])
def test_a_plan_dated_out_of_range_is_refused(owner: User, day: str) -> None:
    response = signed_in(owner).post(
        reverse("development:list"), {"title": "Far", "target_level": "5", "starts_on": day, "ends_on": "2027-06-01"}
    )
    assert response.status_code == 400
    assert "Start: enter a date between 1950 and 2100" in response.content.decode()
    assert not Plan.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "2101-01-01"])
def test_a_goal_dated_out_of_range_is_refused_on_add_and_edit(
    owner: User,
    person_spec: Framework,  # noqa: F811
    day: str,
) -> None:
    plan = year_plan(owner)
    client = signed_in(owner)
    data = {"title": "Chair the committee", "measure": "Chaired it", "target_date": day}
    response = client.post(reverse("development:goal_add", args=[plan.pk]), data)
    assert (
        response.status_code == 400 and "Target date: enter a date between 1950 and 2100" in response.content.decode()
    )
    assert not Goal.objects.exists()
    ok = {**data, "target_date": str(timezone.localdate() + timedelta(days=30))}
    client.post(reverse("development:goal_add", args=[plan.pk]), ok)
    goal = Goal.objects.get()
    response = client.post(reverse("development:goal_edit", args=[plan.pk, goal.pk]), {**data, "status": "in_progress"})
    assert response.status_code == 400
    goal.refresh_from_db()
    assert str(goal.target_date) == ok["target_date"]


def test_a_rater_address_longer_than_its_column_is_refused(owner: User, person_spec: Framework) -> None:  # noqa: F811
    assessment: Assessment = assessment_start(owner=owner, framework=person_spec, target_level=5, now=timezone.now())
    feedback_round_open(
        assessment=assessment, closes_on=timezone.localdate() + timedelta(days=21), message="", now=timezone.now()
    )
    address = "a" * 290 + "@example.org"
    response = signed_in(owner).post(
        reverse("assessments:feedback", args=[assessment.pk]),
        {"action": "invite", "email": address, "category": "peer"},
    )
    assert response.status_code == 400
    assert "An e-mail address is at most 254 characters" in response.content.decode()
    assert not RaterInvitation.objects.exists()
