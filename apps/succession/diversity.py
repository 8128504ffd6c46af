"""The diversity of an organisation's pipeline, as aggregates only: for each characteristic (gender, ethnic group,
age band, disability), how many people at each level and horizon gave each answer. Pure: plain data in, plain
data out, no Django.

The lead who reads these tables also sees, on the same page, the name of everyone in each row and so each row's
total. Small-number suppression therefore has to hold against a reader who knows the row total, knows this module
and knows the people by name:

- A row of fewer than `minimum` people is hidden whole.
- A row where everyone gave the same answer is hidden whole: showing it would tell the lead that answer for every
  person named in it.
- Otherwise, when any count is under `minimum` (and over zero), every count under `minimum` is hidden, zeros too:
  a shown zero would tell the reader that the hidden counts are each at least one, and two hidden ones adding up
  to two would then be one each.
- The hidden counts add up to the row total less the shown ones. Each could still be worked out when only one is
  hidden, or when they add up to exactly `minimum - 1` each (all at their ceiling); such a row is hidden whole.
  In every other case each hidden count could be at least two different values (tests/succession/test_diversity.py
  checks it exhaustively for small rows).

There are no column totals: a level's total is the sum of its rows, so a column total would let a hidden count be
worked out across rows. `suppress_row` is also what the regional view uses for its partitions of posts.

The rows are disjoint: `one_row_each` puts each person in one row only (the highest level they stand forward for,
at the most ready horizon they gave there). Were someone counted at two levels, two rows sharing everyone but them
would give away their answer by subtraction. And the tables a lead reads are not these live ones but a stored
copy renewed only once enough people's entries changed (services/diversity_snapshots.py): computed live, a count
moving from 5 to 6 as one named person joins would be their answer. That copy is renewed row by row
(`merge_tables`), since the lead knows who is in each row: a threshold over the whole organisation would let four
strangers joining one row publish the one named person who joined another. `tables_to_json` and
`tables_from_json` are how it is kept: only the suppressed tables, nothing about any one person.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

NOT_ANSWERED = ""
NOT_ANSWERED_LABEL = "Not answered"


def suppress_row(counts: Sequence[int], *, minimum: int) -> tuple[int | None, ...] | None:
    """One row of counts as it may be shown beside its total: the counts with the hidden ones as None, or None when
    the whole row is hidden (see the module's docstring for why each rule is there)."""
    if any(n < 0 for n in counts):
        raise ValueError(f"A count cannot be negative: {list(counts)}.")
    total = sum(counts)
    if total < minimum or max(counts, default=0) == total:
        return None
    if not any(0 < n < minimum for n in counts):
        return tuple(counts)
    hidden = [i for i, n in enumerate(counts) if n < minimum]
    if len(hidden) < 2 or sum(counts[i] for i in hidden) == len(hidden) * (minimum - 1):
        return None
    return tuple(None if i in hidden else n for i, n in enumerate(counts))


@dataclass(frozen=True)
class Characteristic:
    """One question of the optional diversity form: its answers as (value, label), "prefer not to say" among them.
    "Not answered" is added here, as a category of its own."""

    code: str
    label: str
    answers: tuple[tuple[str, str], ...]

    @property
    def categories(self) -> tuple[tuple[str, str], ...]:
        return (*self.answers, (NOT_ANSWERED, NOT_ANSWERED_LABEL))


@dataclass(frozen=True)
class Person:
    """One person at one level, at the most ready horizon they gave for it, with their answers by characteristic
    code (a missing or unknown answer counts as not answered)."""

    level: int
    horizon: str
    answers: Mapping[str, str]


@dataclass(frozen=True)
class Row:
    level: int
    horizon: str
    label: str  # the level and the horizon in words
    people: int  # the row total: the lead sees it (and the names) anyway
    counts: tuple[int | None, ...] | None  # by category, None where hidden; None when the whole row is hidden
    as_at: date | None = None  # the day a stored row was worked out (services/diversity_snapshots.py)

    @property
    def hidden(self) -> bool:
        return self.counts is None


@dataclass(frozen=True)
class Table:
    characteristic: str
    categories: tuple[str, ...]  # labels, in the order of each row's counts
    rows: tuple[Row, ...]

    @property
    def anything_shown(self) -> bool:
        return any(not row.hidden for row in self.rows)

    @property
    def shown(self) -> list[tuple[Row, list[tuple[str, int | None]]]]:
        """The rows shown, each with its counts beside their categories' labels (for a page to lay out)."""
        return [(row, list(zip(self.categories, row.counts, strict=True))) for row in self.rows if row.counts]


def diversity_tables(
    people: Sequence[Person],
    *,
    characteristics: Sequence[Characteristic],
    levels: Sequence[tuple[int, str]],
    horizons: Sequence[tuple[str, str]],
    minimum: int,
) -> list[Table]:
    """A table per characteristic, a row per level and horizon that has anyone in it (levels and horizons as
    (value, label), in the order given). Each person is counted once for each time they are given: the caller
    gives each person once (`one_row_each`), so that the rows are disjoint."""
    by_row: dict[tuple[int, str], list[Person]] = {}
    for person in people:
        by_row.setdefault((person.level, person.horizon), []).append(person)
    keys = [
        (level, horizon, f"{level_label}, {horizon_label.lower()}")
        for level, level_label in levels
        for horizon, horizon_label in horizons
        if (level, horizon) in by_row
    ]
    tables = []
    for characteristic in characteristics:
        values = [value for value, _ in characteristic.categories]
        rows = []
        for level, horizon, label in keys:
            members = by_row[(level, horizon)]
            counts = [0] * len(values)
            for person in members:
                answer = person.answers.get(characteristic.code, NOT_ANSWERED)
                counts[values.index(answer) if answer in values else values.index(NOT_ANSWERED)] += 1
            rows.append(Row(level, horizon, label, len(members), suppress_row(counts, minimum=minimum)))
        tables.append(
            Table(
                characteristic=characteristic.label,
                categories=tuple(label for _, label in characteristic.categories),
                rows=tuple(rows),
            )
        )
    return tables


def one_row_each(best: Mapping[tuple[int, int], str]) -> dict[int, tuple[int, str]]:
    """Each person's one row, from their most ready horizon at each level they stand forward for (keyed by
    (person, level)): the highest level, at its horizon. Counted at every level, a person would make two rows that
    differ by them alone."""
    rows: dict[int, tuple[int, str]] = {}
    for (person, level), horizon in best.items():
        if person not in rows or level > rows[person][0]:
            rows[person] = (level, horizon)
    return rows


def tables_to_json(tables: Sequence[Table]) -> list[dict[str, Any]]:
    """The tables as JSON-ready data: what the page shows (hidden counts as null), no more."""
    return [
        {
            "characteristic": table.characteristic,
            "categories": list(table.categories),
            "rows": [
                {
                    "level": row.level,
                    "horizon": row.horizon,
                    "label": row.label,
                    "people": row.people,
                    "counts": None if row.counts is None else list(row.counts),
                    "as_at": None if row.as_at is None else row.as_at.isoformat(),
                }
                for row in table.rows
            ],
        }
        for table in tables
    ]


def tables_from_json(data: Sequence[Mapping[str, Any]]) -> tuple[Table, ...]:
    """The tables `tables_to_json` kept, as they were."""
    return tuple(
        Table(
            characteristic=table["characteristic"],
            categories=tuple(table["categories"]),
            rows=tuple(
                Row(
                    level=row["level"],
                    horizon=row["horizon"],
                    label=row["label"],
                    people=row["people"],
                    counts=None if row["counts"] is None else tuple(row["counts"]),
                    as_at=date.fromisoformat(row["as_at"]) if row.get("as_at") else None,
                )
                for row in table["rows"]
            ),
        )
        for table in data
    )


def merge_tables(
    stored: Sequence[Table],
    fresh: Sequence[Table],
    *,
    renew: set[tuple[int, str]],
    as_at: date,
    order: Sequence[tuple[int, str]],
) -> list[Table]:
    """The stored tables with the rows in `renew` (as (level, horizon)) taken from `fresh`, dated `as_at`, and every
    other row as it was stored; a renewed row no one is in any longer goes. Rows in `order`; tables matched by
    characteristic, in `fresh`'s order."""
    old = {table.characteristic: table for table in stored}
    merged = []
    for table in fresh:
        kept = {(r.level, r.horizon): r for r in old[table.characteristic].rows} if table.characteristic in old else {}
        new = {(r.level, r.horizon): replace(r, as_at=as_at) for r in table.rows}
        rows = [new[key] if key in renew else kept[key] for key in order if key in (new if key in renew else kept)]
        merged.append(Table(characteristic=table.characteristic, categories=table.categories, rows=tuple(rows)))
    return merged
