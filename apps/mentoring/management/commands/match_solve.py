"""Solve a matching problem stored in a JSON file, for what-if runs and benchmarks (no database is touched).

`python manage.py match_solve --input graph.json --output result.json` ('-' reads stdin or writes stdout).
Input: {"mentors": [{"id", "capacity"}], "mentees": [{"id"}], "edges": [{"mentee", "mentor", "score"}]}.
Output: {"assignments": [{"mentee", "mentor"}], "unmatched": [id], "matched", "total_score", "seconds"}, where
seconds is the time spent in the solver alone. Bad input is refused with a message on stderr and exit code 2
(Django's CommandError would exit with 1), and no output is written.

A well-formed file is decoded by msgspec and checked in bulk (`solver_file.problem_parse`); anything else is decoded
by `json` and checked in bulk in the order of a check of one item at a time (`problem_check`), so every refusal
says what it said before.
"""

import sys
import time
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from apps.common.jsonfiles import (
    EXIT_BAD_INPUT,
    READ_ERRORS,
    WRITE_ERRORS,
    describe,
    describe_write,
    parse_json,
    read_json,
    write_json,
)
from apps.mentoring.solver import ProblemError, Solution, solve_indexed
from apps.mentoring.solver_file import FileProblem, NotPlain, problem_check, problem_parse, solution_build


class Command(BaseCommand):
    help = "Match mentees with mentors for a problem in a JSON file: most mentees matched, then highest total score."
    requires_system_checks: list[str] = []  # touches no database: runs anywhere, even before migrations

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="problem file (JSON), or - for stdin")
        parser.add_argument("--output", required=True, help="result file (JSON), or - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            problem = problem_read(options["input"])
        except (*READ_ERRORS, ProblemError) as error:
            self._refuse(options["input"], error)
        started = time.perf_counter()
        chosen = solve_indexed(
            mentees=len(problem.mentee_ids),
            capacities=problem.capacities,
            edge_mentee=problem.edge_mentee,
            edge_mentor=problem.edge_mentor,
            edge_score=problem.edge_score,
        )
        seconds = time.perf_counter() - started
        solution = solution_build(problem=problem, chosen=chosen)
        try:
            write_json(options["output"], result_json(solution, seconds=seconds), stdout=self.stdout)
        except WRITE_ERRORS as error:
            self.stderr.write(f"match_solve: cannot write {options['output']!r}: {describe_write(error)}")
            raise SystemExit(EXIT_BAD_INPUT) from None

    def _refuse(self, source: str, error: Exception) -> NoReturn:
        self.stderr.write(f"match_solve: cannot use {source!r}: {describe(error)}")
        raise SystemExit(EXIT_BAD_INPUT)


def problem_read(source: str) -> FileProblem:
    """The checked problem in `source` ('-' for standard input); READ_ERRORS or ProblemError as `json` and a check
    of one item at a time would refuse it."""
    if source == "-":
        text = sys.stdin.read()  # standard input cannot be read twice: `json` gets this text if it must decide
        try:
            return problem_parse(text=text)
        except NotPlain:
            return problem_check(raw=parse_json(text))
    try:
        return problem_parse(text=Path(source).read_bytes())
    except NotPlain:
        pass  # out of the handler first, so the bytes read are freed before `json` decodes
    # Read again as `read_json` always read it (text mode, UTF-8), so errors name the same line and column.
    return problem_check(raw=read_json(source))


def result_json(solution: Solution, *, seconds: float) -> dict[str, Any]:
    return {
        "assignments": [{"mentee": mentee, "mentor": mentor} for mentee, mentor in solution.assignments],
        "unmatched": solution.unmatched,
        "matched": solution.matched,
        "total_score": solution.total_score,
        "seconds": round(seconds, 6),
    }
