"""Sets being improved by the local search: who is where, the counts the score is made of, and the hard rules."""

from collections.abc import Sequence

from .instance import Instance
from .scoring import SECTOR_POINTS, STAGE_POINTS, sets_score


class State:
    """Sets being improved: who is where, and the counts the score is made of."""

    def __init__(self, instance: Instance, count: int, where: list[int]) -> None:
        self.instance, self.count = instance, count
        self.where = list(where)  # set index, or -1 when not placed
        self.members: list[list[int]] = [[] for _ in range(count)]
        for p, g in enumerate(where):
            if g >= 0:
                self.members[g].append(p)
        self.orgs = [{instance.org[p] for p in members} for members in self.members]
        self.sector_counts = [[0] * instance.sectors for _ in range(count)]
        self.stage_counts = [[0] * instance.stages for _ in range(count)]
        for g, members in enumerate(self.members):
            for p in members:
                self.sector_counts[g][instance.sector[p]] += 1
                self.stage_counts[g][instance.stage[p]] += 1
        self.common = [self.mask_of(members) for members in self.members]
        # Per set, lazily: member → the slots all the other members can make (None: to be worked out again).
        self.without: list[dict[int, int] | None] = [None] * count
        self.unplaced = [p for p in instance.placeable() if where[p] < 0]
        self.placed = sum(len(members) for members in self.members)
        self.placed_at = [sum(counts[c] for counts in self.stage_counts) for c in range(instance.stages)]
        self.refresh_targets()
        self.score = sets_score(instance, self.members)

    def mask_of(self, members: Sequence[int]) -> int:
        """The slots all `members` can make (every bit set for no members)."""
        bits = -1
        mask = self.instance.mask
        for p in members:
            bits &= mask[p]
        return bits

    def refresh_targets(self) -> None:
        """Shortfall plus excess for 0 … max_size + 1 members at each stage, from ⌊N_c / sets⌋ and ⌈N_c / sets⌉."""
        sizes, count = range(self.instance.max_size + 2), max(1, self.count)  # no sets: nothing to deviate
        self.deviation = [
            [max(0, n - -(-total // count)) + max(0, total // count - n) for n in sizes] for total in self.placed_at
        ]

    def stage_penalty(self, stage: int) -> int:
        """Shortfall plus excess at one stage, summed over the sets."""
        deviation = self.deviation[stage]
        return sum(deviation[counts[stage]] for counts in self.stage_counts)

    def add(self, p: int, g: int) -> None:
        instance = self.instance
        self.where[p] = g
        self.placed += 1
        self.members[g].append(p)
        self.orgs[g].add(instance.org[p])
        self.sector_counts[g][instance.sector[p]] += 1
        self.stage_counts[g][instance.stage[p]] += 1
        self.placed_at[instance.stage[p]] += 1
        self.common[g] &= instance.mask[p]
        self.without[g] = None

    def remove(self, p: int) -> int:
        instance, g = self.instance, self.where[p]
        self.where[p] = -1
        self.placed -= 1
        self.members[g].remove(p)
        self.orgs[g].discard(instance.org[p])
        self.sector_counts[g][instance.sector[p]] -= 1
        self.stage_counts[g][instance.stage[p]] -= 1
        self.placed_at[instance.stage[p]] -= 1
        self.common[g] = self.mask_of(self.members[g])
        self.without[g] = None
        return g

    def change(self, g: int, leaving: int, joining: int) -> int:
        """Score change if `leaving` leaves set g and `joining` joins it (-1: nobody), with the stage targets fixed."""
        instance = self.instance
        sectors, stages, deviation = self.sector_counts[g], self.stage_counts[g], self.deviation
        delta = 0
        out_sector = instance.sector[leaving] if leaving >= 0 else -1
        in_sector = instance.sector[joining] if joining >= 0 else -1
        if out_sector != in_sector:
            if out_sector >= 0 and sectors[out_sector] == 1:
                delta -= SECTOR_POINTS
            if in_sector >= 0 and sectors[in_sector] == 0:
                delta += SECTOR_POINTS
        out_stage = instance.stage[leaving] if leaving >= 0 else -1
        in_stage = instance.stage[joining] if joining >= 0 else -1
        if out_stage != in_stage:
            if out_stage >= 0:
                n = stages[out_stage]
                delta -= STAGE_POINTS * (deviation[out_stage][n - 1] - deviation[out_stage][n])
            if in_stage >= 0:
                n = stages[in_stage]
                delta -= STAGE_POINTS * (deviation[in_stage][n + 1] - deviation[in_stage][n])
        return delta

    def fits(self, p: int, g: int, leaving: int = -1) -> bool:
        """Whether p may join set g (in place of `leaving`, if given) without breaking the organisation or time rule."""
        instance = self.instance
        org = instance.org[p]
        if org in self.orgs[g] and (leaving < 0 or instance.org[leaving] != org):
            return False
        mask = instance.mask[p]
        if self.common[g] & mask:
            return True
        if leaving < 0:
            return False
        without = self.without[g] or self.without_of(g)
        return bool(without[leaving] & mask)

    def without_of(self, g: int) -> dict[int, int]:
        """Member → the slots all other members of set g can make, from running ANDs both ways (linear time)."""
        members, mask = self.members[g], self.instance.mask
        before = [-1]
        for p in members:
            before.append(before[-1] & mask[p])
        without, after = {}, -1
        for i in range(len(members) - 1, -1, -1):
            without[members[i]] = before[i] & after
            after &= mask[members[i]]
        self.without[g] = without
        return without

    def key(self) -> tuple[int, int]:
        """What the search maximises: people placed, then score."""
        return self.placed, self.score

    def insert_everyone_possible(self) -> None:
        """Places each unplaced person who fits a set with room: one more placed always beats any score."""
        for p in list(self.unplaced):
            for g in range(self.count):
                if len(self.members[g]) < self.instance.max_size and self.fits(p, g):
                    self.add(p, g)
                    self.unplaced.remove(p)
                    self.refresh_targets()
                    break
        self.score = sets_score(self.instance, self.members)
