"""The notifications page, the header count, e-mail choices and the unsubscribe link."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.emails import unsubscribe_token
from apps.notifications.models import EmailOptOut, NotificationPreference, Reminder, ReminderStatus
from apps.notifications.services import schedule
from tests.conftest import signed_in

from .conftest import goal_context, rater_context

pytestmark = pytest.mark.django_db


def remind(user: User, key: str, *, hours_ago: float = 1, url: str = "/profile/") -> Reminder:
    return schedule(
        recipient=user,
        kind="goal_due_14d",
        due_at=timezone.now() - timedelta(hours=hours_ago),
        dedupe_key=key,
        context=goal_context(url=url),
    )


def test_the_list_shows_my_due_reminders_only(owner: User, colleague: User) -> None:
    remind(owner, "mine")
    remind(owner, "future", hours_ago=-5)
    remind(colleague, "theirs")
    Reminder.objects.filter(dedupe_key="mine").update(status=ReminderStatus.SENT)
    body = signed_in(owner).get(reverse("notifications:list")).content.decode()
    assert body.count("Chair a board sub-committee") == 1
    assert reverse("notifications:open", args=[Reminder.objects.get(dedupe_key="theirs").pk]) not in body


def test_the_header_counts_unread_notifications(owner: User) -> None:
    remind(owner, "a")
    remind(owner, "b")
    body = signed_in(owner).get(reverse("core:dashboard")).content.decode()
    assert "2 unread" in body


def test_opening_marks_read_and_goes_to_the_page(owner: User) -> None:
    reminder = remind(owner, "a", url="/profile/")
    response = signed_in(owner).post(reverse("notifications:open", args=[reminder.pk]))
    assert response.status_code == 302 and response.url == "/profile/"
    reminder.refresh_from_db()
    assert reminder.read_at is not None


def test_opening_never_leaves_the_portal(owner: User) -> None:
    reminder = remind(owner, "a", url="https://evil.example.com/")
    response = signed_in(owner).post(reverse("notifications:open", args=[reminder.pk]))
    assert response.url == reverse("notifications:list")


def test_someone_elses_notification_is_404_and_unchanged(owner: User, colleague: User) -> None:
    reminder = remind(colleague, "theirs")
    response = signed_in(owner).post(reverse("notifications:open", args=[reminder.pk]))
    assert response.status_code == 404
    reminder.refresh_from_db()
    assert reminder.read_at is None


def test_opening_needs_post(owner: User) -> None:
    reminder = remind(owner, "a")
    assert signed_in(owner).get(reverse("notifications:open", args=[reminder.pk])).status_code == 405


def test_mark_all_read_touches_only_mine(owner: User, colleague: User) -> None:
    remind(owner, "a")
    remind(colleague, "b")
    signed_in(owner).post(reverse("notifications:mark_all_read"))
    assert Reminder.objects.get(dedupe_key="a").read_at is not None
    assert Reminder.objects.get(dedupe_key="b").read_at is None


def test_list_query_count_is_constant(owner: User, django_assert_num_queries: object) -> None:
    for i in range(40):
        remind(owner, f"r{i}")
    client = signed_in(owner)
    client.get(reverse("notifications:list"))
    # 1. the session  2. the user  3. the count of due reminders  4. their page  5. roles and 6. unread count
    # for the layout
    with django_assert_num_queries(6):  # type: ignore[operator]
        assert client.get(reverse("notifications:list")).status_code == 200


def test_pages_need_sign_in(client: Client) -> None:
    for name in ("notifications:list", "notifications:preferences"):
        assert client.get(reverse(name)).status_code == 302


def test_choices_are_saved(owner: User) -> None:
    client = signed_in(owner)
    form = client.get(reverse("notifications:preferences")).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data["goal_due_14d"] = "digest"
    data["mentoring_no_meeting_90d"] = "off"
    assert client.post(reverse("notifications:preferences"), data).status_code == 302
    modes = dict(NotificationPreference.objects.filter(user=owner).values_list("kind", "mode"))
    assert modes["goal_due_14d"] == "digest" and modes["mentoring_no_meeting_90d"] == "off"
    assert "rater_invitation" not in modes  # not a member's kind


def test_a_bad_choice_changes_nothing(owner: User) -> None:
    client = signed_in(owner)
    response = client.post(reverse("notifications:preferences"), {"goal_due_14d": "hourly"})
    assert response.status_code == 400
    assert "Choose immediately, in a daily summary, or off" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=owner).exists()


def test_unsubscribe_asks_first_then_turns_the_kind_off(client: Client, owner: User) -> None:
    url = reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(user_id=owner.pk, email="", kind="goal_overdue")]
    )
    assert "Stop these e-mails" in client.get(url).content.decode()
    assert not NotificationPreference.objects.exists()  # a GET (a mail scanner) changes nothing
    assert client.post(url, {"scope": "kind"}).status_code == 200
    assert NotificationPreference.objects.get(user=owner, kind="goal_overdue").mode == "off"


def test_one_click_unsubscribe_from_a_mail_client(owner: User) -> None:
    url = reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(user_id=owner.pk, email="", kind="goal_overdue")]
    )
    client = Client(enforce_csrf_checks=True)  # mail clients send no CSRF token (RFC 8058)
    response = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=owner, kind="goal_overdue").mode == "off"


def test_a_rater_can_stop_everything(client: Client) -> None:
    schedule(
        email="rater@example.org", kind="rater_nudge", due_at=timezone.now(), dedupe_key="r", context=rater_context()
    )
    token = unsubscribe_token(user_id=None, email="rater@example.org", kind="rater_nudge")
    client.post(reverse("notifications:unsubscribe", args=[token]), {"scope": "all"})
    assert EmailOptOut.objects.filter(email="rater@example.org", kind="").exists()


@pytest.mark.parametrize("token", ["not-a-token", "eyJrIjoiZ29hbF9vdmVyZHVlIiwidSI6MX0:1abc:forged"])
def test_a_tampered_unsubscribe_link_is_refused_and_changes_nothing(client: Client, owner: User, token: str) -> None:
    url = reverse("notifications:unsubscribe", args=[token])
    for response in (client.get(url), client.post(url, {"scope": "all"})):
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert not NotificationPreference.objects.exists() and not EmailOptOut.objects.exists()


def test_a_token_for_another_kind_cannot_be_made_by_editing(client: Client, owner: User) -> None:
    token = unsubscribe_token(user_id=owner.pk, email="", kind="goal_overdue")
    forged = token.replace(token.split(":")[0], token.split(":")[0][:-2] + "AA", 1)
    assert client.post(reverse("notifications:unsubscribe", args=[forged])).status_code == 400


def test_a_daily_summary_link_stops_every_kind(client: Client, owner: User) -> None:
    from apps.notifications.emails import ALL_KINDS
    from apps.notifications.kinds import member_kinds

    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id=owner.pk, email="", kind=ALL_KINDS)])
    assert "Stop all e-mails" in client.get(url).content.decode()
    client.post(url)
    modes = dict(NotificationPreference.objects.filter(user=owner).values_list("kind", "mode"))
    assert modes == {kind.code: "off" for kind in member_kinds()}
