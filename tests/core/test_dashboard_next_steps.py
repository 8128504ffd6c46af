"""The dashboard says what to do next: after a self-assessment, 360 feedback and a plan; for an organiser, the
mentees, rounds and applications waiting; for a sitting medical director, the self-assessment is optional."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.services import assessment_save_group, assessment_start, assessment_submit
from apps.competencies.models import Framework
from apps.mentoring.services.rounds import round_run
from apps.profiles.models import CareerRole
from tests.assessments.conftest import person_spec  # noqa: F401 (fixture)
from tests.conftest import signed_in
from tests.factories import ProfileFactory, year_plan
from tests.mentoring.test_rounds import make_scheme, scheme_mentee, scheme_mentor

pytestmark = pytest.mark.django_db


def completed(owner: User, framework: Framework) -> None:
    assessment = assessment_start(owner=owner, framework=framework, target_level=5, now=timezone.now())
    for group in framework.groups.all():
        ratings = {c.pk: 2 for c in framework.criteria.filter(group=group)}
        assessment_save_group(assessment=assessment, group=group, ratings=ratings, notes={}, answers={})
    assessment_submit(assessment=assessment, now=timezone.now())


def test_after_a_self_assessment_the_dashboard_points_to_360_feedback_and_a_plan(
    owner: User,
    person_spec: Framework,  # noqa: F811
) -> None:
    completed(owner, person_spec)
    client = signed_in(owner)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Ask colleagues for 360 feedback" in page and "Make a development plan" in page
    plan = year_plan(owner)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Your plan: Towards MD" in page and reverse("development:plan", args=[plan.pk]) in page
    assert "0 goals" in page


def test_a_new_member_is_not_pointed_at_feedback_before_they_have_assessed_themselves(owner: User) -> None:
    page = signed_in(owner).get(reverse("core:dashboard")).content.decode()
    assert "360 feedback" not in page and "Make a development plan" not in page
    assert "Measure yourself against the medical director" in page


def test_a_sitting_medical_director_is_not_told_to_measure_themselves_for_the_job() -> None:
    md = ProfileFactory(user__email="md@example.org", career_role=CareerRole.MEDICAL_DIRECTOR).user
    page = signed_in(md).get(reverse("core:dashboard")).content.decode()
    assert "Measure yourself against" not in page
    assert "Look back at the medical director" in page and "Optional" in page


def test_an_organiser_is_told_of_waiting_mentees_and_an_unpublished_round(organiser: User, owner: User) -> None:
    scheme = make_scheme(organiser)
    scheme_mentor(scheme, "md@example.org")
    scheme_mentee(scheme, "one@example.org")
    scheme_mentee(scheme, "two@example.org")
    client = signed_in(organiser)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "2 mentees in North West aspiring MDs waiting for a match" in page
    match_round = round_run(scheme=scheme, actor=organiser, now=timezone.now())
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Review and publish the match round for North West aspiring MDs" in page
    assert reverse("mentoring:round", args=[scheme.pk, match_round.pk]) in page
    # Someone else's scheme says nothing to a member, and nothing of it to another organiser.
    assert "waiting for a match" not in signed_in(owner).get(reverse("core:dashboard")).content.decode()


def test_an_organiser_of_nothing_sees_no_organising_section(organiser: User) -> None:
    page = signed_in(organiser).get(reverse("core:dashboard")).content.decode()
    assert '<h2 class="nhsuk-heading-m">Organising</h2>' not in page
