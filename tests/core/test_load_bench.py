"""`manage.py load_bench`: its options, its loopback-only rule, the people and pages it chooses, the sessions it
makes and deletes, and its HTTP client against a live server. No test here times anything: the figures come
from running the command (docs/BENCHMARKS.md)."""

import asyncio
import math
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from apps.accounts.models import User
from apps.core import loadbench
from apps.core.loadbench import HEALTHZ, Person, Visit, percentile
from apps.core.management.commands.load_bench import (
    PAGES,
    Cpu,
    CpuSample,
    Sessions,
    choose_people,
    cpu_now,
    reachable_paths,
    stop_on_sigterm,
)
from tests.factories import ProfileFactory, UserFactory, year_plan

ROOT = Path(__file__).resolve().parents[2]


def refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as caught:
        call_command("load_bench", *args)
    return caught.value


# --- Options: a clear message, exit status 2, nothing started or written ---------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--users", "0"], "--users must be between 1 and 2000, not 0"),
        (["--users", "5000"], "--users must be between 1 and 2000"),
        (["--duration", "0"], "--duration must be between 1 and 3600"),
        (["--duration", "nan"], "--duration must be between"),
        (["--think", "8", "2"], "longest think time (2 s) is shorter than the shortest (8 s)"),
        (["--think", "-1", "2"], "--think (shortest) must be between 0 and 600"),
        (["--burst-size", "0"], "--burst-size must be between 1 and 500"),
        (["--rounds", "100"], "--rounds must be between 1 and 20"),
        (["--web-processes", "9"], "--web-processes must be between 1 and 4"),
        (["--workers", "-1"], "--workers must be between 0 and 4"),
        (["--gunicorn-workers", "0"], "--gunicorn-workers must be between 1 and 16"),
        (["--threads", "99"], "--threads must be between 1 and 16"),
        (["--timeout", "0"], "--timeout must be between 1 and 600"),
        (["--nice", "30"], "--nice must be between -20 and 19, not 30"),
        (["--pages", "dashboard,nowhere"], "--pages: unknown page nowhere; the pages are dashboard, profile"),
        (["--url", "http://127.0.0.1:8000", "--web-processes", "2"], "--url loads a server already running"),
        (["--url", "http://127.0.0.1:8000", "--workers", "1"], "--url loads a server already running"),
    ],
)
@pytest.mark.django_db
def test_bad_options_are_refused_before_anything_is_made(args: list[str], message: str) -> None:
    error = refused(*args)
    assert message in str(error)
    assert error.returncode == 2
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org:8000",
        "http://10.0.0.1:8000",
        "http://192.168.1.20",
        "http://0.0.0.0:8000",  # every interface, not this one
        "http://[2001:db8::1]:8000",
        "http://127.0.0.1.example.org:8000",
        "https://127.0.0.1:8000",
        "ftp://127.0.0.1",
        "127.0.0.1:8000",
        "http://127.0.0.1:8000/dashboard/",
        "http://user:pw@127.0.0.1:8000",
        "http://127.0.0.1:99999",
        "http://127.0.0.1:8000?x=1",
    ],
)
@pytest.mark.django_db
def test_only_a_server_on_this_machine_can_be_loaded(url: str) -> None:
    error = refused("--url", url)
    assert error.returncode == 2
    assert repr(url) in str(error)
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000"),
        ("http://127.8.9.10:81", "http://127.8.9.10:81"),  # all of 127.0.0.0/8 is loopback
        ("http://[::1]:8000", "http://[::1]:8000"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("http://127.0.0.1", "http://127.0.0.1:80"),
    ],
)
def test_loopback_addresses_are_accepted(url: str, base: str) -> None:
    assert loadbench.loopback_base_url(url) == base


@pytest.mark.django_db
def test_workers_need_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    error = refused("--workers", "2")
    assert "set REDIS_URL" in str(error)
    assert error.returncode == 2


@pytest.mark.django_db
def test_more_people_than_the_database_has_is_refused_with_the_way_forward() -> None:
    ProfileFactory.create_batch(3)
    error = refused("--users", "50", "--url", "http://127.0.0.1:9")
    assert "--users 50: the database has only 3 active people" in str(error)
    assert "seed_demo --scale large" in str(error)
    assert error.returncode == 2
    assert not Session.objects.exists()


def _command_line(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "load_bench", *args],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_command_line_exits_2_with_the_message_and_no_traceback() -> None:
    result = _command_line("--url", "http://203.0.113.9:8000")
    assert result.returncode == 2
    assert "'http://203.0.113.9:8000': refused, '203.0.113.9' is not a loopback address" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_option_exits_2_as_well() -> None:
    result = _command_line("--users", "many")
    assert result.returncode == 2
    assert "argument --users: invalid int value: 'many'" in result.stderr
    assert "Traceback" not in result.stderr


# --- The percentile is the nearest rank ------------------------------------------------------------------------


@given(
    st.lists(st.floats(min_value=0, max_value=1e4, allow_nan=False), min_size=1, max_size=200),
    st.floats(min_value=0.5, max_value=100),
)
def test_percentile_is_numpys_inverted_cdf(values: list[float], p: float) -> None:
    # numpy's inverted_cdf is the nearest-rank definition reached another way: the smallest value whose
    # empirical CDF reaches p.
    assert percentile(values, p) == pytest.approx(float(np.percentile(values, p, method="inverted_cdf")))


def test_percentile_of_nothing_is_not_a_number() -> None:
    assert math.isnan(percentile([], 95))


# --- People, pages and sessions -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_people_are_demo_people_first_then_synthetic_in_order() -> None:
    synthetic = [UserFactory(email=f"synthetic-{i:05d}@example.org") for i in range(3)]
    demo = UserFactory(email="aspiring@example.org")
    UserFactory(email="gone@example.org", is_active=False)
    assert choose_people(count=3) == [demo, synthetic[0], synthetic[1]]


@pytest.mark.django_db
def test_each_person_reaches_their_own_plan_and_organisers_the_overview(organiser: User, owner: User) -> None:
    plan = year_plan(owner)
    reachable = reachable_paths(people=[owner, organiser], pages=["dashboard", "plan", "overview", "results"])
    assert reachable[owner.pk] == [("dashboard", "/dashboard/"), ("plan", reverse("development:plan", args=[plan.pk]))]
    assert reachable[organiser.pk] == [("dashboard", "/dashboard/"), ("overview", "/overview/")]


@pytest.mark.django_db
def test_every_page_of_the_mix_is_a_page_of_the_portal() -> None:
    for name, (url_name, weight) in PAGES.items():
        assert weight > 0, name
        if name not in ("results", "plan"):
            reverse(url_name)


@pytest.mark.django_db
def test_a_made_session_signs_the_person_in_and_is_deleted_afterwards(owner: User) -> None:
    sessions = Sessions()
    key = sessions.make(owner, seconds=600)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert response.wsgi_request.user == owner
    sessions.delete_all()
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()
    assert client.get(reverse("core:dashboard")).status_code == 302  # signed out again


# --- The HTTP client against a live server ----------------------------------------------------------------------


def _run(coroutine: Any) -> Any:
    return loadbench.run_to_end(coroutine)


def test_browse_counts_every_request_and_no_error_on_a_working_server(live_server: Any, reference_data: None) -> None:
    people = [ProfileFactory().user for _ in range(3)]
    sessions = Sessions()
    browsing = [
        Person(
            label=p.email,
            cookie=sessions.make(p, seconds=600),
            visits=(Visit("dashboard", "/dashboard/", 2), Visit("profile", "/profile/", 1)),
        )
        for p in people
    ]
    base = loadbench.loopback_base_url(live_server.url)
    started: list[bool] = []
    result = _run(
        loadbench.browse(
            people=browsing,
            base_urls=[base],
            session_cookie_name=settings.SESSION_COOKIE_NAME,
            duration=2,
            think=(0.05, 0.1),
            seed=1,
            timeout=30,
            on_start=lambda: started.append(asyncio.get_running_loop().is_running()),
        )
    )
    assert started == [True]  # announced once, from inside the running loop
    overall = result.overall
    assert overall.count >= len(people)  # each person asks at least once: the first think time is within the run
    assert overall.errors == 0, overall.first_error
    assert set(overall.statuses) == {"200"}
    assert result.reference.count >= 1
    assert result.reference.errors == 0, result.reference.first_error
    sessions.delete_all()


@pytest.mark.django_db(transaction=True)
def test_a_session_the_server_does_not_accept_is_an_error_not_a_fast_page(live_server: Any) -> None:
    base = loadbench.loopback_base_url(live_server.url)
    stats = _run(
        loadbench.burst(
            page="dashboard",
            requests=[("/dashboard/", "not-a-session")] * 5,
            base_urls=[base],
            session_cookie_name=settings.SESSION_COOKIE_NAME,
            timeout=30,
        )
    )
    assert stats.count == 5
    assert stats.errors == 5
    assert "the session was not accepted" in stats.first_error


@pytest.mark.django_db(transaction=True)
def test_a_burst_sends_every_request_and_a_closed_port_counts_as_errors(live_server: Any) -> None:
    base = loadbench.loopback_base_url(live_server.url)
    ok = _run(
        loadbench.burst(
            page=HEALTHZ,
            requests=[(HEALTHZ, None)] * 8,
            base_urls=[base],
            session_cookie_name=settings.SESSION_COOKIE_NAME,
            timeout=30,
        )
    )
    assert (ok.count, ok.errors) == (8, 0)
    closed = _run(
        loadbench.sequential(
            requests=[(HEALTHZ, None)] * 2,
            base_urls=["http://127.0.0.1:9"],
            session_cookie_name=settings.SESSION_COOKIE_NAME,
            timeout=5,
        )
    )
    assert (closed.count, closed.errors) == (2, 2)


# --- Everything it started is stopped, whatever stops it --------------------------------------------------------


def _test_database_url() -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.services
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_stopping_the_command_stops_its_servers_and_deletes_its_sessions(
    stop: signal.Signals, reference_data: None
) -> None:
    ProfileFactory.create_batch(3)
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "manage.py", "load_bench", "--users", "3", "--duration", "600", "--think", "0.2", "0.5"]
    command += ["--pages", "dashboard,profile", "--gunicorn-workers", "1", "--threads", "1"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if line.startswith("Browsing:"):
                break
        else:
            pytest.fail("the command ended before browsing:\n" + "".join(output))
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)", "".join(output)).group(1))  # type: ignore[union-attr]
        assert _port_open(port)
        assert Session.objects.count() == 3
        process.send_signal(stop)
        rest, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, "".join(output) + rest
    assert "Interrupted: stopping the servers and deleting the sessions." in rest
    assert "Traceback" not in rest
    assert not _port_open(port)
    assert f"127.0.0.1:{port}" not in subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert not Session.objects.exists()


# --- CPU per request --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cpu_is_read_for_our_process_group_and_this_databases_backends() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    sample = cpu_now(process_groups=[os.getpgrp()], database=settings.DATABASES["default"]["NAME"])
    assert sample.web is not None
    assert os.getpid() in sample.web
    assert backend in sample.database
    assert cpu_now(process_groups=None, database="no-such-database").web is None


def test_cpu_difference_counts_new_processes_from_zero_and_ended_ones_not_at_all() -> None:
    hertz = os.sysconf("SC_CLK_TCK")
    before = CpuSample(web={1: 10 * hertz, 2: 5 * hertz}, database={7: 3 * hertz})
    after = CpuSample(web={1: 12 * hertz, 3: 1 * hertz}, database={7: 3 * hertz, 8: 2 * hertz})
    assert after - before == Cpu(web=3.0, database=2.0)  # 2 s more of 1, 1 s of the new 3; 2 ended; 8 is new
    assert CpuSample(web=None, database={}) - before == Cpu(web=None, database=0.0)


def test_the_client_runs_even_where_an_event_loop_is_already_running() -> None:
    """In the suite, Playwright's sync API keeps a loop running in the main thread; asyncio.run would refuse."""

    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    async def inside_a_loop() -> int:
        return loadbench.run_to_end(answer())

    assert loadbench.run_to_end(inside_a_loop()) == 42
    assert loadbench.run_to_end(answer()) == 42


def test_a_sigterm_is_handled_as_ctrl_c_is_at_that_moment() -> None:
    """While asyncio runs the browse its Ctrl-C handler cancels the tasks (nothing raised inside the loop); where
    Python's own handler is in place, KeyboardInterrupt unwinds; either way the command stops its servers."""
    calls: list[int] = []
    term_before = signal.getsignal(signal.SIGTERM)
    previous = signal.signal(signal.SIGINT, lambda signum, frame: calls.append(signum))
    try:
        with stop_on_sigterm():
            signal.raise_signal(signal.SIGTERM)
        assert calls == [signal.SIGINT]
        signal.signal(signal.SIGINT, signal.default_int_handler)
        with pytest.raises(KeyboardInterrupt), stop_on_sigterm():
            signal.raise_signal(signal.SIGTERM)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        with pytest.raises(KeyboardInterrupt), stop_on_sigterm():
            signal.raise_signal(signal.SIGTERM)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert signal.getsignal(signal.SIGTERM) == term_before  # put back as it was
