"""Benchmark action learning set grouping on seeded applicants and compare it with the best known score.

`python manage.py als_bench [--sizes 24,48,100,250,500,1000] [--seed 1] [--runs 1] [--exact-seconds 60]
[--exact-up-to 1000]`
For each size it generates the applicants `als_generate` would write, times `group` (`--runs` times: the range is
shown, in wall and in CPU seconds, which a shared machine moves far less), and then gives CP-SAT (`grouping.exact`,
the model run on its own: no hint, a limit in seconds, two workers) up to `--exact-seconds` to prove the optimum.
When it cannot, the best known figure is an upper bound: the lower of CP-SAT's bound and a counting bound
(`score_upper_bound`), and the gap is measured against it, so the true gap is at most the one shown. "method" says
whether `group` ran CP-SAT after its heuristic (small problems). The machine's speed moves all the time, so each
run also times a fixed reference workload (`reference_seconds`: sorting and summing a seeded list in plain Python,
as the search is plain Python) just before grouping, and the table gives the wall time as a multiple of it. Prints
a Markdown table. Touches no database.
"""

import random
import time
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.learning_sets.grouping import Grouping, Problem, group, validate
from apps.learning_sets.grouping.exact import ExactResult, exact_grouping, score_upper_bound
from apps.learning_sets.grouping.instance import Instance
from apps.learning_sets.grouping.search import exact_suits
from apps.learning_sets.management.commands.als_generate import applicants_generate

DEFAULT_SIZES = "24,48,100,250,500,1000"


@dataclass(frozen=True)
class Run:
    problem: Problem
    grouping: Grouping
    seconds: list[float]  # one per run
    cpu: list[float]  # CPU seconds of this process (CP-SAT's worker included), one per run
    references: list[float]  # the reference workload's time just before each run
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
        parser.add_argument("--runs", type=int, default=1, help="times to run the grouping per size (default 1)")
        parser.add_argument("--exact-seconds", type=float, default=60.0, help="CP-SAT time per size (default 60)")
        parser.add_argument(
            "--exact-up-to", type=int, default=1000, help="run CP-SAT up to this many applicants (default 1000)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sizes = _parse_sizes(options["sizes"])
        if options["runs"] < 1:
            raise CommandError(f"--runs must be 1 or more, not {options['runs']}.")
        self.stdout.write(
            "| applicants | method | sets | placed | score | seconds | CPU seconds | × reference | best known | gap |"
        )
        self.stdout.write("|---|---|---|---|---|---|---|---|---|---|")
        for size in sizes:
            run = self._run(size, options["seed"], options["runs"], options["exact_seconds"], options["exact_up_to"])
            self.stdout.write(_row(run))
        self.stdout.write(f"\nReference workload: {REFERENCE_ITEMS:,} items sorted and summed in plain Python.")

    def _run(self, size: int, seed: int, runs: int, exact_seconds: float, exact_up_to: int) -> Run:
        problem = validate(applicants_generate(applicants=size, seed=seed))
        seconds, cpu, references, results = [], [], [], []
        for _ in range(runs):
            references.append(reference_seconds())
            started, started_cpu = time.perf_counter(), time.process_time()
            results.append(group(problem))
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        if any(result != results[0] for result in results):
            raise CommandError(f"The grouping of {size} applicants changed between runs: it should not.")
        exact = exact_grouping(problem, seconds=exact_seconds) if size <= exact_up_to else None
        return Run(problem, results[0], seconds, cpu, references, exact)


REFERENCE_ITEMS = 400_000


def reference_seconds() -> float:
    """Seconds for a fixed plain-Python workload (sorting and summing seeded numbers): the machine's speed now."""
    rng = random.Random(0)
    started = time.perf_counter()
    values = [rng.random() for _ in range(REFERENCE_ITEMS)]
    values.sort()
    total = 0.0
    for value in values:
        total += value
    return time.perf_counter() - started


def _row(run: Run) -> str:
    grouping, problem = run.grouping, run.problem
    ratios = [seconds / reference for seconds, reference in zip(run.seconds, run.references, strict=True)]
    method = "heuristic + CP-SAT" if exact_suits(Instance.build(problem), problem.set_count) else "heuristic"
    cells = [
        f"{len(problem.participants):,}",
        method,
        f"{len(grouping.sets):,} of {problem.set_count:,}",
        f"{grouping.placed:,}",
        f"{grouping.score:,}",
        _span(run.seconds, "{:.2f}"),
        _span(run.cpu, "{:.2f}"),
        _span(ratios, "{:.1f}"),
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


def _span(values: list[float], form: str) -> str:
    low, high = form.format(min(values)), form.format(max(values))
    return low if low == high else f"{low}–{high}"


def _gap(score: int, best: int) -> str:
    return f"{100 * (best - score) / best:.2f} %" if best > 0 else "0.00 %"
