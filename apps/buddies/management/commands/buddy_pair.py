"""Pair a cohort stored in a JSON file, for what-if runs and benchmarks (no database is touched).

`python manage.py buddy_pair --input cohort.json --output pairs.json` ('-' reads stdin or writes stdout).
Input: {"people": [{"id", "organisation", "level", "sector", "region", "months_in_role"}]} (sector and region may
be ""). Output: {"pairs": [{"first", "second", "fit", "explanation"}], "left_out": [{"id", "reason"}], "paired",
"total_fit", "seconds"}, where seconds is the time spent pairing alone. Bad input is refused with a message on
stderr saying where the file is wrong and exit code 2, and no output is written.
"""

import time
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from apps.buddies.pairing import CohortError, pairing_json, solve, validate
from apps.common.jsonfiles import EXIT_BAD_INPUT, READ_ERRORS, describe, read_json, write_json


class Command(BaseCommand):
    help = "Pair buddies for a cohort in a JSON file: most people paired, then the best total fit."
    requires_system_checks: list[str] = []  # touches no database: runs anywhere, even before migrations

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="cohort file (JSON), or - for stdin")
        parser.add_argument("--output", required=True, help="result file (JSON), or - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            people = validate(read_json(options["input"]))
        except (*READ_ERRORS, CohortError) as error:
            self._refuse(options["input"], error)
        started = time.perf_counter()
        pairing = solve(people)
        seconds = time.perf_counter() - started
        write_json(options["output"], pairing_json(pairing, seconds=seconds), stdout=self.stdout, indent=1)

    def _refuse(self, source: str, error: Exception) -> NoReturn:
        self.stderr.write(f"buddy_pair: cannot use {source!r}: {describe(error)}")
        raise SystemExit(EXIT_BAD_INPUT)
