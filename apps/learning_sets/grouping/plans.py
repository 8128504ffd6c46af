"""Slot plans: how many sets meet at each slot. Each plan is solved as a flow (`flow`); this finds the best plans.

Small problems try every plan; larger ones climb from a plan in proportion to demand, and up to MEDIUM people
random kicks look for other plans as good, which the local search starts from (see the package docstring).
"""

import itertools
import math
import random
from collections.abc import Sequence

from .flow import Plan, SlotFlow
from .instance import Instance, bit_indices
from .tuning import CLIMB_CANDIDATES, CLIMB_ROUNDS, KICK_FLOWS, MEDIUM, PLANS_TO_ENUMERATE, SEED, WIDE_KICK_FLOWS


def slot_plans(instance: Instance, count: int, rng: random.Random) -> list[Plan]:
    """The best slot plans found for `count` sets (every set able to reach the minimum size), best first."""
    slots = len(instance.slots)
    if slots == 0 or count * instance.min_size > len(instance.placeable()):
        return []
    flow = SlotFlow(instance)
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
            return plans + [Plan(plan.counts, plan.slot_of, plan.lower, plan.placed, extra=True) for plan in extra]
    return plans


def _every_plan(instance: Instance, flow: SlotFlow, count: int) -> list[Plan]:
    """Every slot plan that could fill its sets' minimums, solved (an exact search over plans)."""
    room = [len(people) for people in instance.people_at]
    plans: list[Plan] = []
    for chosen in itertools.combinations_with_replacement(range(len(room)), count):
        counts = [0] * len(room)
        for j in chosen:
            counts[j] += 1
        if all(counts[j] * instance.min_size <= room[j] for j in chosen):
            plans.append(flow.solve(counts))
    return plans


def _climb(instance: Instance, flow: SlotFlow, count: int) -> Plan:
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
    instance: Instance, flow: SlotFlow, plan: Plan, rng: random.Random, budget: int = KICK_FLOWS, wide: bool = False
) -> list[Plan]:
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
    instance: Instance,
    flow: SlotFlow,
    counts: list[int],
    rng: random.Random,
    budget: int,
    enough: tuple[float, float],
) -> tuple[Plan, int]:
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


def _proportional(instance: Instance, count: int) -> list[int]:
    """Sets per slot in proportion to demand, each person's demand spread over the slots they can make."""
    demand = [0.0] * len(instance.slots)
    for p in instance.placeable():
        slots = bit_indices(instance.mask[p])
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


def _promising_moves(instance: Instance, plan: Plan) -> list[tuple[int, int]]:
    """(from slot, to slot) pairs worth trying: away from slots short of their minimum or with spare room, towards
    slots where unplaced people could meet."""
    filled = [0] * len(plan.counts)
    for slot in plan.slot_of:
        if slot >= 0:
            filled[slot] += 1
    wanted = [0] * len(plan.counts)
    for p in instance.placeable():
        if plan.slot_of[p] < 0:
            for j in bit_indices(instance.mask[p]):
                wanted[j] += 1
    low, high = instance.min_size, instance.max_size
    sources = sorted(
        (j for j, sets in enumerate(plan.counts) if sets),
        key=lambda j: (-max(0, plan.counts[j] * low - filled[j]), -(plan.counts[j] * high - filled[j]), j),
    )[:CLIMB_CANDIDATES]
    targets = sorted(
        range(len(plan.counts)),
        key=lambda j: (-wanted[j], -len(instance.people_at[j]) + filled[j], j),
    )[:CLIMB_CANDIDATES]
    return [(source, target) for source in sources for target in targets if source != target]
