"""`notifications_bench` sends only the rows it made: a real reminder due in the same database stays pending
(a run on a database with real reminders once marked 24 of them sent to its in-memory backend)."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from apps.accounts.models import User
from apps.notifications.models import Reminder, ReminderStatus
from apps.notifications.services import schedule

from .conftest import goal_context

pytestmark = pytest.mark.django_db


def test_the_benchmark_dispatches_its_own_rows_and_leaves_real_ones_pending(owner: User, now: datetime) -> None:
    real = schedule(
        recipient=owner, kind="goal_due_14d", due_at=now - timedelta(hours=1), dedupe_key="real", context=goal_context()
    )
    out = StringIO()
    call_command("notifications_bench", count=30, batch_size=10, mark_every=5, stdout=out)
    assert "sent:                     30 in" in out.getvalue()
    real.refresh_from_db()
    assert real.status == ReminderStatus.PENDING
    assert list(Reminder.objects.values_list("dedupe_key", flat=True)) == ["real"]  # its own rows deleted
    assert not any(owner.email in message.to for message in mail.outbox)
