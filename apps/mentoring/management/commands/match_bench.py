"""Benchmark the matching solver on seeded random problems and check it against an independent exact method.

`python manage.py match_bench [--sizes 20x8,500x120,5000x1200,20000x4000] [--edges-per-mentee 150] [--seed 1]`
For each size (mentees x mentors) it generates the problem `match_graph` would write, times `solve`, and measures
the solver's peak memory: the process's resident-set high-water mark (VmHWM, reset through /proc/self/clear_refs just
before the solve) minus the resident set at that moment, so it counts OR-Tools' C++ memory as well as Python's.
Up to `--exact-up-to` mentees it also solves the problem with `exact_optimum` (SciPy's assignment solver) and
compares the matched count and total score. Prints a Markdown table. Touches no database.
"""

import importlib
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.mentoring.management.commands.match_graph import graph_generate, graph_problem
from apps.mentoring.solver import Problem, Solution, solve

DEFAULT_SIZES = "20x8,500x120,5000x1200,20000x4000"


def exact_optimum(problem: Problem) -> tuple[int, float]:
    """(matched, total score) of an optimal matching, found without flows: an independent check on `solve`.

    A rectangular assignment problem: one row per mentee; one column per mentor place (a mentor with capacity 3 has
    three columns) plus one "unmatched" column per mentee. An allowed pair costs −(BONUS + score), a forbidden one is
    impossible (infinite), "unmatched" costs 0. BONUS exceeds any possible total score, so one more match always beats
    any gain in score: the minimum cost matches the most mentees, then has the highest total. SciPy is a development
    dependency, so it is imported here.
    """
    from scipy.optimize import linear_sum_assignment

    n = len(problem.mentees)
    if n == 0:
        return 0, 0.0
    row = {mentee: i for i, mentee in enumerate(problem.mentees)}
    places: dict[str, range] = {}
    owner: list[str] = []  # the mentor of each place column
    for mentor in problem.mentors:
        places[mentor.id] = range(len(owner), len(owner) + mentor.capacity)
        owner += [mentor.id] * mentor.capacity
    bonus = 1.0 + n * max((edge.score for edge in problem.edges), default=0.0)
    cost = np.full((n, len(owner) + n), np.inf)
    cost[:, len(owner) :] = 0.0
    for edge in problem.edges:
        cost[row[edge.mentee], places[edge.mentor]] = -(bonus + edge.score)
    rows, columns = linear_sum_assignment(cost)
    score = {(edge.mentee, edge.mentor): edge.score for edge in problem.edges}
    chosen = [
        (problem.mentees[r], owner[c]) for r, c in zip(rows.tolist(), columns.tolist(), strict=True) if c < len(owner)
    ]
    return len(chosen), math.fsum(score[pair] for pair in chosen)


@dataclass(frozen=True)
class Run:
    mentees: int
    mentors: int
    pairs: int
    seconds: float
    peak_mb: float | None
    solution: Solution
    exact: tuple[int, float] | None
    exact_seconds: float | None


def _resident_kb(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # Linux: resets VmHWM to the current resident set
    except OSError:
        return False
    return True


def _timed_solve(problem: Problem) -> tuple[Solution, float, float | None]:
    """The solution, the seconds it took and the memory it needed on top of what was resident (MB, if known)."""
    can_measure = _reset_peak()
    before = _resident_kb("VmRSS")
    started = time.perf_counter()
    solution = solve(problem)
    seconds = time.perf_counter() - started
    peak = _resident_kb("VmHWM")
    if not can_measure or before is None or peak is None:
        return solution, seconds, None
    return solution, seconds, (peak - before) / 1024


def _parse_sizes(text: str) -> list[tuple[int, int]]:
    try:
        sizes = [tuple(int(part) for part in size.lower().split("x")) for size in text.split(",")]
    except ValueError:
        sizes = []
    if not sizes or any(len(size) != 2 or min(size) < 0 for size in sizes):
        raise CommandError(f"--sizes must look like {DEFAULT_SIZES}, not {text!r}.")
    return [(size[0], size[1]) for size in sizes]


class Command(BaseCommand):
    help = "Time the matching solver on seeded random problems and compare it with an independent exact method."
    requires_system_checks: list[str] = []  # touches no database: runs anywhere

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sizes", default=DEFAULT_SIZES, help=f"mentees x mentors, comma-separated ({DEFAULT_SIZES})"
        )
        parser.add_argument("--edges-per-mentee", type=int, default=150)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--exact-up-to", type=int, default=5000, help="run the exact method up to this many mentees (default 5000)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["exact_up_to"] > 0:
            importlib.import_module("scipy.optimize")  # so its import time is not counted as the exact method's
        self.stdout.write("| mentees × mentors | pairs | solve | peak memory | matched | total score | exact method |")
        self.stdout.write("|---|---|---|---|---|---|---|")
        for mentees, mentors in _parse_sizes(options["sizes"]):
            run = self._run(mentees, mentors, options["edges_per_mentee"], options["seed"], options["exact_up_to"])
            self.stdout.write(_row(run))

    def _run(self, mentees: int, mentors: int, per_mentee: int, seed: int, exact_up_to: int) -> Run:
        graph = graph_generate(mentees=mentees, mentors=mentors, edges_per_mentee=per_mentee, seed=seed)
        problem = graph_problem(graph, mentees=mentees)
        solution, seconds, peak_mb = _timed_solve(problem)
        exact, exact_seconds = None, None
        if mentees <= exact_up_to:
            started = time.perf_counter()
            exact = exact_optimum(problem)
            exact_seconds = time.perf_counter() - started
        return Run(mentees, mentors, len(problem.edges), seconds, peak_mb, solution, exact, exact_seconds)


def _row(run: Run) -> str:
    peak = f"{run.peak_mb:,.0f} MB" if run.peak_mb is not None else "not measured"
    cells = [
        f"{run.mentees:,} × {run.mentors:,}",
        f"{run.pairs:,}",
        f"{run.seconds:.2f} s",
        peak,
        f"{run.solution.matched:,}",
        f"{run.solution.total_score:,.2f}",
        _exact_cell(run),
    ]
    return "| " + " | ".join(cells) + " |"


def _exact_cell(run: Run) -> str:
    if run.exact is None or run.exact_seconds is None:
        return "not run"
    matched, total = run.exact
    agrees = matched == run.solution.matched and abs(total - run.solution.total_score) <= 1e-6 * max(1, matched)
    verdict = "same" if agrees else "DIFFERENT"
    return f"{verdict}: {matched:,} matched, {total:,.2f} ({run.exact_seconds:.2f} s)"
