"""The community overview's stored counts (issue 20): read from one row, counted again only once at least
`REPORT_MIN_COUNT` people changed, never a count under the threshold, never one person by difference."""

import random
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from apps.accounts.models import User
from apps.organisations.models import Region, Sector
from apps.profiles.community_counts import (
    DIMENSIONS,
    NAME,
    community_overview,
    count_tables,
    renew_community_counts,
)
from apps.profiles.models import CareerAim, CareerRole, CommunityCounts, Profile
from apps.profiles.selectors import completed_profiles
from apps.profiles.tasks import renew_community_counts as renew_task
from tests.conftest import signed_in
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _main(body: str) -> str:
    """The page's own content: its total, tables and the time they are as at."""
    return body.split("<h1", 1)[1].split("</main>", 1)[0]


def _tables(body: str) -> str:
    """The page's counts: its tables and total, without the time they are as at."""
    return re.sub(r"The counts are as at [^.]*\.", "", _main(body))


def _random_profiles(rng: random.Random, n: int) -> None:
    regions, sectors = list(Region.objects.all()), list(Sector.objects.all())
    for _ in range(n):
        ProfileFactory(
            region=rng.choice(regions),
            sector=rng.choice(sectors),
            career_role=rng.choice(CareerRole.values),
            career_aim=rng.choice(CareerAim.values),
        )


def _sql_counts() -> list[list[tuple[str | None, int]]]:
    """An independent count: one GROUP BY per dimension in PostgreSQL, ordered as the page orders."""
    tables = []
    for _key, _title, field, _labels in DIMENSIONS:
        rows = completed_profiles().values(field).annotate(n=Count("id")).order_by("-n", field)
        tables.append([(row[field] or None, row["n"]) for row in rows])
    return tables


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_stored_counts_equal_a_count_in_the_database(seed: int) -> None:
    _random_profiles(random.Random(seed), 60)
    Profile.objects.filter(pk__in=Profile.objects.order_by("?")[:7].values("pk")).update(completed_at=None)
    User.objects.filter(pk__in=Profile.objects.order_by("pk")[:3].values("user_id")).update(is_active=False)
    stored = renew_community_counts(now=NOW)
    assert [[tuple(pair) for pair in table] for table in stored.tables] == _sql_counts()
    assert stored.total == completed_profiles().count()


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_page_never_shows_a_count_under_the_threshold(organiser: User, seed: int) -> None:
    _random_profiles(random.Random(seed), 40)  # many small cells: 7 regions, 40 roles for 41 people
    overview = community_overview(now=NOW)
    shown = [row.count for _title, rows in overview.tables for row in rows if row.count is not None]
    assert shown and all(n >= settings.REPORT_MIN_COUNT for n in shown)
    for _title, rows in overview.tables:
        assert sum(1 for row in rows if row.suppressed) != 1 or len(rows) == 1  # never one cell alone hidden
    body = signed_in(organiser).get(reverse("core:overview")).content.decode()
    numbers = [int(n) for n in re.findall(r"numeric\">(\d+)</td>", body)]
    assert numbers and all(n >= settings.REPORT_MIN_COUNT for n in numbers)


def test_one_person_joining_is_not_visible_by_difference(organiser: User) -> None:
    ProfileFactory.create_batch(12)
    client = signed_in(organiser)
    with time_machine.travel(NOW, tick=False):
        before = client.get(reverse("core:overview")).content.decode()
    newcomer = ProfileFactory(region=Region.objects.get(ods_code="Y60"), career_role=CareerRole.CLINICAL_DIRECTOR)
    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        renew_task()  # beat
        after = client.get(reverse("core:overview")).content.decode()
    assert _main(after) == _main(before)  # the same counts, as at the same time
    # A change of region is a change too, but four changes are still too few.
    Profile.objects.filter(pk=newcomer.pk).update(region=Region.objects.get(ods_code="Y56"))
    ProfileFactory.create_batch(2)
    renew_community_counts(now=NOW + timedelta(minutes=20))
    assert _tables(client.get(reverse("core:overview")).content.decode()) == _tables(before)


def test_counts_are_renewed_once_five_people_changed() -> None:
    ProfileFactory.create_batch(10)
    first = renew_community_counts(now=NOW)
    assert first.total == 10
    leaver = Profile.objects.order_by("pk").first()
    assert leaver is not None
    User.objects.filter(pk=leaver.user_id).update(is_active=False)  # left
    Profile.objects.filter(pk=Profile.objects.order_by("-pk")[0].pk).update(career_aim=CareerAim.CHIEF_EXECUTIVE)
    ProfileFactory.create_batch(2)  # joined
    assert renew_community_counts(now=NOW + timedelta(minutes=10)).total == 10  # 4 changed: kept
    assert CommunityCounts.objects.get().counted_at == NOW
    ProfileFactory()  # the fifth person, but the fourth in the role, sector and region tables: still kept
    assert renew_community_counts(now=NOW + timedelta(minutes=15)).counted_at == NOW
    ProfileFactory()  # five in each table that changed
    renewed = renew_community_counts(now=NOW + timedelta(minutes=20))
    assert (renewed.total, renewed.counted_at) == (13, NOW + timedelta(minutes=20))
    assert [[tuple(pair) for pair in table] for table in renewed.tables] == _sql_counts()
    # Counted from the new counts: one more change is again too few.
    ProfileFactory()
    assert renew_community_counts(now=NOW + timedelta(minutes=30)).total == 13
    assert CommunityCounts.objects.count() == 1


def test_one_person_is_not_shown_by_a_table_only_they_changed() -> None:
    """Five changed people overall are not enough: one person joining while four others change only their career
    aim would give role, sector and region tables that differ by that one person (their role, sector, region)."""
    ProfileFactory.create_batch(20)
    renew_community_counts(now=NOW)
    before = CommunityCounts.objects.get().tables
    ProfileFactory(region=Region.objects.get(ods_code="Y60"), career_role=CareerRole.CLINICAL_DIRECTOR)
    movers = Profile.objects.order_by("pk").values("pk")[:4]
    Profile.objects.filter(pk__in=movers).update(career_aim=CareerAim.CHIEF_EXECUTIVE)
    kept = renew_community_counts(now=NOW + timedelta(minutes=10))
    assert (kept.counted_at, kept.tables) == (NOW, before)
    ProfileFactory.create_batch(4)  # four more joined: five in the role, sector and region tables
    renewed = renew_community_counts(now=NOW + timedelta(minutes=20))
    assert (renewed.counted_at, renewed.total) == (NOW + timedelta(minutes=20), 25)


def _people() -> dict[int, tuple[str | None, ...]]:
    """Who is counted now and their values, read independently of the module under test."""
    fields = [field for _key, _title, field, _labels in DIMENSIONS]
    return {row[0]: tuple(v or None for v in row[1:]) for row in completed_profiles().values_list("user_id", *fields)}


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_two_stored_versions_differ_in_each_table_by_none_or_at_least_five_people(seed: int) -> None:
    rng = random.Random(seed)
    regions, sectors = list(Region.objects.all()), list(Sector.objects.all())
    _random_profiles(rng, 25)
    renew_community_counts(now=NOW)
    stored, renewals = _people(), 0
    for step in range(1, 60):
        profile = Profile.objects.filter(completed_at__isnull=False).order_by("?").first()
        assert profile is not None
        action = rng.choice(["join", "leave", "role", "sector", "region", "aim", "aim"])
        if action == "join":
            _random_profiles(rng, 1)
        elif action == "leave":
            User.objects.filter(pk=profile.user_id).update(is_active=False)
        else:
            field, choice = {
                "role": ("career_role", lambda: rng.choice(CareerRole.values)),
                "sector": ("sector", lambda: rng.choice(sectors)),
                "region": ("region", lambda: rng.choice(regions)),
                "aim": ("career_aim", lambda: rng.choice(CareerAim.values)),
            }[action]
            Profile.objects.filter(pk=profile.pk).update(**{field: choice()})
        counts = renew_community_counts(now=NOW + timedelta(minutes=step))
        if counts.counted_at != NOW + timedelta(minutes=step):
            continue
        renewals += 1
        now = _people()
        for i in range(len(DIMENSIONS)):
            changed = sum(
                1
                for who in stored.keys() | now.keys()
                if who not in stored or who not in now or stored[who][i] != now[who][i]
            )
            assert changed == 0 or changed >= settings.REPORT_MIN_COUNT, (step, DIMENSIONS[i][0], changed)
        assert [[tuple(pair) for pair in table] for table in counts.tables] == _sql_counts()
        stored = now
    assert renewals >= 2


def test_the_first_view_counts_when_nothing_is_stored_and_names_no_one(organiser: User) -> None:
    ProfileFactory.create_batch(6)
    assert not CommunityCounts.objects.exists()
    assert signed_in(organiser).get(reverse("core:overview")).status_code == 200
    stored = CommunityCounts.objects.get(name=NAME)
    assert stored.total == 7  # with the organiser's own
    ids = {str(pk) for pk in User.objects.values_list("pk", flat=True)}
    serialised = str(stored.members)
    assert len(stored.members) == 7
    assert all(re.fullmatch(r"[0-9a-f]{16}", key) and key not in ids for key in stored.members)
    assert "@" not in serialised


def test_the_stored_tables_are_what_counting_gives() -> None:
    people = [(1, ("a", "x", None, "r")), (2, ("b", "x", "s", "r")), (3, ("a", None, "s", "q"))]
    assert count_tables(people) == [
        [("a", 2), ("b", 1)],
        [("x", 2), (None, 1)],
        [("s", 2), (None, 1)],
        [("r", 2), ("q", 1)],
    ]
