"""Time `match_solve` against a plain OR-Tools script on the same file, and the solver against OR-Tools directly.

`python manage.py match_solve_bench [--mentees 20000] [--mentors 4000] [--edges-per-mentee 150] [--seed 1] [--runs 3]`
writes the file `match_graph` writes for those arguments into a temporary folder under the system's temporary
directory (deleted at the end), or uses `--input graph.json`. Each run, in one process after another (each run
starting with a different one):

- the reference: `REFERENCE_SCRIPT`, a script written as plainly as a person would write it (load the JSON, look
  the ids up in dicts, make the arrays, SimpleMinCostFlow, write the pairs), once with `json` and once with a fast
  JSON library as a drop-in (msgspec's `json.decode` into dicts, a little faster than orjson's `loads` here);
- `match_solve` end to end, as `python manage.py match_solve` (interpreter and Django start-up included, as the
  scripts' interpreter start-up is);
- in this process, on arrays read once: `solver.solve_indexed` against OR-Tools directly (the script's network and
  calls on the same arrays).

Wall times, CPU times, peak memory of each process (its resident-set high-water mark) and the ratios are printed as
a Markdown table; every result's matched count and total score must agree, or the command fails. No database.
"""

import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from ortools.graph.python import min_cost_flow

from apps.mentoring.management.commands.match_graph import graph_generate, graph_json_chunks
from apps.mentoring.management.commands.match_solve import problem_read
from apps.mentoring.solver import SCALE, solve_indexed
from apps.mentoring.solver_file import FileProblem

# The reference, run as `python -c REFERENCE_SCRIPT graph.json result.json json|msgspec`. Deliberately plain: no
# checks beyond what the loops do on their own, one Python loop per array. It prints its own timings as JSON.
REFERENCE_SCRIPT = """
import json, sys, time
import numpy as np
from ortools.graph.python import min_cost_flow

started = time.perf_counter()
path, output, loader = sys.argv[1:4]
if loader == "msgspec":
    import msgspec
    with open(path, "rb") as f:
        problem = msgspec.json.decode(f.read())
else:
    with open(path) as f:
        problem = json.load(f)

mentees = [m["id"] for m in problem["mentees"]]
mentors = [m["id"] for m in problem["mentors"]]
mentee_index = {m: i for i, m in enumerate(mentees)}
mentor_index = {m: i for i, m in enumerate(mentors)}
edges = problem["edges"]
edge_mentee = np.array([mentee_index[e["mentee"]] for e in edges])
edge_mentor = np.array([mentor_index[e["mentor"]] for e in edges])
edge_score = np.array([e["score"] for e in edges], dtype=float)
capacity = np.array([m["capacity"] for m in problem["mentors"]])

solve_started = time.perf_counter()
n, m, e = len(mentees), len(mentors), len(edges)
source, sink = n + m, n + m + 1  # nodes: mentees, then mentors, then source and sink
flow = min_cost_flow.SimpleMinCostFlow()
flow.add_arcs_with_capacity_and_unit_cost(
    np.concatenate([edge_mentee, np.full(n, source), n + np.arange(m)]),
    np.concatenate([n + edge_mentor, np.arange(n), np.full(m, sink)]),
    np.concatenate([np.ones(e + n, dtype=np.int64), capacity]),
    np.concatenate([-np.rint(edge_score * 1_000_000).astype(np.int64), np.zeros(n + m, dtype=np.int64)]),
)
flow.set_node_supply(source, n)
flow.set_node_supply(sink, -n)
assert flow.solve_max_flow_with_min_cost() == flow.OPTIMAL
chosen = np.flatnonzero(flow.flows(np.arange(e)))
solve_seconds = time.perf_counter() - solve_started

pairs = sorted((mentees[edge_mentee[i]], mentors[edge_mentor[i]]) for i in chosen)
total = sum(edges[i]["score"] for i in chosen)
with open(output, "w") as f:
    json.dump({"assignments": [{"mentee": a, "mentor": b} for a, b in pairs], "matched": len(pairs),
               "total_score": total}, f)
print(json.dumps({"matched": len(pairs), "total_score": total, "solve_seconds": solve_seconds,
                  "inside_seconds": time.perf_counter() - started}))
"""


@dataclass(frozen=True)
class Usage:
    seconds: float  # wall time from start to exit
    cpu_seconds: float  # user + system time of the process: what it cost, whatever else the machine was doing
    peak_mb: float  # the process's resident-set high-water mark


@dataclass(frozen=True)
class Child:
    usage: Usage
    matched: int
    total_score: float


@dataclass(frozen=True)
class Run:
    script_json: Child
    script_fast: Child
    match_solve: Child
    solver: Usage  # in this process: peak memory not measured (0)
    ortools: Usage


def _child(argv: list[str], result: Path) -> tuple[Usage, str]:
    """Runs a process to its end: what it used and what it printed; CommandError if it fails."""
    result.unlink(missing_ok=True)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, cwd=settings.BASE_DIR)  # noqa: S603 (our argv)
        peak_kb = 0
        # wait4, not wait: it gives this child's own CPU time. Not its ru_maxrss, which also counts the copy of this
        # process it started as before exec; the kernel's high-water mark of the child's own memory (VmHWM) only
        # grows, so the last reading before it exits is its peak (the peak comes long before the exit).
        while True:
            pid, status, rusage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak_kb = max(peak_kb, _high_water_kb(process.pid))
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise CommandError(f"{argv[1:3]} failed ({process.returncode}): {err.read().decode()[-2000:]}")
        printed = out.read().decode()
    if not result.exists():
        raise CommandError(f"{argv[1:3]} wrote no result.")
    return Usage(seconds, rusage.ru_utime + rusage.ru_stime, peak_kb / 1024), printed


def _high_water_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:  # it has just exited
        pass
    return 0


def _script(graph: Path, result: Path, loader: str) -> Child:
    usage, printed = _child([sys.executable, "-c", REFERENCE_SCRIPT, str(graph), str(result), loader], result)
    said = json.loads(printed)
    return Child(usage, said["matched"], said["total_score"])


def _match_solve(graph: Path, result: Path) -> Child:
    argv = [sys.executable, "manage.py", "match_solve", "--input", str(graph), "--output", str(result)]
    usage, _ = _child(argv, result)
    said = json.loads(result.read_bytes())
    return Child(usage, said["matched"], said["total_score"])


def ortools_directly(problem: FileProblem) -> np.ndarray:
    """The reference script's network and calls on the checked arrays: OR-Tools with nothing of ours around it."""
    n, m, e = len(problem.mentee_ids), len(problem.mentor_ids), len(problem.edge_score)
    source, sink = n + m, n + m + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([problem.edge_mentee, np.full(n, source), n + np.arange(m)]),
        np.concatenate([n + problem.edge_mentor, np.arange(n), np.full(m, sink)]),
        np.concatenate([np.ones(e + n, dtype=np.int64), problem.capacities]),
        np.concatenate([-np.rint(problem.edge_score * SCALE).astype(np.int64), np.zeros(n + m, dtype=np.int64)]),
    )
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
        raise CommandError("OR-Tools found no optimum.")
    return np.flatnonzero(flow.flows(np.arange(e)))


def _solver(problem: FileProblem) -> np.ndarray:
    return solve_indexed(
        mentees=len(problem.mentee_ids),
        capacities=problem.capacities,
        edge_mentee=problem.edge_mentee,
        edge_mentor=problem.edge_mentor,
        edge_score=problem.edge_score,
    )


def _timed(solve: Any, problem: FileProblem) -> tuple[Usage, int, float]:
    started, cpu_started = time.perf_counter(), time.process_time()  # the flow solver runs on one thread
    chosen = solve(problem)
    usage = Usage(time.perf_counter() - started, time.process_time() - cpu_started, 0.0)
    return usage, len(chosen), math.fsum(problem.edge_score[chosen].tolist())


class Command(BaseCommand):
    help = "Time match_solve against a plain OR-Tools script on the same file, and the solver against OR-Tools."
    requires_system_checks: list[str] = []  # touches no database: runs anywhere

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mentees", type=int, default=20_000)
        parser.add_argument("--mentors", type=int, default=4_000)
        parser.add_argument("--edges-per-mentee", type=int, default=150)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--input", help="an existing problem file instead of a generated one")
        parser.add_argument("--runs", type=int, default=3)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["runs"] < 1 or min(options["mentees"], options["mentors"], options["edges_per_mentee"]) < 0:
            raise CommandError("--runs must be 1 or more, and the sizes 0 or more.")
        if options["input"] and not Path(options["input"]).is_file():
            raise CommandError(f"--input {options['input']!r} is not a file.")
        with tempfile.TemporaryDirectory(prefix="match_solve_bench-") as folder:
            graph = Path(options["input"]) if options["input"] else self._generate(Path(folder), options)
            self.stdout.write(f"{graph.stat().st_size / 1e6:,.0f} MB; load before: {_load()}")
            runs = [self._run(graph, Path(folder) / "result.json", n) for n in range(options["runs"])]
            self.stdout.write(f"load after: {_load()}")
        self._table(runs)

    def _generate(self, folder: Path, options: dict[str, Any]) -> Path:
        mentees = options["mentees"]
        graph = graph_generate(
            mentees=mentees,
            mentors=options["mentors"],
            edges_per_mentee=options["edges_per_mentee"],
            seed=options["seed"],
        )
        path = folder / "graph.json"
        with path.open("w", encoding="utf-8") as out:
            out.writelines(graph_json_chunks(graph, mentees=mentees))
        return path

    def _run(self, graph: Path, result: Path, n: int) -> Run:
        contenders: list[Callable[[], Child]] = [
            lambda: _script(graph, result, "json"),
            lambda: _match_solve(graph, result),
            lambda: _script(graph, result, "msgspec"),
        ]
        # Each run starts with a different one, so none is always the first after this process's own solving.
        done = {i % 3: contenders[i % 3]() for i in range(n, n + 3)}
        script_json, solved, script_fast = done[0], done[1], done[2]
        problem = problem_read(str(graph))
        if n % 2:
            ortools, *ortools_says = _timed(ortools_directly, problem)
            solver, *solver_says = _timed(_solver, problem)
        else:
            solver, *solver_says = _timed(_solver, problem)
            ortools, *ortools_says = _timed(ortools_directly, problem)
        del problem
        outcomes = {
            "plain script (json)": (script_json.matched, script_json.total_score),
            "plain script (msgspec)": (script_fast.matched, script_fast.total_score),
            "match_solve": (solved.matched, solved.total_score),
            "solver": tuple(solver_says),
            "OR-Tools directly": tuple(ortools_says),
        }
        matched = {said[0] for said in outcomes.values()}
        totals = [said[1] for said in outcomes.values()]
        # Scores are rounded to millionths inside both flows, so equal optima may differ by a millionth per match.
        if len(matched) != 1 or max(totals) - min(totals) > max(matched) / SCALE:
            raise CommandError(f"The results disagree: {outcomes}")
        return Run(script_json, script_fast, solved, solver, ortools)

    def _table(self, runs: list[Run]) -> None:
        self.stdout.write(
            "| run | plain script, json | plain script, msgspec | match_solve | ÷ json script | ÷ msgspec script "
            "| solver alone | OR-Tools directly | ÷ OR-Tools |"
        )
        self.stdout.write("|---|---|---|---|---|---|---|---|---|")
        for n, run in enumerate(runs, start=1):
            self._row(
                str(n), run.script_json.usage, run.script_fast.usage, run.match_solve.usage, run.solver, run.ortools
            )
        if len(runs) > 1:  # each one's fastest run: what it costs when the machine's other work gets least in the way
            columns = [
                [run.script_json.usage for run in runs],
                [run.script_fast.usage for run in runs],
                [run.match_solve.usage for run in runs],
                [run.solver for run in runs],
                [run.ortools for run in runs],
            ]
            self._row("best", *(_best(column) for column in columns))
        first = runs[0].match_solve
        self.stdout.write(f"Every run: {first.matched:,} matched, total score {first.total_score:,.2f}.")
        self.stdout.write("Each cell: wall time (CPU time, peak memory of the process); ratios: wall (CPU).")

    def _row(
        self, name: str, script_json: Usage, script_fast: Usage, solved: Usage, solver: Usage, ortools: Usage
    ) -> None:
        cells = [
            name,
            _cell(script_json),
            _cell(script_fast),
            _cell(solved),
            _ratio(solved, script_json),
            _ratio(solved, script_fast),
            f"{solver.seconds:.2f} s ({solver.cpu_seconds:.2f} s)",
            f"{ortools.seconds:.2f} s ({ortools.cpu_seconds:.2f} s)",
            _ratio(solver, ortools),
        ]
        self.stdout.write("| " + " | ".join(cells) + " |")


def _best(usages: list[Usage]) -> Usage:
    return Usage(min(u.seconds for u in usages), min(u.cpu_seconds for u in usages), max(u.peak_mb for u in usages))


def _cell(usage: Usage) -> str:
    return f"{usage.seconds:.2f} s ({usage.cpu_seconds:.2f} s, {usage.peak_mb:,.0f} MB)"


def _ratio(usage: Usage, reference: Usage) -> str:
    return f"{usage.seconds / reference.seconds:.2f}× ({usage.cpu_seconds / reference.cpu_seconds:.2f}×)"


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min)"
