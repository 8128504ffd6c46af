"""Fixtures for the whole suite. The three-person pattern (owner, colleague, outsider) follows healthchecks."""

from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import import_module

import pytest
import time_machine
from django.apps import apps as django_apps
from django.test import Client

from apps.accounts.models import Role, User

from .factories import ProfileFactory, UserFactory, grant

# Every test runs on the same day, so that none depends on the date it happens to run (a plan across 29 February,
# a reminder past a deadline). The clock ticks from there, so durations and ordering still work. Browser tests and
# tests with real worker processes run on the real clock: Chromium and the workers cannot share a frozen one.
FIXED_NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fixed_day(request: pytest.FixtureRequest) -> Iterator[None]:
    if any(request.node.get_closest_marker(name) for name in ("browser", "services")):
        yield
        return
    with time_machine.travel(FIXED_NOW, tick=True):
        yield


@pytest.fixture
def owner(db: None) -> User:
    """A member with a complete profile: the person whose records are under test."""
    return ProfileFactory(user__email="owner@example.org").user


@pytest.fixture
def colleague(owner: User) -> User:
    """Another member, in the owner's organisation. That alone gives them nothing of the owner's: each feature's
    tests give them the partial access the feature has, such as the owner's mentor with whom the owner shares a
    record (tests/support/colleagues.py), and check they see what is shared and nothing else."""
    return ProfileFactory(user__email="colleague@example.org", organisation=owner.profile.organisation).user


@pytest.fixture
def outsider(db: None) -> User:
    """A signed-up person with no profile yet and no relation to the owner: a stranger."""
    return UserFactory(email="outsider@example.org")


@pytest.fixture
def organiser(db: None) -> User:
    user = ProfileFactory(user__email="organiser@example.org").user
    grant(user, Role.ORGANISER)
    return user


@pytest.fixture
def administrator(db: None) -> User:
    user = ProfileFactory(user__email="administrator@example.org").user
    grant(user, Role.ADMINISTRATOR)
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(owner: User) -> Client:
    return signed_in(owner)


# Migrations load these; the flush after a transactional test removes them, so such tests load them again.
REFERENCE_DATA_MIGRATIONS = [
    "apps.organisations.migrations.0002_regions_and_sectors",
    "apps.profiles.migrations.0002_specialties",
]


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    for module in REFERENCE_DATA_MIGRATIONS:
        import_module(module).load(django_apps, None)
