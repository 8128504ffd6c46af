"""Administrators see failed reminders and send them again."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.models import Reminder, ReminderStatus
from apps.notifications.services import NotificationError, reminder_retry, schedule
from tests.factories import UserFactory

from .conftest import goal_context

pytestmark = pytest.mark.django_db


def failed_reminder(user: User) -> Reminder:
    reminder = schedule(
        recipient=user, kind="goal_overdue", due_at=timezone.now(), dedupe_key="g", context=goal_context()
    )
    Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.FAILED, attempts=5, last_error="refused")
    reminder.refresh_from_db()
    return reminder


def test_retrying_a_failed_reminder_starts_it_over(owner: User) -> None:
    reminder = reminder_retry(reminder=failed_reminder(owner), now=timezone.now())
    assert (reminder.status, reminder.attempts) == (ReminderStatus.PENDING, 0)


def test_only_failed_reminders_can_be_retried(owner: User) -> None:
    reminder = schedule(
        recipient=owner, kind="goal_overdue", due_at=timezone.now(), dedupe_key="g", context=goal_context()
    )
    with pytest.raises(NotificationError, match="Only a failed reminder"):
        reminder_retry(reminder=reminder, now=timezone.now())


def test_the_admin_lists_failed_reminders_and_retries_them(owner: User) -> None:
    reminder = failed_reminder(owner)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    listing = client.get(reverse("admin:notifications_reminder_changelist"), {"status__exact": "failed"})
    assert "refused" in listing.content.decode()
    client.post(
        reverse("admin:notifications_reminder_changelist"),
        {"action": "retry_failed", "_selected_action": [reminder.pk]},
    )
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.PENDING


def test_members_cannot_reach_the_admin(owner: User) -> None:
    client = Client()
    client.force_login(owner)
    response = client.get(reverse("admin:notifications_reminder_changelist"))
    assert response.status_code == 302 and "login" in response.url


def test_the_portal_administrator_sees_and_retries_failed_reminders(owner: User, administrator: User) -> None:
    from tests.conftest import signed_in

    reminder = failed_reminder(owner)
    client = signed_in(administrator)
    body = client.get(reverse("notifications:failed")).content.decode()
    assert "refused" in body and owner.email in body
    response = client.post(reverse("notifications:retry", args=[reminder.pk]), follow=True)
    assert "will be sent again" in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.PENDING


def test_retrying_a_reminder_that_has_not_failed_says_so(owner: User, administrator: User) -> None:
    from tests.conftest import signed_in

    reminder = schedule(
        recipient=owner, kind="goal_overdue", due_at=timezone.now(), dedupe_key="ok", context=goal_context()
    )
    response = signed_in(administrator).post(reverse("notifications:retry", args=[reminder.pk]), follow=True)
    assert "Only a failed reminder can be retried" in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.PENDING and reminder.attempts == 0


def test_failed_reminders_are_for_administrators_only(owner: User, organiser: User) -> None:
    from tests.conftest import signed_in

    reminder = failed_reminder(owner)
    for user in (owner, organiser):
        assert signed_in(user).get(reverse("notifications:failed")).status_code == 403
        assert signed_in(user).post(reverse("notifications:retry", args=[reminder.pk])).status_code == 403
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.FAILED


def test_retrying_an_unknown_reminder_is_404(administrator: User) -> None:
    from tests.conftest import signed_in

    assert signed_in(administrator).post(reverse("notifications:retry", args=[999999])).status_code == 404


def test_failed_list_query_count_is_constant(
    owner: User, administrator: User, django_assert_num_queries: object
) -> None:
    from tests.conftest import signed_in

    for i in range(30):
        r = schedule(
            recipient=owner, kind="goal_overdue", due_at=timezone.now(), dedupe_key=f"f{i}", context=goal_context()
        )
        Reminder.objects.filter(pk=r.pk).update(status=ReminderStatus.FAILED)
    client = signed_in(administrator)
    client.get(reverse("notifications:failed"))
    # 1. the session  2. the user  3. roles  4. the count of failed reminders  5. their page, with recipients
    # 6. unread count for the layout
    with django_assert_num_queries(6):  # type: ignore[operator]
        assert client.get(reverse("notifications:failed")).status_code == 200
