"""An exact method for the grouping problem: OR-Tools CP-SAT on the whole model.

`exact_grouping` runs it alone (no hint, a limit in seconds), for the tests and the benchmark: it shares nothing with
the heuristic in `grouping.group` but the data classes and the definition of the problem, so agreement between the
two is evidence that the heuristic is right. It is far too slow beyond a few dozen people (the sets are
interchangeable, so proofs get hard fast), which is why `group` is a flow plus local search, and calls this model
(`exact_improvement`) only on small problems, after the heuristic.

The model, for k sets: x[p, g] (person p in set g), z[g, s] (set g meets at slot s, exactly one per set), each person
in at most one set and only in a set meeting at a slot they can make, at most one person per organisation per set,
min ≤ size ≤ max. Sector s counts in set g only if some member is of that sector; per stage, n[g, c] members, N_c
placed, ⌊N_c / k⌋ and ⌈N_c / k⌉ as integer variables tied to N_c, and excess and shortfall bounded below by their
definitions (the objective pushes them down onto them). Sets are ordered by their first member to cut symmetry.
The lexicographic objective is solved in two phases: most people placed, then, with that fixed, the highest score.
As in `group`, k starts at the number asked for and drops only when no k valid sets exist.

`exact_improvement` is the same model used by `group` itself on small problems (see `tuning.EXACT_PEOPLE`): one
solve of the whole lexicographic objective, started from the heuristic's sets as a hint, on one worker with a fixed
seed and a deterministic time limit (CP-SAT's count of work, not seconds), so the same input gives the same sets on
any machine.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from .problem import Participant, Problem
from .scoring import SECTOR_POINTS, STAGE_POINTS


@dataclass(frozen=True)
class ExactResult:
    sets_formed: int
    placed: int  # the most placed in the best solution found
    placed_bound: int  # no solution with this many sets places more (equal to `placed` when proven)
    score: int | None  # best score found among solutions placing `placed` (None if that phase did not run)
    score_bound: int | None  # no such solution scores more
    sets: list[list[str]]  # the best solution found, as member ids
    seconds: float

    @property
    def proven(self) -> bool:
        return self.placed == self.placed_bound and self.score is not None and self.score == self.score_bound


def exact_grouping(problem: Problem, *, seconds: float = 60.0, workers: int = 2) -> ExactResult | None:
    """The optimum, or the best found and a bound when time runs out; None if not even feasibility was settled."""
    spent = 0.0
    for count in range(problem.set_count, 0, -1):
        model = _Model(problem, count)
        # The first phase gets at most half of what is left, so that the second has time to bound the score.
        phase_one = model.solve(model.placed, seconds=max(0.1, (seconds - spent) / 2), workers=workers)
        spent += phase_one.wall_time
        status = phase_one.status
        if status == cp_model.INFEASIBLE:
            continue
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        placed, bound = round(phase_one.objective_value), round(phase_one.best_objective_bound)
        sets = model.sets(phase_one)
        if placed != bound:
            return ExactResult(count, placed, bound, None, None, sets, spent)
        model.model.add(model.placed == placed)
        phase_two = model.solve(model.score, seconds=max(0.1, seconds - spent), workers=workers)
        spent += phase_two.wall_time
        if phase_two.status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return ExactResult(count, placed, bound, None, None, sets, spent)
        score, score_bound = round(phase_two.objective_value), round(phase_two.best_objective_bound)
        return ExactResult(count, placed, bound, score, score_bound, model.sets(phase_two), spent)
    return ExactResult(0, 0, 0, 0, 0, [], spent)


@dataclass(frozen=True)
class Improvement:
    count: int  # sets formed
    sets: list[list[int]]  # members as indices into problem.participants
    proven: bool  # no grouping into `count` sets does better (and, when count is below the number asked, no more
    # sets can be formed)


def exact_improvement(
    problem: Problem, *, count: int, start: Sequence[Sequence[int]], work: float, seed: int
) -> Improvement | None:
    """CP-SAT's best grouping within `work` units of deterministic time, from the `count` sets `start` as a hint.

    First, when fewer sets than asked were formed, each larger number is tried (a valid grouping into more sets is
    always better); then `count` sets are solved for the lexicographic objective as one weighted sum. None when
    CP-SAT found nothing in time (the caller keeps `start`). The caller compares the answer with `start` and keeps
    the better, so a hint CP-SAT cannot finish improving never makes the result worse.
    """
    spent = 0.0
    for larger in range(problem.set_count, count, -1):
        model = _Model(problem, larger)
        solved = model.solve(model.lexicographic(), work=work - spent, seed=seed)
        spent += solved.deterministic_time
        if solved.status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Improvement(larger, model.members(solved), proven=solved.status == cp_model.OPTIMAL)
        if solved.status != cp_model.INFEASIBLE or spent >= work:
            return None  # not settled in time: keep the heuristic's number of sets
    if count == 0:
        return Improvement(0, [], proven=True)
    model = _Model(problem, count)
    model.hint(start)
    solved = model.solve(model.lexicographic(), work=work - spent, seed=seed)
    if solved.status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return Improvement(count, model.members(solved), proven=solved.status == cp_model.OPTIMAL)


def score_upper_bound(problem: Problem, *, sets: int, placed: int) -> int:
    """A bound on the score of any grouping into `sets` sets placing `placed` people, found by counting.

    A set counts a sector at most once and at most once per member, so the sector sum is at most the number placed,
    at most sets × (number of sectors), and at most Σ over sectors of min(sets, people of that sector who gave any
    availability). The stage penalty is at least 0.
    """
    available = [participant for participant in problem.participants if participant.slots]
    per_sector: dict[str, int] = {}
    for participant in available:
        per_sector[participant.sector] = per_sector.get(participant.sector, 0) + 1
    spread = sum(min(sets, count) for count in per_sector.values())
    return SECTOR_POINTS * min(spread, placed, sets * len(per_sector))


class _Solve:
    def __init__(self, solver: cp_model.CpSolver, status: Any) -> None:
        self.solver, self.status = solver, status
        self.wall_time = solver.wall_time
        self.deterministic_time = solver.deterministic_time
        self.objective_value = solver.objective_value if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else 0
        self.best_objective_bound = solver.best_objective_bound


class _Model:
    def __init__(self, problem: Problem, count: int) -> None:
        self.problem, self.count = problem, count
        model = self.model = cp_model.CpModel()
        self.indices = [i for i, participant in enumerate(problem.participants) if participant.slots]
        people = self.people = [problem.participants[i] for i in self.indices]
        sets = range(count)
        slots = sorted({slot for participant in people for slot in participant.slots})
        x = self.x = [[model.new_bool_var(f"x{p}_{g}") for g in sets] for p in range(len(people))]
        z = self.z = [{slot: model.new_bool_var(f"z{g}_{slot}") for slot in slots} for g in sets]
        for g in sets:
            model.add_exactly_one(z[g].values())
            model.add(sum(x[p][g] for p in range(len(people))) >= problem.min_size)
            model.add(sum(x[p][g] for p in range(len(people))) <= problem.max_size)
        for p, person in enumerate(people):
            model.add_at_most_one(x[p])
            for g in sets:
                model.add(x[p][g] <= sum(z[g][slot] for slot in person.slots))
        for members in _by(people, "organisation").values():
            if len(members) > 1:
                for g in sets:
                    model.add_at_most_one(x[p][g] for p in members)
        self._order_sets_by_first_member()
        sector_terms = []
        # Kept to complete a hint: (variable, members, set) per sector present, (low, high, members) per stage and
        # (excess, shortfall, members, set) per stage and set.
        self.present: list[tuple[cp_model.IntVar, list[int], int]] = []
        self.bounds: list[tuple[cp_model.IntVar, cp_model.IntVar, list[int]]] = []
        self.deviations: list[tuple[cp_model.IntVar, cp_model.IntVar, list[int], int]] = []
        for members in _by(people, "sector").values():
            for g in sets:
                present = model.new_bool_var("")
                model.add(present <= sum(x[p][g] for p in members))
                sector_terms.append(present)
                self.present.append((present, members, g))
        deviation_terms = []
        for members in _by(people, "stage").values():
            at_stage = [sum(x[p][g] for p in members) for g in sets]
            total = sum(at_stage)
            low, high = model.new_int_var(0, len(members), ""), model.new_int_var(0, len(members), "")
            self.bounds.append((low, high, members))
            model.add(count * low <= total)
            model.add(count * low >= total - count + 1)
            model.add(count * high >= total)
            model.add(count * high <= total + count - 1)
            for g, n in enumerate(at_stage):
                excess, shortfall = model.new_int_var(0, len(members), ""), model.new_int_var(0, len(members), "")
                model.add(excess >= n - high)
                model.add(shortfall >= low - n)
                deviation_terms += [excess, shortfall]
                self.deviations.append((excess, shortfall, members, g))
        self.placed = sum(x[p][g] for p in range(len(people)) for g in sets)
        self.score = SECTOR_POINTS * sum(sector_terms) - STAGE_POINTS * sum(deviation_terms)

    def _order_sets_by_first_member(self) -> None:
        """Set g − 1's first member comes before set g's: every grouping has exactly one such numbering."""
        model, x = self.model, self.x
        seen_before: list[list[cp_model.IntVar]] = []  # seen_before[p][g]: set g has a member among 0 … p
        for p in range(len(self.people)):
            row = []
            for g in range(self.count):
                seen = model.new_bool_var("")
                model.add(seen >= x[p][g])
                if p:
                    model.add(seen >= seen_before[p - 1][g])
                    model.add(seen <= seen_before[p - 1][g] + x[p][g])
                    if g:
                        model.add(x[p][g] <= seen_before[p - 1][g - 1])
                else:
                    model.add(seen <= x[p][g])
                    if g:
                        model.add(x[p][g] == 0)
                row.append(seen)
            seen_before.append(row)
        self.seen = seen_before

    def lexicographic(self) -> cp_model.LinearExprT:
        """Placed × a weight larger than any score range, plus the score: one more placed outweighs any mix.

        The score lies between −10 × placed (each placed person adds at most one to the excesses and the
        shortfalls add up to at most the number placed) and 10 × placed (one sector per member at most)."""
        return self.weight * self.placed + self.score

    @property
    def weight(self) -> int:
        return 2 * (SECTOR_POINTS + STAGE_POINTS) * len(self.people) + 1

    def hint(self, start: Sequence[Sequence[int]]) -> None:
        """The sets `start` (indices into problem.participants) as a complete hint, numbered by first member as the
        symmetry cut asks, each meeting at its earliest shared slot; and no worse than them as a constraint, so that
        any solution found is at least as good and the proof has less to search."""
        position = {i: p for p, i in enumerate(self.indices)}
        chosen = sorted(sorted(position[i] for i in members) for members in start if members)
        assigned = [-1] * len(self.people)
        for g, members in enumerate(chosen):
            for p in members:
                assigned[p] = g
        model = self.model
        for p, row in enumerate(self.x):
            for g, var in enumerate(row):
                model.add_hint(var, assigned[p] == g)
        for g, members in enumerate(chosen):
            meets = min(set.intersection(*(set(self.people[p].slots) for p in members)))
            for slot, var in self.z[g].items():
                model.add_hint(var, slot == meets)
        for p, row in enumerate(self.seen):
            for g, var in enumerate(row):
                model.add_hint(var, g in assigned[: p + 1])
        value = 0
        for var, members, g in self.present:
            present = any(assigned[p] == g for p in members)
            model.add_hint(var, present)
            value += SECTOR_POINTS * present
        placed_at: dict[int, tuple[int, int]] = {}
        for low, high, members in self.bounds:
            total = sum(1 for p in members if assigned[p] >= 0)
            floor, ceiling = total // self.count, -(-total // self.count)
            model.add_hint(low, floor)
            model.add_hint(high, ceiling)
            placed_at[id(members)] = floor, ceiling
        for excess, shortfall, members, g in self.deviations:
            floor, ceiling = placed_at[id(members)]
            n = sum(1 for p in members if assigned[p] == g)
            model.add_hint(excess, max(0, n - ceiling))
            model.add_hint(shortfall, max(0, floor - n))
            value -= STAGE_POINTS * (max(0, n - ceiling) + max(0, floor - n))
        placed = sum(1 for g in assigned if g >= 0)
        model.add(self.lexicographic() >= self.weight * placed + value)

    def members(self, solved: _Solve) -> list[list[int]]:
        """The solution's sets as indices into problem.participants."""
        return [[i for p, i in enumerate(self.indices) if solved.solver.value(self.x[p][g])] for g in range(self.count)]

    def solve(
        self,
        objective: cp_model.LinearExprT,
        *,
        seconds: float | None = None,
        workers: int = 1,
        work: float | None = None,
        seed: int | None = None,
    ) -> _Solve:
        self.model.maximize(objective)
        solver = cp_model.CpSolver()
        if seconds is not None:
            solver.parameters.max_time_in_seconds = seconds
        if work is not None:
            # Deterministic: one worker, a fixed seed and a limit on CP-SAT's count of work rather than on seconds.
            solver.parameters.max_deterministic_time = max(0.0, work)
        if seed is not None:
            solver.parameters.random_seed = seed
        solver.parameters.num_workers = workers
        return _Solve(solver, solver.solve(self.model))

    def sets(self, solved: _Solve) -> list[list[str]]:
        if solved.status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return []
        return [
            sorted(person.id for p, person in enumerate(self.people) if solved.solver.value(self.x[p][g]))
            for g in range(self.count)
        ]


def _by(people: list[Participant], field: str) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for p, person in enumerate(people):
        groups.setdefault(getattr(person, field), []).append(p)
    return groups
