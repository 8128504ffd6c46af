"""Succession rows for tests, made directly (the services have their own tests): an organisation lead, a post, a
person standing forward."""

from typing import Any

from django.utils import timezone

from apps.accounts.models import Role, RoleGrant, User
from apps.organisations.models import Organisation
from apps.profiles.models import CareerAimWhen, LeadershipLevel
from apps.succession.models import Candidacy, Post, Readiness, ShowChoice
from tests.factories import ProfileFactory, UserFactory


def make_lead(organisation: Organisation, user: User | None = None) -> User:
    """A person (with a profile at the organisation) granted organisation lead for it."""
    lead = user or UserFactory()
    if user is None:
        ProfileFactory(user=lead, organisation=organisation)
    RoleGrant.objects.create(
        user=lead, role=Role.ORGANISATION_LEAD, organisation=organisation, granted_at=timezone.now()
    )
    return lead


def make_post(organisation: Organisation, **fields: Any) -> Post:
    now = timezone.now()
    values: dict[str, Any] = {
        "title": "Deputy medical director",
        "level": LeadershipLevel.DEPUTY_MD,
        "created_at": now,
        "updated_at": now,
    }
    values.update(fields)
    return Post.objects.create(organisation=organisation, **values)


def make_candidacy(person: User, organisation: Organisation, post: Post | None = None, **fields: Any) -> Candidacy:
    now = timezone.now()
    values: dict[str, Any] = {
        "level": post.level if post else LeadershipLevel.DEPUTY_MD,
        "timescale": CareerAimWhen.ONE_TO_2_YEARS,
        "readiness": Readiness.ONE_TO_TWO_YEARS,
        "show": ShowChoice.SUMMARY,
        "created_at": now,
        "reviewed_at": now,
    }
    values.update(fields)
    return Candidacy.objects.create(person=person, organisation=organisation, post=post, **values)
