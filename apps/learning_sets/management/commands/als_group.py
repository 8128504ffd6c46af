"""Form action learning sets from applicants in a JSON file, for what-if runs and benchmarks (no database is touched).

`python manage.py als_group --input applicants.json --output sets.json` ('-' reads stdin or writes stdout).
Input: {"set_size": {"min", "max"}, "sets" (optional), "participants": [{"id", "organisation", "sector", "stage",
"slots"}]}, slots as in apps.learning_sets.slots ("tue-14:00"). Output: {"sets": [{"members", "slot"}],
"unplaced": [{"id", "reason"}], "score", "seconds"}, where seconds is the time spent grouping alone. Bad input is
refused with a message on stderr and exit code 2 (Django's CommandError would exit with 1), and no output is written.
When fewer sets than asked could be formed, a note says so on stderr (exit code 0).
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
from apps.learning_sets.grouping import Grouping, ProblemError, group, validate


class Command(BaseCommand):
    help = "Form action learning sets from applicants in a JSON file: most people placed, then the best mix."
    requires_system_checks: list[str] = []  # touches no database: runs anywhere, even before migrations

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="applicants file (JSON), or - for stdin")
        parser.add_argument("--output", required=True, help="result file (JSON), or - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            problem = validate(read_json(options["input"]))
        except (*READ_ERRORS, ProblemError) as error:
            self._refuse(options["input"], error)
        started = time.perf_counter()
        grouping = group(problem)
        seconds = time.perf_counter() - started
        if len(grouping.sets) < problem.set_count:
            self.stderr.write(
                f"als_group: only {len(grouping.sets)} of the {problem.set_count} sets asked for could be formed: "
                "too few applicants from different organisations share a time."
            )
        try:
            write_json(options["output"], result_json(grouping, seconds=seconds), stdout=self.stdout, indent=1)
        except WRITE_ERRORS as error:
            self.stderr.write(f"als_group: cannot write {options['output']!r}: {describe_write(error)}")
            raise SystemExit(EXIT_BAD_INPUT) from None

    def _refuse(self, source: str, error: Exception) -> NoReturn:
        self.stderr.write(f"als_group: cannot use {source!r}: {describe(error)}")
        raise SystemExit(EXIT_BAD_INPUT)


def result_json(grouping: Grouping, *, seconds: float) -> dict[str, Any]:
    return {
        "sets": [{"members": learning_set.members, "slot": learning_set.slot} for learning_set in grouping.sets],
        "unplaced": [{"id": unplaced.id, "reason": unplaced.reason} for unplaced in grouping.unplaced],
        "score": grouping.score,
        "seconds": round(seconds, 6),
    }
