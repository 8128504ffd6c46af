"""Write a seeded, random matching problem in `match_solve`'s input format, for what-if runs and benchmarks.

`python manage.py match_graph --mentees 20000 --mentors 4000 --edges-per-mentee 150 --seed 1 --output graph.json`
Each mentee gets `--edges-per-mentee` distinct mentors (capped by the number of mentors), each pair a score from
0.00 to 100.00; mentors take 1 to 4 mentees. The same arguments always write the same file.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.mentoring.solver import Edge, Mentor, Problem

CHUNK_CELLS = 2_000_000  # random keys drawn at once when picking mentors: bounds memory at ~16 MB


@dataclass(frozen=True)
class Graph:
    """A generated problem as arrays: mentee i may take mentor pair_mentor[j] for j in row i, worth cents / 100."""

    capacities: np.ndarray  # (mentors,)
    pair_mentee: np.ndarray  # (pairs,) mentee index
    pair_mentor: np.ndarray  # (pairs,) mentor index
    score_cents: np.ndarray  # (pairs,) 0..10000


def graph_generate(*, mentees: int, mentors: int, edges_per_mentee: int, seed: int) -> Graph:
    rng = np.random.default_rng(seed)
    per_mentee = min(edges_per_mentee, mentors)
    capacities = rng.integers(1, 5, size=mentors)
    pair_mentor = _distinct_mentors(rng, mentees, mentors, per_mentee).ravel()
    pair_mentee = np.repeat(np.arange(mentees), per_mentee)
    score_cents = rng.integers(0, 10_001, size=pair_mentor.size)
    return Graph(capacities, pair_mentee, pair_mentor, score_cents)


def _distinct_mentors(rng: np.random.Generator, mentees: int, mentors: int, k: int) -> np.ndarray:
    """A (mentees, k) array: each row k distinct mentors chosen uniformly (the k smallest of random keys)."""
    if k == 0:
        return np.empty((mentees, 0), dtype=np.int64)
    rows = max(1, CHUNK_CELLS // mentors)
    chunks = []
    for start in range(0, mentees, rows):
        keys = rng.random((min(rows, mentees - start), mentors))
        chunks.append(np.argpartition(keys, k - 1, axis=1)[:, :k])
    return np.concatenate(chunks) if chunks else np.empty((0, k), dtype=np.int64)


def mentee_id(i: int) -> str:
    return f"mentee-{i:05d}"


def mentor_id(j: int) -> str:
    return f"mentor-{j:05d}"


def graph_problem(graph: Graph, *, mentees: int) -> Problem:
    """The same problem as solver data classes (what the written file describes)."""
    mentee_ids = [mentee_id(i) for i in range(mentees)]
    mentor_ids = [mentor_id(j) for j in range(graph.capacities.size)]
    pairs = zip(graph.pair_mentee.tolist(), graph.pair_mentor.tolist(), (graph.score_cents / 100).tolist(), strict=True)
    return Problem(
        mentors=[Mentor(mentor_ids[j], c) for j, c in enumerate(graph.capacities.tolist())],
        mentees=mentee_ids,
        edges=[Edge(mentee_ids[i], mentor_ids[j], score) for i, j, score in pairs],
    )


def graph_json_chunks(graph: Graph, *, mentees: int, chunk: int = 50_000) -> Iterator[str]:
    """The input file as pieces of JSON text, so 3 million edges never sit in memory as Python dicts."""
    mentor_items = (f'{{"id": "{mentor_id(j)}", "capacity": {c}}}' for j, c in enumerate(graph.capacities.tolist()))
    yield '{"mentors": [' + ", ".join(mentor_items) + "],\n"
    yield '"mentees": [' + ", ".join(f'{{"id": "{mentee_id(i)}"}}' for i in range(mentees)) + "],\n"
    yield '"edges": ['
    for start in range(0, graph.pair_mentor.size, chunk):
        rows = zip(
            graph.pair_mentee[start : start + chunk].tolist(),
            graph.pair_mentor[start : start + chunk].tolist(),
            graph.score_cents[start : start + chunk].tolist(),
            strict=True,
        )
        text = ",\n".join(
            f'{{"mentee": "{mentee_id(i)}", "mentor": "{mentor_id(j)}", "score": {c // 100}.{c % 100:02d}}}'
            for i, j, c in rows
        )
        yield (",\n" if start else "\n") + text
    yield "\n]}\n"


class Command(BaseCommand):
    help = "Write a seeded random matching problem (match_solve's input format) to a file."
    requires_system_checks: list[str] = []  # touches no database: runs anywhere

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mentees", type=int, required=True)
        parser.add_argument("--mentors", type=int, required=True)
        parser.add_argument("--edges-per-mentee", type=int, default=150, help="capped by --mentors (default 150)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--output", required=True, help="file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        mentees, mentors, per_mentee = options["mentees"], options["mentors"], options["edges_per_mentee"]
        if min(mentees, mentors, per_mentee) < 0:
            raise CommandError("--mentees, --mentors and --edges-per-mentee must be 0 or more.")
        graph = graph_generate(mentees=mentees, mentors=mentors, edges_per_mentee=per_mentee, seed=options["seed"])
        with Path(options["output"]).open("w", encoding="utf-8") as out:
            out.writelines(graph_json_chunks(graph, mentees=mentees))
        self.stdout.write(f"Wrote {mentees} mentees, {mentors} mentors, {graph.pair_mentor.size} pairs.")
