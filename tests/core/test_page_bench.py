"""page_bench: bad options are refused with a clear message and exit status 2, touching nothing; a run crawls the
pages a demo user reaches, times them and leaves nothing behind (no session, no stored counts)."""

import re
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command

from apps.accounts.models import Role
from apps.profiles.demo import demo_person
from apps.profiles.models import CareerRole, CommunityCounts
from tests.factories import grant

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--users", "nobody"], "--users: 'nobody' names nothing"),
        (["--users", ","], "--users needs at least one name"),
        (["--pages", "core:nothing*"], "--pages: 'core:nothing\\*' names nothing"),
        (["--runs", "0"], "--runs must be between 1 and 1,000"),
        (["--depth", "11"], "--depth must be between 0 and 10"),
        (["--slow-ms", "-1"], "--slow-ms must be between 0 and 60,000"),
        (["--big-rows", "-5"], "--big-rows cannot be negative"),
        (["--users", "organiser"], "No demo user organiser@example.org: run `manage.py seed_demo`"),
    ],
)
def test_bad_options_are_refused_with_exit_status_2(options: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message) as refused:
        call_command("page_bench", *options, stdout=StringIO())
    assert refused.value.returncode == 2


def test_a_value_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(CommandError, match="argument --runs: invalid int value"):
        call_command("page_bench", "--runs", "many", stdout=StringIO())


def test_a_run_times_the_pages_reached_and_leaves_nothing_behind() -> None:
    organiser = demo_person("organiser@example.org", "Priya", "Raman", CareerRole.DEPUTY_MD, "RWK")
    grant(organiser, Role.ORGANISER)
    sessions = Session.objects.count()
    out = StringIO()
    call_command(
        "page_bench",
        "--users",
        "organiser",
        "--pages",
        "core:*",
        "--depth",
        "1",
        "--runs",
        "2",
        "--slow-ms",
        "0",
        stdout=out,
    )
    report = out.getvalue()
    rows = {m.group(1) for m in re.finditer(r"^(core:\w+) +organiser +\d+ ", report, re.MULTILINE)}
    assert {"core:dashboard", "core:overview", "core:account"} <= rows
    assert "== core:overview (organiser, /overview/)" in report  # EXPLAIN of every page over --slow-ms 0
    assert "Execution Time:" in report  # EXPLAIN (ANALYZE) ran
    assert Session.objects.count() == sessions  # rolled back: the sign-in and the stored counts
    assert not CommunityCounts.objects.exists()
