"""Sharing is a choice from the people one works with: one's mentors and coaches, and the organisers of the
schemes and programmes one takes part in; never anyone else's, and never by address alone."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.colleagues import colleagues_of
from apps.accounts.models import Role, User
from apps.development.models import PlanShare
from apps.mentoring.models import MentoringRequest
from tests.conftest import signed_in
from tests.factories import ProfileFactory, grant, year_plan
from tests.mentoring.test_rounds import make_scheme
from tests.support.colleagues import working_with

pytestmark = pytest.mark.django_db


def test_ones_mentor_and_scheme_organisers_are_colleagues(owner: User, colleague: User, organiser: User) -> None:
    mentor = ProfileFactory(user__email="md@example.org").user
    grant(mentor, Role.MENTOR)
    working_with(owner, mentor)
    scheme = make_scheme(organiser)
    MentoringRequest.objects.create(mentee=owner, kind="coach", scheme=scheme, created_at=timezone.now())
    found = {(c.user, c.how) for c in colleagues_of(user=owner)}
    assert found == {(mentor, "your mentor"), (organiser, "organiser of North West aspiring MDs")}
    assert colleagues_of(user=colleague) == []  # nobody else's


def test_a_plan_is_shared_with_ones_mentor_by_choosing_them(owner: User, colleague: User) -> None:
    mentor = ProfileFactory(user__email="md@example.org", user__first_name="Tom", user__last_name="Baker").user
    grant(mentor, Role.MENTOR)
    working_with(owner, mentor)
    plan = year_plan(owner)
    url = reverse("development:plan_sharing", args=[plan.pk])
    page = signed_in(owner).get(url).content.decode()
    assert "Tom Baker, your mentor" in page
    assert "md@example.org" not in page  # the choice carries an id, not the address
    # Someone else's mentor cannot be chosen by id.
    other = ProfileFactory(user__email="other.md@example.org").user
    grant(other, Role.MENTOR)
    refused = signed_in(owner).post(url, {"action": "share", "person": str(other.pk)})
    assert refused.status_code == 400 and "Choose someone from the list" in refused.content.decode()
    assert not PlanShare.objects.exists()
    response = signed_in(owner).post(url, {"action": "share", "person": str(mentor.pk)}, follow=True)
    assert "Tom Baker can now read this plan" in response.content.decode()
    assert PlanShare.objects.get().viewer == mentor


def test_choosing_someone_else_needs_their_address(owner: User) -> None:
    mentor = ProfileFactory(user__email="md@example.org").user
    grant(mentor, Role.MENTOR)
    working_with(owner, mentor)
    plan = year_plan(owner)
    response = signed_in(owner).post(
        reverse("development:plan_sharing", args=[plan.pk]), {"action": "share", "person": "else"}
    )
    assert response.status_code == 400 and "Enter their e-mail address" in response.content.decode()
