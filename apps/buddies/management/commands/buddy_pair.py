"""Pair a cohort stored in a JSON file, for what-if runs and benchmarks (no database is touched).

`python manage.py buddy_pair --input cohort.json --output pairs.json` ('-' reads stdin or writes stdout).
Input: {"people": [{"id", "organisation", "level", "sector", "region", "months_in_role"}]} (sector and region may
be ""). Output: {"pairs": [{"first", "second", "fit", "explanation"}], "left_out": [{"id", "reason"}], "paired",
"total_fit", "seconds"}, where seconds is the time spent pairing alone. Bad input is refused with a message on
stderr saying where the file is wrong and exit code 2, and no output is written; an output that cannot be written is
said the same way.
"""

import time
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from apps.buddies.pairing import CohortError, pairing_json, solve, validate
from apps.common.jsonfiles import (
    EXIT_BAD_INPUT,
    READ_ERRORS,
    WRITE_ERRORS,
    describe,
    describe_write,
    read_json,
    write_json,
)


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
            self._refuse(f"cannot use {options['input']!r}", describe(error))
        started = time.perf_counter()
        pairing = solve(people)
        seconds = time.perf_counter() - started
        try:
            write_json(options["output"], pairing_json(pairing, seconds=seconds), stdout=self.stdout, indent=1)
        except WRITE_ERRORS as error:
            self._refuse(f"cannot write {options['output']!r}", describe_write(error))

    def _refuse(self, what: str, why: str) -> NoReturn:
        self.stderr.write(f"buddy_pair: {what}: {why}")
        raise SystemExit(EXIT_BAD_INPUT)
