"""Buddy pairing as a maximum-weight matching on one group: plain data in, plain data out (no Django, no database).

A buddy is a peer at the same leadership level in another organisation, ideally in a similar sector and a little
further into the role (seed 002: new medical directors asked for "induction, buddying" and support from peers
outside their own trust; "Can be lonely"). It is not a mentor: the mentoring score, which favours career distance,
does not apply here.

Why blossom: anyone in a cohort may pair with anyone else, so this is a matching on one general graph, not on two
sides. The bipartite tools mentoring uses (min-cost flow, the assignment problem) cannot express it: splitting the
cohort into two halves in advance would forbid good pairs, and a greedy "best pair first" can leave more people
unpaired and a lower total. Edmonds' blossom algorithm finds an exact maximum-weight matching on a general graph in
polynomial time. We use rustworkx's `max_weight_matching` (a Rust port of the blossom implementation networkx has
kept for years), on integer weights so that "exact" is exact, with `max_cardinality=True`: as many people paired as
possible first, then the highest total fit among those pairings.

The hard rules (not oneself, not the same organisation, the same leadership level) decide which pairs exist at all,
so they are edges of the graph, not penalties. Levels never share an edge, so each level is solved as its own graph:
the same optimum, on far smaller graphs.
"""

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import rustworkx as rx

# The fit of a pair, in whole points (integers keep the matching exact).
BASE = 10  # any allowed pair: same level, another organisation
SAME_SECTOR = 40
STAGE_IDEAL = 30  # the partner 3 to 24 months further into the role: close enough to remember the start
STAGE_NEAR = 10  # 1–2 or 25–48 months apart
SAME_REGION = 20
NEIGHBOURING_REGION = 10
MAX_FIT = BASE + SAME_SECTOR + STAGE_IDEAL + SAME_REGION

IDEAL_GAP = range(3, 25)
NEAR_GAP = (*range(1, 3), *range(25, 49))
MAX_MONTHS = 1200
MAX_LEVEL = 9

# NHS England's regions (and Wales) that share a border, by the names the portal stores.
_BORDERS = (
    ("London", "South East"),
    ("London", "East of England"),
    ("South East", "South West"),
    ("South East", "East of England"),
    ("South East", "Midlands"),
    ("South West", "Midlands"),
    ("South West", "Wales"),
    ("Midlands", "East of England"),
    ("Midlands", "North West"),
    ("Midlands", "North East and Yorkshire"),
    ("Midlands", "Wales"),
    ("East of England", "North East and Yorkshire"),
    ("North West", "North East and Yorkshire"),
    ("North West", "Wales"),
)
NEIGHBOURS: frozenset[tuple[str, str]] = frozenset(_BORDERS) | frozenset((b, a) for a, b in _BORDERS)


class CohortError(ValueError):
    """The input does not describe a cohort; the message says where and what is wrong, for a person to read."""


@dataclass(frozen=True, slots=True)
class Person:
    """What pairing knows of a person. `sector` and `region` may be empty (not known): they then add nothing."""

    id: str
    organisation: str
    level: int
    sector: str
    region: str
    months_in_role: int


@dataclass(frozen=True, slots=True)
class Fit:
    score: int
    reasons: tuple[str, ...]

    @property
    def explanation(self) -> str:
        return "; ".join(self.reasons)


@dataclass(frozen=True, slots=True)
class Pair:
    first: str  # the lower id of the two
    second: str
    fit: Fit


@dataclass(frozen=True, slots=True)
class LeftOut:
    id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Pairing:
    pairs: list[Pair]  # sorted by (first, second)
    left_out: list[LeftOut]  # sorted by id
    total_fit: int

    @property
    def paired(self) -> int:
        """How many people have a buddy."""
        return 2 * len(self.pairs)


NO_PARTNER = "Nobody else in the cohort is at the same leadership level in another organisation."
ODD_NUMBER = (
    "An odd number of people at this leadership level could be paired, so one had to be left over; "
    "the pairing with the most people paired and the best total fit left this person out."
)
PARTNERS_TAKEN = (
    "Everyone this person could be paired with (the same level, another organisation) is paired with someone "
    "else: pairing them would have left more people without a buddy."
)


def allowed(a: Person, b: Person) -> bool:
    """The hard rules: two different people, the same leadership level, different organisations."""
    return a.id != b.id and a.level == b.level and a.organisation != b.organisation


def fit(a: Person, b: Person) -> Fit:
    """How good a buddy pair `a` and `b` would make (for an allowed pair), with the reasons in words."""
    score, reasons = BASE, ["Same leadership level, different organisations"]
    if a.sector and a.sector == b.sector:
        score += SAME_SECTOR
        reasons.append(f"Same sector ({a.sector})")
    gap = abs(a.months_in_role - b.months_in_role)
    if gap in IDEAL_GAP:
        score += STAGE_IDEAL
        reasons.append(f"One is {gap} months further into the role: close enough to remember starting")
    elif gap in NEAR_GAP:
        score += STAGE_NEAR
        reasons.append(f"{gap} months apart in the role")
    if a.region and a.region == b.region:
        score += SAME_REGION
        reasons.append(f"Same region ({a.region})")
    elif (a.region, b.region) in NEIGHBOURS:
        score += NEIGHBOURING_REGION
        reasons.append(f"Neighbouring regions ({a.region} and {b.region})")
    return Fit(score=score, reasons=tuple(reasons))


def solve(people: list[Person]) -> Pairing:
    """The pairing with the most people paired and, among those, the highest total fit; the people left out with
    the reason each. Levels are solved one by one (no edge crosses levels, so the optimum is the same)."""
    _refuse_duplicates(people)
    pairs: list[Pair] = []
    for group in _by_level(people):
        pairs.extend(_solve_level(group))
    paired = {p for pair in pairs for p in (pair.first, pair.second)}
    unpaired = [p for p in people if p.id not in paired]
    left_at_level = Counter(p.level for p in unpaired)
    left_out = [LeftOut(id=p.id, reason=_why_left_out(p, people, left_at_level[p.level])) for p in unpaired]
    pairs.sort(key=lambda pair: (pair.first, pair.second))
    left_out.sort(key=lambda item: item.id)
    return Pairing(pairs=pairs, left_out=left_out, total_fit=sum(pair.fit.score for pair in pairs))


def _by_level(people: list[Person]) -> Iterator[list[Person]]:
    levels: dict[int, list[Person]] = {}
    for person in people:
        levels.setdefault(person.level, []).append(person)
    for level in sorted(levels):
        yield levels[level]


def _solve_level(group: list[Person]) -> list[Pair]:
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(len(group)))
    # Added one person's row at a time, so a large level never holds every edge as Python tuples at once.
    for i, a in enumerate(group):
        row = [(i, j, fit(a, b).score) for j, b in enumerate(group[i + 1 :], start=i + 1) if allowed(a, b)]
        if row:
            graph.add_edges_from(row)
    matching = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
    pairs = []
    for i, j in matching:
        a, b = sorted((group[i], group[j]), key=lambda person: person.id)
        pairs.append(Pair(first=a.id, second=b.id, fit=fit(a, b)))
    return pairs


def _why_left_out(person: Person, people: list[Person], left_at_level: int) -> str:
    if not any(allowed(person, other) for other in people):
        return NO_PARTNER
    # "One had to be left over" is true only of the single person left at an odd-sized level; when several are
    # left (most of the level in one organisation), it is that their possible partners are taken.
    if left_at_level == 1 and sum(1 for other in people if other.level == person.level) % 2 == 1:
        return ODD_NUMBER
    return PARTNERS_TAKEN


def _refuse_duplicates(people: list[Person]) -> None:
    seen: dict[str, int] = {}
    for n, person in enumerate(people):
        if person.id in seen:
            raise CohortError(f"people[{n}]: the id {person.id!r} is used twice (first at people[{seen[person.id]}]).")
        seen[person.id] = n


# The JSON file format `buddy_pair` reads: {"people": [{"id", "organisation", "level", "sector", "region",
# "months_in_role"}]}; sector and region may be "" (not known).


def validate(raw: Any) -> list[Person]:
    """The cohort described by decoded JSON, or CohortError saying the first thing wrong with it and where."""
    if not isinstance(raw, dict):
        raise CohortError("The input must be a JSON object with the key 'people'.")
    if "people" not in raw:
        raise CohortError("The key 'people' is missing.")
    if not isinstance(raw["people"], list):
        raise CohortError("'people' must be a list.")
    people = [_person(item, n) for n, item in enumerate(raw["people"])]
    _refuse_duplicates(people)
    return people


def _person(item: Any, n: int) -> Person:
    where = f"people[{n}]"
    if not isinstance(item, dict):
        raise CohortError(f"{where} must be an object.")
    for key in ("id", "organisation", "level", "sector", "region", "months_in_role"):
        if key not in item:
            raise CohortError(f"{where} has no '{key}'.")
    return Person(
        id=_text(item["id"], f"{where}.id", required=True),
        organisation=_text(item["organisation"], f"{where}.organisation", required=True),
        level=_whole(item["level"], f"{where}.level", low=1, high=MAX_LEVEL),
        sector=_text(item["sector"], f"{where}.sector", required=False),
        region=_text(item["region"], f"{where}.region", required=False),
        months_in_role=_whole(item["months_in_role"], f"{where}.months_in_role", low=0, high=MAX_MONTHS),
    )


def _text(value: Any, where: str, *, required: bool) -> str:
    if not isinstance(value, str) or (required and not value.strip()):
        wanted = "a non-empty string" if required else "a string (may be empty)"
        raise CohortError(f"{where} must be {wanted}, not {_shown(value)}.")
    return value


def _whole(value: Any, where: str, *, low: int, high: int) -> int:
    # bool is an int in Python; true/false is not a level or a number of months.
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise CohortError(f"{where} must be a whole number from {low} to {high}, not {_shown(value)}.")
    return value


def pairing_json(pairing: Pairing, *, seconds: float) -> dict[str, Any]:
    """What `buddy_pair` writes: the pairs with score and explanation, the people left out with why."""
    return {
        "pairs": [
            {"first": p.first, "second": p.second, "fit": p.fit.score, "explanation": p.fit.explanation}
            for p in pairing.pairs
        ],
        "left_out": [{"id": item.id, "reason": item.reason} for item in pairing.left_out],
        "paired": pairing.paired,
        "total_fit": pairing.total_fit,
        "seconds": round(seconds, 6),
    }


def _shown(value: Any) -> str:
    """A wrong value as the file wrote it, cut short so a huge one does not flood the message."""
    text = json.dumps(value)
    return text if len(text) <= 60 else f"{text[:57]}..."
