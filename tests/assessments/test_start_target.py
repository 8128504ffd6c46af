"""A new self-assessment is measured by default against the role the person's profile aims for."""

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.assessments.models import Assessment
from apps.competencies.models import Framework
from apps.profiles.models import CareerAim, CareerRole, LeadershipLevel, Profile
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "aim", "level"),
    [
        (CareerRole.CONSULTANT_GP, CareerAim.MEDICAL_DIRECTOR, LeadershipLevel.MEDICAL_DIRECTOR),
        (CareerRole.SAS, CareerAim.CLINICAL_LEAD, LeadershipLevel.CLINICAL_LEAD),
        (CareerRole.CLINICAL_LEAD, CareerAim.ASSOCIATE_MD, LeadershipLevel.ASSOCIATE_MD),
        (CareerRole.CLINICAL_LEAD, CareerAim.RETURN_TO_CLINICAL, LeadershipLevel.CLINICAL_DIRECTOR),
    ],
)
def test_the_start_form_aims_for_the_profiles_aim(owner: User, role: str, aim: str, level: LeadershipLevel) -> None:
    Profile.objects.filter(user=owner).update(career_role=role, career_aim=aim)
    response = signed_in(owner).get(reverse("assessments:new"))
    assert response.context["form"].initial["target_level"] == level


def test_a_bad_start_keeps_the_role_chosen(owner: User, person_spec: Framework) -> None:
    response = signed_in(owner).post(reverse("assessments:new"), {"framework": "", "target_level": "2"})
    assert response.status_code == 400
    assert '<a href="#id_framework_0">Choose a framework</a>' in response.content.decode()
    assert response.context["form"]["target_level"].value() == "2"
    assert not Assessment.objects.exists()
