"""Benchmark: schedule N due reminders and dispatch them to an in-memory mail backend, in this process.

Reports reminders per second for one dispatcher and the database round-trips per reminder, counted as the
statements Django sends plus the BEGIN and COMMIT of each transaction. It dispatches only the rows it made (keyed
'bench:'), never a real reminder due in the same database, and deletes them afterwards.
Run against PostgreSQL (DATABASE_URL): `python manage.py notifications_bench --count 100000`.
"""

import time
from typing import Any

from django.core.mail import get_connection
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from apps.notifications.dispatch import DispatchConfig, dispatch_due
from apps.notifications.models import Reminder

KEY_PREFIX = "bench:"


class _Counter:
    def __init__(self) -> None:
        self.statements = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        self.statements += 1
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = "Schedule and dispatch N due reminders to an in-memory backend; report throughput and round-trips."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=100_000, help="reminders to dispatch (default 100,000)")
        parser.add_argument("--batch-size", type=int, default=500, help="reminders claimed per batch")
        parser.add_argument("--mark-every", type=int, default=50, help="sent reminders marked per UPDATE")

    def handle(self, *args: Any, count: int, batch_size: int, mark_every: int, **options: Any) -> None:
        if not 1 <= count <= 2_000_000:
            raise CommandError("--count must be between 1 and 2,000,000.")
        if not 1 <= batch_size <= 10_000 or not 1 <= mark_every <= batch_size:
            raise CommandError("--batch-size must be 1–10,000 and --mark-every between 1 and the batch size.")
        if connection.vendor != "postgresql":
            raise CommandError("Run the benchmark on PostgreSQL: set DATABASE_URL.")
        if Reminder.objects.filter(dedupe_key__startswith=KEY_PREFIX).exists():
            raise CommandError("Rows from an earlier, interrupted run remain: delete reminders keyed 'bench:*'.")
        try:
            self._run(count=count, batch_size=batch_size, mark_every=mark_every)
        finally:
            Reminder.objects.filter(dedupe_key__startswith=KEY_PREFIX).delete()

    def _run(self, *, count: int, batch_size: int, mark_every: int) -> None:
        now = timezone.now()
        started = time.perf_counter()
        Reminder.objects.bulk_create(
            [
                Reminder(
                    kind="rater_nudge",
                    email=f"rater{i}@example.org",
                    due_at=now,
                    next_attempt_at=now,
                    dedupe_key=f"{KEY_PREFIX}{i}",
                    context={"person_name": "Amara Okafor", "closes_on": "2026-12-14", "url": f"/feedback/{i}/"},
                )
                for i in range(count)
            ],
            batch_size=5000,
        )
        scheduled = time.perf_counter() - started
        base = DispatchConfig.from_settings()
        config = DispatchConfig(
            **{
                **base.__dict__,
                "batch_size": batch_size,
                "mark_every": mark_every,
                "mark_interval": 3600.0,
                "run_seconds": 3600.0,
            }
        )
        counter = _Counter()
        backend = get_connection("django.core.mail.backends.locmem.EmailBackend")
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            report = dispatch_due(config=config, connection=backend, key_prefix=KEY_PREFIX)
        elapsed = time.perf_counter() - started
        # Each claim is one transaction (BEGIN + COMMIT) that Django's wrapper does not see.
        batches = -(-count // batch_size) + 1
        round_trips = counter.statements + 2 * batches
        self.stdout.write(f"reminders:                {count:,}")
        self.stdout.write(f"scheduled (bulk insert):  {scheduled:.1f} s")
        self.stdout.write(f"sent:                     {report.sent:,} in {elapsed:.1f} s")
        self.stdout.write(f"reminders per second:     {report.sent / elapsed:,.0f} (one dispatcher)")
        self.stdout.write(
            f"database round-trips:     {round_trips:,} ({round_trips / max(report.sent, 1):.3f} per reminder)"
        )
        self.stdout.write(f"batch size / mark every:  {batch_size} / {mark_every}")
