"""The community overview's counts, kept in one row and worked out again only once enough people changed (issue 20).

Recounted on each view, the overview read every completed profile (20,000 at national scale: 227 ms of database
time a view). Kept instead in `CommunityCounts` and checked every few minutes by beat (`renew_community_counts`),
the page reads one row.

When to work them out again is the privacy rule of the first-year cohort counts and the succession diversity
tables (apps/pathways/services.py `cohort_progress_current`, apps/succession/services/diversity_snapshots.py):
"anything derived from few people is suppressed or delayed so that no sequence of views reveals one person".
Recounted on every view (or on a plain timer, at a quiet hour), two views a minute apart differ by the one person
who completed their profile, or changed their region, in between; an organiser who knows who that was reads their
role, sector, region and career aim from the difference, in tables whose every count is far above the threshold.
So new counts are stored only once at least `REPORT_MIN_COUNT` (5) people changed since the stored ones: joined
(completed a profile), left (closed or deactivated their account) or moved in any table. A difference between
two stored versions then mixes at least five people. Until then every view shows the stored counts, "as at" the
time they were worked out. The rule holds table by table, as the succession diversity tables hold it row by row:
every table either unchanged or changed by at least five people. Counted over all tables only, one person joining
while four others changed only their career aim would publish role, sector and region tables that differ by that
one person alone.

To count changed people without keeping who they are, the row holds for each person counted keyed hashes
(HMAC-SHA256 under the secret key, salted for this use, shortened to 64 bits: a collision among 20,000 people has
odds of about 1 in 10^10 and would only delay new counts): one of the person, mapped to one per table of the
person with the value they count towards there. Changed people in a table are those in one set and not the other,
and those whose hash for that table differs.

Two renewals at once (beat and a first view, or two web processes) must not store two versions one person apart:
storing locks the row, looks again, and only then writes. What this cannot stop, as there: an organiser acting
with four others who change their own profiles right after the person they watch.
"""

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from apps.common.reporting import ReportRow, suppress_small_counts, suppressed_total

from .models import CareerAim, CareerRole, CommunityCounts
from .selectors import completed_profiles

NAME = "community"
PERSON_SALT = "apps.profiles.community-counts.person"
ENTRY_SALT = "apps.profiles.community-counts.entry"
HASH_CHARS = 16  # 64 bits

# The overview's tables, in page order: (key, title, the profile value counted, labels of coded values).
DIMENSIONS: list[tuple[str, str, str, dict[str, str] | None]] = [
    ("career_role", "Current role", "career_role", dict(CareerRole.choices)),
    ("sector", "Sector", "sector__name", None),
    ("region", "NHS region", "region__name", None),
    ("career_aim", "Next career aim", "career_aim", dict(CareerAim.choices)),
]

Value = str | None


@dataclass(frozen=True)
class Overview:
    """What the page shows: every count already suppressed."""

    tables: list[tuple[str, list[ReportRow]]]
    total: int | None
    as_at: datetime
    minimum: int


def _hmac(salt: str, value: object) -> str:
    digest = salted_hmac(salt, json.dumps(value), secret=settings.SECRET_KEY, algorithm="sha256").hexdigest()
    return digest[:HASH_CHARS]


def _people_now() -> list[tuple[int, tuple[Value, ...]]]:
    """(person, the values they count towards) for every completed profile of an active account. One query."""
    fields = [field for _key, _title, field, _labels in DIMENSIONS]
    rows = completed_profiles().order_by().values_list("user_id", *fields)
    return [(row[0], tuple(v or None for v in row[1:])) for row in rows]


def count_tables(people: Iterable[tuple[int, tuple[Value, ...]]]) -> list[list[tuple[Value, int]]]:
    """Each dimension's (value, count), largest first, then by value with no value last (as PostgreSQL orders)."""
    counters: list[Counter[Value]] = [Counter() for _ in DIMENSIONS]
    for _person, values in people:
        for counter, value in zip(counters, values, strict=True):
            counter[value] += 1
    return [sorted(counter.items(), key=_largest_first) for counter in counters]


def _largest_first(item: tuple[Value, int]) -> tuple[int, bool, str]:
    value, n = item
    return (-n, value is None, value or "")


Members = dict[str, list[str]]  # keyed hash of a person -> keyed hash of them with their value, table by table


def _members(people: list[tuple[int, tuple[Value, ...]]]) -> Members:
    return {
        _hmac(PERSON_SALT, person): [
            _hmac(ENTRY_SALT, [person, key, value]) for (key, _t, _f, _l), value in zip(DIMENSIONS, values, strict=True)
        ]
        for person, values in people
    }


def changed_people(before: Members, now: Members) -> list[int]:
    """Table by table, how many people joined, left or moved in it (each once)."""
    changed = [0] * len(DIMENSIONS)
    for who in before.keys() | now.keys():
        was, is_ = before.get(who), now.get(who)
        for i in range(len(DIMENSIONS)):
            if was is None or is_ is None or was[i] != is_[i]:
                changed[i] += 1
    return changed


def _renewable(before: Members, now: Members) -> bool:
    """Whether new counts may be stored: some table changed, and every table that changed by at least
    `REPORT_MIN_COUNT` people (a table changed by fewer would show them by difference)."""
    minimum = settings.REPORT_MIN_COUNT
    changed = changed_people(before, now)
    return any(n >= minimum for n in changed) and all(n == 0 or n >= minimum for n in changed)


def renew_community_counts(*, now: datetime) -> CommunityCounts:
    """Count every completed profile and store the counts if none are stored or every table that changed since
    changed by at least `REPORT_MIN_COUNT` people; otherwise leave the stored ones. Returns what is stored. Safe
    to run twice at once."""
    people = _people_now()
    members = _members(people)
    try:
        return _store(people=people, members=members, now=now)
    except IntegrityError:  # another process stored the first counts at the same moment: those are the counts
        return CommunityCounts.objects.get(name=NAME)


@transaction.atomic
def _store(*, people: list[tuple[int, tuple[Value, ...]]], members: Members, now: datetime) -> CommunityCounts:
    stored = CommunityCounts.objects.select_for_update(no_key=True).filter(name=NAME).first()
    if stored is not None and not _renewable(stored.members, members):
        return stored
    counts = stored or CommunityCounts(name=NAME)
    counts.tables = [[[value, n] for value, n in table] for table in count_tables(people)]
    counts.total, counts.members, counts.counted_at = len(people), members, now
    counts.save()
    return counts


def community_overview(*, now: datetime) -> Overview:
    """The overview as an organiser reads it: the stored counts (one query, the people's hashes left in the
    database), suppressed. Only when none were ever stored (beat has not run yet) are they worked out now."""
    stored = CommunityCounts.objects.defer("members").filter(name=NAME).first()
    if stored is None:
        stored = renew_community_counts(now=now)
    minimum = settings.REPORT_MIN_COUNT
    tables = []
    for (_key, title, _field, labels), table in zip(DIMENSIONS, stored.tables, strict=True):
        rows = [(_label(value, labels), n) for value, n in table]
        tables.append((title, suppress_small_counts(rows, minimum=minimum)))
    return Overview(
        tables=tables,
        total=suppressed_total(stored.total, minimum=minimum),
        as_at=stored.counted_at,
        minimum=minimum,
    )


def _label(value: Value, labels: dict[str, str] | None) -> str:
    if value in (None, ""):
        return "Not given"
    return labels.get(str(value), str(value)) if labels else str(value)
