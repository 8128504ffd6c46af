"""Simulated annealing over the moves, and the exhaustive descent that ends a run on small problems."""

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
    """
    instance = state.instance
    where, members = state.where, state.members
    low, high = instance.min_size, instance.max_size
    people = instance.placeable()
    slots_of = [bit_indices(instance.mask[p]) for p in range(instance.n)]
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
            try_place(state, p, q, temperature, random_)
        else:
            choice = random_()
            if choice < MOVE_SHARE and len(members[a]) > low and len(members[b]) < high:
                try_move(state, p, b, temperature, random_)
            elif choice < MOVE_SHARE + rotate:
                slots = slots_of[q]
                pool = people_at[slots[int(random_() * len(slots))]]
                try_rotate(state, p, q, pool[int(random_() * len(pool))], temperature, random_)
            else:
                try_swap(state, p, q, temperature, random_)
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
