"""schedule_many: the same outcome as schedule() called for each, in a few queries however many."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.models import Reminder, ReminderStatus
from apps.notifications.services import NotificationError, Scheduled, schedule, schedule_many
from tests.factories import UserFactory

from .conftest import goal_context

pytestmark = pytest.mark.django_db


def item(user: User, key: str, days: int = 3) -> Scheduled:
    return Scheduled(
        kind="goal_due_14d", recipient=user, due_at=timezone.now() + timedelta(days=days), dedupe_key=key,
        context=goal_context(),
    )  # fmt: skip


def test_many_reminders_in_a_constant_number_of_queries(owner: User, django_assert_num_queries: object) -> None:
    people = [UserFactory() for _ in range(40)]
    items = [item(person, f"goal:{n}:{person.pk}") for n, person in enumerate(people * 5)]
    # 1. savepoint  2. the reminders that exist already  3. savepoint for the insert  4. one insert of them all
    # 5. its release  6. the outer release
    with django_assert_num_queries(6):  # type: ignore[operator]
        assert schedule_many(items) == 200
    assert Reminder.objects.filter(status=ReminderStatus.PENDING).count() == 200


def test_the_same_rules_as_schedule(owner: User, colleague: User) -> None:
    moved = schedule(**vars(item(owner, "moved", days=3)))
    sent = schedule(**vars(item(owner, "sent", days=3)))
    Reminder.objects.filter(pk=sent.pk).update(status=ReminderStatus.SENT)
    cancelled = schedule(**vars(item(owner, "cancelled", days=3)))
    Reminder.objects.filter(pk=cancelled.pk).update(status=ReminderStatus.CANCELLED)

    assert schedule_many(
        [item(owner, "moved", days=5), item(owner, "sent", days=5), item(owner, "cancelled", days=6),
         item(owner, "twice", days=1), item(owner, "twice", days=2)]
    ) == 3  # fmt: skip
    moved.refresh_from_db()
    assert moved.due_at.date() == (timezone.now() + timedelta(days=5)).date()
    assert Reminder.objects.get(dedupe_key="sent").status == ReminderStatus.SENT
    assert Reminder.objects.get(dedupe_key="cancelled").status == ReminderStatus.PENDING
    assert Reminder.objects.get(dedupe_key="twice").due_at.date() == (timezone.now() + timedelta(days=2)).date()

    before = Reminder.objects.count()
    with pytest.raises(NotificationError, match="belongs to another reminder"):
        schedule_many([item(colleague, "brand-new"), item(colleague, "moved")])
    assert Reminder.objects.count() == before and not Reminder.objects.filter(dedupe_key="brand-new").exists()
