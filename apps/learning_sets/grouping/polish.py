"""A descent over every swap and move between sets, a person at a time, scored with NumPy: how large runs end.

Past DESCENT_LIMIT people the exhaustive descent in `anneal` (every pair in Python) is too slow, yet a shorter
annealing run followed by this descent reaches a better local optimum than a longer run alone, in less time: for one
person p it scores swapping p with every other placed person, and moving p into every set with room, in one go.
"""

import numpy as np
import numpy.typing as npt

from .scoring import SECTOR_POINTS, STAGE_POINTS
from .state import State

Ints = npt.NDArray[np.int64]


class _Arrays:
    """The state's counts as arrays, kept in step with it as people move."""

    def __init__(self, state: State) -> None:
        instance = self.instance = state.instance
        self.state = state
        n, sets = instance.n, state.count
        self.org = np.array(instance.org, dtype=np.int64)
        self.sector = np.array(instance.sector, dtype=np.int64)
        self.stage = np.array(instance.stage, dtype=np.int64)
        self.mask = np.array(instance.mask, dtype=np.int64)
        self.where = np.array(state.where, dtype=np.int64)
        self.without = np.zeros(n, dtype=np.int64)  # per placed person: the slots the rest of their set can make
        self.org_in = np.zeros((sets, max(instance.org, default=0) + 1), dtype=bool)
        self.sectors = np.zeros((sets, instance.sectors), dtype=np.int64)
        self.stages = np.zeros((sets, instance.stages), dtype=np.int64)
        self.sizes = np.zeros(sets, dtype=np.int64)
        self.common = np.zeros(sets, dtype=np.int64)
        # Shortfall plus excess per stage and members at it; swaps and moves leave the numbers placed, so these hold.
        self.deviation = np.array(state.deviation, dtype=np.int64).reshape(instance.stages, -1)
        for g in range(sets):
            self.refresh(g)

    def refresh(self, g: int) -> None:
        state, members = self.state, self.state.members[g]
        self.where[members] = g
        self.org_in[g] = False
        self.org_in[g, self.org[members]] = True
        self.sectors[g] = state.sector_counts[g]
        self.stages[g] = state.stage_counts[g]
        self.sizes[g] = len(members)
        self.common[g] = state.common[g] & ((1 << 62) - 1)
        without = state.without[g] or state.without_of(g)
        for p in members:
            self.without[p] = without[p]


def descend_swaps(state: State) -> None:
    """Takes, person by person, the best strictly improving swap or move until a whole pass finds none; then puts in
    anyone who now fits, and descends again if anyone did, so that no one left out fits a set with room at the end.

    A move frees a place in its set, and a swap or move can widen a set's shared times: someone left out may then
    fit, and the reasons given to those left out (`result._reason`) rely on no one fitting.
    """
    if state.count < 2:
        return
    people = [p for p in state.instance.placeable()]
    while True:
        arrays = _Arrays(state)
        improved = True
        while improved:
            improved = False
            for p in people:
                if state.where[p] >= 0 and _best_step(state, arrays, p):
                    improved = True
        placed = state.placed
        state.insert_everyone_possible()
        if state.placed == placed:
            return


def _best_step(state: State, arrays: _Arrays, p: int) -> bool:
    """The best strictly improving swap of p with anyone placed, or move of p into a set with room; whether taken."""
    a = int(arrays.where[p])
    org, where = arrays.org, arrays.where
    op, sp, tp, mp = int(org[p]), int(arrays.sector[p]), int(arrays.stage[p]), int(arrays.mask[p])
    deviation, sectors, stages = arrays.deviation, arrays.sectors, arrays.stages
    sectors_a, stages_a = sectors[a], stages[a]
    # Swaps: p into q's set b in q's place, q into a in p's place. The rules first, on everyone at once; then the
    # score only for those few (about one in ten) who pass them.
    same_org = org == op
    valid = (where >= 0) & (where != a) & ((arrays.without & mp) != 0) & ((arrays.mask & arrays.without[p]) != 0)
    valid &= same_org | ~arrays.org_in[a][org]
    candidates = np.flatnonzero(valid)
    b = where[candidates]
    candidates = candidates[same_org[candidates] | ~arrays.org_in[b, op]]
    swap_best, swap_q = 0, -1
    if len(candidates):
        b = where[candidates]
        sector, stage = arrays.sector[candidates], arrays.stage[candidates]
        differ = sector != sp
        gain = SECTOR_POINTS * (
            (sectors_a[sector] == 0).astype(np.int64)
            - (sectors_a[sp] == 1)
            + (sectors[b, sp] == 0)
            - (sectors[b, sector] == 1)
        )
        gain *= differ
        n_a_p = int(stages_a[tp])
        leave_a = int(deviation[tp, n_a_p - 1] - deviation[tp, n_a_p])
        n_a_q = stages_a[stage]
        n_b_q = stages[b, stage]
        n_b_p = stages[b, tp]
        moving = (
            leave_a
            + deviation[stage, n_a_q + 1]
            - deviation[stage, n_a_q]
            + deviation[stage, n_b_q - 1]
            - deviation[stage, n_b_q]
            + deviation[tp, n_b_p + 1]
            - deviation[tp, n_b_p]
        )
        gain -= STAGE_POINTS * moving * (stage != tp)
        best = int(np.argmax(gain))
        swap_best, swap_q = int(gain[best]), int(candidates[best])
    # Moves: p into a set with room, when its own set stays at or above the minimum.
    move_best, move_b = 0, -1
    instance = state.instance
    org_in = arrays.org_in
    if arrays.sizes[a] > instance.min_size:
        room = (arrays.sizes < instance.max_size) & ~org_in[:, op] & ((arrays.common & mp) != 0)
        room[a] = False
        if room.any():
            n_a_p = int(stages_a[tp])
            leave = -SECTOR_POINTS * int(sectors_a[sp] == 1)
            leave -= STAGE_POINTS * int(deviation[tp, n_a_p - 1] - deviation[tp, n_a_p])
            n_b = stages[:, tp]
            join = SECTOR_POINTS * (sectors[:, sp] == 0) - STAGE_POINTS * (deviation[tp, n_b + 1] - deviation[tp, n_b])
            gain_move = np.where(room, join + leave, 0)
            move_b = int(np.argmax(gain_move))
            move_best = int(gain_move[move_b])
    if max(swap_best, move_best) <= 0:
        return False
    if swap_best >= move_best:
        q = swap_q
        b_set = int(where[q])
        state.remove(p)
        state.remove(q)
        state.add(p, b_set)
        state.add(q, a)
        state.score += swap_best
        arrays.refresh(a)
        arrays.refresh(b_set)
        return True
    state.remove(p)
    state.add(p, move_b)
    state.score += move_best
    arrays.refresh(a)
    arrays.refresh(move_b)
    return True
