"""The routes people took, from the role histories of those who agreed to count: the moves between kinds of role
and the years people spent in each. Pure: plain data in, plain data out.

Nothing here may point at a person. So every figure counts people, not spells (someone who moved from clinical
director to medical director twice counts once); a move made by fewer than `minimum` people is left out
altogether, not shown as "fewer than 5", since a rare route is the one a reader could put a name to; and the years
in a role are given as the median and the middle half (lower to upper quartile), never the shortest and longest,
which would be one person's own figures.

A quartile can still be one person's own figure: with 5 people the inclusive quartiles are exactly the 2nd, 3rd
and 4th person's totals, and with any odd number the median is the middle person's. So the years in a role are
shown only where at least `YEARS_MIN_COUNT` (10) people finished a spell there, and every figure is rounded to the
nearest half year, which no longer gives anyone's own total to the day.
"""

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

DAYS_A_YEAR = 365.25
YEARS_MIN_COUNT = 10  # people who finished a spell in a step before its years are shown


@dataclass(frozen=True)
class Spell:
    person: int
    step: str
    started_on: date
    ended_on: date | None


@dataclass(frozen=True)
class Move:
    from_step: str
    to_step: str
    people: int


@dataclass(frozen=True)
class Years:
    step: str
    people: int
    median: float
    lower: float  # lower quartile
    upper: float  # upper quartile


@dataclass(frozen=True)
class Routes:
    people: int  # everyone counted, whether or not any of their moves is shown
    moves: tuple[Move, ...]  # only those made by at least `minimum` people, the commonest first
    moves_left_out: bool  # some moves were made by fewer people and are not shown
    years: tuple[Years, ...]  # only steps where at least `YEARS_MIN_COUNT` people finished a spell, half years


def _by_person(spells: Iterable[Spell]) -> dict[int, list[Spell]]:
    people: dict[int, list[Spell]] = defaultdict(list)
    for spell in spells:
        people[spell.person].append(spell)
    for history in people.values():
        history.sort(key=lambda s: s.started_on)
    return people


def routes(spells: Iterable[Spell], *, minimum: int, order: list[str]) -> Routes:
    """`order` gives the steps in the order a reader expects (the ladder); moves and years follow it."""
    people = _by_person(spells)
    moved: Counter[tuple[str, str]] = Counter()
    years: dict[str, list[float]] = defaultdict(list)
    for history in people.values():
        moved.update({(a.step, b.step) for a, b in pairwise(history)})
        spent: dict[str, float] = defaultdict(float)
        for spell in history:
            if spell.ended_on is not None:
                spent[spell.step] += (spell.ended_on - spell.started_on).days / DAYS_A_YEAR
        for step, total in spent.items():
            years[step].append(total)
    rank = {step: i for i, step in enumerate(order)}
    shown = sorted(
        (Move(a, b, n) for (a, b), n in moved.items() if n >= minimum),
        key=lambda m: (rank.get(m.from_step, len(rank)), -m.people, rank.get(m.to_step, len(rank))),
    )
    return Routes(
        people=len(people),
        moves=tuple(shown),
        moves_left_out=any(n < minimum for n in moved.values()),
        years=tuple(
            _years(step, years[step]) for step in order if len(years.get(step, ())) >= max(minimum, YEARS_MIN_COUNT)
        ),
    )


def half_years(value: float) -> float:
    """To the nearest half year (halves of a half rounded up, not to even, so that 1.25 is 1.5 as a reader
    expects)."""
    return math.floor(value * 2 + 0.5) / 2


def _years(step: str, values: list[float]) -> Years:
    lower, median, upper = statistics.quantiles(values, n=4, method="inclusive")
    return Years(step, len(values), half_years(median), half_years(lower), half_years(upper))


def next_after(spells: Iterable[Spell], *, step: str) -> Counter[str]:
    """What each person did next after their last spell at `step` (people still in it are not counted)."""
    after: Counter[str] = Counter()
    for history in _by_person(spells).values():
        positions = [i for i, spell in enumerate(history) if spell.step == step]
        if positions and positions[-1] + 1 < len(history):
            after[history[positions[-1] + 1].step] += 1
    return after
