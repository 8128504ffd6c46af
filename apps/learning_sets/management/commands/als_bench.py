"""Benchmark action learning set grouping on seeded applicants and compare it with the best known score.

`python manage.py als_bench [--sizes 24,48,100,250,500,1000] [--seed 1] [--exact-seconds 60] [--exact-up-to 1000]`
For each size it generates the applicants `als_generate` would write, times `group`, and then gives CP-SAT
(`grouping.exact`, an independent model of the whole problem) up to `--exact-seconds` to prove the optimum. When it
cannot, the best known figure is an upper bound: the lower of CP-SAT's bound and a counting bound
(`score_upper_bound`), and the gap is measured against it, so the true gap is at most the one shown. Prints a
Markdown table. Touches no database.
"""

import time
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.learning_sets.grouping import Grouping, Problem, group, validate
from apps.learning_sets.grouping.exact import ExactResult, exact_grouping, score_upper_bound
from apps.learning_sets.management.commands.als_generate import applicants_generate

DEFAULT_SIZES = "24,48,100,250,500,1000"


@dataclass(frozen=True)
class Run:
    problem: Problem
    grouping: Grouping
    seconds: float
    exact: ExactResult | None  # None: not run, or CP-SAT settled nothing in time


def _parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(size) for size in text.split(",")]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 0:
        raise CommandError(f"--sizes must look like {DEFAULT_SIZES}, not {text!r}.")
    return sizes


class Command(BaseCommand):
    help = "Time action learning set grouping on seeded applicants and compare it with the optimum or a bound."
    requires_system_checks: list[str] = []  # touches no database: runs anywhere

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"applicants, comma-separated ({DEFAULT_SIZES})")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--exact-seconds", type=float, default=60.0, help="CP-SAT time per size (default 60)")
        parser.add_argument(
            "--exact-up-to", type=int, default=1000, help="run CP-SAT up to this many applicants (default 1000)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("| applicants | sets | placed | score | seconds | best known | gap |")
        self.stdout.write("|---|---|---|---|---|---|---|")
        for size in _parse_sizes(options["sizes"]):
            run = self._run(size, options["seed"], options["exact_seconds"], options["exact_up_to"])
            self.stdout.write(_row(run))

    def _run(self, size: int, seed: int, exact_seconds: float, exact_up_to: int) -> Run:
        problem = validate(applicants_generate(applicants=size, seed=seed))
        started = time.perf_counter()
        grouping = group(problem)
        seconds = time.perf_counter() - started
        exact = exact_grouping(problem, seconds=exact_seconds) if size <= exact_up_to else None
        return Run(problem, grouping, seconds, exact)


def _row(run: Run) -> str:
    grouping = run.grouping
    cells = [
        f"{len(run.problem.participants):,}",
        f"{len(grouping.sets):,} of {run.problem.set_count:,}",
        f"{grouping.placed:,}",
        f"{grouping.score:,}",
        f"{run.seconds:.2f}",
        *_comparison(run),
    ]
    return "| " + " | ".join(cells) + " |"


def _comparison(run: Run) -> tuple[str, str]:
    """The best known cell and the gap cell."""
    grouping, exact = run.grouping, run.exact
    placeable = sum(1 for participant in run.problem.participants if participant.slots)
    placed_bound = exact.placed_bound if exact is not None else placeable
    if exact is not None and exact.sets_formed > len(grouping.sets):
        return f"{exact.sets_formed} sets possible (CP-SAT)", "fewer sets"
    if placed_bound > grouping.placed:
        return f"up to {placed_bound:,} placed", f"up to {placed_bound - grouping.placed} fewer placed"
    if exact is not None and exact.proven and exact.score is not None:
        return f"{exact.score:,}, optimum (CP-SAT, {exact.seconds:.1f} s)", _gap(grouping.score, exact.score)
    bound = score_upper_bound(run.problem, sets=len(grouping.sets), placed=grouping.placed)
    source = "counting bound"
    if exact is not None and exact.score_bound is not None and exact.score_bound < bound:
        bound, source = exact.score_bound, f"CP-SAT bound, {exact.seconds:.0f} s"
    return f"≤ {bound:,} ({source})", _gap(grouping.score, bound)


def _gap(score: int, best: int) -> str:
    return f"{100 * (best - score) / best:.2f} %" if best > 0 else "0.00 %"
