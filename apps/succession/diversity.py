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
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
    (value, label), in the order given). Each person is counted once per row they are in, as given: the caller
    gives each person once per level."""
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
