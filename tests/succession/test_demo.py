"""The demo's succession: a lead at a mental health and community trust with example one's posts, people standing
forward with different readiness and choices, one talent conversation; the same rows however often it runs."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant, User
from apps.succession.models import Candidacy, Post, Readiness, ShowChoice, TalentConversation
from apps.succession.selectors import conversations_for, posts_uncovered
from apps.succession.structures import shipped

pytestmark = pytest.mark.django_db


def rows() -> tuple[list[tuple], ...]:
    return (
        sorted(Post.objects.values_list("title", "level", "holder_id", "holder_name", "expected_vacancy")),
        sorted(Candidacy.objects.values_list("person_id", "post_id", "level", "readiness", "show")),
        sorted(TalentConversation.objects.values_list("person_id", "lead_id", "held_on", "meet_again_on")),
        sorted(RoleGrant.objects.filter(role=Role.ORGANISATION_LEAD).values_list("user_id", "organisation_id")),
    )


def test_the_demo_is_there_once_however_often_it_runs() -> None:
    call_command("seed_demo", stdout=StringIO())
    first = rows()
    call_command("seed_demo", stdout=StringIO())
    assert rows() == first

    lead = User.objects.get(email="lead@example.org")
    assert lead.check_password("stepping-up-demo")
    grant = RoleGrant.objects.get(user=lead, role=Role.ORGANISATION_LEAD, revoked_at__isnull=True)
    assert grant.organisation is not None and grant.organisation.ods_code == "RWK"
    example = shipped().get("mental-health-and-community-trust")
    assert example is not None
    assert Post.objects.filter(organisation=grant.organisation).count() == example.post_count
    assert Post.objects.get(organisation=grant.organisation, level=5).holder == lead

    standing = Candidacy.objects.filter(organisation=grant.organisation)
    assert {c.readiness for c in standing} == set(Readiness.values)
    assert {c.show for c in standing} == set(ShowChoice.values)
    aspiring = User.objects.get(email="aspiring@example.org")
    [conversation] = conversations_for(user=aspiring)
    assert conversation.lead == lead and len(conversation.next_step_list) == 3
    assert list(conversations_for(user=lead)) == [conversation]
    # the dashboard and the daily reminder have a post to name
    assert posts_uncovered(today=timezone.localdate()).filter(organisation=grant.organisation).exists()
