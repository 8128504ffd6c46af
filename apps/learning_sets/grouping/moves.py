"""The local search's moves: insert, replace, move, swap and rotate, each kept to the hard rules and taken or not
by the annealing rule."""

import math
from collections.abc import Callable

from .scoring import SECTOR_POINTS, STAGE_POINTS, distinct, sets_score
from .state import State


def _accept(delta: int, temperature: float, random_: Callable[[], float]) -> bool:
    """The annealing rule; at temperature 0 only a strict gain is taken (so that a descent ends)."""
    if temperature <= 0:
        return delta > 0
    return delta >= 0 or random_() < math.exp(delta / temperature)


def try_place(state: State, p: int, q: int, temperature: float, random_: Callable[[], float]) -> bool:
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
        state.score = sets_score(state.instance, state.members)
        return True
    if not state.fits(p, g, leaving=q):
        return False
    delta = _replace_scored(state, q, p)
    if _accept(delta, temperature, random_):
        state.score += delta
        return True
    _replace(state, p, q)
    return False


def try_move(state: State, p: int, b: int, temperature: float, random_: Callable[[], float]) -> bool:
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


def try_swap(state: State, p: int, q: int, temperature: float, random_: Callable[[], float]) -> bool:
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


def try_rotate(state: State, p: int, q: int, r: int, temperature: float, random_: Callable[[], float]) -> bool:
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


def _replace_scored(state: State, leaving: int, joining: int) -> int:
    """Makes the replacement and returns the change in score (`state.score` is left for the caller to update).

    The number placed at each stage may change, and with it every set's targets at those stages, so the penalty at
    the two stages involved is summed again over all sets.
    """
    instance = state.instance
    stages = {instance.stage[leaving], instance.stage[joining]}
    g = state.where[leaving]
    before = SECTOR_POINTS * distinct(state.sector_counts[g])
    before -= STAGE_POINTS * sum(state.stage_penalty(stage) for stage in stages)
    _replace(state, leaving, joining)
    after = SECTOR_POINTS * distinct(state.sector_counts[g])
    after -= STAGE_POINTS * sum(state.stage_penalty(stage) for stage in stages)
    return after - before


def _replace(state: State, leaving: int, joining: int) -> None:
    g = state.remove(leaving)
    state.add(joining, g)
    state.unplaced.remove(joining)
    state.unplaced.append(leaving)
    if state.instance.stage[leaving] != state.instance.stage[joining]:
        state.refresh_targets()
