from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.careers.models import RoleHistoryEntry, RoutesConsent
from apps.careers.selectors import shipped_roles
from apps.careers.services.profiles import role_profiles_load


@pytest.fixture
def roles(db: None) -> None:
    """The shipped role profiles, as `load_role_profiles` loads them."""
    role_profiles_load(specs=shipped_roles(), update=False, now=timezone.now())


def last_month() -> datetime:
    """A moment before this month began: what is recorded then counts in this month's routes figures."""
    return timezone.now() - timedelta(days=32)


def history(
    user: User, *spells: tuple[str, date, date | None], counted: bool = True, at: datetime | None = None
) -> User:
    """Give `user` a role history (kind of role, start, end) and their choice to count it, both recorded `at`
    (by default last month, so that they count in this month's figures)."""
    at = at or last_month()
    RoleHistoryEntry.objects.bulk_create(
        RoleHistoryEntry(owner=user, title=step, step=step, started_on=start, ended_on=end, created_at=at)
        for step, start, end in spells
    )
    RoutesConsent.objects.create(owner=user, counted=counted, changed_at=at)
    return user


def people_with(
    n: int,
    *spells: tuple[str, date, date | None],
    counted: bool = True,
    prefix: str = "p",
    at: datetime | None = None,
) -> list[User]:
    """`n` people with the same history, recorded `at` (by default last month), written in bulk so that thousands
    take a moment."""
    now = at or last_month()
    users = User.objects.bulk_create(User(email=f"{prefix}{i}@example.org") for i in range(n))
    RoleHistoryEntry.objects.bulk_create(
        RoleHistoryEntry(owner=u, title=step, step=step, started_on=start, ended_on=end, created_at=now)
        for u in users
        for step, start, end in spells
    )
    RoutesConsent.objects.bulk_create(RoutesConsent(owner=u, counted=counted, changed_at=now) for u in users)
    return users
