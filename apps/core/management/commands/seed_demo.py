"""Loads demo data: each local app may have a `demo.py` with `seed(*, scale, stdout)`, run bottom layer first.

Idempotent: every app's seed creates only what is missing, so `make run` can call it on every start.
"""

import time
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

SCALES = ("small", "large")


class Command(BaseCommand):
    help = "Load demo data (idempotent). --scale small for trying the portal, large for performance work."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=SCALES,
            default="small",
            help="small: a handful of people per role; large: tens of thousands of synthetic people.",
        )

    def handle(self, *args: Any, scale: str, **options: Any) -> None:
        for config in apps.get_app_configs():
            if not config.name.startswith("apps."):
                continue
            module_name = f"{config.name}.demo"
            if find_spec(module_name) is None:
                continue
            started = time.monotonic()
            import_module(module_name).seed(scale=scale, stdout=self.stdout)
            self.stdout.write(f"  {config.verbose_name}: done in {time.monotonic() - started:.1f} s")
        if scale == "large" and connection.vendor == "postgresql":
            # The planner's statistics for the tables that just grew by 20,000 rows: without them (autovacuum off,
            # or not run yet) it guesses, and joins every account by hash where an index lookup would do.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write("  Statistics for the query planner: done")
        self.stdout.write(self.style.SUCCESS(f"Demo data ({scale}) is loaded."))
