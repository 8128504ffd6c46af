"""Benchmark: many people at once against gunicorn, as a ratio to `/healthz` under the same load.

    python manage.py load_bench [--users 200] [--duration 90] [--think 2 8] [--seed 20]
    python manage.py load_bench --burst [--burst-size 50] [--rounds 3] [--pages dashboard,plan,overview]
    python manage.py load_bench --web-processes 2 --workers 2      # two gunicorns, two Celery workers, one database
    python manage.py load_bench --url http://127.0.0.1:8000         # a server already running (this machine only)

on a database filled by `seed_demo --scale large`. It chooses `--users` distinct people (the demo people first,
then the synthetic ones in order), makes a signed-in session for each directly in the session store (no sign-in
form: 200 password hashes would load the server before the run and the client with CSRF parsing), and unless
`--url` is given starts gunicorn itself from config/gunicorn.py with the production settings, bound to 127.0.0.1
on a free port (3 processes × 2 threads, DEBUG off, static files through WhiteNoise). Every page is asked for once
per person who can reach it before the run, as a check (each must answer 2xx) and a warm-up.

Browse (the default): each person loops choosing a page of the mix by weight, reading it, then thinking 2–8 s,
for `--duration` seconds; `/healthz` is asked for every second as the reference. `--burst`: for each page,
`--burst-size` people ask for it at the same instant, `--rounds` times, and `/healthz` the same way in each round.
Per page and overall: requests, errors (a status outside 2xx/3xx, a redirect to sign in, a timeout or a refused
connection), p50, p95, requests per second and the p95's ratio to the reference's.

Everything it started (gunicorn, Celery workers) is stopped on the way out, on an error or Ctrl-C too, and the
sessions it made are deleted: a benchmark leaves only the rows the pages themselves write (as a visit does).
"""

import http.client
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse

from apps.accounts.models import Role, RoleGrant, User
from apps.assessments.models import Assessment, AssessmentStatus
from apps.core import loadbench
from apps.core.loadbench import HEALTHZ, PageStats, Person, RunResult, Visit
from apps.development.models import Plan

ROOT = Path(settings.BASE_DIR)
# The pages a demo person reaches from the dashboard, and how often a person asks for each relative to the others
# (the dashboard is where every visit starts and returns to). A page a person cannot reach (no plan yet, not an
# organiser) is left out of their mix; the weights of the rest keep their proportions.
PAGES: dict[str, tuple[str, float]] = {
    "dashboard": ("core:dashboard", 25),
    "profile": ("profiles:detail", 8),
    "profile_form": ("profiles:edit", 6),
    "notifications": ("notifications:list", 4),
    "account": ("core:account", 2),
    "self_assessments": ("assessments:list", 4),
    "results": ("assessments:results", 8),  # the person's latest submitted self-assessment
    "plans": ("development:list", 4),
    "plan": ("development:plan", 8),  # the person's newest plan
    "careers": ("careers:home", 4),
    "routes": ("careers:routes", 3),
    "mentoring": ("mentoring:home", 4),
    "learning_sets": ("learning_sets:home", 4),
    "talk_to_someone": ("shadowing:browse", 3),
    "networks": ("networks:home", 2),
    "overview": ("core:overview", 5),  # organisers and administrators only
}
OVERVIEW_ROLES = (Role.ORGANISER, Role.ADMINISTRATOR)
READY_SECONDS = 90
STOP_SECONDS = 15


class BenchError(CommandError):
    """A bad option or a database or server the benchmark cannot run against: a clear message, exit status 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message, returncode=2)


@dataclass(frozen=True)
class Options:
    users: int
    duration: float
    think: tuple[float, float]
    seed: int
    burst: bool
    burst_size: int
    rounds: int
    pages: tuple[str, ...]
    url: str | None
    web_processes: int
    workers: int
    gunicorn_workers: int
    threads: int
    timeout: float
    nice: int


def _bounded(name: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high or math.isnan(value):
        raise BenchError(f"{name} must be between {low:g} and {high:g}, not {value:g}")


def parse_options(options: dict[str, Any]) -> Options:
    """Checks every option before anything is started or written; a bad one is a BenchError naming it."""
    if (missing := loadbench.client_missing()) is not None:
        raise BenchError(missing)
    _bounded("--users", options["users"], 1, 2000)
    _bounded("--duration", options["duration"], 1, 3600)
    low, high = options["think"]
    _bounded("--think (shortest)", low, 0, 600)
    _bounded("--think (longest)", high, 0, 600)
    if high < low:
        raise BenchError(f"--think: the longest think time ({high:g} s) is shorter than the shortest ({low:g} s)")
    _bounded("--burst-size", options["burst_size"], 1, 500)
    _bounded("--rounds", options["rounds"], 1, 20)
    _bounded("--web-processes", options["web_processes"], 1, 4)
    _bounded("--workers", options["workers"], 0, 4)
    _bounded("--gunicorn-workers", options["gunicorn_workers"], 1, 16)
    _bounded("--threads", options["threads"], 1, 16)
    _bounded("--timeout", options["timeout"], 1, 600)
    _bounded("--nice", options["nice"], -20, 19)
    if options["nice"] < os.getpriority(os.PRIO_PROCESS, 0) and os.geteuid() != 0:
        raise BenchError(f"--nice {options['nice']}: raising the priority needs root; leave it out or run as root")
    pages = tuple(p.strip() for p in (options["pages"] or "").split(",") if p.strip()) or tuple(PAGES)
    unknown = [p for p in pages if p not in PAGES]
    if unknown:
        raise BenchError(f"--pages: unknown page {', '.join(unknown)}; the pages are {', '.join(PAGES)}")
    url = options["url"]
    if url is not None:
        if options["web_processes"] != 1 or options["workers"] != 0:
            raise BenchError("--url loads a server already running: --web-processes and --workers start servers")
        try:
            url = loopback_url(url)
        except loadbench.TargetError as error:
            raise BenchError(str(error)) from None
    if options["workers"] and not os.environ.get("REDIS_URL"):
        raise BenchError("--workers starts Celery workers on Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
    return Options(
        users=options["users"],
        duration=options["duration"],
        think=(low, high),
        seed=options["seed"],
        burst=options["burst"],
        burst_size=options["burst_size"],
        rounds=options["rounds"],
        pages=pages,
        url=url,
        web_processes=options["web_processes"],
        workers=options["workers"],
        gunicorn_workers=options["gunicorn_workers"],
        threads=options["threads"],
        timeout=options["timeout"],
        nice=options["nice"],
    )


def loopback_url(url: str) -> str:
    return loadbench.loopback_base_url(url)


# --- People and their sessions -------------------------------------------------------------------------------


def choose_people(*, count: int) -> list[User]:
    """`count` active people: the demo people (any address not `synthetic-…`) first, then the synthetic ones, each
    in the order they were made, so that the same database gives the same people."""
    people: list[User] = list(
        User.objects.filter(is_active=True)
        .annotate(
            synthetic=Case(
                When(email__startswith="synthetic-", then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("synthetic", "pk")[:count]
    )
    if len(people) < count:
        raise BenchError(
            f"--users {count}: the database has only {len(people)} active people. "
            "Fill it with `manage.py seed_demo --scale large` (20,000 people) or ask for fewer."
        )
    return people


def reachable_paths(*, people: Sequence[User], pages: Sequence[str]) -> dict[int, list[tuple[str, str]]]:
    """For each person, the (page, path) pairs they can reach, in three queries whatever the number of people."""
    ids = [p.pk for p in people]
    latest_results: dict[int, int] = {}
    for owner_id, pk in (
        Assessment.objects.filter(owner_id__in=ids, status=AssessmentStatus.SUBMITTED)
        .order_by("owner_id", "-submitted_at", "-pk")
        .distinct("owner_id")
        .values_list("owner_id", "pk")
    ):
        latest_results[owner_id] = pk
    newest_plan: dict[int, int] = {}
    for owner_id, pk in (
        Plan.objects.filter(owner_id__in=ids)
        .order_by("owner_id", "-starts_on", "-pk")
        .distinct("owner_id")
        .values_list("owner_id", "pk")
    ):
        newest_plan[owner_id] = pk
    organisers = set(
        RoleGrant.objects.filter(user_id__in=ids, role__in=OVERVIEW_ROLES, revoked_at__isnull=True).values_list(
            "user_id", flat=True
        )
    ) | {p.pk for p in people if p.is_superuser}
    plain = {page: reverse(PAGES[page][0]) for page in pages if page not in ("results", "plan")}
    reachable: dict[int, list[tuple[str, str]]] = {}
    for person in people:
        paths = []
        for page in pages:
            if page == "results":
                if person.pk in latest_results:
                    paths.append((page, reverse(PAGES[page][0], args=[latest_results[person.pk]])))
            elif page == "plan":
                if person.pk in newest_plan:
                    paths.append((page, reverse(PAGES[page][0], args=[newest_plan[person.pk]])))
            elif page == "overview":
                if person.pk in organisers:
                    paths.append((page, plain[page]))
            else:
                paths.append((page, plain[page]))
        reachable[person.pk] = paths
    return reachable


class Sessions:
    """Signed-in sessions made straight in the session store, exactly as Django's login() leaves them (user id,
    backend, the password-derived hash it checks on every request); deleted again by `delete_all`."""

    def __init__(self) -> None:
        self._engine = import_module(settings.SESSION_ENGINE)
        self.keys: list[str] = []

    def make(self, user: User, *, seconds: int) -> str:
        store = self._engine.SessionStore()
        store[SESSION_KEY] = user._meta.pk.value_to_string(user)  # type: ignore[union-attr]
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.set_expiry(seconds)
        store.create()
        assert store.session_key is not None
        self.keys.append(store.session_key)
        return store.session_key

    def delete_all(self) -> None:
        for key in self.keys:
            self._engine.SessionStore(session_key=key).delete()
        # allauth lists a person's sessions from its own table: any row made for ours goes with them.
        from allauth.usersessions.models import UserSession

        UserSession.objects.filter(session_key__in=self.keys).delete()
        self.keys.clear()


# --- Servers ---------------------------------------------------------------------------------------------------


def newest_static_file() -> float:
    newest = 0.0
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            newest = max(newest, os.path.getmtime(storage.path(path)))
    return newest


def healthy(base_url: str) -> bool:
    """True once the server at base_url (http://127.0.0.1:port) answers /healthz with 200."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=5)
    try:
        conn.request("GET", HEALTHZ, headers=loadbench.PROXY_HEADERS)
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Cpu:
    """CPU seconds used so far by the web servers (None when they are not ours) and by the PostgreSQL backends
    serving this database. Its difference over a run, per request, is a cost the machine's other load does not
    change, unlike a latency: the figure to compare between runs on a shared machine."""

    web: float | None
    database: float


@dataclass(frozen=True)
class CpuSample:
    """Clock ticks by process id, so that a difference counts a process that started in between from zero (a
    new database connection, a restarted worker) instead of going negative when one ends."""

    web: dict[int, int] | None
    database: dict[int, int]

    def __sub__(self, before: "CpuSample") -> Cpu:
        hertz = os.sysconf("SC_CLK_TCK")

        def spent(now: dict[int, int], then: dict[int, int]) -> float:
            return sum(max(0, ticks - then.get(pid, 0)) for pid, ticks in now.items()) / hertz

        web = None if self.web is None or before.web is None else spent(self.web, before.web)
        return Cpu(web, spent(self.database, before.database))


def cpu_now(*, process_groups: Sequence[int] | None, database: str) -> CpuSample:
    """Reads /proc (Linux): the processes in `process_groups` (gunicorn's master and workers are one group), and
    the backends whose title names `database` (`postgres: user database host(port) state`). What a process spent
    after the first sample and before it ended is missed: with persistent connections (CONN_MAX_AGE) that is little."""
    groups = set(process_groups or ())
    web: dict[int, int] = {}
    database_ticks: dict[int, int] = {}
    marker = f" {database} "
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            ticks = int(fields[11]) + int(fields[12])  # utime, stime
            if int(fields[2]) in groups:  # pgrp
                web[int(entry.name)] = ticks
            elif stat[stat.index("(") + 1 : stat.rindex(")")] == "postgres":
                title = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                if marker in title + " ":
                    database_ticks[int(entry.name)] = ticks
        except (OSError, ValueError, IndexError):
            continue  # a process that ended while being read
    return CpuSample(web if process_groups is not None else None, database_ticks)


class CpuWatch:
    """CPU spent over a `with` block, read every `interval` seconds as well as at both ends: a process that ends
    inside the block (a database connection closed at CONN_MAX_AGE, 60 s) keeps the last ticks read before it
    ended, at most one interval short, instead of losing all it spent since the first reading."""

    def __init__(self, read: Callable[[], CpuSample], *, interval: float = 0.5) -> None:
        self._read = read
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self.before = CpuSample(None, {})
        self._web: dict[int, int] | None = None
        self._database: dict[int, int] = {}

    def _merge(self, sample: CpuSample) -> None:
        if sample.web is not None:
            self._web = {**(self._web or {}), **sample.web}
        self._database.update(sample.database)

    def _watch(self) -> None:
        while not self._stop.wait(self._interval):
            self._merge(self._read())

    def __enter__(self) -> "CpuWatch":
        self.before = self._read()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._merge(self._read())

    @property
    def spent(self) -> Cpu:
        return CpuSample(self._web, self._database) - self.before


class Servers:
    """The processes the benchmark starts, each in its own process group so that stopping one stops its
    children (gunicorn's workers, Celery's pool) and a Ctrl-C in the terminal reaches only this command, which
    then stops them in order."""

    def __init__(self, *, options: Options) -> None:
        self.options = options
        self.processes: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.log_dir = Path(tempfile.mkdtemp(prefix="load_bench-"))
        self.base_urls: list[str] = []
        self.celery_names: list[str] = []
        self.web_groups: list[int] = []

    def environment(self, *, port: int) -> dict[str, str]:
        # Production settings, as deployed; the secret key is this process's own, so that the sessions made here
        # are valid there. The cache must be shared by every web process: Redis when there is one.
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            DJANGO_SECRET_KEY=str(settings.SECRET_KEY),
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            PORTAL_BASE_URL=f"http://127.0.0.1:{port}",
            DJANGO_DEBUG="0",
            DJANGO_LOG_LEVEL="WARNING",
            GUNICORN_ACCESS_LOG="",
            CACHE_URL=os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or "locmemcache://",
        )
        return env

    def collect_static(self) -> None:
        """The production settings serve static files from STATIC_ROOT by their manifest: build it when a static
        file is newer than it (12 s of CPU that would otherwise compete with the run for nothing)."""
        manifest = Path(settings.VAR_DIR) / "staticfiles" / "staticfiles.json"
        if manifest.exists() and newest_static_file() <= manifest.stat().st_mtime:
            return
        result = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=self.environment(port=0),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"collectstatic failed:\n{result.stderr[-2000:]}")

    def _start(self, name: str, args: list[str], *, port: int) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            args,
            cwd=ROOT,
            env=self.environment(port=port),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            # A process group of its own (so that stopping it stops its children, and a Ctrl-C in the terminal
            # reaches only this command, which then stops them in order), but this command's session: Linux shares
            # the CPU fairly between sessions (autogroups) before nice values, so a session per server would give
            # two web processes twice the share of one on a machine shared with other work, not a fair comparison.
            process_group=0,
        )
        log.close()
        self.processes.append((name, process))
        return process

    def start(self) -> None:
        self.collect_static()
        for index in range(self.options.web_processes):
            port = free_port()
            process = self._start(
                f"gunicorn-{index + 1}",
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "-c",
                    str(ROOT / "config" / "gunicorn.py"),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(self.options.gunicorn_workers),
                    "--threads",
                    str(self.options.threads),
                    "config.wsgi:application",
                ],
                port=port,
            )
            self.web_groups.append(process.pid)  # its own process group: the group id is its pid
            self.base_urls.append(f"http://127.0.0.1:{port}")
        for index in range(self.options.workers):
            name = f"load-bench-{os.getpid()}-{index + 1}@localhost"
            self._start(
                f"celery-{index + 1}",
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--loglevel=WARNING",
                    "--concurrency=1",
                    "--without-gossip",
                    "--without-mingle",
                    "-n",
                    name,
                ],
                port=0,
            )
            self.celery_names.append(name)
        self.wait_ready()

    def _dead(self) -> str | None:
        for name, process in self.processes:
            if process.poll() is not None:
                log = (self.log_dir / f"{name}.log").read_text(errors="replace")[-3000:]
                return f"{name} stopped with status {process.returncode} while starting:\n{log}"
        return None

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_SECONDS
        waiting = set(self.base_urls)
        while waiting:
            if (dead := self._dead()) is not None:
                raise CommandError(dead)
            for base in sorted(waiting):
                if healthy(base):
                    waiting.discard(base)
            if waiting and time.monotonic() > deadline:
                raise CommandError(
                    f"gunicorn did not answer {HEALTHZ} within {READY_SECONDS} s: logs in {self.log_dir}"
                )
            if waiting:
                time.sleep(0.5)
        if self.celery_names:
            from config.celery import app

            while True:
                if (dead := self._dead()) is not None:
                    raise CommandError(dead)
                answered = {name for reply in app.control.ping(timeout=1.0) for name in reply}
                if set(self.celery_names) <= answered:
                    break
                if time.monotonic() > deadline:
                    raise CommandError(f"the Celery workers did not answer within {READY_SECONDS} s: {self.log_dir}")

    def stop(self) -> None:
        """SIGTERM to each process group we started (gunicorn and Celery stop their children gracefully), then
        SIGKILL to any still there after STOP_SECONDS."""
        for _name, process in self.processes:
            if process.poll() is None:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for _name, process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()


def set_priority(nice: int) -> None:
    """This command's priority, which the servers it starts inherit (a client waiting for the CPU would add its
    wait to every latency it measures). With autogroup scheduling (Linux's default on a desktop or a shared
    machine) the CPU is shared between sessions first and nice only orders processes within one, so the session's
    own nice value is set as well. PostgreSQL's backends are not ours and keep their priority."""
    os.setpriority(os.PRIO_PROCESS, 0, nice)
    with suppress(OSError):  # no autogroups (a kernel without them, or not Linux): the process priority is all
        Path("/proc/self/autogroup").write_text(str(nice))


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """A SIGTERM (a CI timeout, `kill`) is handled as Ctrl-C is at that moment, so that the `finally` blocks stop
    the servers: while the browse runs, asyncio's own Ctrl-C handler cancels its tasks (rather than an exception
    landing anywhere inside the event loop); otherwise KeyboardInterrupt unwinds."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        as_ctrl_c = signal.getsignal(signal.SIGINT)
        if callable(as_ctrl_c):
            as_ctrl_c(signal.SIGINT, frame)  # asyncio's handler returns after cancelling; Python's raises
            return
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# --- Report ------------------------------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return "–" if math.isnan(seconds) else f"{seconds * 1000:.0f}"


def _ratio(value: float, reference: float) -> str:
    if math.isnan(value) or math.isnan(reference) or reference <= 0:
        return "–"
    return f"{value / reference:.1f}×"


def table(rows: Sequence[PageStats], *, reference: PageStats, seconds: float | None) -> list[str]:
    """One line per page: requests, errors, p50, p95, max (ms), requests/s (browse only), and the p50 and p95 as
    multiples of the reference's (/healthz in the same run, under the same load)."""
    head = f"{'page':<18} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}"
    head += f" {'req/s':>6}" if seconds else ""
    lines = [head + f" {'p50 ÷ ref':>9} {'p95 ÷ ref':>9}"]
    for stats in rows:
        line = (
            f"{stats.page:<18} {stats.count:>8} {stats.errors:>6} {_ms(stats.p(50)):>7} {_ms(stats.p(95)):>7} "
            f"{_ms(max(stats.latencies, default=math.nan)):>7}"
        )
        line += f" {stats.count / seconds:>6.1f}" if seconds else ""
        ratios = f" {_ratio(stats.p(50), reference.p(50)):>9} {_ratio(stats.p(95), reference.p(95)):>9}"
        lines.append(line + ratios)
    return lines


def _cpu_text(cpu: Cpu, *, requests: int) -> str:
    if not requests:
        return "–"
    web = "–" if cpu.web is None else f"{cpu.web * 1000 / requests:.1f}"
    return f"web {web} + database {cpu.database * 1000 / requests:.1f}"


class Command(BaseCommand):
    help = "Load benchmark: many signed-in people browsing gunicorn at once (loopback only), p50/p95/errors."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=200, help="distinct people browsing at once (200)")
        parser.add_argument("--duration", type=float, default=90, help="seconds of browsing (90)")
        parser.add_argument(
            "--think",
            type=float,
            nargs=2,
            default=(2.0, 8.0),
            metavar=("MIN", "MAX"),
            help="think time between pages, uniform in seconds (2 8)",
        )
        parser.add_argument("--seed", type=int, default=20, help="seed of every random choice (20)")
        parser.add_argument("--burst", action="store_true", help="instead of browsing: --burst-size at once per page")
        parser.add_argument("--burst-size", type=int, default=50, help="people asking at the same instant (50)")
        parser.add_argument("--rounds", type=int, default=3, help="bursts per page (3)")
        parser.add_argument("--pages", default="", help=f"comma-separated, of: {', '.join(PAGES)} (all)")
        parser.add_argument("--url", help="a gunicorn already running on this machine, e.g. http://127.0.0.1:8000")
        parser.add_argument("--web-processes", type=int, default=1, help="gunicorn masters, round-robin (1)")
        parser.add_argument("--workers", type=int, default=0, help="Celery workers started beside them (0)")
        parser.add_argument("--gunicorn-workers", type=int, default=3, help="processes per gunicorn (3)")
        parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn process (2)")
        parser.add_argument("--timeout", type=float, default=60, help="seconds before a request counts as failed")
        parser.add_argument(
            "--nice",
            type=int,
            default=0,
            help="scheduling priority of this command and the servers it starts (-20..19; below 0 needs root): "
            "on a machine shared with other work, a negative value approximates one given to the portal",
        )

    def handle(self, *args: Any, **raw: Any) -> None:
        options = parse_options(raw)
        if options.nice != os.getpriority(os.PRIO_PROCESS, 0):
            set_priority(options.nice)
        if connection.vendor != "postgresql":
            raise BenchError(
                "load_bench measures PostgreSQL under gunicorn: set DATABASE_URL (e.g. "
                "postgres://postgres@127.0.0.1:5432/stepping_up) to a database filled by seed_demo --scale large"
            )
        people = choose_people(count=max(options.users, options.burst_size if options.burst else 0))
        reachable = reachable_paths(people=people, pages=options.pages)
        sessions = Sessions()
        servers = Servers(options=options) if options.url is None else None
        failed = True
        try:
            with stop_on_sigterm():
                lifetime = int(options.duration + 3600)
                cookies = {person.pk: sessions.make(person, seconds=lifetime) for person in people}
                if servers is not None:
                    started = time.monotonic()
                    servers.start()
                    self.stdout.write(f"Servers ready in {time.monotonic() - started:.0f} s")
                base_urls = servers.base_urls if servers is not None else [str(options.url)]
                self.web_groups = servers.web_groups if servers is not None else None
                self._describe(options, people=len(people), base_urls=base_urls)
                self._check(options, people=people, reachable=reachable, cookies=cookies, base_urls=base_urls)
                if options.burst:
                    self._bursts(options, people=people, reachable=reachable, sessions=sessions, base_urls=base_urls)
                else:
                    self._browse(options, people=people, reachable=reachable, cookies=cookies, base_urls=base_urls)
                failed = False
        except KeyboardInterrupt:
            failed = False  # stopped on purpose: the logs explain nothing
            self.stderr.write("Interrupted: stopping the servers and deleting the sessions.")
            raise CommandError("interrupted", returncode=130) from None
        finally:
            if servers is not None:
                servers.stop()
                if not failed:
                    shutil.rmtree(servers.log_dir, ignore_errors=True)
                else:
                    self.stderr.write(f"Server logs kept in {servers.log_dir}")
            sessions.delete_all()

    web_groups: list[int] | None = None

    def _cpu(self) -> CpuSample:
        return cpu_now(process_groups=self.web_groups, database=str(settings.DATABASES["default"]["NAME"]))

    def _describe(self, options: Options, *, people: int, base_urls: Sequence[str]) -> None:
        load = os.getloadavg()
        if options.url is None:
            serving = (
                f"{options.web_processes} × gunicorn ({options.gunicorn_workers} processes × {options.threads} "
                f"threads, production settings) + {options.workers} Celery worker(s)"
            )
        else:
            serving = "a running server"
        serving += f", nice {options.nice}"
        self.stdout.write(
            f"load_bench: {serving} at {', '.join(base_urls)}; {people} people with sessions made in the session "
            f"store; {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        )

    def _check(
        self,
        options: Options,
        *,
        people: Sequence[User],
        reachable: dict[int, list[tuple[str, str]]],
        cookies: dict[int, str],
        base_urls: Sequence[str],
    ) -> None:
        """Each page once for the first person who reaches it, then once per server process and thread more, one
        at a time: every page must answer 2xx/3xx before anything is measured (a 500 is a bug, not a figure),
        and each process has built its templates and opened its connections."""
        first: dict[str, tuple[str, str | None]] = {}
        for person in people:
            for page, path in reachable[person.pk]:
                first.setdefault(page, (path, cookies[person.pk]))
        missing = [page for page in options.pages if page not in first]
        if missing:
            self.stdout.write(f"  not reached by any of these people (no such data): {', '.join(missing)}")
        if not first:
            raise BenchError("no page of --pages can be reached by the people chosen")
        first[HEALTHZ] = (HEALTHZ, None)  # the reference, warmed like the pages (its broker connection)
        copies = 1 + len(base_urls) * options.gunicorn_workers * options.threads
        for page, (path, cookie) in first.items():
            stats = loadbench.run_to_end(
                loadbench.sequential(
                    requests=[(path, cookie)] * copies,
                    base_urls=base_urls,
                    session_cookie_name=settings.SESSION_COOKIE_NAME,
                    timeout=options.timeout,
                )
            )
            if stats.errors:
                raise CommandError(f"{page} ({path}) failed before the run: {stats.first_error}")

    def _browse(
        self,
        options: Options,
        *,
        people: Sequence[User],
        reachable: dict[int, list[tuple[str, str]]],
        cookies: dict[int, str],
        base_urls: Sequence[str],
    ) -> None:
        browsing = [
            Person(
                label=person.email,
                cookie=cookies[person.pk],
                visits=tuple(Visit(page, path, PAGES[page][1]) for page, path in reachable[person.pk]),
            )
            for person in people[: options.users]
            if reachable[person.pk]
        ]
        announcement = (
            f"Browsing: {len(browsing)} people for {options.duration:g} s, think {options.think[0]:g}–"
            f"{options.think[1]:g} s, seed {options.seed}"
        )
        with CpuWatch(self._cpu) as watch:
            result: RunResult = loadbench.run_to_end(
                loadbench.browse(
                    people=browsing,
                    base_urls=base_urls,
                    session_cookie_name=settings.SESSION_COOKIE_NAME,
                    duration=options.duration,
                    think=options.think,
                    seed=options.seed,
                    timeout=options.timeout,
                    on_start=lambda: self.stdout.write(announcement),
                )
            )
        cpu = watch.spent
        rows = [result.pages[p] for p in options.pages if p in result.pages] + [result.overall, result.reference]
        for line in table(rows, reference=result.reference, seconds=result.seconds):
            self.stdout.write("  " + line)
        overall = result.overall
        load = os.getloadavg()
        self.stdout.write(
            f"Overall: {overall.count / result.seconds:.1f} requests/s, p50 {_ms(overall.p(50))} ms, "
            f"p95 {_ms(overall.p(95))} ms, {overall.errors} errors in {result.seconds:.0f} s; client CPU "
            f"{result.client_cpu_seconds:.1f} s; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        )
        self.stdout.write(
            "Server CPU per request (all pages and /healthz): "
            + _cpu_text(cpu, requests=overall.count + result.reference.count)
        )
        if overall.errors:
            self.stdout.write(f"First error: {overall.first_error}; statuses {dict(overall.statuses)}")

    def _bursts(
        self,
        options: Options,
        *,
        people: Sequence[User],
        reachable: dict[int, list[tuple[str, str]]],
        sessions: Sessions,
        base_urls: Sequence[str],
    ) -> None:
        """Per round: /healthz, then each page, `--burst-size` requests released together, a second apart. A page
        fewer people can reach than the burst size is asked for through more sessions of the same people (one
        person with several tabs), each a session of its own."""
        lifetime = int(options.duration + 3600)
        plans: dict[str, list[tuple[str, str | None]]] = {HEALTHZ: [(HEALTHZ, None)] * options.burst_size}
        distinct: dict[str, int] = {}
        for page in options.pages:
            reaching = [(person, path) for person in people for p, path in reachable[person.pk] if p == page]
            if not reaching:
                continue
            distinct[page] = min(len(reaching), options.burst_size)
            plans[page] = [
                (path, sessions.make(person, seconds=lifetime))
                for person, path in (reaching[i % len(reaching)] for i in range(options.burst_size))
            ]
        merged: dict[str, PageStats] = {name: PageStats(name) for name in plans}
        cpu: dict[str, Cpu] = {name: Cpu(None if self.web_groups is None else 0.0, 0.0) for name in plans}
        per_round: dict[str, list[float]] = {name: [] for name in plans}
        self.stdout.write(f"Bursts: {options.burst_size} at once per page, {options.rounds} rounds")
        for _round in range(options.rounds):
            for name, requests in plans.items():
                with CpuWatch(self._cpu) as watch:
                    stats = loadbench.run_to_end(
                        loadbench.burst(
                            page=name,
                            requests=requests,
                            base_urls=base_urls,
                            session_cookie_name=settings.SESSION_COOKIE_NAME,
                            timeout=options.timeout,
                        )
                    )
                spent = watch.spent
                cpu[name] = Cpu(
                    None if spent.web is None or cpu[name].web is None else spent.web + (cpu[name].web or 0.0),
                    cpu[name].database + spent.database,
                )
                merged[name].latencies.extend(stats.latencies)
                merged[name].errors += stats.errors
                merged[name].statuses.update(stats.statuses)
                merged[name].first_error = merged[name].first_error or stats.first_error
                per_round[name].append(stats.p(95))
                time.sleep(1)
        reference = merged[HEALTHZ]
        lines = table(list(merged.values()), reference=reference, seconds=None)
        self.stdout.write("  " + lines[0] + f"  {'p95 by round (ms)':<20} {'people':>6}  CPU ms per request")
        for line, name in zip(lines[1:], merged, strict=True):
            rounds = "/".join(_ms(v) for v in per_round[name])
            people_note = "" if name == HEALTHZ else str(distinct[name])
            cost = _cpu_text(cpu[name], requests=merged[name].count)
            self.stdout.write(f"  {line}  {rounds:<20} {people_note:>6}  {cost}")
        load = os.getloadavg()
        self.stdout.write(f"Load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        errors = [s for s in merged.values() if s.errors]
        for stats in errors:
            self.stdout.write(f"{stats.page}: {stats.errors} errors, first: {stats.first_error}")
