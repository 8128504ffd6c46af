"""Forming action learning sets from applicants: plain data in, plain data out (no Django, no database).

Hard rules, never broken: every set has between `min_size` and `max_size` members; no two members of a set work in
the same organisation; all members of a set can make at least one common weekly slot (the earliest such slot is
reported as the set's meeting time).

Sets formed: the requested number of sets (`Problem.sets`, by default the fewest sets of `max_size` that hold
everyone, ceil(N / max)) is the number formed. There are no empty sets: each set formed has at least `min_size`
members. Only when that many valid sets cannot be formed at all (too few applicants from different organisations
share a time) is the largest number that can be formed used instead; `Grouping.sets` is then shorter than asked.

Objective, lexicographic: first place as many people as possible, then maximise

    score = 10 × Σ_sets distinct sectors − 5 × Σ_sets Σ_stages (excess + shortfall)

where, for n members at career stage c in a set, excess is max(0, n − ⌈N_c / sets⌉) and shortfall is
max(0, ⌊N_c / sets⌋ − n), N_c being the number placed at stage c and `sets` the number formed.

Algorithm:
1. Slot plan. A slot plan says how many sets meet at each slot. For a plan, the most people that can be placed is a
   min-cost flow (person → organisation-at-slot, capacity 1 → slot, capacity sets-at-slot → sink, where the first
   `min_size` per set are worth far more than the rest so every set reaches the minimum first). Any pool of people at
   a slot whose organisations each have at most one person per set can be dealt into that many valid sets, so the
   flow's value is exactly the best placement for the plan. When there are at most PLANS_TO_ENUMERATE plans (small
   problems) every one is solved, so the number placed, and whether the sets asked for can be formed at all, is
   exact, and all the plans placing the most are kept. Otherwise a plan proportional to demand is improved by moving
   one set at a time to another slot while that places more; up to MEDIUM people, random two-set kicks followed by
   such moves then look for other plans as good (or better), within KICK_FLOWS flows; then a wider such search
   (each climb stopping once as good as the best, WIDE_KICK_FLOWS flows, a generator of its own) collects more
   plans as good, for a second round in step 3.
2. Construction: each slot's pool is dealt round-robin, organisation by organisation, into its sets.
3. Local search: simulated annealing over moves (a member into another set), swaps (members of two sets), rotations
   (three members round three sets: needed when one organisation has someone in each), replacements (a member with
   someone unplaced) and insertions (someone unplaced into a set with room, always taken); a set may drift to any
   slot its members share, but not always far, so the plan it starts from matters. Up to MEDIUM people: when there
   are more than RESTARTS plans, each of up to SCREEN_PLANS gets a short run and the RESTARTS best are kept; one full
   run from each; each run ends (up to DESCENT_LIMIT people) with an exhaustive descent over every insertion,
   replacement, move and swap (and rotation, up to SMALL people), so the result is a true local optimum; then
   every pair of sets is split afresh, the best way (an exhaustive, vectorised search over the splits of their
   members), and the descent repeated, while that gains: two sets can so move together to times no swap reaches.
   Second round, up to MEDIUM people: EXTRA_RUNS more runs from the best (after a short run each) of the plans only
   the wider search found, with a generator of their own, so the first round is unchanged and the result can only
   improve. The optimum of tight medium problems often meets at other times than the first plans found. Above
   MEDIUM: two runs, one above 400 people.
Every step is counted, not timed, and the random generator has a fixed seed: the same input always gives the same
output, on any machine. A run takes STEP_FACTOR × people² steps, at most MAX_TOTAL_STEPS over all runs (the second
round's aside): 1,000 applicants take about 3 to 4 seconds on the benchmark machine (docs/BENCHMARKS.md), 50 about
2 to 3.

Evidence of quality: on small problems (up to 24 people, 2 or 3 sets) the result equals the optimum proved by an
independent CP-SAT model (`grouping_exact`) in the tests, property tests included, and in thousands of random
problems tried before; at 1,000 applicants the score is within 0.3 % of an upper bound. Between those, on tight
problems (few organisations, many left out) it can fall short of the optimum, as the benchmark shows; and on large
inputs step 1 is a heuristic, so in a rare tight case fewer sets than possible might be formed, or, when no plan
found places as many as the best one, fewer people placed than possible (als_generate 64 applicants, seed 1: 53
where CP-SAT places 54).
"""

import itertools
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

from apps.learning_sets.slots import ALL_SLOTS, is_valid_slot

DEFAULT_MIN_SIZE = 6
DEFAULT_MAX_SIZE = 8
SECTOR_POINTS = 10
STAGE_POINTS = 5

SEED = 20_240_607
PLANS_TO_ENUMERATE = 1_500  # try every slot plan when there are at most this many (small problems)
CLIMB_ROUNDS = 60
CLIMB_CANDIDATES = 6  # slots considered on each side of a hill-climbing move
SMALL = 30  # people: up to this many, the final descent tries every rotation too
MEDIUM = 80  # people: up to this many, RESTARTS runs from the best of several slot plans; above, two (one above 400)
RESTARTS = 6
KICK_FLOWS = 600  # flows solved looking for other equally good (or better) slot plans, when not all were tried
WIDE_KICK_FLOWS = 2_400  # flows of the wider search for equally good plans, for a second round of runs
EXTRA_RUNS = 2  # annealing runs of that second round
SCREEN_PLANS = 24  # plans given a short annealing run to choose the RESTARTS to start from
SCREEN_FACTOR = 4  # steps of each short run, × people²
MAX_SCREEN_STEPS = 12_000
REPARTITION_LIMIT = 18  # people in two sets: above this, splitting them afresh is not tried
DESCENT_LIMIT = 60  # people: up to this many, each restart ends with an exhaustive descent
# Annealing steps per restart: STEP_FACTOR × people², as the pairs to try grow with the square; between these bounds.
STEP_FACTOR = 40
MIN_STEPS = 2_000
MAX_TOTAL_STEPS = 1_400_000  # across all restarts: caps the run at a few seconds for 1,000 applicants
START_TEMPERATURE = 12.0
END_TEMPERATURE = 0.4
MOVE_SHARE = 0.3  # of proposals between two sets: move one person into the other set
ROTATE_SHARE = 0.1  # of proposals between two sets: rotate three people round three sets (else: swap two)

NO_AVAILABILITY = "gave no availability"
NO_SET_FORMED = "no set could be formed: too few applicants from different organisations share a time"
NO_SET_AT_THEIR_TIMES = "no set meets at a time they can make"
NO_ROOM = "no set has room at a time they can make"
SAME_ORGANISATION = "every set with room at a time they can make already has someone from their organisation"


class ProblemError(ValueError):
    """The input does not describe a grouping problem; the message says what is wrong, for a person to read."""


@dataclass(frozen=True, slots=True)
class Participant:
    id: str
    organisation: str
    sector: str
    stage: str
    slots: tuple[str, ...]  # weekly slots from apps.learning_sets.slots.ALL_SLOTS


@dataclass(frozen=True, slots=True)
class Problem:
    participants: list[Participant]
    min_size: int = DEFAULT_MIN_SIZE
    max_size: int = DEFAULT_MAX_SIZE
    sets: int | None = None  # None: the fewest sets that hold everyone, ceil(N / max_size)

    @property
    def set_count(self) -> int:
        """The number of sets asked for."""
        if self.sets is not None:
            return self.sets
        return -(-len(self.participants) // self.max_size)


@dataclass(frozen=True, slots=True)
class LearningSet:
    members: list[str]  # sorted
    slot: str


@dataclass(frozen=True, slots=True)
class Unplaced:
    id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Grouping:
    sets: list[LearningSet]  # in slot order, then by first member
    unplaced: list[Unplaced]  # sorted by id
    score: int

    @property
    def placed(self) -> int:
        return sum(len(learning_set.members) for learning_set in self.sets)


def group(problem: Problem) -> Grouping:
    """The sets that place the most people and, among those, score highest (see the module docstring)."""
    check(problem)
    instance = _Instance.build(problem)
    rng = random.Random(SEED)
    for count in range(problem.set_count, 0, -1):
        plans = _slot_plans(instance, count, rng)
        if plans:
            state = _search(instance, count, plans, rng)
            return _grouping(problem, instance, state.where, count)
    return _grouping(problem, instance, [-1] * instance.n, 0)


def score(problem: Problem, sets: Sequence[Sequence[str]]) -> int:
    """The score of sets given as lists of participant ids (valid or not: only the formula is applied)."""
    index = {participant.id: i for i, participant in enumerate(problem.participants)}
    instance = _Instance.build(problem)
    return _score(instance, [[index[id_] for id_ in members] for members in sets])


def check(problem: Problem) -> None:
    """ProblemError unless the set sizes and the number of sets can hold, and fill, every participant."""
    low, high, n = problem.min_size, problem.max_size, len(problem.participants)
    if low < 1:
        raise ProblemError(f"The smallest set size must be 1 or more, not {low}.")
    if high < low:
        raise ProblemError(f"The largest set size ({high}) is smaller than the smallest ({low}).")
    count = problem.set_count
    if problem.sets is None:
        if count * low > n:
            holds = "holds" if count == 2 else "hold"
            fewer = f"{_sets(count - 1)} {holds} at most {(count - 1) * high} and " if count > 1 else ""
            raise ProblemError(
                f"The {n} participants cannot be split into sets of {low} to {high} people: "
                f"{fewer}{_sets(count)} {'needs' if count == 1 else 'need'} at least {count * low}. "
                "Change the set sizes."
            )
        return
    if count < 1:
        raise ProblemError(f"The number of sets must be 1 or more, not {count}.")
    if count * high < n:
        raise ProblemError(
            f"{_sets(count)} of at most {high} {'holds' if count == 1 else 'hold'} {count * high}, fewer than the {n} "
            f"participants: ask for at least {-(-n // high)} sets or allow bigger sets."
        )
    if count * low > n:
        raise ProblemError(
            f"{_sets(count)} of at least {low} {'needs' if count == 1 else 'need'} {count * low} people, but there "
            f"{'is' if n == 1 else 'are'} only {n} {'participant' if n == 1 else 'participants'}: ask for at most "
            f"{n // low} {'set' if n // low == 1 else 'sets'} or allow smaller sets."
        )


def _sets(count: int) -> str:
    return f"{count} set" if count == 1 else f"{count} sets"


# --- The problem as integers -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Instance:
    """Participants as small integers. Masks are bit sets over `slots` (indices into ALL_SLOTS) that can host a set.

    A slot is left out when fewer than `min_size` people can make it (no set can meet there) or when everyone who can
    make it can also make another slot (any set meeting there could meet at the other one instead).
    """

    n: int
    min_size: int
    max_size: int
    org: list[int]
    sector: list[int]
    stage: list[int]
    full_mask: list[int]  # over all 30 slots
    mask: list[int]  # over the usable slots only
    slots: list[int]  # usable slots, as indices into ALL_SLOTS
    people_at: list[list[int]]  # per usable slot
    sectors: int
    stages: int

    @classmethod
    def build(cls, problem: Problem) -> "_Instance":
        people = problem.participants
        slot_index = {slot: i for i, slot in enumerate(ALL_SLOTS)}
        full_mask = [sum(1 << slot_index[slot] for slot in set(person.slots)) for person in people]
        usable = _usable_slots(full_mask, problem.min_size)
        mask = [sum(1 << j for j, slot in enumerate(usable) if bits >> slot & 1) for bits in full_mask]
        return cls(
            n=len(people),
            min_size=problem.min_size,
            max_size=problem.max_size,
            org=_codes([person.organisation for person in people]),
            sector=_codes([person.sector for person in people]),
            stage=_codes([person.stage for person in people]),
            full_mask=full_mask,
            mask=mask,
            slots=usable,
            people_at=[[p for p in range(len(people)) if mask[p] >> j & 1] for j in range(len(usable))],
            sectors=len({person.sector for person in people}),
            stages=len({person.stage for person in people}),
        )

    def placeable(self) -> list[int]:
        return [p for p in range(self.n) if self.mask[p]]


def _codes(values: list[str]) -> list[int]:
    code: dict[str, int] = {}
    return [code.setdefault(value, len(code)) for value in values]


def _usable_slots(full_mask: list[int], min_size: int) -> list[int]:
    """Indices into ALL_SLOTS of slots at least `min_size` people can make and not dominated by another such slot."""
    who = [sum(1 << p for p, bits in enumerate(full_mask) if bits >> s & 1) for s in range(len(ALL_SLOTS))]
    popular = [s for s in range(len(ALL_SLOTS)) if who[s].bit_count() >= min_size]

    def dominated(s: int) -> bool:
        return any(t != s and who[s] & ~who[t] == 0 and (who[s] != who[t] or t < s) for t in popular)

    return [s for s in popular if not dominated(s)]


# --- Slot plans: how many sets meet at each slot, and who goes to which slot -----------------------------------------


@dataclass(frozen=True)
class _Plan:
    counts: tuple[int, ...]  # sets per usable slot
    slot_of: tuple[int, ...]  # per person: usable slot index, or -1 when not placed
    lower: int  # people counted towards the sets' minimum sizes
    placed: int
    extra: bool = False  # found by the wider search: for the second round of `_search`

    def key(self) -> tuple[int, int]:
        return self.lower, self.placed


class _SlotFlow:
    """The most people a slot plan can place, as a min-cost flow (OR-Tools' exact network simplex)."""

    def __init__(self, instance: _Instance) -> None:
        self.instance = instance
        self.people = instance.placeable()
        slots = len(instance.slots)
        org_slot: dict[tuple[int, int], int] = {}
        self.pairs: list[tuple[int, int]] = []  # (person, slot) of each person arc
        heads: list[int] = []
        first_person = 2
        first_org_slot = first_person + len(self.people)
        for p in self.people:
            for j in _bits(instance.mask[p]):
                node = org_slot.setdefault((instance.org[p], j), first_org_slot + len(org_slot))
                self.pairs.append((p, j))
                heads.append(node)
        first_slot = first_org_slot + len(org_slot)
        self.org_slot_slot = np.array([j for _, j in org_slot], dtype=np.int64)
        people = np.arange(first_person, first_person + len(self.people), dtype=np.int32)
        person_of_pair = {p: first_person + i for i, p in enumerate(self.people)}
        slot_nodes = np.arange(first_slot, first_slot + slots, dtype=np.int32)
        self.tails = np.concatenate(
            [
                np.zeros(len(self.people), dtype=np.int32),  # source → person
                np.array([person_of_pair[p] for p, _ in self.pairs], dtype=np.int32),
                np.array(list(org_slot.values()), dtype=np.int32),
                slot_nodes,  # slot → sink, the part that fills the minimum sizes
                slot_nodes,  # slot → sink, the rest
                np.zeros(1, dtype=np.int32),  # source → sink: whoever is not placed
            ]
        )
        self.heads = np.concatenate(
            [
                people,
                np.array(heads, dtype=np.int32),
                first_slot + self.org_slot_slot.astype(np.int32),
                np.ones(2 * slots + 1, dtype=np.int32),
            ]
        )
        # A person towards a minimum size is worth more than everyone else together: minimums are filled first.
        bonus = len(self.people) + 1
        self.costs = np.concatenate(
            [
                np.zeros(len(self.people) + len(self.pairs) + len(org_slot), dtype=np.int64),
                np.full(slots, -(bonus + 1), dtype=np.int64),
                np.full(slots, -1, dtype=np.int64),
                np.zeros(1, dtype=np.int64),
            ]
        )
        self.person_arcs = slice(len(self.people), len(self.people) + len(self.pairs))
        lower_start = len(self.people) + len(self.pairs) + len(org_slot)
        self.lower_arcs = slice(lower_start, lower_start + slots)

    def solve(self, counts: Sequence[int]) -> _Plan:
        instance, sets = self.instance, np.asarray(counts, dtype=np.int64)
        capacities = np.concatenate(
            [
                np.ones(len(self.people) + len(self.pairs), dtype=np.int64),
                sets[self.org_slot_slot],
                sets * instance.min_size,
                sets * (instance.max_size - instance.min_size),
                np.array([len(self.people)], dtype=np.int64),
            ]
        )
        network = min_cost_flow.SimpleMinCostFlow()
        network.add_arcs_with_capacity_and_unit_cost(self.tails, self.heads, capacities, self.costs)
        network.set_node_supply(0, len(self.people))
        network.set_node_supply(1, -len(self.people))
        status = network.solve()
        if status != network.OPTIMAL:
            raise RuntimeError(f"The slot flow stopped with status {status!r}.")
        flows = network.flows(np.arange(len(self.tails), dtype=np.int64))
        slot_of = [-1] * instance.n
        for arc in np.flatnonzero(flows[self.person_arcs]).tolist():
            person, slot = self.pairs[arc]
            slot_of[person] = slot
        lower = int(flows[self.lower_arcs].sum())
        return _Plan(tuple(counts), tuple(slot_of), lower, sum(1 for slot in slot_of if slot >= 0))


def _bits(mask: int) -> list[int]:
    return [j for j in range(mask.bit_length()) if mask >> j & 1]


def _slot_plans(instance: _Instance, count: int, rng: random.Random) -> list[_Plan]:
    """The best slot plans found for `count` sets (every set able to reach the minimum size), best first."""
    slots = len(instance.slots)
    if slots == 0 or count * instance.min_size > len(instance.placeable()):
        return []
    flow = _SlotFlow(instance)
    if math.comb(slots + count - 1, count) <= PLANS_TO_ENUMERATE:
        plans = _every_plan(instance, flow, count)
    else:
        plans = [_climb(instance, flow, count)]
    feasible = [plan for plan in plans if plan.lower == count * instance.min_size]
    best = max((plan.placed for plan in feasible), default=-1)
    plans = [plan for plan in feasible if plan.placed == best]
    if len(plans) == 1 and len(flow.people) <= MEDIUM:
        plans = _kicked(instance, flow, plans[0], rng)
        if plans:
            # A wider, separate search for more plans as good, for the second round of `_search`.
            more = _kicked(instance, flow, plans[0], random.Random(SEED + 1), WIDE_KICK_FLOWS, wide=True)
            if more[0].key() > plans[0].key():
                return more  # places more: these are the plans now
            known = {plan.counts for plan in plans}
            extra = [plan for plan in more if plan.counts not in known]
            return plans + [_Plan(plan.counts, plan.slot_of, plan.lower, plan.placed, extra=True) for plan in extra]
    return plans


def _every_plan(instance: _Instance, flow: _SlotFlow, count: int) -> list[_Plan]:
    """Every slot plan that could fill its sets' minimums, solved (an exact search over plans)."""
    room = [len(people) for people in instance.people_at]
    plans: list[_Plan] = []
    for chosen in itertools.combinations_with_replacement(range(len(room)), count):
        counts = [0] * len(room)
        for j in chosen:
            counts[j] += 1
        if all(counts[j] * instance.min_size <= room[j] for j in chosen):
            plans.append(flow.solve(counts))
    return plans


def _climb(instance: _Instance, flow: _SlotFlow, count: int) -> _Plan:
    """A plan proportional to demand, improved by moving one set at a time to another slot while that helps: the
    best of every such move up to MEDIUM people, of the promising ones above (each move costs a flow)."""
    plan = flow.solve(_proportional(instance, count))
    goal = (count * instance.min_size, len(flow.people))
    for _ in range(CLIMB_ROUNDS):
        if plan.key() == goal:
            break
        best = plan
        moves = _every_move(plan.counts) if len(flow.people) <= MEDIUM else _promising_moves(instance, plan)
        for source, target in moves:
            counts = list(plan.counts)
            counts[source] -= 1
            counts[target] += 1
            if counts[target] * instance.min_size > len(instance.people_at[target]):
                continue
            candidate = flow.solve(counts)
            if candidate.key() > best.key():
                best = candidate
        if best is plan:
            break
        plan = best
    return plan


def _kicked(
    instance: _Instance, flow: _SlotFlow, plan: _Plan, rng: random.Random, budget: int = KICK_FLOWS, wide: bool = False
) -> list[_Plan]:
    """Plans as good as `plan` (or better: then those), by iterated local search within a budget of flows: move two
    sets of a plan found so far at random, then move one set at a time while that helps, taking the first move
    that does.

    Which people a plan puts together decides the mix, and the annealing cannot always move a set to another time,
    so the search wants several starting plans, not one; equally good plans are often two or more moves apart.
    `wide`: each climb stops as soon as it is as good as the best plan, so that the budget reaches more plans.
    """
    found = {plan.counts: plan}
    while budget > 0:
        start = list(found.values())[int(rng.random() * len(found))]
        counts = list(start.counts)
        for _ in range(2):
            source = rng.choice([j for j, sets in enumerate(counts) if sets])
            counts[source] -= 1
            counts[int(rng.random() * len(counts))] += 1
        candidate, used = _first_improvement(instance, flow, counts, rng, budget, plan.key() if wide else _NEVER_ENOUGH)
        budget -= used
        if candidate.key() > plan.key():
            found, plan = {}, candidate
        if candidate.key() == plan.key():
            found[candidate.counts] = candidate
    return list(found.values())


_NEVER_ENOUGH = (math.inf, math.inf)


def _first_improvement(
    instance: _Instance,
    flow: _SlotFlow,
    counts: list[int],
    rng: random.Random,
    budget: int,
    enough: tuple[float, float],
) -> tuple[_Plan, int]:
    """Moves one set at a time, in random order, taking the first move that places more, until none does or the plan
    is as good as `enough`; the plan and flows used."""
    plan, used = flow.solve(counts), 1
    improved = plan.key() < enough
    while improved and used < budget:
        improved = False
        moves = _every_move(plan.counts)
        rng.shuffle(moves)
        for source, target in moves:
            if used >= budget:
                break
            counts = list(plan.counts)
            counts[source] -= 1
            counts[target] += 1
            if counts[target] * instance.min_size > len(instance.people_at[target]):
                continue
            candidate = flow.solve(counts)
            used += 1
            if candidate.key() > plan.key():
                plan, improved = candidate, candidate.key() < enough
                break
    return plan, used


def _every_move(counts: Sequence[int]) -> list[tuple[int, int]]:
    """Every (from slot, to slot) move of one set."""
    slots = range(len(counts))
    return [(source, target) for source in slots if counts[source] for target in slots if target != source]


def _proportional(instance: _Instance, count: int) -> list[int]:
    """Sets per slot in proportion to demand, each person's demand spread over the slots they can make."""
    demand = [0.0] * len(instance.slots)
    for p in instance.placeable():
        slots = _bits(instance.mask[p])
        for j in slots:
            demand[j] += 1 / len(slots)
    limit = [len(people) // instance.min_size for people in instance.people_at]
    counts = [0] * len(demand)
    for _ in range(count):
        # Largest remaining demand per set already there, among slots that could still fill one more set.
        open_ = [j for j in range(len(demand)) if counts[j] < limit[j]] or list(range(len(demand)))
        j = max(open_, key=lambda j: (demand[j] / (counts[j] + 1), -j))
        counts[j] += 1
    return counts


def _promising_moves(instance: _Instance, plan: _Plan) -> list[tuple[int, int]]:
    """(from slot, to slot) pairs worth trying: away from slots short of their minimum or with spare room, towards
    slots where unplaced people could meet."""
    filled = [0] * len(plan.counts)
    for slot in plan.slot_of:
        if slot >= 0:
            filled[slot] += 1
    wanted = [0] * len(plan.counts)
    for p in instance.placeable():
        if plan.slot_of[p] < 0:
            for j in _bits(instance.mask[p]):
                wanted[j] += 1
    low, high = instance.min_size, instance.max_size
    sources = sorted(
        (j for j, sets in enumerate(plan.counts) if sets),
        key=lambda j: (-max(0, plan.counts[j] * low - filled[j]), -(plan.counts[j] * high - filled[j]), j),
    )[:CLIMB_CANDIDATES]
    targets = sorted(
        range(len(plan.counts)), key=lambda j: (-wanted[j], -len(instance.people_at[j]) + filled[j], j)
    )[:CLIMB_CANDIDATES]
    return [(source, target) for source in sources for target in targets if source != target]


# --- Local search ----------------------------------------------------------------------------------------------------


class _State:
    """Sets being improved: who is where, and the counts the score is made of."""

    def __init__(self, instance: _Instance, count: int, where: list[int]) -> None:
        self.instance, self.count = instance, count
        self.where = list(where)  # set index, or -1 when not placed
        self.members: list[list[int]] = [[] for _ in range(count)]
        for p, g in enumerate(where):
            if g >= 0:
                self.members[g].append(p)
        self.orgs = [{instance.org[p] for p in members} for members in self.members]
        self.sector_counts = [[0] * instance.sectors for _ in range(count)]
        self.stage_counts = [[0] * instance.stages for _ in range(count)]
        for g, members in enumerate(self.members):
            for p in members:
                self.sector_counts[g][instance.sector[p]] += 1
                self.stage_counts[g][instance.stage[p]] += 1
        self.common = [self.mask_of(members) for members in self.members]
        # Per set, lazily: member → the slots all the other members can make (None: to be worked out again).
        self.without: list[dict[int, int] | None] = [None] * count
        self.unplaced = [p for p in instance.placeable() if where[p] < 0]
        self.placed = sum(len(members) for members in self.members)
        self.placed_at = [sum(counts[c] for counts in self.stage_counts) for c in range(instance.stages)]
        self.refresh_targets()
        self.score = _score(instance, self.members)

    def mask_of(self, members: Sequence[int]) -> int:
        """The slots all `members` can make (every bit set for no members)."""
        bits = -1
        mask = self.instance.mask
        for p in members:
            bits &= mask[p]
        return bits

    def refresh_targets(self) -> None:
        """Shortfall plus excess for 0 … max_size + 1 members at each stage, from ⌊N_c / sets⌋ and ⌈N_c / sets⌉."""
        sizes, count = range(self.instance.max_size + 2), max(1, self.count)  # no sets: nothing to deviate
        self.deviation = [
            [max(0, n - -(-total // count)) + max(0, total // count - n) for n in sizes]
            for total in self.placed_at
        ]

    def stage_penalty(self, stage: int) -> int:
        """Shortfall plus excess at one stage, summed over the sets."""
        deviation = self.deviation[stage]
        return sum(deviation[counts[stage]] for counts in self.stage_counts)

    def add(self, p: int, g: int) -> None:
        instance = self.instance
        self.where[p] = g
        self.placed += 1
        self.members[g].append(p)
        self.orgs[g].add(instance.org[p])
        self.sector_counts[g][instance.sector[p]] += 1
        self.stage_counts[g][instance.stage[p]] += 1
        self.placed_at[instance.stage[p]] += 1
        self.common[g] &= instance.mask[p]
        self.without[g] = None

    def remove(self, p: int) -> int:
        instance, g = self.instance, self.where[p]
        self.where[p] = -1
        self.placed -= 1
        self.members[g].remove(p)
        self.orgs[g].discard(instance.org[p])
        self.sector_counts[g][instance.sector[p]] -= 1
        self.stage_counts[g][instance.stage[p]] -= 1
        self.placed_at[instance.stage[p]] -= 1
        self.common[g] = self.mask_of(self.members[g])
        self.without[g] = None
        return g

    def change(self, g: int, leaving: int, joining: int) -> int:
        """Score change if `leaving` leaves set g and `joining` joins it (-1: nobody), with the stage targets fixed."""
        instance = self.instance
        sectors, stages, deviation = self.sector_counts[g], self.stage_counts[g], self.deviation
        delta = 0
        out_sector = instance.sector[leaving] if leaving >= 0 else -1
        in_sector = instance.sector[joining] if joining >= 0 else -1
        if out_sector != in_sector:
            if out_sector >= 0 and sectors[out_sector] == 1:
                delta -= SECTOR_POINTS
            if in_sector >= 0 and sectors[in_sector] == 0:
                delta += SECTOR_POINTS
        out_stage = instance.stage[leaving] if leaving >= 0 else -1
        in_stage = instance.stage[joining] if joining >= 0 else -1
        if out_stage != in_stage:
            if out_stage >= 0:
                n = stages[out_stage]
                delta -= STAGE_POINTS * (deviation[out_stage][n - 1] - deviation[out_stage][n])
            if in_stage >= 0:
                n = stages[in_stage]
                delta -= STAGE_POINTS * (deviation[in_stage][n + 1] - deviation[in_stage][n])
        return delta

    def fits(self, p: int, g: int, leaving: int = -1) -> bool:
        """Whether p may join set g (in place of `leaving`, if given) without breaking the organisation or time rule."""
        instance = self.instance
        org = instance.org[p]
        if org in self.orgs[g] and (leaving < 0 or instance.org[leaving] != org):
            return False
        mask = instance.mask[p]
        if self.common[g] & mask:
            return True
        if leaving < 0:
            return False
        without = self.without[g] or self._without(g)
        return bool(without[leaving] & mask)

    def _without(self, g: int) -> dict[int, int]:
        """Member → the slots all other members of set g can make, from running ANDs both ways (linear time)."""
        members, mask = self.members[g], self.instance.mask
        before = [-1]
        for p in members:
            before.append(before[-1] & mask[p])
        without, after = {}, -1
        for i in range(len(members) - 1, -1, -1):
            without[members[i]] = before[i] & after
            after &= mask[members[i]]
        self.without[g] = without
        return without

    def key(self) -> tuple[int, int]:
        """What the search maximises: people placed, then score."""
        return self.placed, self.score

    def insert_everyone_possible(self) -> None:
        """Places each unplaced person who fits a set with room: one more placed always beats any score."""
        for p in list(self.unplaced):
            for g in range(self.count):
                if len(self.members[g]) < self.instance.max_size and self.fits(p, g):
                    self.add(p, g)
                    self.unplaced.remove(p)
                    self.refresh_targets()
                    break
        self.score = _score(self.instance, self.members)


def _search(instance: _Instance, count: int, plans: list[_Plan], rng: random.Random) -> _State:
    """The best state over several annealing runs, each from a plan dealt into sets."""
    extra = [plan for plan in plans if plan.extra]
    plans = [plan for plan in plans if not plan.extra]
    best = _runs(instance, count, plans, rng)
    if extra:
        # Second round: the best few of the plans only the wider search found, with a generator of their own, so
        # that the first round is as it would be without them and the result can only get better.
        second = random.Random(SEED + 2)
        state = _runs(instance, count, extra, second, EXTRA_RUNS)
        if state.key() > best.key():
            best = state
    return best


def _runs(
    instance: _Instance, count: int, plans: list[_Plan], rng: random.Random, restarts: int = RESTARTS
) -> _State:
    """The best state of annealing runs, each from a plan dealt into sets."""
    people = len(instance.placeable())
    if people <= MEDIUM:
        # Sets cannot always drift from one time to another one swap at a time (each step must keep a shared time),
        # so the runs start from the equally good plans that did best in a quick trial.
        plans = _screen(instance, count, plans, rng, restarts) if len(plans) > restarts else plans
    else:
        restarts = 2 if people <= 400 else 1
    steps = min(max(STEP_FACTOR * people * people, MIN_STEPS), MAX_TOTAL_STEPS // restarts)
    best: _State | None = None
    for run in range(restarts):
        state = _State(instance, count, _deal(instance, plans[run % len(plans)], rng))
        state.insert_everyone_possible()
        state = _State(instance, count, _anneal(state, rng, steps)[1])
        state.insert_everyone_possible()
        if people <= DESCENT_LIMIT:
            _descend(state)
        if people <= MEDIUM:
            while _repartition_pairs(state):
                if people <= DESCENT_LIMIT:
                    _descend(state)
        if best is None or state.key() > best.key():
            best = state
    assert best is not None
    return best


def _repartition_pairs(state: _State) -> bool:
    """Splits the members of each pair of sets afresh, the best way (an exhaustive search); whether any improved.

    The two sets may end up meeting at times neither could reach one swap at a time, which is how a set moves to
    another time when the annealing cannot walk it there.
    """
    improved = False
    for g in range(state.count):
        for h in range(g + 1, state.count):
            improved |= _repartition(state, g, h)
    return improved


def _repartition(state: _State, g: int, h: int) -> bool:
    """The best split of sets g and h's members into two valid sets, taken if it scores more; whether it did."""
    instance = state.instance
    union = state.members[g] + state.members[h]
    m = len(union)
    if m > REPARTITION_LIMIT:
        return False
    # Every subset holding union[0] is a candidate for one set, its complement for the other.
    subsets = np.arange(1 << (m - 1), dtype=np.int64) * 2 + 1
    full = (1 << m) - 1
    rest = full ^ subsets
    sizes = np.bitwise_count(subsets).astype(np.int64)
    low, high = instance.min_size, instance.max_size
    valid = (sizes >= low) & (sizes <= high) & (m - sizes >= low) & (m - sizes <= high)
    by_org: dict[int, int] = {}
    for i, p in enumerate(union):
        by_org[instance.org[p]] = by_org.get(instance.org[p], 0) | 1 << i
    for bits in by_org.values():
        if bits & (bits - 1):
            valid &= (np.bitwise_count(subsets & bits) <= 1) & (np.bitwise_count(rest & bits) <= 1)
    if not valid.any():
        return False
    subsets, rest = subsets[valid], rest[valid]
    common = np.full(len(subsets), -1, dtype=np.int64)
    common_rest = np.full(len(subsets), -1, dtype=np.int64)
    for i, p in enumerate(union):
        inside = (subsets >> i & 1).astype(bool)
        common = np.where(inside, common & instance.mask[p], common)
        common_rest = np.where(inside, common_rest, common_rest & instance.mask[p])
    valid = (common != 0) & (common_rest != 0)
    if not valid.any():
        return False
    subsets, rest = subsets[valid], rest[valid]
    total = np.zeros(len(subsets), dtype=np.int64)
    sector_bits: dict[int, int] = {}
    stage_bits: dict[int, int] = {}
    for i, p in enumerate(union):
        sector_bits[instance.sector[p]] = sector_bits.get(instance.sector[p], 0) | 1 << i
        stage_bits[instance.stage[p]] = stage_bits.get(instance.stage[p], 0) | 1 << i
    for bits in sector_bits.values():
        total += SECTOR_POINTS * ((subsets & bits) != 0) + SECTOR_POINTS * ((rest & bits) != 0)
    # Stages with no member in either set still add their (fixed) shortfall: the same for every split.
    for stage, bits in stage_bits.items():
        deviation = np.asarray(state.deviation[stage], dtype=np.int64)
        total -= STAGE_POINTS * (
            deviation[np.bitwise_count(subsets & bits)] + deviation[np.bitwise_count(rest & bits)]
        )
    current = 0
    for k in (g, h):
        current += SECTOR_POINTS * _distinct(state.sector_counts[k])
        current -= STAGE_POINTS * sum(state.deviation[c][state.stage_counts[k][c]] for c in stage_bits)
    best = int(np.argmax(total))
    delta = int(total[best]) - current
    if delta <= 0:
        return False
    chosen = int(subsets[best])
    for p in union:
        state.remove(p)
    for i, p in enumerate(union):
        state.add(p, g if chosen >> i & 1 else h)
    state.score += delta
    return True


def _screen(instance: _Instance, count: int, plans: list[_Plan], rng: random.Random, keep: int) -> list[_Plan]:
    """The `keep` plans (of up to SCREEN_PLANS, spread over `plans`) whose short annealing runs did best."""
    people = len(instance.placeable())
    steps = min(max(SCREEN_FACTOR * people * people, MIN_STEPS), MAX_SCREEN_STEPS)
    tried = [plans[i * len(plans) // SCREEN_PLANS] for i in range(SCREEN_PLANS)] if len(plans) > SCREEN_PLANS else plans
    results = []
    for order, plan in enumerate(tried):
        state = _State(instance, count, _deal(instance, plan, rng))
        state.insert_everyone_possible()
        key, _ = _anneal(state, rng, steps)
        results.append((key, -order))
    ranked = sorted(range(len(tried)), key=lambda i: results[i], reverse=True)
    return [tried[i] for i in ranked[:keep]]


def _deal(instance: _Instance, plan: _Plan, rng: random.Random) -> list[int]:
    """Set per person: each slot's pool dealt round-robin into its sets, one organisation's people after another.

    The flow puts at most one person per set from an organisation in a slot's pool, so consecutive deals of an
    organisation's people land in different sets; the deal keeps sizes within one of each other, and the pool's
    size lies between the sets' minimums and maximums, so every set is valid.
    """
    where = [-1] * instance.n
    first_set = 0
    for j, sets in enumerate(plan.counts):
        if not sets:
            continue
        pool = [p for p in range(instance.n) if plan.slot_of[p] == j]
        by_org: dict[int, list[int]] = {}
        for p in pool:
            by_org.setdefault(instance.org[p], []).append(p)
        orgs = sorted(by_org, key=lambda org: (-len(by_org[org]), rng.random()))
        order = [p for org in orgs for p in by_org[org]]
        for i, p in enumerate(order):
            where[p] = first_set + i % sets
        first_set += sets
    return where


def _anneal(state: _State, rng: random.Random, steps: int) -> tuple[tuple[int, int], list[int]]:
    """Simulated annealing from `state` (changed in place); returns the best (placed, score) seen and its sets.

    One step picks a person p and, through a slot p can make, another person q; then tries to insert whichever of
    them is unplaced or put them in the other's place, or else to move p into q's set, swap them, or rotate p, q and
    a third person r (found through a slot q can make) round their three sets. Rotations matter when an
    organisation has one person in each of three sets: no swap between two sets can then change who is where.
    """
    instance = state.instance
    where, members = state.where, state.members
    low, high = instance.min_size, instance.max_size
    people = instance.placeable()
    slots_of = [_bits(instance.mask[p]) for p in range(instance.n)]
    people_at = instance.people_at
    random_ = rng.random
    rotate = ROTATE_SHARE if state.count >= 3 else 0.0
    best_where, best_key = list(where), state.key()
    cooling = (END_TEMPERATURE / START_TEMPERATURE) ** (1 / max(1, steps))
    temperature = START_TEMPERATURE
    for _ in range(steps):
        temperature *= cooling
        p = people[int(random_() * len(people))]
        slots = slots_of[p]
        pool = people_at[slots[int(random_() * len(slots))]]
        q = pool[int(random_() * len(pool))]
        a, b = where[p], where[q]
        if a == b:
            continue
        if a < 0 or b < 0:
            _place(state, p, q, temperature, random_)
        else:
            choice = random_()
            if choice < MOVE_SHARE and len(members[a]) > low and len(members[b]) < high:
                _move(state, p, b, temperature, random_)
            elif choice < MOVE_SHARE + rotate:
                slots = slots_of[q]
                pool = people_at[slots[int(random_() * len(slots))]]
                _rotate(state, p, q, pool[int(random_() * len(pool))], temperature, random_)
            else:
                _swap(state, p, q, temperature, random_)
        if (state.placed, state.score) > best_key:
            best_key, best_where = state.key(), list(where)
    return best_key, best_where


def _descend(state: _State) -> None:
    """Takes strictly better insertions, replacements, moves, swaps and rotations until none is left: a sure local
    optimum. Every pair of people (and every triple, for rotations) is tried on each pass: small problems only."""
    people = state.instance.placeable()
    triples = state.count >= 3 and len(people) <= SMALL
    improved = True
    while improved:
        improved = False
        for p in people:
            for q in people:
                improved |= _place(state, p, q, 0, _never)
                improved |= _move(state, p, state.where[q], 0, _never)
                improved |= _swap(state, p, q, 0, _never)
                if triples:
                    for r in people:
                        improved |= _rotate(state, p, q, r, 0, _never)


def _never() -> float:
    return 1.0


def _accept(delta: int, temperature: float, random_: Callable[[], float]) -> bool:
    """The annealing rule; at temperature 0 only a strict gain is taken (so that a descent ends)."""
    if temperature <= 0:
        return delta > 0
    return delta >= 0 or random_() < math.exp(delta / temperature)


def _place(state: _State, p: int, q: int, temperature: float, random_: Callable[[], float]) -> bool:
    """When exactly one of p and q is placed: inserts the other into that set if it has room (one more placed always
    wins), or else puts the other in their place if the rule accepts it. Whether anything changed."""
    if (state.where[p] < 0) == (state.where[q] < 0):
        return False
    if state.where[p] >= 0:  # so that p is the unplaced one
        p, q = q, p
    g = state.where[q]
    if len(state.members[g]) < state.instance.max_size and state.fits(p, g):
        state.add(p, g)
        state.unplaced.remove(p)
        state.refresh_targets()
        state.score = _score(state.instance, state.members)
        return True
    if not state.fits(p, g, leaving=q):
        return False
    delta = _replace_scored(state, q, p)
    if _accept(delta, temperature, random_):
        state.score += delta
        return True
    _replace(state, p, q)
    return False


def _move(state: _State, p: int, b: int, temperature: float, random_: Callable[[], float]) -> bool:
    """Moves p (placed) into set b if sizes, organisations and times allow and the rule accepts it."""
    a, instance = state.where[p], state.instance
    if a < 0 or b < 0 or a == b or len(state.members[a]) <= instance.min_size:
        return False
    if len(state.members[b]) >= instance.max_size or not state.fits(p, b):
        return False
    delta = state.change(a, p, -1) + state.change(b, -1, p)
    if not _accept(delta, temperature, random_):
        return False
    state.remove(p)
    state.add(p, b)
    state.score += delta
    return True


def _swap(state: _State, p: int, q: int, temperature: float, random_: Callable[[], float]) -> bool:
    """Swaps p and q, placed in different sets, if organisations and times allow and the rule accepts it."""
    a, b = state.where[p], state.where[q]
    if a < 0 or b < 0 or a == b or not (state.fits(p, b, leaving=q) and state.fits(q, a, leaving=p)):
        return False
    delta = state.change(a, p, q) + state.change(b, q, p)
    if not _accept(delta, temperature, random_):
        return False
    state.remove(p)
    state.remove(q)
    state.add(p, b)
    state.add(q, a)
    state.score += delta
    return True


def _rotate(state: _State, p: int, q: int, r: int, temperature: float, random_: Callable[[], float]) -> bool:
    """p goes to q's set, q to r's and r to p's (three different sets), if the rules allow and annealing accepts."""
    a, b, c = state.where[p], state.where[q], state.where[r]
    if min(a, b, c) < 0 or a in (b, c) or b == c:
        return False
    if not (state.fits(p, b, leaving=q) and state.fits(q, c, leaving=r) and state.fits(r, a, leaving=p)):
        return False
    delta = state.change(a, p, r) + state.change(b, q, p) + state.change(c, r, q)
    if not _accept(delta, temperature, random_):
        return False
    for person in (p, q, r):
        state.remove(person)
    state.add(p, b)
    state.add(q, c)
    state.add(r, a)
    state.score += delta
    return True


def _replace_scored(state: _State, leaving: int, joining: int) -> int:
    """Makes the replacement and returns the change in score (`state.score` is left for the caller to update).

    The number placed at each stage may change, and with it every set's targets at those stages, so the penalty at
    the two stages involved is summed again over all sets.
    """
    instance = state.instance
    stages = {instance.stage[leaving], instance.stage[joining]}
    g = state.where[leaving]
    before = SECTOR_POINTS * _distinct(state.sector_counts[g])
    before -= STAGE_POINTS * sum(state.stage_penalty(stage) for stage in stages)
    _replace(state, leaving, joining)
    after = SECTOR_POINTS * _distinct(state.sector_counts[g])
    after -= STAGE_POINTS * sum(state.stage_penalty(stage) for stage in stages)
    return after - before


def _replace(state: _State, leaving: int, joining: int) -> None:
    g = state.remove(leaving)
    state.add(joining, g)
    state.unplaced.remove(joining)
    state.unplaced.append(leaving)
    if state.instance.stage[leaving] != state.instance.stage[joining]:
        state.refresh_targets()


def _distinct(counts: list[int]) -> int:
    return sum(1 for n in counts if n)


def _score(instance: _Instance, sets: Sequence[Sequence[int]]) -> int:
    """The objective's score for sets of person indices (see the module docstring)."""
    if not sets:
        return 0
    placed_at = [0] * instance.stages
    for members in sets:
        for p in members:
            placed_at[instance.stage[p]] += 1
    total = 0
    for members in sets:
        total += SECTOR_POINTS * len({instance.sector[p] for p in members})
        at_stage = [0] * instance.stages
        for p in members:
            at_stage[instance.stage[p]] += 1
        for n, placed in zip(at_stage, placed_at, strict=True):
            high, low = -(-placed // len(sets)), placed // len(sets)
            total -= STAGE_POINTS * (max(0, n - high) + max(0, low - n))
    return total


# --- The result --------------------------------------------------------------------------------------------------


def _grouping(problem: Problem, instance: _Instance, where: list[int], count: int) -> Grouping:
    ids = [participant.id for participant in problem.participants]
    state = _State(instance, count, where)
    sets = [
        LearningSet(members=sorted(ids[p] for p in members), slot=_meeting_slot(instance, members))
        for members in state.members
    ]
    sets.sort(key=lambda learning_set: (ALL_SLOTS.index(learning_set.slot), learning_set.members))
    unplaced = [Unplaced(ids[p], _reason(state, p)) for p in range(instance.n) if where[p] < 0]
    return Grouping(sets=sets, unplaced=sorted(unplaced, key=lambda u: u.id), score=state.score)


def _meeting_slot(instance: _Instance, members: list[int]) -> str:
    """The earliest slot in the week every member can make."""
    bits = -1
    for p in members:
        bits &= instance.full_mask[p]
    return ALL_SLOTS[(bits & -bits).bit_length() - 1]


def _reason(state: _State, p: int) -> str:
    """Why p is not in a set, in the organiser's words: the first of these that holds."""
    instance = state.instance
    if not instance.full_mask[p]:
        return NO_AVAILABILITY
    if state.count == 0:
        return NO_SET_FORMED
    meeting = [g for g in range(state.count) if state.common[g] & instance.mask[p]]
    if not meeting:
        return NO_SET_AT_THEIR_TIMES
    with_room = [g for g in meeting if len(state.members[g]) < instance.max_size]
    if not with_room:
        return NO_ROOM
    # Otherwise every set with room has their organisation: a set with room, at their time, without it, would have
    # taken them in `insert_everyone_possible`.
    return SAME_ORGANISATION


# --- Reading a problem from decoded JSON -------------------------------------------------------------------------


def validate(raw: Any) -> Problem:
    """The problem described by decoded JSON, or ProblemError saying the first thing wrong with it."""
    if not isinstance(raw, dict):
        raise ProblemError("The input must be a JSON object with keys 'set_size', 'participants' and maybe 'sets'.")
    size = _object(raw.get("set_size"), "'set_size'", ("min", "max")) if "set_size" in raw else None
    if size is None:
        raise ProblemError("The key 'set_size' is missing.")
    low = _whole(size["min"], "set_size.min", smallest=1)
    high = _whole(size["max"], "set_size.max", smallest=1)
    sets = _whole(raw["sets"], "'sets'", smallest=1) if "sets" in raw else None
    if "participants" not in raw:
        raise ProblemError("The key 'participants' is missing.")
    if not isinstance(raw["participants"], list):
        raise ProblemError("'participants' must be a list.")
    participants = [_participant(item, n) for n, item in enumerate(raw["participants"])]
    _refuse_duplicates([participant.id for participant in participants])
    problem = Problem(participants=participants, min_size=low, max_size=high, sets=sets)
    check(problem)
    return problem


def _object(item: Any, where: str, keys: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ProblemError(f"{where} must be an object.")
    for key in keys:
        if key not in item:
            raise ProblemError(f"{where} has no '{key}'.")
    return item


def _whole(value: Any, where: str, *, smallest: int) -> int:
    # bool is an int in Python; true/false is not a size.
    if not isinstance(value, int) or isinstance(value, bool) or value < smallest:
        raise ProblemError(f"{where} must be a whole number {smallest} or more, not {value!r}.")
    return value


def _text(value: Any, where: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ProblemError(f"{where}: the {name} must be a non-empty string, not {value!r}.")
    return value


def _participant(item: Any, n: int) -> Participant:
    where = f"participants[{n}]"
    item = _object(item, where, ("id", "organisation", "sector", "stage", "slots"))
    id_ = _text(item["id"], where, "id")
    where = f"{where} ({id_!r})"
    slots = item["slots"]
    if not isinstance(slots, list):
        raise ProblemError(f"{where}: 'slots' must be a list of weekly slots such as 'tue-14:00', not {slots!r}.")
    for slot in slots:
        if not is_valid_slot(slot):
            raise ProblemError(
                f"{where}: {slot!r} is not a weekly slot; slots look like 'tue-14:00' (mon to fri, starting at "
                "08:00, 10:00, 12:00, 14:00, 16:00 or 18:00)."
            )
    return Participant(
        id=id_,
        organisation=_text(item["organisation"], where, "organisation"),
        sector=_text(item["sector"], where, "sector"),
        stage=_text(item["stage"], where, "stage"),
        slots=tuple(slot for slot in ALL_SLOTS if slot in set(slots)),
    )


def _refuse_duplicates(ids: list[str]) -> None:
    seen: set[str] = set()
    for id_ in ids:
        if id_ in seen:
            raise ProblemError(f"The participant id {id_!r} appears more than once.")
        seen.add(id_)
