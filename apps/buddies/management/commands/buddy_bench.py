"""Benchmark buddy pairing on seeded random cohorts and check it against an independent exact method.

`python manage.py buddy_bench [--sizes 50:1,500:1,500:5,5000:5] [--seed 1] [--exact-level-up-to 120]`
Each size is people:levels (`5000:5` spreads 5,000 people over the five leadership levels; `5000:1` puts them all
at one level, the densest graph). For each it generates the cohort `buddy_generate` would write, times `solve`, and
measures its peak memory: the process's resident-set high-water mark (VmHWM, reset through /proc/self/clear_refs
just before the solve) minus the resident set at that moment, so rustworkx's Rust memory counts as well as
Python's. When no level has more than `--exact-level-up-to` people it also solves the cohort with `exact_optimum`
(CP-SAT, one model per level: no pair crosses levels) and compares the number paired and the total fit, which must
be equal. CP-SAT proves the optimum of one level of 100 in seconds, but not of one level of 200 in ten minutes (the
matching polytope's odd cycles and the many equal fits leave it a huge search), so larger levels are not checked.
Prints a Markdown table. Touches no database.
"""

import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.buddies.management.commands.buddy_generate import cohort_generate
from apps.buddies.pairing import MAX_FIT, Pairing, Person, allowed, fit, solve, validate
from apps.mentoring.management.commands.match_bench import _reset_peak, _resident_kb

DEFAULT_SIZES = "50:1,100:1,500:1,500:5,5000:5"


def exact_optimum_by_level(people: list[Person], *, seconds: float = 600.0) -> tuple[int, int]:
    """`exact_optimum` of each level on its own, summed: the same optimum, in models CP-SAT can prove."""
    levels: dict[int, list[Person]] = {}
    for person in people:
        levels.setdefault(person.level, []).append(person)
    results = [exact_optimum(group, seconds=seconds) for group in levels.values()]
    return sum(paired for paired, _ in results), sum(total for _, total in results)


def exact_optimum(people: list[Person], *, seconds: float = 600.0) -> tuple[int, int]:
    """(people paired, total fit) of an optimal pairing, found without blossom: an independent check on `solve`.

    An integer program solved by CP-SAT: one yes/no per allowed pair, each person in at most one chosen pair,
    maximise BIG × pairs + total fit. BIG exceeds any possible total fit, so one more pair always beats any gain in
    fit: the optimum pairs the most people, then has the best total, the same order `solve` uses.
    """
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    chosen: list[tuple[Any, int]] = []
    of_person: dict[str, list[Any]] = {person.id: [] for person in people}
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            if allowed(a, b):
                variable = model.new_bool_var(f"{a.id}-{b.id}")
                chosen.append((variable, fit(a, b).score))
                of_person[a.id].append(variable)
                of_person[b.id].append(variable)
    if not chosen:
        return 0, 0
    for variables in of_person.values():
        if len(variables) > 1:
            model.add_at_most_one(variables)
    big = MAX_FIT * (len(people) // 2) + 1
    model.maximize(sum((big + score) * variable for variable, score in chosen))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status != cp_model.OPTIMAL:
        raise RuntimeError(f"CP-SAT did not prove an optimum (status {solver.status_name(status)}).")
    pairs = [score for variable, score in chosen if solver.value(variable)]
    return 2 * len(pairs), sum(pairs)


@dataclass(frozen=True)
class Run:
    people: int
    levels: int
    allowed_pairs: int
    seconds: float
    peak_mb: float | None
    pairing: Pairing
    exact: tuple[int, int] | None
    exact_seconds: float | None


def _parse_sizes(text: str) -> list[tuple[int, int]]:
    try:
        sizes = [tuple(int(part) for part in size.split(":")) for size in text.split(",")]
    except ValueError:
        sizes = []
    if not sizes or any(len(size) != 2 or size[0] < 0 or not 1 <= size[1] <= 5 for size in sizes):
        raise CommandError(f"--sizes must look like {DEFAULT_SIZES} (people:levels, levels 1 to 5), not {text!r}.")
    return [(size[0], size[1]) for size in sizes]


def _allowed_pairs(people: list[Person]) -> int:
    """How many edges the graph has: pairs of the same level in different organisations (counted, not listed)."""
    by_level: dict[int, dict[str, int]] = {}
    for person in people:
        counts = by_level.setdefault(person.level, {})
        counts[person.organisation] = counts.get(person.organisation, 0) + 1
    total = 0
    for counts in by_level.values():
        n = sum(counts.values())
        total += (n * (n - 1) - sum(c * (c - 1) for c in counts.values())) // 2
    return total


class Command(BaseCommand):
    help = "Time buddy pairing on seeded random cohorts and compare it with an independent exact method (CP-SAT)."
    requires_system_checks: list[str] = []  # touches no database: runs anywhere

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"people:levels, comma-separated ({DEFAULT_SIZES})")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--exact-level-up-to",
            type=int,
            default=120,
            help="run CP-SAT when no level has more people than this (default 120)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("| people (levels) | allowed pairs | pairing | peak memory | paired | total fit | CP-SAT |")
        self.stdout.write("|---|---|---|---|---|---|---|")
        for people, levels in _parse_sizes(options["sizes"]):
            run = self._run(people, levels, options["seed"], options["exact_level_up_to"])
            self.stdout.write(_row(run))

    def _run(self, size: int, levels: int, seed: int, exact_level_up_to: int) -> Run:
        people = validate(cohort_generate(people=size, levels=levels, seed=seed))
        can_measure = _reset_peak()
        before = _resident_kb("VmRSS")
        started = time.perf_counter()
        pairing = solve(people)
        seconds = time.perf_counter() - started
        peak = _resident_kb("VmHWM")
        peak_mb = (peak - before) / 1024 if can_measure and before is not None and peak is not None else None
        exact, exact_seconds = None, None
        if max(Counter(person.level for person in people).values(), default=0) <= exact_level_up_to:
            started = time.perf_counter()
            exact = exact_optimum_by_level(people)
            exact_seconds = time.perf_counter() - started
        return Run(size, levels, _allowed_pairs(people), seconds, peak_mb, pairing, exact, exact_seconds)


def _row(run: Run) -> str:
    peak = f"{run.peak_mb:,.0f} MB" if run.peak_mb is not None else "not measured"
    cells = [
        f"{run.people:,} ({run.levels})",
        f"{run.allowed_pairs:,}",
        f"{run.seconds:.2f} s",
        peak,
        f"{run.pairing.paired:,}",
        f"{run.pairing.total_fit:,}",
        _exact_cell(run),
    ]
    return "| " + " | ".join(cells) + " |"


def _exact_cell(run: Run) -> str:
    if run.exact is None or run.exact_seconds is None:
        return "not run"
    paired, total = run.exact
    verdict = "same" if (paired, total) == (run.pairing.paired, run.pairing.total_fit) else "DIFFERENT"
    return f"{verdict}: {paired:,} paired, {total:,} ({run.exact_seconds:.2f} s)"
