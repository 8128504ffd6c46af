"""Is now the right time? Seed 003's four questions, answered privately and copied into a plan on request."""

import pytest
from django.test import Client

from apps.accounts.models import User
from apps.careers.models import RightTimeReflection
from apps.development.models import Reflection
from tests.conftest import signed_in
from tests.factories import year_plan

pytestmark = pytest.mark.django_db
URL = "/careers/right-time/"
ANSWERS = {"attracts": "OWNER culture", "experience": "Led the CD role", "timing": "Yes", "support": "My coach"}


def test_the_four_questions_are_asked_and_answers_kept_for_the_owner_alone(owner: User, colleague: User) -> None:
    client = signed_in(owner)
    page = client.get(URL).content.decode()
    for question in ("What attracts you", "Do you have the right experience", "Is now the right time", "support"):
        assert question in page
    assert client.post(URL, ANSWERS).status_code == 302
    assert RightTimeReflection.objects.get(owner=owner).attracts == "OWNER culture"
    assert "OWNER culture" in client.get(URL).content.decode()
    assert "OWNER culture" not in signed_in(colleague).get(URL).content.decode()
    assert Client().get(URL).status_code == 302


def test_empty_answers_are_refused_and_nothing_is_saved(owner: User) -> None:
    response = signed_in(owner).post(URL, {"attracts": "  ", "experience": "", "timing": "", "support": ""})
    assert response.status_code == 400
    assert "Answer at least one of the questions" in response.content.decode()
    assert not RightTimeReflection.objects.exists()


def test_the_answers_go_into_the_owners_plan_as_a_reflection(owner: User) -> None:
    plan = year_plan(owner)
    client = signed_in(owner)
    client.post(URL, ANSWERS)
    assert "Add to the plan" in client.get(URL).content.decode()
    response = client.post(f"{URL}to-plan/", {"plan": plan.pk})
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/"
    [reflection] = Reflection.objects.filter(plan=plan)
    assert reflection.title == "Is now the right time?"
    assert "OWNER culture" in reflection.what_happened and "Led the CD role" in reflection.what_happened
    assert (reflection.so_what, reflection.now_what) == ("Yes", "My coach")


def test_another_persons_plan_is_refused_and_nothing_is_added(owner: User, colleague: User) -> None:
    theirs = year_plan(colleague)
    client = signed_in(owner)
    client.post(URL, ANSWERS)
    response = client.post(f"{URL}to-plan/", {"plan": theirs.pk}, follow=True)
    assert "Choose one of your plans from the list" in response.content.decode()
    assert not Reflection.objects.exists()


def test_adding_before_saving_answers_says_so(owner: User) -> None:
    plan = year_plan(owner)
    response = signed_in(owner).post(f"{URL}to-plan/", {"plan": plan.pk}, follow=True)
    assert "Save your answers first" in response.content.decode()
    assert not Reflection.objects.exists()


def test_wrong_method(owner: User) -> None:
    assert signed_in(owner).get(f"{URL}to-plan/").status_code == 405
