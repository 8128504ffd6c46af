"""The objective's score: points for distinct sectors in each set, less points for uneven career stages."""

from collections.abc import Sequence

from .instance import Instance
from .problem import Problem

SECTOR_POINTS = 10
STAGE_POINTS = 5


def score(problem: Problem, sets: Sequence[Sequence[str]]) -> int:
    """The score of sets given as lists of participant ids (valid or not: only the formula is applied)."""
    index = {participant.id: i for i, participant in enumerate(problem.participants)}
    instance = Instance.build(problem)
    return sets_score(instance, [[index[id_] for id_ in members] for members in sets])


def distinct(counts: list[int]) -> int:
    return sum(1 for n in counts if n)


def sets_score(instance: Instance, sets: Sequence[Sequence[int]]) -> int:
    """The objective's score for sets of person indices (see the package docstring)."""
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
