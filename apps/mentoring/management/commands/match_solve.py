"""Solve a matching problem stored in a JSON file, for what-if runs and benchmarks (no database is touched).

`python manage.py match_solve --input graph.json --output result.json` ('-' reads stdin or writes stdout).
Input: {"mentors": [{"id", "capacity"}], "mentees": [{"id"}], "edges": [{"mentee", "mentor", "score"}]}.
Output: {"assignments": [{"mentee", "mentor"}], "unmatched": [id], "matched", "total_score", "seconds"}, where
seconds is the time spent in the solver alone. Bad input is refused with a message on stderr and exit code 2
(Django's CommandError would exit with 1), and no output is written.
"""

import time
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from apps.common.jsonfiles import (
    EXIT_BAD_INPUT,
    READ_ERRORS,
    WRITE_ERRORS,
    describe,
    describe_write,
    read_json,
    write_json,
)
from apps.mentoring.solver import ProblemError, Solution, solve, validate


class Command(BaseCommand):
    help = "Match mentees with mentors for a problem in a JSON file: most mentees matched, then highest total score."
    requires_system_checks: list[str] = []  # touches no database: runs anywhere, even before migrations

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="problem file (JSON), or - for stdin")
        parser.add_argument("--output", required=True, help="result file (JSON), or - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            problem = validate(read_json(options["input"]))
        except (*READ_ERRORS, ProblemError) as error:
            self._refuse(options["input"], error)
        started = time.perf_counter()
        solution = solve(problem)
        seconds = time.perf_counter() - started
        try:
            write_json(options["output"], result_json(solution, seconds=seconds), stdout=self.stdout)
        except WRITE_ERRORS as error:
            self.stderr.write(f"match_solve: cannot write {options['output']!r}: {describe_write(error)}")
            raise SystemExit(EXIT_BAD_INPUT) from None

    def _refuse(self, source: str, error: Exception) -> NoReturn:
        self.stderr.write(f"match_solve: cannot use {source!r}: {describe(error)}")
        raise SystemExit(EXIT_BAD_INPUT)


def result_json(solution: Solution, *, seconds: float) -> dict[str, Any]:
    return {
        "assignments": [{"mentee": mentee, "mentor": mentor} for mentee, mentor in solution.assignments],
        "unmatched": solution.unmatched,
        "matched": solution.matched,
        "total_score": solution.total_score,
        "seconds": round(seconds, 6),
    }
