"""The most people a slot plan can place: a min-cost flow, solved exactly by OR-Tools' network simplex."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from .instance import Instance, bit_indices


@dataclass(frozen=True)
class Plan:
    counts: tuple[int, ...]  # sets per usable slot
    slot_of: tuple[int, ...]  # per person: usable slot index, or -1 when not placed
    lower: int  # people counted towards the sets' minimum sizes
    placed: int
    extra: bool = False  # found by the wider search: for the second round of `_search`

    def key(self) -> tuple[int, int]:
        return self.lower, self.placed


class SlotFlow:
    """The most people a slot plan can place, as a min-cost flow (OR-Tools' exact network simplex)."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.people = instance.placeable()
        slots = len(instance.slots)
        org_slot: dict[tuple[int, int], int] = {}
        self.pairs: list[tuple[int, int]] = []  # (person, slot) of each person arc
        heads: list[int] = []
        first_person = 2
        first_org_slot = first_person + len(self.people)
        for p in self.people:
            for j in bit_indices(instance.mask[p]):
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

    def solve(self, counts: Sequence[int]) -> Plan:
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
        return Plan(tuple(counts), tuple(slot_of), lower, sum(1 for slot in slot_of if slot >= 0))
