"""The delivery promise against real services: "Nothing lost, nothing doubled." Each test runs its own
redis-server and real Celery worker and beat processes (tests/support/processes.py) over the test database,
breaks one thing, and counts what the worker e-mailed: one file per delivered message, named after its
Message-ID (tests/support/mail_backends.py).

The one window no design closes: the mail server has accepted a message and the worker dies before the row is
marked sent. With NOTIFICATIONS_MARK_EVERY=1 every row is marked straight after its send, so a worker killed
mid-batch may send again at most the one message it was handing over when it died.
"""

import logging
import signal
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
import time_machine
from django.db import connection
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.emails import message_id
from apps.notifications.models import Reminder, ReminderStatus
from apps.notifications.services import schedule
from tests.factories import UserFactory
from tests.support.processes import Process, Services, broker_for_this_process, free_port

from .conftest import goal_context

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

DISPATCHED = "Task apps.notifications.tasks.dispatch_due_reminders["  # ... "] succeeded in" when a run ends
LOST = "consumer: Connection to broker lost"  # the worker's log when Redis goes away
TICK_FAILED = "Couldn't apply scheduled task dispatch-due-reminders"  # beat's, when it cannot queue a tick


@dataclass
class Rig:
    services: Services
    port: int
    redis: Process
    mail_dir: Path

    def deliveries(self) -> Counter[str]:
        """Deliveries per Message-ID (file name: <message-id>.<random hex>.eml)."""
        return Counter(path.name.rsplit(".", 2)[0] for path in self.mail_dir.iterdir())

    def runs_finished(self, worker: Process) -> int:
        return sum(1 for line in worker.output().splitlines() if DISPATCHED in line and "succeeded" in line)


def database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "postgres") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    port = free_port()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    broker = f"redis://127.0.0.1:{port}/0"
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": broker,
        "TEST_EMAIL_BACKEND": "tests.support.mail_backends.FilePerMessageBackend",
        "TEST_MAIL_DIR": str(mail_dir),
        "TEST_MAIL_DELAY_SECONDS": "0",
        "NOTIFICATIONS_DISPATCH_INTERVAL_SECONDS": "1",
        "NOTIFICATIONS_LEASE_SECONDS": "4",
        "NOTIFICATIONS_RUN_SECONDS": "3",
        "NOTIFICATIONS_MARK_EVERY": "1",
        "NOTIFICATIONS_MARK_INTERVAL_SECONDS": "0.25",
        "PYTHONUNBUFFERED": "1",
    }
    with Services(tmp_path, env) as services:
        redis_server = services.start_redis(port)
        with broker_for_this_process(broker):
            yield Rig(services, port, redis_server, mail_dir)


def remind(user: User, key: str, due_at: datetime) -> Reminder:
    return schedule(recipient=user, kind="goal_due_14d", due_at=due_at, dedupe_key=key, context=goal_context())


def message_ids(reminders: list[Reminder]) -> list[str]:
    return [message_id(r).strip("<>") for r in reminders]


def statuses() -> Counter[str]:
    return Counter(Reminder.objects.values_list("status", flat=True))


def all_sent(reminders: list[Reminder]) -> bool:
    return not Reminder.objects.filter(pk__in=[r.pk for r in reminders]).exclude(status=ReminderStatus.SENT).exists()


def test_a_worker_killed_mid_batch_loses_nothing_and_resends_at_most_the_message_in_hand(
    rig: Rig, record_property: Callable[[str, object], None]
) -> None:
    services, total = rig.services, 30
    users = UserFactory.create_batch(3)
    reminders = [remind(users[i % 3], f"goal:{i}", timezone.now()) for i in range(total)]
    slow = {"TEST_MAIL_DELAY_SECONDS": "0.2"}  # 30 messages take 6 s: long enough to die in the middle

    services.start_beat()
    first = services.start_worker("first-worker", env=slow)
    services.wait_for(lambda: len(rig.deliveries()) >= 3, "the first worker to send 3 messages", watch=first)
    assert first.kill_main() == -signal.SIGKILL

    delivered_before = sum(rig.deliveries().values())
    left = statuses()
    assert 3 <= delivered_before < total, f"not killed mid-batch: {delivered_before} of {total} sent"
    assert left[ReminderStatus.SENDING] + left[ReminderStatus.PENDING] > 0, left
    assert left[ReminderStatus.SENDING] > 0, f"no claim was left behind by the dead worker: {left}"

    second = services.start_worker("second-worker", env=slow)
    services.wait_for(lambda: all_sent(reminders), "every reminder to be marked sent", watch=second)

    deliveries = rig.deliveries()
    expected = message_ids(reminders)
    assert [mid for mid in expected if deliveries[mid] == 0] == [], "lost"
    assert set(deliveries) == set(expected), "a message nobody scheduled"
    doubled = {mid: n for mid, n in deliveries.items() if n > 1}
    record_property("delivered_before_kill", delivered_before)
    record_property("duplicates", len(doubled))
    print(f"\nkill test: {delivered_before} sent before the kill; duplicates: {doubled or 'none'}")
    assert len(doubled) <= 1 and all(n == 2 for n in doubled.values()), f"more than the one window: {doubled}"
    assert statuses() == {ReminderStatus.SENT: total}


def test_reminders_due_while_redis_is_down_are_sent_once_when_it_is_back(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    services = rig.services
    user = UserFactory()
    beat = services.start_beat()
    worker = services.start_worker("worker")
    services.wait_for(lambda: rig.runs_finished(worker) > 0, "beat and the worker to run a dispatch", watch=worker)

    # Scheduled while Redis is up, due a few seconds later, when it will be down.
    due = timezone.now() + timedelta(seconds=5)
    early = [remind(user, f"goal:early:{i}", due) for i in range(4)]
    services.stop_redis(rig.redis)
    services.wait_for(lambda: LOST in worker.output(), "the worker to lose the broker", watch=worker)
    assert timezone.now() < due, "Redis went down too late: the reminders fell due while it was up"
    # Scheduled while Redis is down, due at once: the prompt dispatch cannot be queued, and schedule() still works.
    with caplog.at_level(logging.WARNING, logger="apps.notifications.services"):
        late = remind(user, "goal:late", timezone.now())
    assert "Could not queue an immediate dispatch" in caplog.text
    reminders = [*early, late]

    # Every reminder is now past due; wait until a tick of beat's has failed to reach the broker after that.
    services.wait_for(lambda: timezone.now() > due, "the due time to pass")
    failed = beat.output().count(TICK_FAILED)
    services.wait_for(lambda: beat.output().count(TICK_FAILED) > failed, "a tick to fail to reach Redis", watch=beat)
    assert rig.deliveries() == Counter(), "sent while Redis was down"
    assert statuses() == {ReminderStatus.PENDING: len(reminders)}

    rig.redis = services.start_redis(rig.port, name="redis-again")
    services.wait_for(lambda: all_sent(reminders), "every reminder to be sent after Redis is back", watch=worker)
    assert rig.deliveries() == Counter(dict.fromkeys(message_ids(reminders), 1))


def test_reminders_that_fell_due_while_beat_was_down_for_an_hour_are_sent_once(rig: Rig) -> None:
    services = rig.services
    user = UserFactory()
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=1)):  # scheduled yesterday, so no prompt dispatch was queued
        overdue = [remind(user, f"goal:overdue:{i}", now - timedelta(hours=1)) for i in range(5)]
        future = [remind(user, f"goal:future:{i}", now + timedelta(hours=1)) for i in range(3)]
    client = redis.Redis(host="127.0.0.1", port=rig.port)
    try:
        assert client.llen("celery") == 0, "a dispatch was queued: only beat may send these"
    finally:
        client.close()

    services.start_beat()
    worker = services.start_worker("worker")
    services.wait_for(lambda: all_sent(overdue), "the overdue reminders to be sent", watch=worker)
    # One more complete dispatch run, so that the future reminders had every chance to be sent by mistake.
    runs = rig.runs_finished(worker)
    services.wait_for(lambda: rig.runs_finished(worker) > runs, "another dispatch run", watch=worker)

    assert rig.deliveries() == Counter(dict.fromkeys(message_ids(overdue), 1))
    assert set(Reminder.objects.filter(pk__in=[r.pk for r in future]).values_list("status", flat=True)) == {
        ReminderStatus.PENDING
    }


def worker_env(broker: str) -> dict[str, str]:
    """What a real worker process needs to share this test's database and use its own Redis as the broker."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": broker,
        "PYTHONUNBUFFERED": "1",
    }
