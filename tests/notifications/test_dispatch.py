"""The dispatcher, in process against real PostgreSQL: what is due is sent once, with the right headers;
preferences, opt-outs, retries, leases and digests."""

import time
from datetime import datetime, timedelta
from email import message_from_string
from uuid import uuid4

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.dispatch import DispatchConfig, claim_batch, digest_boundary, dispatch_digests, dispatch_due
from apps.notifications.models import EmailOptOut, NotificationPreference, Reminder, ReminderStatus
from apps.notifications.services import account_email_schedule, schedule

from .conftest import goal_context, rater_context, session_context

pytestmark = pytest.mark.django_db


def config(**changes: object) -> DispatchConfig:
    base = DispatchConfig.from_settings()
    return DispatchConfig(**{**base.__dict__, "run_seconds": 30, **changes})  # type: ignore[arg-type]


def remind(user: User, key: str, due_at: datetime, kind: str = "goal_due_14d") -> Reminder:
    context = session_context() if kind.startswith("session") else goal_context()
    return schedule(recipient=user, kind=kind, due_at=due_at, dedupe_key=key, context=context)


def test_due_reminders_are_sent_once_and_future_ones_wait(owner: User, now: datetime) -> None:
    remind(owner, "due", now - timedelta(minutes=5))
    remind(owner, "later", now + timedelta(hours=1))
    with time_machine.travel(now, tick=False):
        first = dispatch_due(config=config())
        second = dispatch_due(config=config())
    assert (first.sent, second.sent) == (1, 0)
    assert len(mail.outbox) == 1
    assert Reminder.objects.get(dedupe_key="due").status == ReminderStatus.SENT
    assert Reminder.objects.get(dedupe_key="later").status == ReminderStatus.PENDING


def test_the_email_has_text_html_unsubscribe_headers_and_a_stable_message_id(owner: User, now: datetime) -> None:
    reminder = remind(owner, "s", now, kind="session_upcoming_7d")
    with time_machine.travel(now, tick=False):
        dispatch_due(config=config())
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert message.alternatives[0][1] == "text/html"
    assert "One-Click" in message.extra_headers["List-Unsubscribe-Post"]
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["Message-ID"].startswith(f"<reminder-{reminder.pk}-")
    ics = [a for a in message.attachments if a[0] == "invitation.ics"]
    assert ics and "BEGIN:VEVENT" in ics[0][1] and "UID:session-7@stepping-up" in ics[0][1]
    parsed = message_from_string(message.message().as_string())
    assert parsed["Message-ID"] == message.extra_headers["Message-ID"]


def test_preferences_route_reminders(owner: User, colleague: User, now: datetime) -> None:
    NotificationPreference.objects.create(user=owner, kind="goal_due_14d", mode="off")
    NotificationPreference.objects.create(user=colleague, kind="goal_due_14d", mode="digest")
    remind(owner, "a", now)
    remind(colleague, "b", now)
    with time_machine.travel(now, tick=False):
        report = dispatch_due(config=config())
    assert (report.sent, report.skipped, report.digested) == (0, 1, 1)
    assert not mail.outbox
    assert Reminder.objects.get(dedupe_key="a").status == ReminderStatus.SKIPPED
    assert Reminder.objects.get(dedupe_key="b").status == ReminderStatus.DIGEST


def test_a_rater_who_opted_out_is_not_emailed(now: datetime) -> None:
    EmailOptOut.objects.create(email="rater@example.org", kind="")
    schedule(email="rater@example.org", kind="rater_nudge", due_at=now, dedupe_key="r", context=rater_context())
    with time_machine.travel(now, tick=False):
        dispatch_due(config=config())
    assert not mail.outbox
    assert Reminder.objects.get().status == ReminderStatus.SKIPPED


class FailingBackend(LocmemBackend):
    def send_messages(self, messages: list[object]) -> int:
        raise ConnectionRefusedError("the mail server is down")


def test_a_failure_is_retried_with_backoff_then_marked_failed(owner: User, now: datetime) -> None:
    reminder = remind(owner, "r", now)
    backend = FailingBackend()
    moment = now
    for attempt in range(1, 6):
        with time_machine.travel(moment, tick=False):
            dispatch_due(config=config(), connection=backend)
        reminder.refresh_from_db()
        assert reminder.attempts == attempt
        assert "the mail server is down" in reminder.last_error
        if attempt < 5:
            assert reminder.status == ReminderStatus.PENDING
            assert reminder.next_attempt_at > moment
            moment = reminder.next_attempt_at
    assert reminder.status == ReminderStatus.FAILED


def test_a_claim_left_by_a_dead_dispatcher_is_taken_over_after_its_lease(owner: User, now: datetime) -> None:
    remind(owner, "r", now)
    with time_machine.travel(now, tick=False):
        _, claimed = claim_batch(now=now, size=10, lease=timedelta(minutes=5))  # ... and the dispatcher dies
        assert len(claimed) == 1
        assert dispatch_due(config=config()).sent == 0  # the lease still holds
    with time_machine.travel(now + timedelta(minutes=6), tick=False):
        assert dispatch_due(config=config()).sent == 1
    assert len(mail.outbox) == 1


def test_two_dispatchers_never_claim_the_same_reminder(owner: User, now: datetime) -> None:
    for i in range(10):
        remind(owner, f"r{i}", now)
    _, first = claim_batch(now=now, size=6, lease=timedelta(minutes=5))
    _, second = claim_batch(now=now, size=6, lease=timedelta(minutes=5))
    assert len(first) == 6 and len(second) == 4
    assert not {r.pk for r in first} & {r.pk for r in second}


def test_dispatch_is_batched(owner: User, now: datetime) -> None:
    for i in range(200):
        remind(owner, f"r{i}", now)
    with time_machine.travel(now, tick=False), CaptureQueriesContext(connection) as queries:
        report = dispatch_due(config=config(batch_size=100, mark_every=20, mark_interval=60))
    assert report.sent == 200
    # Per batch of 100: begin and commit of the claim (savepoints here), select ids, claim, fetch, preferences,
    # and 5 marks of 20 = 11. Then one empty claim (begin, select, commit) ends the run.
    assert len(queries) == 2 * 11 + 3
    assert len(queries) / report.sent < 0.15  # round-trips per reminder; the benchmark shows ~0.03 at scale


def test_digest_boundary_is_seven_in_the_morning_in_london() -> None:
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    summer = datetime(2026, 7, 1, 6, 59, tzinfo=london)
    assert digest_boundary(summer, hour=7) == datetime(2026, 6, 30, 7, 0, tzinfo=london)
    winter = datetime(2026, 12, 1, 7, 0, tzinfo=london)
    assert digest_boundary(winter, hour=7) == winter


def test_the_daily_digest_gathers_one_persons_reminders_into_one_email(owner: User, now: datetime) -> None:
    NotificationPreference.objects.create(user=owner, kind="goal_due_14d", mode="digest")
    evening = now.replace(hour=18)
    remind(owner, "a", evening)
    remind(owner, "b", evening + timedelta(minutes=30))
    with time_machine.travel(evening + timedelta(hours=1), tick=False):
        dispatch_due(config=config())
        assert dispatch_digests(config=config()).digests_sent == 0  # not yet seven o'clock
    with time_machine.travel(now + timedelta(days=1, hours=2), tick=False):  # 12:00 next day: after 07:00
        report = dispatch_digests(config=config())
    assert report.digests_sent == 1 and report.sent == 2
    assert len(mail.outbox) == 1 and "2 reminders" in mail.outbox[0].subject
    assert "/notifications/unsubscribe/" in mail.outbox[0].extra_headers["List-Unsubscribe"]
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}


def test_scheduling_is_quick_when_the_broker_is_down(
    owner: User, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The prompt dispatch after commit is best effort: a dead broker costs one refused connection (counted, not
    timed: timings belong in benchmarks), not kombu's seconds of retries."""
    import socket

    from django.test import TestCase

    from config.celery import app

    attempts: list[object] = []
    connect = socket.socket.connect

    def counting_connect(sock: socket.socket, address: object) -> None:
        if isinstance(address, tuple) and address[1] == 1:
            attempts.append(address)
        connect(sock, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", counting_connect)
    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            remind(owner, "quick", timezone.now())
    finally:
        app.conf.broker_url = previous
    assert 1 <= len(attempts) <= 2
    assert Reminder.objects.get(dedupe_key="quick").status == ReminderStatus.PENDING


class SlowBackend(LocmemBackend):
    def send_messages(self, messages: list[object]) -> int:
        time.sleep(0.05)
        return super().send_messages(messages)  # type: ignore[arg-type]


class TakeoverBackend(LocmemBackend):
    """Simulates another dispatcher taking the rest of the batch over after the third send."""

    def send_messages(self, messages: list[object]) -> int:
        sent = super().send_messages(messages)  # type: ignore[arg-type]
        if len(mail.outbox) == 3:
            Reminder.objects.filter(status=ReminderStatus.SENDING).update(claim_token=uuid4())
        return sent


def test_a_dispatcher_that_finds_its_batch_taken_over_stops(owner: User, now: datetime) -> None:
    for i in range(10):
        remind(owner, f"r{i}", now)
    with time_machine.travel(now, tick=False):
        report = dispatch_due(config=config(mark_every=1), connection=TakeoverBackend())
    assert report.lost == 1
    assert len(mail.outbox) == 3  # the third send's mark found the takeover; nothing more was sent


def test_a_long_batch_renews_its_lease_instead_of_being_overtaken(owner: User) -> None:
    for i in range(30):
        remind(owner, f"r{i}", timezone.now())
    # A 1-second lease; 30 sends of 0.05 s take 1.5 s: without renewal, rows would be up for grabs mid-batch.
    report = dispatch_due(config=config(lease=timedelta(seconds=1), send_timeout=0.1), connection=SlowBackend())
    assert (report.sent, report.lost) == (30, 0)
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 30


def account_email(address: str = "new.doctor@example.org") -> str:
    return account_email_schedule(
        address=address,
        subject="[Stepping Up] Reset your password",
        heading="Reset your password",
        text="Follow this link: http://127.0.0.1:8000/account/password/reset/key/4-abc/",
        html="",
        now=timezone.now(),
    )


def test_a_sent_account_email_keeps_no_copy_of_its_link_and_reminders_keep_their_context(
    owner: User, now: datetime
) -> None:
    remind(owner, "goal", now)
    with time_machine.travel(now, tick=False):
        key = account_email()
        report = dispatch_due(config=config())
    assert report.sent == 2
    assert Reminder.objects.get(dedupe_key=key).context == {}
    assert Reminder.objects.get(dedupe_key="goal").context == goal_context()


def test_a_refused_account_email_keeps_its_context_for_the_retry(now: datetime) -> None:
    with time_machine.travel(now, tick=False):
        key = account_email()
        report = dispatch_due(config=config(), connection=FailingBackend())
    row = Reminder.objects.get(dedupe_key=key)
    assert (report.retrying, row.status, row.attempts) == (1, ReminderStatus.PENDING, 1)
    assert "reset/key/4-abc" in row.context["text"]


def test_an_account_email_goes_out_even_to_an_address_that_stopped_everything(now: datetime) -> None:
    EmailOptOut.objects.create(email="new.doctor@example.org", kind="")
    with time_machine.travel(now, tick=False):
        account_email()
        report = dispatch_due(config=config())
    assert (report.sent, report.skipped) == (1, 0)
