"""The load generator behind `manage.py load_bench`: many signed-in people browsing a running server at once.

No Django here: the command chooses the people, makes their sessions and starts the servers; this module only
speaks HTTP to addresses it is given and counts. One asyncio loop and aiohttp's C parser keep the client cheap:
it shares the machine's two cores with the server it measures, so every millisecond it spends is one the server
does not get (it reports its own CPU time so that this can be checked).

Latency is the time from sending a request on a new connection to the last byte of the answer. Each request opens
its own connection (as a browser does after a think time longer than gunicorn's keep-alive), which also lets a
round-robin over several servers choose per request and avoids the race of reusing a connection the server is
closing.
"""

import asyncio
import concurrent.futures
import importlib.util
import ipaddress
import itertools
import math
import random
import resource
import socket
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import aiohttp

# The reference every page is compared with, measured under the same load in the same run.
HEALTHZ = "/healthz"
# What a proxy in front of gunicorn adds: production settings redirect plain HTTP to HTTPS without it.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
LOGIN_PATH = "/account/login/"


Result = TypeVar("Result")


def run_to_end(coroutine: Coroutine[Any, Any, Result]) -> Result:
    """`asyncio.run`, also from a thread that already runs an event loop (the command called from async code, or
    in the test suite after Playwright's sync API, which keeps a loop running in the main thread): the coroutine
    then runs to its end in a thread of its own, where `asyncio.run` may start one."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class TargetError(ValueError):
    """An address the benchmark must not or cannot load: the message says which and why."""


def client_missing() -> str | None:
    """Why the client cannot run, or None. aiohttp is a development dependency (pyproject.toml): the production
    image has no business running load tests, and there the command says so instead of failing on an import."""
    if importlib.util.find_spec("aiohttp") is None:
        return "load_bench needs aiohttp, a development dependency: pip install -e '.[dev]'"
    return None


def _aiohttp() -> ModuleType:
    import aiohttp

    return aiohttp


def loopback_base_url(url: str) -> str:
    """`http://host:port` for a server on this machine, or TargetError: a load test never leaves the machine.

    Only an IP literal that is a loopback address, or `localhost` when every address it resolves to is one,
    is accepted, so neither a typo nor a DNS entry can point 200 simulated people at a real service.
    """
    parts = urlsplit(url)
    if parts.scheme != "http":
        raise TargetError(f"{url!r}: only http:// addresses on this machine can be loaded (e.g. http://127.0.0.1:8000)")
    if parts.username or parts.password or parts.query or parts.fragment or parts.path not in ("", "/"):
        raise TargetError(f"{url!r}: give the server's address alone, e.g. http://127.0.0.1:8000")
    host = parts.hostname or ""
    try:
        port = parts.port or 80
    except ValueError as error:
        raise TargetError(f"{url!r}: {error}") from None
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        if host != "localhost":
            raise TargetError(f"{url!r}: refused, {host!r} is not this machine (use 127.0.0.1 or localhost)") from None
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as error:
            raise TargetError(f"{url!r}: cannot resolve localhost ({error})") from None
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses or not all(a.is_loopback for a in addresses):
        raise TargetError(f"{url!r}: refused, {host!r} is not a loopback address (use 127.0.0.1 or localhost)")
    netloc = f"[{host}]" if ":" in host else host
    return f"http://{netloc}:{port}"


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank percentile: the smallest value with at least p % of the values at or below it.

    Nearest rank, not interpolation, so that a p95 is always a latency someone actually waited.
    """
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Visit:
    """One page as one person reaches it: their own address for it (their plan, their results)."""

    page: str
    path: str
    weight: float


@dataclass(frozen=True)
class Person:
    """A signed-in person: the session cookie the command made for them and the pages they can reach."""

    label: str
    cookie: str
    visits: tuple[Visit, ...]


@dataclass
class PageStats:
    page: str
    latencies: list[float] = field(default_factory=list)  # seconds, successful and failed requests alike
    errors: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    first_error: str = ""

    @property
    def count(self) -> int:
        return len(self.latencies)

    def p(self, q: float) -> float:
        return percentile(self.latencies, q)


@dataclass
class RunResult:
    seconds: float
    pages: dict[str, PageStats]
    reference: PageStats  # /healthz under the same load
    client_cpu_seconds: float

    @property
    def overall(self) -> PageStats:
        total = PageStats("all pages")
        for stats in self.pages.values():
            total.latencies.extend(stats.latencies)
            total.errors += stats.errors
            total.statuses.update(stats.statuses)
            total.first_error = total.first_error or stats.first_error
        return total


class Client:
    """Requests against one or more servers in turn (round-robin per request), recording into PageStats."""

    def __init__(self, *, base_urls: Sequence[str], session_cookie_name: str, timeout: float) -> None:
        self._aiohttp = _aiohttp()
        self._bases = itertools.cycle(list(base_urls))
        self._cookie_name = session_cookie_name
        self._timeout = self._aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> "Client":
        connector = self._aiohttp.TCPConnector(force_close=True, limit=0)
        self._session = self._aiohttp.ClientSession(
            connector=connector, cookie_jar=self._aiohttp.DummyCookieJar(), timeout=self._timeout
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()

    async def get(self, *, path: str, cookie: str | None, stats: PageStats) -> None:
        """One GET, read to its last byte. An error is any status but 2xx/3xx, a redirect to the sign-in page
        (the session was not accepted: the page was never served) or an exception such as a timeout."""
        assert self._session is not None
        headers = dict(PROXY_HEADERS)
        if cookie is not None:
            headers["Cookie"] = f"{self._cookie_name}={cookie}"
        url = next(self._bases) + path
        started = time.perf_counter()
        error = ""
        try:
            async with self._session.get(url, headers=headers, allow_redirects=False) as response:
                await response.read()
                status = response.status
                location = response.headers.get("Location", "")
            stats.statuses[str(status)] += 1
            if not 200 <= status < 400:
                error = f"HTTP {status} for {path}"
            elif LOGIN_PATH in location:
                error = f"redirected to sign in from {path}: the session was not accepted"
        except (TimeoutError, self._aiohttp.ClientError, OSError) as exc:
            stats.statuses[type(exc).__name__] += 1
            error = f"{type(exc).__name__} for {path}: {exc}"
        stats.latencies.append(time.perf_counter() - started)
        if error:
            stats.errors += 1
            stats.first_error = stats.first_error or error


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def browse(
    *,
    people: Sequence[Person],
    base_urls: Sequence[str],
    session_cookie_name: str,
    duration: float,
    think: tuple[float, float],
    seed: int,
    timeout: float,
    reference_interval: float = 1.0,
    on_start: Callable[[], None] | None = None,
) -> RunResult:
    """Every person loops: choose a page by weight, GET it, think for a uniform 2–8 s (by default), until the
    duration is up; a request started before the end is waited for. Each person starts after a first think time,
    so that 200 people do not all arrive in the first second. One more loop asks for /healthz every second as the
    reference under the same load. All random choices come from `seed`: the same run chooses the same pages.

    `on_start` is called once the event loop runs (the command announces the run there): from then on a Ctrl-C or
    SIGTERM cancels the loops cleanly. Before it, one could land while asyncio builds its loop and leave a
    half-made loop whose clean-up prints a traceback at exit (seen once in a clean-clone run of the stop test)."""
    if on_start is not None:
        on_start()
    pages: dict[str, PageStats] = {}
    for person in people:
        for visit in person.visits:
            pages.setdefault(visit.page, PageStats(visit.page))
    reference = PageStats(HEALTHZ)
    cpu_before = _cpu_seconds()
    loop = asyncio.get_running_loop()
    started = loop.time()
    deadline = started + duration

    async def person_loop(index: int, person: Person) -> None:
        rng = random.Random(f"{seed}:{index}")
        weights = [v.weight for v in person.visits]
        await asyncio.sleep(min(rng.uniform(0, think[1]), duration))
        while loop.time() < deadline:
            visit = rng.choices(person.visits, weights)[0]
            await client.get(path=visit.path, cookie=person.cookie, stats=pages[visit.page])
            # Thinking past the end would only stretch the run (and dilute requests/s): stop at the deadline.
            await asyncio.sleep(min(rng.uniform(*think), max(0.0, deadline - loop.time())))

    async def reference_loop() -> None:
        while loop.time() < deadline:
            await client.get(path=HEALTHZ, cookie=None, stats=reference)
            await asyncio.sleep(min(reference_interval, max(0.0, deadline - loop.time())))

    # A task group, not gather: when the run is stopped (Ctrl-C, SIGTERM) every loop is cancelled and awaited before
    # the client closes, so none goes on to fail on a closed session and print a traceback at shutdown.
    async with (
        Client(base_urls=base_urls, session_cookie_name=session_cookie_name, timeout=timeout) as client,
        asyncio.TaskGroup() as running,
    ):
        running.create_task(reference_loop())
        for i, person in enumerate(people):
            running.create_task(person_loop(i, person))
    return RunResult(loop.time() - started, pages, reference, _cpu_seconds() - cpu_before)


async def burst(
    *,
    page: str,
    requests: Sequence[tuple[str, str | None]],
    base_urls: Sequence[str],
    session_cookie_name: str,
    timeout: float,
) -> PageStats:
    """All the requests (path, cookie) at the same instant: each waits on one event, set once every one of them
    is waiting, so the server sees them arrive together."""
    stats = PageStats(page)
    release = asyncio.Event()
    waiting = 0

    async def one(path: str, cookie: str | None) -> None:
        nonlocal waiting
        waiting += 1
        await release.wait()
        await client.get(path=path, cookie=cookie, stats=stats)

    async with Client(base_urls=base_urls, session_cookie_name=session_cookie_name, timeout=timeout) as client:
        tasks = [asyncio.create_task(one(path, cookie)) for path, cookie in requests]
        while waiting < len(tasks):
            await asyncio.sleep(0)
        release.set()
        await asyncio.gather(*tasks)
    return stats


async def sequential(
    *,
    requests: Sequence[tuple[str, str | None]],
    base_urls: Sequence[str],
    session_cookie_name: str,
    timeout: float,
) -> PageStats:
    """The requests one after another (warming up the servers, checking the sessions before a run)."""
    stats = PageStats("check")
    async with Client(base_urls=base_urls, session_cookie_name=session_cookie_name, timeout=timeout) as client:
        for path, cookie in requests:
            await client.get(path=path, cookie=cookie, stats=stats)
    return stats
