"""`group`: for the most sets that can be formed, the slot plans, then annealing runs from them, the best kept."""

import random

from .anneal import anneal, anneal_by_sets, descend
from .exact import exact_improvement
from .flow import Plan
from .instance import Instance
from .plans import slot_plans
from .polish import descend_swaps
from .problem import Grouping, Problem, check
from .result import grouping_result
from .split import repartition_pairs
from .state import State
from .tuning import (
    DESCENT_LIMIT,
    EXACT_PEOPLE,
    EXACT_SETS,
    EXACT_WORK,
    EXTRA_RUNS,
    LARGE_TOTAL_STEPS,
    MAX_SCREEN_STEPS,
    MAX_TOTAL_STEPS,
    MEDIUM,
    MIN_STEPS,
    RESTARTS,
    SCREEN_FACTOR,
    SCREEN_PLANS,
    SEED,
    STEP_FACTOR,
)


def group(problem: Problem, *, exact: bool = True) -> Grouping:
    """The sets that place the most people and, among those, score highest (see the package docstring).

    `exact=False` leaves out the CP-SAT step on small problems: the heuristic alone, for the tests that compare it.
    """
    check(problem)
    instance = Instance.build(problem)
    rng = random.Random(SEED)
    where, count = [-1] * instance.n, 0
    for sets in range(problem.set_count, 0, -1):
        plans = slot_plans(instance, sets, rng)
        if plans:
            where, count = _search(instance, sets, plans, rng).where, sets
            break
    if exact and exact_suits(instance, problem.set_count):
        where, count = _exactly(problem, instance, where, count)
    return grouping_result(problem, instance, where, count)


def exact_suits(instance: Instance, sets: int) -> bool:
    """Whether the problem is small enough for CP-SAT to prove the optimum within its work limit, as a rule."""
    return len(instance.placeable()) <= EXACT_PEOPLE and sets <= EXACT_SETS


def _exactly(problem: Problem, instance: Instance, where: list[int], count: int) -> tuple[list[int], int]:
    """The better of the heuristic's sets and CP-SAT's, started from them: never worse than either."""
    start = [[p for p in range(instance.n) if where[p] == g] for g in range(count)]
    found = exact_improvement(problem, count=count, start=start, work=EXACT_WORK, seed=SEED)
    if found is None:
        return where, count
    candidate = [-1] * instance.n
    for g, members in enumerate(found.sets):
        for p in members:
            candidate[p] = g
    state = State(instance, found.count, candidate)
    if not _valid(state):
        return where, count  # never expected: the model has the same rules; the heuristic's sets are then kept
    # An unproven answer may leave room for someone; the reasons given for those left out assume it does not.
    state.insert_everyone_possible()
    if (found.count, *state.key()) > (count, *State(instance, count, where).key()):
        return state.where, found.count
    return where, count


def _valid(state: State) -> bool:
    """The hard rules, checked on the sets themselves: sizes, one person per organisation, a shared slot."""
    low, high = state.instance.min_size, state.instance.max_size
    return all(
        low <= len(members) <= high and len(state.orgs[g]) == len(members) and state.common[g] != 0
        for g, members in enumerate(state.members)
    )


def _search(instance: Instance, count: int, plans: list[Plan], rng: random.Random) -> State:
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


def _runs(instance: Instance, count: int, plans: list[Plan], rng: random.Random, restarts: int = RESTARTS) -> State:
    """The best state of annealing runs, each from a plan dealt into sets."""
    people = len(instance.placeable())
    if people <= MEDIUM:
        # Sets cannot always drift from one time to another one swap at a time (each step must keep a shared time),
        # so the runs start from the equally good plans that did best in a quick trial.
        plans = _screen(instance, count, plans, rng, restarts) if len(plans) > restarts else plans
        steps = min(max(STEP_FACTOR * people * people, MIN_STEPS), MAX_TOTAL_STEPS // restarts)
        run_ = anneal
    else:
        # Proposals through the sets meeting at p's times waste far fewer steps: a fifth as many, then a descent.
        restarts = 2 if people <= 400 else 1
        steps = min(STEP_FACTOR * people * people, LARGE_TOTAL_STEPS // restarts)
        run_ = anneal_by_sets
    best: State | None = None
    for run in range(restarts):
        state = State(instance, count, _deal(instance, plans[run % len(plans)], rng))
        state.insert_everyone_possible()
        state = State(instance, count, run_(state, rng, steps)[1])
        state.insert_everyone_possible()
        if people <= DESCENT_LIMIT:
            descend(state)
        if people <= MEDIUM:
            while repartition_pairs(state):
                if people <= DESCENT_LIMIT:
                    descend(state)
            # Above DESCENT_LIMIT nothing after a re-split inserts, and a re-split can leave room or widen a set's
            # times: the reasons given to those left out assume nobody who fits is (descend_swaps does the same).
            state.insert_everyone_possible()
        else:
            descend_swaps(state)
        if best is None or state.key() > best.key():
            best = state
    assert best is not None
    return best


def _screen(instance: Instance, count: int, plans: list[Plan], rng: random.Random, keep: int) -> list[Plan]:
    """The `keep` plans (of up to SCREEN_PLANS, spread over `plans`) whose short annealing runs did best."""
    people = len(instance.placeable())
    steps = min(max(SCREEN_FACTOR * people * people, MIN_STEPS), MAX_SCREEN_STEPS)
    tried = [plans[i * len(plans) // SCREEN_PLANS] for i in range(SCREEN_PLANS)] if len(plans) > SCREEN_PLANS else plans
    results = []
    for order, plan in enumerate(tried):
        state = State(instance, count, _deal(instance, plan, rng))
        state.insert_everyone_possible()
        key, _ = anneal(state, rng, steps)
        results.append((key, -order))
    ranked = sorted(range(len(tried)), key=lambda i: results[i], reverse=True)
    return [tried[i] for i in ranked[:keep]]


def _deal(instance: Instance, plan: Plan, rng: random.Random) -> list[int]:
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
