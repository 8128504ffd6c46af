"""Benchmark: the routes page with N consenting people's role histories, as a ratio to `/healthz` in the same run.

Seeds N people of its own (`careers-bench-<i>@bench.invalid`, from `random.Random(--seed)`), each with one to five
spells up the ladder and their consent, all recorded before this month began so that they count in this month's
figures. Idempotent: a second run creates only the people still missing. It touches no one else's rows.

Then, in-process with Django's test client (server time: no network, no gunicorn): the month's first view (the
figures computed from every counted spell and stored, measured inside a transaction that is rolled back, so the
month's real figures are left alone) and the usual view (one stored row read), each alternated with `/healthz`
so that both see the same machine load. `python manage.py careers_bench [--people 20000] [--runs 50]`.
"""

import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User

from ...models import RoleHistoryEntry, RoutesConsent, RoutesFigures, Step

EMAIL = "careers-bench-{}@bench.invalid"
RECORDED_AT = datetime(2025, 1, 1, tzinfo=UTC)  # long before any month the benchmark runs in
LADDER = [
    Step.CLINICAL,
    Step.CLINICAL_LEAD,
    Step.CLINICAL_DIRECTOR,
    Step.ASSOCIATE_MD,
    Step.DEPUTY_MD,
    Step.MEDICAL_DIRECTOR,
    Step.CHIEF_EXECUTIVE,
]
AFTER = [Step.CHIEF_EXECUTIVE, Step.SYSTEM, Step.RETIRED, Step.CLINICAL, Step.OTHER_LEADERSHIP]
BATCH = 2000


class _Rollback(Exception):
    pass


def _spells(rng: random.Random) -> list[tuple[str, date, date | None]]:
    """One to five consecutive spells up the ladder (a rung or two at a time, then off it), the last still running."""
    rung, year = rng.randrange(3), rng.randint(1995, 2010)
    spells: list[tuple[str, date, date | None]] = []
    for _ in range(rng.randint(1, 5)):
        step = LADDER[rung] if rung < len(LADDER) else rng.choice(AFTER)
        length = rng.randint(1, 8)
        spells.append((step, date(year, 1, 1), date(year + length, 1, 1)))
        year += length
        rung += rng.choice([1, 1, 1, 2])
    last, start, _ = spells[-1]
    spells[-1] = (last, start, None)
    return spells


class Command(BaseCommand):
    help = "Time the routes page with N consenting histories, as a ratio to /healthz in the same run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=20_000, help="people with a history (default 20,000)")
        parser.add_argument("--runs", type=int, default=50, help="timed views of each page (default 50)")
        parser.add_argument("--seed", type=int, default=1, help="random seed for the histories (default 1)")

    def handle(self, *args: Any, people: int, runs: int, seed: int, **options: Any) -> None:
        if not 1 <= people <= 200_000:
            raise CommandError("--people must be between 1 and 200,000.")
        if not 1 <= runs <= 1000:
            raise CommandError("--runs must be between 1 and 1,000.")
        started = time.perf_counter()
        made = self._seed(people, seed)
        self.stdout.write(f"seeded {made:,} new people ({people:,} wanted) in {time.perf_counter() - started:.1f} s")
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(email=EMAIL.format(0)))
        for url in ("/healthz", "/careers/routes/"):
            self._get(client, url)  # warm: the session, the templates, this month's figures
        spells = RoleHistoryEntry.objects.filter(owner__email__endswith="@bench.invalid").count()
        self.stdout.write(f"{spells:,} spells of the benchmark's people; {runs} views of each page")

        counted: list[int] = []

        def first_of_month() -> float:
            try:
                with transaction.atomic():
                    RoutesFigures.objects.all().delete()
                    with CaptureQueriesContext(connection) as queries:
                        elapsed = self._get(client, "/careers/routes/")
                    counted.append(len(queries))
                    raise _Rollback
            except _Rollback:
                return elapsed

        cold, cold_health = self._timed(client, first_of_month, max(3, runs // 10))
        cold_queries = counted[0]
        with CaptureQueriesContext(connection) as queries:
            self._get(client, "/careers/routes/")
        warm_queries = len(queries)
        warm, warm_health = self._timed(client, lambda: self._get(client, "/careers/routes/"), runs)
        self.stdout.write(f"/healthz (reference)          median {statistics.median(warm_health):7.1f} ms")
        for name, times, health, count in (
            ("routes page, usual view", warm, warm_health, warm_queries),
            ("routes page, month's first", cold, cold_health, cold_queries),
        ):
            ratio = statistics.median(times) / statistics.median(health)
            self.stdout.write(
                f"{name:<29} median {statistics.median(times):7.1f} ms, {count} queries, {ratio:.2f}× /healthz"
            )

    def _timed(self, client: Client, view: Callable[[], float], runs: int) -> tuple[list[float], list[float]]:
        """`runs` timings of `view`, each followed by one of `/healthz`, so that both see the same load."""
        times, health = [], []
        for _ in range(runs):
            times.append(view())
            health.append(self._get(client, "/healthz"))
        return times, health

    def _get(self, client: Client, url: str) -> float:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}.")
        return elapsed

    def _seed(self, people: int, seed: int) -> int:
        """The benchmark's people, their histories and consents: only those not there yet, in batches."""
        rng = random.Random(seed)
        histories = [_spells(rng) for _ in range(people)]  # all drawn, so person i's history never depends on N
        existing = set(
            User.objects.filter(email__endswith="@bench.invalid", email__startswith="careers-bench-").values_list(
                "email", flat=True
            )
        )
        missing = [i for i in range(people) if EMAIL.format(i) not in existing]
        unusable = make_password(None)  # no one signs in as them: the benchmark's client uses force_login
        for offset in range(0, len(missing), BATCH):
            batch = missing[offset : offset + BATCH]
            with transaction.atomic():
                users = User.objects.bulk_create(
                    User(email=EMAIL.format(i), password=unusable, first_name="Bench", last_name=str(i)) for i in batch
                )
                RoleHistoryEntry.objects.bulk_create(
                    RoleHistoryEntry(
                        owner=user,
                        title=Step(step).label,
                        step=step,
                        started_on=start,
                        ended_on=end,
                        created_at=RECORDED_AT,
                    )
                    for user, i in zip(users, batch, strict=True)
                    for step, start, end in histories[i]
                )
                RoutesConsent.objects.bulk_create(
                    RoutesConsent(owner=user, counted=True, changed_at=RECORDED_AT) for user in users
                )
        return len(missing)
