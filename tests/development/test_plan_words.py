"""A plan speaks of criteria by their titles, and a new plan aims by default for the role the profile aims for."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.competencies.models import Criterion, Framework
from apps.development.models import Plan
from apps.development.services import goal_create
from apps.profiles.models import CareerAim, CareerRole, LeadershipLevel, Profile
from tests.conftest import signed_in
from tests.factories import year_plan

pytestmark = pytest.mark.django_db
SKI_6 = "“Can act corporately and take corporate decisions"


def test_a_goal_names_the_criteria_it_develops_by_title(owner: User, person_spec: Framework) -> None:
    plan = year_plan(owner)
    goal_create(
        plan=plan,
        title="Chair the quality sub-committee",
        description="",
        measure="Chaired three meetings",
        target_date=timezone.localdate() + timedelta(days=60),
        criteria=[Criterion.objects.get(framework=person_spec, code="SKI-6")],
        now=timezone.now(),
    )
    body = signed_in(owner).get(reverse("development:plan", args=[plan.pk])).content.decode()
    assert f"Develops {SKI_6}" in body and "(SKI-6)" in body
    assert "Develops SKI-6" not in body


@pytest.mark.parametrize(
    ("role", "aim", "level"),
    [
        (CareerRole.CONSULTANT_GP, CareerAim.MEDICAL_DIRECTOR, LeadershipLevel.MEDICAL_DIRECTOR),
        (CareerRole.CONSULTANT_GP, CareerAim.CLINICAL_DIRECTOR, LeadershipLevel.CLINICAL_DIRECTOR),
        (CareerRole.CLINICAL_DIRECTOR, CareerAim.UNDECIDED, LeadershipLevel.ASSOCIATE_MD),
    ],
)
def test_a_new_plan_aims_for_the_role_the_profile_aims_for(
    owner: User, role: str, aim: str, level: LeadershipLevel
) -> None:
    Profile.objects.filter(user=owner).update(career_role=role, career_aim=aim)
    response = signed_in(owner).get(reverse("development:list"))
    assert response.context["form"].initial["target_level"] == level
    radios = re.findall(r'<input[^>]*name="target_level"[^>]*>', response.content.decode())
    checked = [tag for tag in radios if "checked" in tag]
    assert len(checked) == 1 and f'value="{int(level)}"' in checked[0]


def test_a_bad_plan_keeps_the_role_chosen_rather_than_the_default(owner: User) -> None:
    # The owner aims for MD; they chose associate MD and forgot the name.
    data = {"title": "", "target_level": "3", "starts_on": "2030-01-01", "ends_on": "2030-12-31"}
    response = signed_in(owner).post(reverse("development:list"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert '<a href="#id_title">Enter a name for your plan</a>' in body
    assert response.context["form"]["target_level"].value() == "3"
    assert not Plan.objects.exists()
