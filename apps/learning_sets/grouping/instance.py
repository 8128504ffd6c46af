"""The problem as small integers, and the slots a set can usefully meet at."""

from dataclasses import dataclass

from apps.learning_sets.slots import ALL_SLOTS

from .problem import Problem


@dataclass(frozen=True)
class Instance:
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
    def build(cls, problem: Problem) -> "Instance":
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


def bit_indices(mask: int) -> list[int]:
    return [j for j in range(mask.bit_length()) if mask >> j & 1]
