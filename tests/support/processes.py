"""Real services for tests that break them: a private Redis server and Celery worker and beat processes, each a
subprocess in its own session that a test can stop, kill and start again. `Services.close()` ends every one of
them (terminate, wait, kill), so a failing test leaves nothing running. Nothing here touches the machine's
shared Redis: each Redis server listens on a free port of its own.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
DEADLINE_SECONDS = 60.0
CELERY = [sys.executable, "-m", "celery", "-A", "config"]
# Variables that would override the broker a child process takes from REDIS_URL (Celery reads them first).
_OVERRIDES = ("CELERY_BROKER_URL", "CELERY_BROKER_READ_URL", "CELERY_BROKER_WRITE_URL", "CELERY_RESULT_BACKEND")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return f"({path.name}: no output)"
    text = path.read_text(errors="replace").splitlines()[-lines:]
    return f"--- {path.name} (last {len(text)} lines) ---\n" + "\n".join(text)


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill_main(self) -> int:
        """SIGKILL the main process only, as the kernel's OOM killer would, and reap it. Returns its exit code."""
        os.kill(self.pid, signal.SIGKILL)
        return self.popen.wait(timeout=DEADLINE_SECONDS)

    def stop(self, grace: float = 5.0) -> None:
        """Terminate the whole session (the process and anything it started), wait, then kill what is left."""
        self._signal_group(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=grace)
        self._signal_group(signal.SIGKILL)
        if self.popen.poll() is None:
            self.popen.wait(timeout=DEADLINE_SECONDS)

    def _signal_group(self, sig: int) -> None:
        with suppress(ProcessLookupError):  # start_new_session=True: the session's group id is the main pid
            os.killpg(self.pid, sig)


class Services:
    """The processes one test runs. Use as a context manager, or call close() in a finally."""

    def __init__(self, tmp_path: Path, env: dict[str, str]) -> None:
        self.tmp_path = tmp_path
        self.env = {key: value for key, value in {**os.environ, **env}.items() if key not in _OVERRIDES}
        self.processes: list[Process] = []

    def __enter__(self) -> "Services":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        # Celery first, so that no worker logs a lost broker (or reconnects) while the test is being torn down.
        for process in sorted(reversed(self.processes), key=lambda p: p.name.startswith("redis")):
            process.stop()

    def start(self, name: str, argv: list[str], *, env: dict[str, str] | None = None) -> Process:
        log = self.tmp_path / f"{name}.log"
        with log.open("ab") as out:
            popen = subprocess.Popen(
                argv,
                cwd=ROOT,
                env={**self.env, **(env or {})},
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    # --- Redis ------------------------------------------------------------------------------------------

    def start_redis(self, port: int, name: str = "redis") -> Process:
        """A throwaway redis-server on `port` (no persistence: a restart starts empty), ready to answer."""
        options = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"]
        process = self.start(name, ["redis-server", "--port", str(port), *options])
        client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5)
        try:
            self.wait_for(lambda: _answers(client), f"redis-server on port {port} to answer PING", watch=process)
        finally:
            client.close()
        return process

    def stop_redis(self, process: Process) -> None:
        process.popen.terminate()
        process.popen.wait(timeout=DEADLINE_SECONDS)

    # --- Celery -----------------------------------------------------------------------------------------

    def start_worker(self, name: str, *, env: dict[str, str] | None = None) -> Process:
        """One Celery worker (solo pool: the task runs in the main process, so killing it kills the task)."""
        quiet = ["--without-mingle", "--without-gossip", "--without-heartbeat"]  # starts faster; none is under test
        argv = [*CELERY, "worker", "--pool=solo", "--loglevel=INFO", "-n", f"{name}@%h", *quiet]
        return self.start(name, argv, env=env)

    def start_beat(self, name: str = "beat") -> Process:
        argv = [*CELERY, "beat", "--loglevel=INFO", "--schedule", str(self.tmp_path / f"{name}-schedule")]
        return self.start(name, argv)

    # --- Waiting ----------------------------------------------------------------------------------------

    def wait_for(
        self,
        condition: Callable[[], Any],
        what: str,
        *,
        timeout: float = DEADLINE_SECONDS,
        watch: Process | None = None,
    ) -> Any:
        """Poll `condition` until it is true; fail with every process's log tail when the deadline passes
        (or at once if the watched process has died)."""
        deadline = time.monotonic() + timeout
        while True:
            result = condition()
            if result:
                return result
            if watch is not None and not watch.alive():
                self.fail(f"{watch.name} exited (code {watch.popen.returncode}) while waiting for {what}")
            if time.monotonic() > deadline:
                self.fail(f"Timed out after {timeout:.0f} s waiting for {what}")
            time.sleep(0.05)

    def fail(self, message: str) -> None:
        logs = "\n".join(tail(p.log) for p in self.processes)
        pytest.fail(f"{message}\n{logs}", pytrace=False)


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


@contextmanager
def broker_for_this_process(url: str) -> Iterator[None]:
    """Point this (the test) process's Celery app at `url`, so that what it queues (schedule()'s prompt
    dispatch) goes to the test's own Redis and never to the shared one; put it back afterwards."""
    from config.celery import app

    saved = app.conf.broker_url
    _drop_connections(app)
    app.conf.broker_url = url
    try:
        yield
    finally:
        _drop_connections(app)
        app.conf.broker_url = saved


def _drop_connections(app: Any) -> None:
    # Celery caches its broker connection pool and producer pool on first use, for the URL of that moment.
    if app._pool is not None:
        app._pool.force_close_all()
    amqp = app.__dict__.get("amqp")
    if amqp is not None and amqp._producer_pool is not None:
        amqp._producer_pool.force_close_all()
        amqp._producer_pool = None
    app._pool = None
