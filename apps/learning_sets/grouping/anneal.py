"""Simulated annealing over the moves, and the exhaustive descent that ends a run on small problems."""

import math
import random

from .instance import bit_indices
from .moves import try_move, try_place, try_rotate, try_swap
from .state import State
from .tuning import END_TEMPERATURE, MOVE_SHARE, ROTATE_SHARE, SMALL, START_TEMPERATURE


def anneal(state: State, rng: random.Random, steps: int) -> tuple[tuple[int, int], list[int]]:
    """Simulated annealing from `state` (changed in place); returns the best (placed, score) seen and its sets.

    One step picks a person p and, through a slot p can make, another person q; then tries to insert whichever of
    them is unplaced or put them in the other's place, or else to move p into q's set, swap them, or rotate p, q and
    a third person r (found through a slot q can make) round their three sets. Rotations matter when an
    organisation has one person in each of three sets: no swap between two sets can then change who is where.

    This loop is the whole cost of a large grouping (over 95 % at 1,000 people, nearly every proposal refused by the
    organisation or time rule), so swaps and rotations, nine proposals in ten there, are written out here rather than
    through `moves`: the same checks in the same order, drawing the same random numbers, so that the search takes
    exactly the decisions `try_swap` and `try_rotate` would (a test compares the two), at a third of the cost.
    Insertions, replacements and moves, rare between full sets, still go through `moves`.
    """
    instance = state.instance
    where, members, orgs, common, without = state.where, state.members, state.orgs, state.common, state.without
    org, mask = instance.org, instance.mask
    low, high = instance.min_size, instance.max_size
    people = instance.placeable()
    count = len(people)
    slots_of = [bit_indices(instance.mask[p]) for p in range(instance.n)]
    people_at = instance.people_at
    random_, exp, change, remove, add = rng.random, math.exp, state.change, state.remove, state.add
    rotate_below = MOVE_SHARE + (ROTATE_SHARE if state.count >= 3 else 0.0)
    best_where, best_key = list(where), state.key()
    cooling = (END_TEMPERATURE / START_TEMPERATURE) ** (1 / max(1, steps))
    temperature = START_TEMPERATURE
    for _ in range(steps):
        temperature *= cooling
        p = people[int(random_() * count)]
        slots = slots_of[p]
        pool = people_at[slots[int(random_() * len(slots))]]
        q = pool[int(random_() * len(pool))]
        a, b = where[p], where[q]
        if a == b:
            continue
        if a < 0 or b < 0:
            if not try_place(state, p, q, temperature, random_):
                continue
        else:
            choice = random_()
            if choice < MOVE_SHARE and len(members[a]) > low and len(members[b]) < high:
                if not try_move(state, p, b, temperature, random_):
                    continue
            elif choice < rotate_below:
                slots = slots_of[q]
                pool = people_at[slots[int(random_() * len(slots))]]
                r = pool[int(random_() * len(pool))]
                c = where[r]
                if c < 0 or c in (a, b):
                    continue
                # state.fits(p, b, leaving=q), then (q, c, leaving=r), then (r, a, leaving=p), as in try_rotate.
                o, m = org[p], mask[p]
                if o in orgs[b] and org[q] != o:
                    continue
                if not common[b] & m and not (without[b] or state.without_of(b))[q] & m:
                    continue
                o, m = org[q], mask[q]
                if o in orgs[c] and org[r] != o:
                    continue
                if not common[c] & m and not (without[c] or state.without_of(c))[r] & m:
                    continue
                o, m = org[r], mask[r]
                if o in orgs[a] and org[p] != o:
                    continue
                if not common[a] & m and not (without[a] or state.without_of(a))[p] & m:
                    continue
                delta = change(a, p, r) + change(b, q, p) + change(c, r, q)
                if delta < 0 and not random_() < exp(delta / temperature):
                    continue
                remove(p)
                remove(q)
                remove(r)
                add(p, b)
                add(q, c)
                add(r, a)
                state.score += delta
            else:
                # state.fits(p, b, leaving=q) and state.fits(q, a, leaving=p), as in try_swap.
                o, m = org[p], mask[p]
                if o in orgs[b] and org[q] != o:
                    continue
                if not common[b] & m and not (without[b] or state.without_of(b))[q] & m:
                    continue
                o, m = org[q], mask[q]
                if o in orgs[a] and org[p] != o:
                    continue
                if not common[a] & m and not (without[a] or state.without_of(a))[p] & m:
                    continue
                delta = change(a, p, q) + change(b, q, p)
                if delta < 0 and not random_() < exp(delta / temperature):
                    continue
                remove(p)
                remove(q)
                add(p, b)
                add(q, a)
                state.score += delta
        if (state.placed, state.score) > best_key:
            best_key, best_where = state.key(), list(where)
    return best_key, best_where


def anneal_by_sets(state: State, rng: random.Random, steps: int) -> tuple[tuple[int, int], list[int]]:
    """`anneal` for large problems, where people are proposed through the sets that meet at their times.

    One step picks a person p, a slot p can make, a set meeting at that slot and a member q of it; then as in
    `anneal`. Picking q among everyone who can make the slot, as `anneal` does, wastes most steps at 1,000 people:
    q's set usually meets elsewhere, and two thirds of proposals fail on p's time alone (one in nine passes every
    rule). Here p can always make q's set's time, so about twice as many proposals pass, and a fifth of the steps,
    with the descent of `polish` after them, do as well (docs/BENCHMARKS.md). Each set's shared slots are kept in
    `meeting[slot]`, changed only when a move changes a set's shared slots.
    """
    instance = state.instance
    where, members, orgs, common, without = state.where, state.members, state.orgs, state.common, state.without
    org, mask = instance.org, instance.mask
    low, high = instance.min_size, instance.max_size
    people = instance.placeable()
    count = len(people)
    slots_of = [bit_indices(instance.mask[p]) for p in range(instance.n)]
    usable = (1 << len(instance.slots)) - 1
    shared = [common[g] & usable for g in range(state.count)]
    meeting: list[list[int]] = [[] for _ in instance.slots]
    for g, bits in enumerate(shared):
        for j in bit_indices(bits):
            meeting[j].append(g)

    def moved(*sets: int) -> None:
        for g in sets:
            bits = common[g] & usable
            if bits != shared[g]:
                for j in bit_indices(shared[g] & ~bits):
                    meeting[j].remove(g)
                for j in bit_indices(bits & ~shared[g]):
                    meeting[j].append(g)
                shared[g] = bits

    random_, exp, change, remove, add = rng.random, math.exp, state.change, state.remove, state.add
    rotate_below = MOVE_SHARE + (ROTATE_SHARE if state.count >= 3 else 0.0)
    best_where, best_key = list(where), state.key()
    cooling = (END_TEMPERATURE / START_TEMPERATURE) ** (1 / max(1, steps))
    temperature = START_TEMPERATURE
    for _ in range(steps):
        temperature *= cooling
        p = people[int(random_() * count)]
        slots = slots_of[p]
        sets = meeting[slots[int(random_() * len(slots))]]
        if not sets:
            continue
        b = sets[int(random_() * len(sets))]
        group = members[b]
        q = group[int(random_() * len(group))]
        a = where[p]
        if a == b:
            continue
        if a < 0:
            if not try_place(state, p, q, temperature, random_):
                continue
            moved(b)
        else:
            choice = random_()
            if choice < MOVE_SHARE and len(members[a]) > low and len(members[b]) < high:
                if not try_move(state, p, b, temperature, random_):
                    continue
                moved(a, b)
            elif choice < rotate_below:
                slots = slots_of[q]
                sets = meeting[slots[int(random_() * len(slots))]]
                if not sets:
                    continue
                c = sets[int(random_() * len(sets))]
                if c in (a, b):
                    continue
                group = members[c]
                r = group[int(random_() * len(group))]
                # As try_rotate: p into b in q's place, q into c in r's place, r into a in p's place.
                o, m = org[p], mask[p]
                if o in orgs[b] and org[q] != o:
                    continue
                if not common[b] & m and not (without[b] or state.without_of(b))[q] & m:
                    continue
                o, m = org[q], mask[q]
                if o in orgs[c] and org[r] != o:
                    continue
                if not common[c] & m and not (without[c] or state.without_of(c))[r] & m:
                    continue
                o, m = org[r], mask[r]
                if o in orgs[a] and org[p] != o:
                    continue
                if not common[a] & m and not (without[a] or state.without_of(a))[p] & m:
                    continue
                delta = change(a, p, r) + change(b, q, p) + change(c, r, q)
                if delta < 0 and not random_() < exp(delta / temperature):
                    continue
                remove(p)
                remove(q)
                remove(r)
                add(p, b)
                add(q, c)
                add(r, a)
                state.score += delta
                moved(a, b, c)
            else:
                # As try_swap: p into b in q's place (p can make b's time: b meets at one of p's slots), q into a.
                o = org[p]
                if o in orgs[b] and org[q] != o:
                    continue
                o, m = org[q], mask[q]
                if o in orgs[a] and org[p] != o:
                    continue
                if not common[a] & m and not (without[a] or state.without_of(a))[p] & m:
                    continue
                delta = change(a, p, q) + change(b, q, p)
                if delta < 0 and not random_() < exp(delta / temperature):
                    continue
                remove(p)
                remove(q)
                add(p, b)
                add(q, a)
                state.score += delta
                moved(a, b)
        if (state.placed, state.score) > best_key:
            best_key, best_where = state.key(), list(where)
    return best_key, best_where


def descend(state: State) -> None:
    """Takes strictly better insertions, replacements, moves, swaps and rotations until none is left: a sure local
    optimum. Every pair of people (and every triple, for rotations) is tried on each pass: small problems only."""
    people = state.instance.placeable()
    triples = state.count >= 3 and len(people) <= SMALL
    improved = True
    while improved:
        improved = False
        for p in people:
            for q in people:
                improved |= try_place(state, p, q, 0, _never)
                improved |= try_move(state, p, state.where[q], 0, _never)
                improved |= try_swap(state, p, q, 0, _never)
                if triples:
                    for r in people:
                        improved |= try_rotate(state, p, q, r, 0, _never)


def _never() -> float:
    return 1.0
