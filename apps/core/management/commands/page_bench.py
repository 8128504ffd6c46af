"""Benchmark: the server time of every page a demo user reaches by links, as a ratio to `/healthz` in the same run.

`python manage.py page_bench [--users aspiring,organiser] [--pages 'core:*,profiles:edit'] [--runs 5]
[--depth 3] [--slow-ms 30] [--big-rows 10000]` on a database filled by `seed_demo --scale large`.

It signs in as each demo user (README, password `DEMO_PASSWORD`) with Django's test client and, starting from the
dashboard, follows every link of the portal's own pages (GET only; every GET in this portal is safe) up to
`--depth` clicks, keeping the first address of each URL name: one profile page, not 20,000. Then each page is
timed in-process (server time: no network, no gunicorn), each view followed by `/healthz` so that both see the
same machine load, every query timed through an execute wrapper. Per page it prints the queries, the median,
its ratio to `/healthz`'s median, the share of the time spent in the database and the median CPU time of this
process (Django's own work, which other load on the machine does not inflate); for each page slower than
`--slow-ms` the EXPLAIN (ANALYZE, BUFFERS) of its slowest SELECTs, flagging a sequential scan on a table of more
than `--big-rows` rows.

Everything runs inside one transaction that is rolled back at the end: the sessions it signs in with, the access
records and stored aggregates the pages write are not left behind (a benchmark touches only its own rows).
"""

import fnmatch
import logging
import re
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from apps.accounts.models import User
from apps.profiles.demo import DEMO_PASSWORD

# The demo sign-ins listed in the README, by the short name `--users` takes.
DEMO_USERS = {
    "aspiring": "aspiring@example.org",
    "mentor": "mentor@example.org",
    "lead": "lead@example.org",
    "organiser": "organiser@example.org",
    "facilitator": "facilitator@example.org",
    "admin": "admin@example.org",
    "new.md": "new.md@example.org",
}
START = "/dashboard/"
# Not pages of the portal a person browses: signing out ends the session; Django's admin and the CASE API are
# tools; files (PDF, calendars, downloads) are not HTML pages and are left out by content type as well.
SKIPPED_PREFIXES = ("/account/logout", "/django-admin/", "/ims/", "/static/", "/media/")
BIG_TABLE_ROWS = 10_000
EXPLAINED_PER_PAGE = 3
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")


class BenchError(CommandError):
    """A bad option or a database the benchmark cannot run on: a clear message, exit status 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message, returncode=2)


@dataclass
class Page:
    name: str  # the URL name, e.g. "core:overview"
    user: str  # the short name of the demo user
    url: str
    client: Client


@dataclass
class Query:
    sql: str
    params: Any
    ms: float


@dataclass
class Timing:
    page: Page
    times: list[float] = field(default_factory=list)
    health: list[float] = field(default_factory=list)
    sql_shares: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # this process's CPU time per view: what load does not inflate
    queries: list[Query] = field(default_factory=list)  # of the last timed view

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def ratio(self) -> float:
        return self.median / statistics.median(self.health)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_of(*, html: str, base: str) -> list[str]:
    """The portal's own addresses linked from a page (path and query), in page order."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url, _fragment = urldefrag(urljoin(base, href))
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "localhost"):
            continue  # another site, mailto:, tel:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not path.startswith(SKIPPED_PREFIXES):
            found.append(path)
    return found


def url_names() -> set[str]:
    """Every named URL of the portal, with its namespace ("core:overview")."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield prefix + pattern.name

    return set(walk(get_resolver().url_patterns, ""))


def _parse_list(value: str, *, option: str, known: set[str] | None = None, patterns: bool = False) -> list[str]:
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise BenchError(f"{option} needs at least one name.")
    if known is not None:
        for item in items:
            matched = fnmatch.filter(known, item) if patterns else [item] if item in known else []
            if not matched:
                raise BenchError(f"{option}: {item!r} names nothing; known: {', '.join(sorted(known))}.")
    return items


def _recording(queries: list[Query]) -> Callable[..., Any]:
    """An execute wrapper noting each query with its time (the request's own query log is reset at its start)."""

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(Query(sql, params, (time.perf_counter() - started) * 1000))

    return wrapper


class Command(BaseCommand):
    help = "Time every page the demo users reach by links, as a ratio to /healthz in the same run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", default=",".join(DEMO_USERS), help="demo users by short name (default all)")
        parser.add_argument(
            "--pages", default="*", help="URL names to time, comma-separated, shell patterns allowed ('core:*')"
        )
        parser.add_argument("--runs", type=int, default=5, help="timed views of each page (default 5)")
        parser.add_argument("--depth", type=int, default=3, help="clicks from the dashboard to follow (default 3)")
        parser.add_argument("--slow-ms", type=float, default=30.0, help="EXPLAIN pages slower than this (default 30)")
        parser.add_argument(
            "--big-rows", type=int, default=BIG_TABLE_ROWS, help="flag sequential scans on tables this big"
        )

    def handle(
        self,
        *args: Any,
        users: str,
        pages: str,
        runs: int,
        depth: int,
        slow_ms: float,
        big_rows: int,
        **options: Any,
    ) -> None:
        chosen_users = _parse_list(users, option="--users", known=set(DEMO_USERS))
        patterns = _parse_list(pages, option="--pages", known=url_names(), patterns=True)
        if not 1 <= runs <= 1000:
            raise BenchError("--runs must be between 1 and 1,000.")
        if not 0 <= depth <= 10:
            raise BenchError("--depth must be between 0 and 10.")
        if not 0 <= slow_ms <= 60_000:
            raise BenchError("--slow-ms must be between 0 and 60,000.")
        if big_rows < 0:
            raise BenchError("--big-rows cannot be negative.")
        missing = [DEMO_USERS[u] for u in chosen_users if not User.objects.filter(email=DEMO_USERS[u]).exists()]
        if missing:
            raise BenchError(f"No demo user {', '.join(missing)}: run `manage.py seed_demo` (--scale large) first.")
        if settings.DEBUG:
            self.stdout.write("DEBUG is on: every query is also logged, which slows pages (DJANGO_DEBUG=false).")
        people = User.objects.count()
        self.stdout.write(f"{people:,} people in the database; users {', '.join(chosen_users)}; {runs} runs")
        with transaction.atomic():
            try:
                self._run(chosen_users, patterns, runs=runs, depth=depth, slow_ms=slow_ms, big_rows=big_rows)
            finally:
                transaction.set_rollback(True)  # leave nothing behind

    def _run(
        self, chosen: list[str], patterns: list[str], *, runs: int, depth: int, slow_ms: float, big_rows: int
    ) -> None:
        found: list[Page] = []
        self.failures: list[str] = []
        request_log = logging.getLogger("django.request")
        level = request_log.level
        request_log.setLevel(logging.CRITICAL)  # a page that fails is listed below, without its traceback
        try:
            for short in chosen:
                client = Client(HTTP_HOST="localhost", raise_request_exception=False)
                if not client.login(username=DEMO_USERS[short], password=DEMO_PASSWORD):
                    raise BenchError(f"{DEMO_USERS[short]} cannot sign in with the demo password.")
                found.extend(self._crawl(client, short, depth=depth))
        finally:
            request_log.setLevel(level)
        chosen_pages = [p for p in found if any(fnmatch.fnmatchcase(p.name, pattern) for pattern in patterns)]
        if not chosen_pages:
            raise BenchError("No page reached matches --pages.")
        self.stdout.write(f"{len(found)} pages reached by links, {len(chosen_pages)} timed")
        for failure in self.failures:
            self.stdout.write(f"!! {failure}")
        timings = [self._time(page, runs) for page in chosen_pages]
        self._report(timings)
        slow = [t for t in timings if t.median > slow_ms]
        if slow:
            self._explain(slow, big_rows=big_rows)

    def _crawl(self, client: Client, short: str, *, depth: int) -> list[Page]:
        """Breadth first from the dashboard: the first address of each URL name, as far as `depth` clicks."""
        pages: list[Page] = []
        seen_names: set[str] = set()
        frontier = [START]
        for _level in range(depth + 1):
            following: list[str] = []
            for url in frontier:
                try:
                    name = resolve(urlsplit(url).path).view_name
                except Resolver404:
                    continue
                if name in seen_names:
                    continue
                seen_names.add(name)
                with transaction.atomic():  # a savepoint: a page failing in the database spoils no other
                    response = client.get(url)
                if response.status_code >= 500:
                    self.failures.append(f"{url} answered {response.status_code} to {short}: not timed")
                    continue
                if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                    continue  # a redirect, a refusal, a file
                pages.append(Page(name=name, user=short, url=url, client=client))
                following.extend(links_of(html=response.content.decode(), base=url))
            frontier = following
        return pages

    def _time(self, page: Page, runs: int) -> Timing:
        timing = Timing(page)
        self._get(page, page.url)  # warm: templates, stored aggregates
        self._get(page, "/healthz")
        for _ in range(runs):
            queries: list[Query] = []
            cpu_started = time.process_time()
            with connection.execute_wrapper(_recording(queries)):
                elapsed = self._get(page, page.url)
            timing.cpu.append((time.process_time() - cpu_started) * 1000)
            timing.times.append(elapsed)
            timing.sql_shares.append(sum(q.ms for q in queries) / elapsed if elapsed else 0.0)
            timing.queries = queries
            timing.health.append(self._get(page, "/healthz"))
        return timing

    def _get(self, page: Page, url: str) -> float:
        started = time.perf_counter()
        response = page.client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise BenchError(f"{url} answered {response.status_code} to {page.user}.")
        return elapsed

    def _report(self, timings: list[Timing]) -> None:
        self.stdout.write(
            f"{'page':<40} {'user':<11} {'queries':>7} {'median':>9} {'healthz':>8} {'ratio':>7} {'SQL':>5} {'CPU':>8}"
        )
        for t in sorted(timings, key=lambda t: -t.median):
            self.stdout.write(
                f"{t.page.name:<40} {t.page.user:<11} {len(t.queries):>7} {t.median:>7.1f}ms "
                f"{statistics.median(t.health):>6.1f}ms {t.ratio:>6.1f}× {statistics.median(t.sql_shares):>5.0%} "
                f"{statistics.median(t.cpu):>6.1f}ms"
            )
        medians = [t.median for t in timings]
        middle, slowest = statistics.median(medians), max(medians)
        self.stdout.write(f"{len(timings)} pages: median of medians {middle:.1f} ms, slowest {slowest:.1f} ms")

    def _explain(self, slow: list[Timing], *, big_rows: int) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write("EXPLAIN (ANALYZE) needs PostgreSQL: left out.")
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname FROM pg_stat_user_tables WHERE n_live_tup > %s"
                " AND last_analyze IS NULL AND last_autoanalyze IS NULL ORDER BY relname",
                [big_rows],
            )
            unanalysed = [row[0] for row in cursor.fetchall()]
        if unanalysed:
            self.stdout.write(
                f"!! never analysed, so the plans below are guesses: {', '.join(unanalysed)} (run ANALYZE)"
            )
        sizes: dict[str, int] = {}
        for t in slow:
            self.stdout.write(f"\n== {t.page.name} ({t.page.user}, {t.page.url}): {t.median:.1f} ms")
            selects = [q for q in t.queries if q.sql.lstrip().upper().startswith(("SELECT", "WITH"))]
            for query in sorted(selects, key=lambda q: -q.ms)[:EXPLAINED_PER_PAGE]:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query.sql, query.params)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                self.stdout.write(f"-- {query.ms:.1f} ms: {query.sql[:300]}")
                self.stdout.write("   " + plan.replace("\n", "\n   "))
                for table in sorted(set(SEQ_SCAN.findall(plan))):
                    if table not in sizes:
                        sizes[table] = _rows(table)
                    if sizes[table] > big_rows:
                        self.stdout.write(f"   !! sequential scan on {table} ({sizes[table]:,} rows)")


def _rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - a table name PostgreSQL printed
        return int(cursor.fetchone()[0])
