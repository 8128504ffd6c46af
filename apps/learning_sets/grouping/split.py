"""Re-splitting two sets' members afresh, the best way: how sets move together to times no single swap reaches."""

import numpy as np
import numpy.typing as npt

from .instance import Instance
from .scoring import SECTOR_POINTS, STAGE_POINTS, distinct
from .state import State
from .tuning import REPARTITION_LIMIT

Masks = npt.NDArray[np.int64]  # bit masks over the members of two sets, one per split


def repartition_pairs(state: State) -> bool:
    """Splits the members of each pair of sets afresh, the best way (an exhaustive search); whether any improved.

    The two sets may end up meeting at times neither could reach one swap at a time, which is how a set moves to
    another time when the annealing cannot walk it there.
    """
    improved = False
    for g in range(state.count):
        for h in range(g + 1, state.count):
            improved |= _repartition(state, g, h)
    return improved


def _repartition(state: State, g: int, h: int) -> bool:
    """The best split of sets g and h's members into two valid sets, taken if it scores more; whether it did."""
    union = state.members[g] + state.members[h]
    if len(union) > REPARTITION_LIMIT:
        return False
    splits = _valid_splits(state.instance, union)
    if splits is None:
        return False
    subsets, rest = splits
    total = _split_scores(state, union, subsets, rest)
    best = int(np.argmax(total))
    delta = int(total[best]) - _pair_score(state, (g, h), {state.instance.stage[p] for p in union})
    if delta <= 0:
        return False
    chosen = int(subsets[best])
    for p in union:
        state.remove(p)
    for i, p in enumerate(union):
        state.add(p, g if chosen >> i & 1 else h)
    state.score += delta
    return True


def _valid_splits(instance: Instance, union: list[int]) -> tuple[Masks, Masks] | None:
    """Every split of `union` into two sets within the size, organisation and time rules, as bit masks over `union`
    (the set holding union[0], and the other); None when there is none."""
    m = len(union)
    # Every subset holding union[0] is a candidate for one set, its complement for the other.
    subsets = np.arange(1 << (m - 1), dtype=np.int64) * 2 + 1
    full = (1 << m) - 1
    rest = full ^ subsets
    sizes = np.bitwise_count(subsets).astype(np.int64)
    low, high = instance.min_size, instance.max_size
    valid = (sizes >= low) & (sizes <= high) & (m - sizes >= low) & (m - sizes <= high)
    for bits in _positions(union, instance.org).values():
        if bits & (bits - 1):
            valid &= (np.bitwise_count(subsets & bits) <= 1) & (np.bitwise_count(rest & bits) <= 1)
    if not valid.any():
        return None
    subsets, rest = subsets[valid], rest[valid]
    common = np.full(len(subsets), -1, dtype=np.int64)
    common_rest = np.full(len(subsets), -1, dtype=np.int64)
    for i, p in enumerate(union):
        inside = (subsets >> i & 1).astype(bool)
        common = np.where(inside, common & instance.mask[p], common)
        common_rest = np.where(inside, common_rest, common_rest & instance.mask[p])
    valid = (common != 0) & (common_rest != 0)
    if not valid.any():
        return None
    return subsets[valid], rest[valid]


def _split_scores(state: State, union: list[int], subsets: Masks, rest: Masks) -> Masks:
    """The two sets' score for each split, with the stage targets as they are."""
    instance = state.instance
    total = np.zeros(len(subsets), dtype=np.int64)
    for bits in _positions(union, instance.sector).values():
        total += SECTOR_POINTS * ((subsets & bits) != 0) + SECTOR_POINTS * ((rest & bits) != 0)
    # Stages with no member in either set still add their (fixed) shortfall: the same for every split.
    for stage, bits in _positions(union, instance.stage).items():
        deviation = np.asarray(state.deviation[stage], dtype=np.int64)
        total -= STAGE_POINTS * (deviation[np.bitwise_count(subsets & bits)] + deviation[np.bitwise_count(rest & bits)])
    return total


def _pair_score(state: State, pair: tuple[int, int], stages: set[int]) -> int:
    """The two sets' score as they are, counting the same stages as `_split_scores`."""
    current = 0
    for k in pair:
        current += SECTOR_POINTS * distinct(state.sector_counts[k])
        current -= STAGE_POINTS * sum(state.deviation[c][state.stage_counts[k][c]] for c in stages)
    return current


def _positions(union: list[int], values: list[int]) -> dict[int, int]:
    """Value (organisation, sector or stage) → a bit mask of the places in `union` of the people with it."""
    by_value: dict[int, int] = {}
    for i, p in enumerate(union):
        by_value[values[p]] = by_value.get(values[p], 0) | 1 << i
    return by_value
