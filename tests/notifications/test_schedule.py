"""The service API every app uses: schedule, move, cancel. Bad input schedules nothing."""

from datetime import datetime, timedelta

import pytest

from apps.accounts.models import User
from apps.notifications.models import Reminder, ReminderStatus
from apps.notifications.services import NotificationError, cancel, cancel_all, schedule
from tests.factories import UserFactory

from .conftest import goal_context, rater_context

pytestmark = pytest.mark.django_db


def test_scheduling_the_same_key_twice_keeps_one_reminder(owner: User, now: datetime) -> None:
    first = schedule(recipient=owner, kind="goal_due_14d", due_at=now, dedupe_key="goal:1:14d", context=goal_context())
    again = schedule(recipient=owner, kind="goal_due_14d", due_at=now, dedupe_key="goal:1:14d", context=goal_context())
    assert first.pk == again.pk
    assert Reminder.objects.count() == 1


def test_moving_an_event_moves_its_pending_reminder(owner: User, now: datetime) -> None:
    schedule(recipient=owner, kind="goal_due_14d", due_at=now, dedupe_key="goal:1:14d", context=goal_context())
    later = now + timedelta(days=3)
    moved = schedule(
        recipient=owner,
        kind="goal_due_14d",
        due_at=later,
        dedupe_key="goal:1:14d",
        context=goal_context(due_on="2026-12-10"),
    )
    assert (moved.due_at, moved.next_attempt_at, moved.context["due_on"]) == (later, later, "2026-12-10")


def test_a_sent_reminder_is_not_sent_again_under_the_same_key(owner: User, now: datetime) -> None:
    reminder = schedule(
        recipient=owner, kind="goal_due_14d", due_at=now, dedupe_key="goal:1:14d", context=goal_context()
    )
    Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.SENT)
    again = schedule(
        recipient=owner,
        kind="goal_due_14d",
        due_at=now + timedelta(days=1),
        dedupe_key="goal:1:14d",
        context=goal_context(),
    )
    assert again.status == ReminderStatus.SENT and again.due_at == now


def test_cancel_and_cancel_all(owner: User, now: datetime) -> None:
    for key in ("session:7:7d", "session:7:24h", "session:8:7d"):
        schedule(recipient=owner, kind="goal_due_14d", due_at=now, dedupe_key=key, context=goal_context())
    assert cancel(dedupe_key="session:8:7d") is True
    assert cancel(dedupe_key="no-such-key") is False
    assert cancel_all(prefix="session:7:") == 2
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.CANCELLED}


def test_a_cancelled_reminder_comes_back_when_scheduled_again(owner: User, now: datetime) -> None:
    schedule(recipient=owner, kind="goal_due_14d", due_at=now, dedupe_key="g", context=goal_context())
    cancel(dedupe_key="g")
    assert (
        schedule(recipient=owner, kind="goal_due_14d", due_at=now, dedupe_key="g", context=goal_context()).status
        == ReminderStatus.PENDING
    )


def test_a_rater_without_an_account_is_reminded_by_address(now: datetime) -> None:
    reminder = schedule(
        email="Rater@Example.org", kind="rater_invitation", due_at=now, dedupe_key="rater:1", context=rater_context()
    )
    assert reminder.email == "rater@example.org" and reminder.recipient is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "carrier_pigeon"}, "is not a kind of reminder"),
        ({"due_at": datetime(2026, 11, 23, 10, 0)}, "no time zone"),  # noqa: DTZ001 - the naive datetime under test
        ({"context": {"goal_title": "x"}}, "needs: due_on, url"),
        ({"recipient": None}, "Give either a recipient"),
        ({"recipient": None, "email": "someone@example.org"}, "go to members"),
        ({"email": "also@example.org"}, "Give either a recipient"),
    ],
)
def test_bad_input_schedules_nothing(owner: User, now: datetime, changes: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {
        "recipient": owner,
        "kind": "goal_due_14d",
        "due_at": now,
        "dedupe_key": "k",
        "context": goal_context(),
    }
    with pytest.raises(NotificationError, match=message):
        schedule(**{**arguments, **changes})  # type: ignore[arg-type]
    assert not Reminder.objects.exists()


def test_a_recipient_without_an_address_is_refused(now: datetime) -> None:
    nobody = UserFactory(email="", verified=False)
    with pytest.raises(NotificationError, match="no e-mail address"):
        schedule(recipient=nobody, kind="goal_due_14d", due_at=now, dedupe_key="k", context=goal_context())
    assert not Reminder.objects.exists()


def test_a_bad_rater_address_is_refused(now: datetime) -> None:
    with pytest.raises(NotificationError, match="is not an e-mail address"):
        schedule(email="not-an-address", kind="rater_nudge", due_at=now, dedupe_key="k", context=rater_context())


def test_a_key_cannot_be_reused_for_someone_else(owner: User, colleague: User, now: datetime) -> None:
    schedule(recipient=owner, kind="goal_due_14d", due_at=now, dedupe_key="k", context=goal_context())
    with pytest.raises(NotificationError, match="belongs to another reminder"):
        schedule(recipient=colleague, kind="goal_due_14d", due_at=now, dedupe_key="k", context=goal_context())


def test_short_cancel_prefix_is_refused() -> None:
    with pytest.raises(NotificationError, match="longer key prefix"):
        cancel_all(prefix="s")


def test_an_account_email_goes_to_the_address_it_is_about_not_to_an_account(owner: User, now: datetime) -> None:
    context = {"subject": "[Stepping Up] Confirm your e-mail address", "heading": "h", "text": "t", "html": ""}
    with pytest.raises(NotificationError, match="go to the address they are about"):
        schedule(recipient=owner, kind="account_email", due_at=now, dedupe_key="account:1", context=context)
    assert not Reminder.objects.exists()
