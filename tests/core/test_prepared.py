"""A prepared query keeps the ORM's SQL only when it depends on nothing but its arguments' ids and instants, and
then answers exactly as the ORM does; anything else is built afresh every time (apps/common/prepared.py)."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.test import override_settings
from django.utils import timezone

from apps.accounts.models import RoleGrant, User
from apps.common.prepared import PreparedQuery
from apps.core.dashboard import _WAITING
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def _joined_since(*, user: User, now: datetime) -> QuerySet[Any]:
    grants = RoleGrant.objects.filter(user=OuterRef("pk"), granted_at__lte=now)
    return (
        User.objects.filter(pk=user.pk)
        .annotate(granted=Exists(grants), others=Count("role_grants"))
        .values("granted", "others", "email")
    )


def test_a_query_of_ids_and_instants_is_kept_and_answers_as_the_orm_does() -> None:
    prepared = PreparedQuery(_joined_since)
    people = [UserFactory() for _ in range(3)]
    now = timezone.now()
    for person in people:
        assert prepared.row(user=person, now=now) == next(iter(_joined_since(user=person, now=now)))
        assert prepared.row(user=person, now=now - timedelta(days=400)) == {
            "granted": False,
            "others": 0,
            "email": person.email,
        }
    assert prepared.compiled({"user": people[0], "now": now}) is not None
    assert isinstance(prepared.row(user=people[0], now=now)["others"], int)  # the ORM's converters applied


@pytest.mark.parametrize(
    "build",
    [
        # a branch on the person
        lambda user, now: (
            User.objects.filter(pk=user.pk, is_active=True).values("pk")
            if user.is_staff
            else User.objects.filter(pk=user.pk).values("pk")
        ),
        # a value derived from the instant
        lambda user, now: User.objects.filter(pk=user.pk, date_joined__lte=now - timedelta(days=7)).values("pk"),
        # a value derived from the person
        lambda user, now: User.objects.filter(email=user.email).values("pk"),
        # the year or the month of the instant
        lambda user, now: User.objects.filter(pk=user.pk, date_joined__year__lte=now.year).values("pk"),
        lambda user, now: User.objects.filter(
            pk=user.pk, date_joined__gte=now.replace(day=1, hour=0, minute=0, second=0, microsecond=0) - timedelta(400)
        ).values("pk"),
        # a branch on an empty name, or on two flags at once
        lambda user, now: (
            User.objects.filter(pk=user.pk).values("pk")
            if user.first_name
            else User.objects.filter(pk=user.pk, is_active=True).values("pk")
        ),
        # today read from the clock while building: the same in both builds, but not tomorrow
        lambda user, now: User.objects.filter(pk=user.pk, date_joined__date__lte=timezone.localdate()).values("pk"),
    ],
    ids=["branch", "derived-instant", "derived-field", "year", "month", "empty-name", "clock"],
)
def test_a_query_that_depends_on_more_is_built_every_time_and_still_right(build: Any) -> None:
    prepared = PreparedQuery(build)
    person = UserFactory(is_staff=True, date_joined=timezone.now() - timedelta(days=30))
    now = timezone.now()
    assert prepared.compiled({"user": person, "now": now}) is None
    assert prepared.row(user=person, now=now) == {"pk": person.pk}


def test_with_the_check_on_a_stored_query_that_the_orm_would_now_build_differently_is_refused() -> None:
    narrow = {"on": False}

    def build(*, user: User, now: datetime) -> QuerySet[Any]:
        people = User.objects.filter(pk=user.pk)
        return (people.filter(is_active=True) if narrow["on"] else people).values("pk")

    prepared = PreparedQuery(build)
    person = UserFactory()
    now = timezone.now()
    assert prepared.row(user=person, now=now) == {"pk": person.pk}
    narrow["on"] = True  # the SQL now depends on something the stand-ins could not show
    with pytest.raises(AssertionError, match="stored SQL differs"):
        prepared.row(user=person, now=now)
    with override_settings(PREPARED_QUERIES_CHECK=False):
        assert prepared.row(user=person, now=now) == {"pk": person.pk}  # production runs what it stored


def test_no_row_is_an_error_not_a_guess() -> None:
    prepared = PreparedQuery(lambda user, now: User.objects.filter(pk=user.pk, date_joined__gt=now).values("pk"))
    with pytest.raises(LookupError, match="0 rows"):
        prepared.row(user=UserFactory(), now=timezone.now())


def test_the_dashboards_query_of_what_waits_is_kept() -> None:
    person = ProfileFactory().user
    now = timezone.now()
    _WAITING.row(user=person, now=now)
    assert _WAITING.compiled({"user": person, "now": now}) is not None


def test_in_production_one_run_in_fifty_is_compared_and_a_difference_stops_the_stored_sql(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from apps.common import prepared as module

    narrow = {"on": False}

    def build(*, user: User, now: datetime) -> QuerySet[Any]:
        people = User.objects.filter(pk=user.pk)
        return (people.filter(is_active=False) if narrow["on"] else people).values("pk")

    monkeypatch.setattr(module, "CHECK_EVERY", 3)
    prepared = PreparedQuery(build)
    person = UserFactory(is_active=True)
    now = timezone.now()
    with override_settings(PREPARED_QUERIES_CHECK=False):
        assert prepared.row(user=person, now=now) == {"pk": person.pk}
        narrow["on"] = True  # from now on the ORM finds no row for an active person
        assert prepared.row(user=person, now=now) == {"pk": person.pk}  # the stored SQL, not compared this run
        with pytest.raises(LookupError, match="0 rows"):  # the third run is compared: the ORM's answer wins
            prepared.row(user=person, now=now)
    assert "stored SQL differs from the ORM's" in caplog.text
    assert prepared.compiled({"user": person, "now": now}) is None  # built afresh from then on


def test_a_build_that_needs_more_than_stand_ins_is_built_every_time() -> None:
    """A selector that reads a related row of the person (a stand-in has none) cannot be prepared: no error, the
    ORM's answer every time."""
    from apps.profiles.models import Profile

    def build(*, user: User, now: datetime) -> QuerySet[Any]:
        return User.objects.filter(pk=user.pk, profile__career_role=user.profile.career_role).values("pk")

    prepared = PreparedQuery(build)
    person = ProfileFactory().user
    assert Profile.objects.filter(user=person).exists()
    assert prepared.row(user=person, now=timezone.now()) == {"pk": person.pk}
    assert prepared.compiled({"user": person, "now": timezone.now()}) is None
