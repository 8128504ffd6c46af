"""Account e-mails (confirm an address, reset a password) leave through the notifications outbox: a request
writes one outbox row and never talks to the mail server, so a refusing mail server costs no 500 and no
half-made account; the dispatcher sends the e-mail and retries a refusal; the link inside is never shown to
administrators and is gone from the row once sent."""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.emails import unsubscribe_token
from apps.notifications.models import EmailOptOut, NotificationPreference, Reminder, ReminderStatus
from tests.conftest import signed_in
from tests.factories import UserFactory
from tests.support.mail_backends import RefusingBackend
from tests.support.outbox import send_outbox

pytestmark = pytest.mark.django_db

STRONG = "a-long-and-unusual-passphrase-17"
ADDRESS = "new.doctor@example.org"
REFUSING = "tests.support.mail_backends.RefusingBackend"
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/account/confirm-email/[^\s]+/)")
RESET_LINK = re.compile(r"/account/password/reset/key/[^\s]+/")


@pytest.fixture(autouse=True)
def _fresh_rate_limits_and_counts() -> Iterator[None]:
    cache.clear()
    RefusingBackend.offered = 0
    yield


def sign_up(client: Client, email: str = ADDRESS) -> object:
    return client.post(reverse("account_signup"), {"email": email, "password1": STRONG, "password2": STRONG})


def account_emails() -> list[Reminder]:
    return list(Reminder.objects.filter(kind="account_email").order_by("id"))


def test_sign_up_writes_one_outbox_row_and_sends_nothing_in_the_request(
    client: Client, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        response = sign_up(client)

    assert response.status_code == 302
    (row,) = account_emails()
    assert (row.email, row.recipient, row.status, row.attempts) == (ADDRESS, None, ReminderStatus.PENDING, 0)
    assert row.context["subject"] == "[Stepping Up] Confirm your e-mail address"
    assert CONFIRM_LINK.search(row.context["text"])
    assert row.dedupe_key.startswith("account:")
    assert not mail.outbox  # nothing reached the mail server while the person waited
    # After commit, a worker is asked to send it now rather than at the next minute's run.
    assert [c.__name__ for c in callbacks] == ["_dispatch_soon"]


def test_an_account_email_asked_for_in_a_transaction_that_rolls_back_never_existed() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        get_adapter().send_mail(
            "account/email/password_reset_key", ADDRESS, {"password_reset_url": "http://x/reset/", "user": None}
        )
        assert len(account_emails()) == 1
        raise RuntimeError("the sign-up failed after asking for the e-mail")
    assert not account_emails()


def test_the_dispatcher_sends_it_as_allauth_wrote_it_and_the_link_confirms(client: Client) -> None:
    sign_up(client)
    report = send_outbox()

    assert report.sent == 1
    (message,) = mail.outbox
    assert message.to == [ADDRESS]
    assert message.subject == "[Stepping Up] Confirm your e-mail address"
    assert message.body.startswith("Hello from Stepping Up,")
    # Security mail: nothing in it stops it, and it is not a reminder one can turn off.
    assert "List-Unsubscribe" not in message.extra_headers
    assert "/notifications/" not in message.body
    html = message.alternatives[0].content
    found = CONFIRM_LINK.search(message.body)
    assert found
    link, path = found.group(0), found.group(1)
    assert f'href="{link}"' in str(html)
    assert "<h1" in str(html) and ">Confirm your e-mail address</h1>" in str(html)
    assert "/notifications/" not in str(html)

    response = client.post(path)
    assert response.status_code == 302 and response.url == reverse("profiles:edit")
    assert EmailAddress.objects.get(email=ADDRESS).verified
    # Once sent, the row keeps no copy of the link.
    (row,) = account_emails()
    assert row.status == ReminderStatus.SENT and row.context == {}


@override_settings(EMAIL_BACKEND=REFUSING)
def test_sign_up_with_the_mail_server_refusing_makes_the_account_and_says_the_email_is_coming(
    client: Client,
) -> None:
    response = sign_up(client)

    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    assert RefusingBackend.offered == 0
    user = User.objects.get(email=ADDRESS)  # the whole account, with its address waiting to be confirmed
    assert not user.emailaddress_set.get().verified
    page = client.get(response.url).content.decode()
    assert "We are sending you an e-mail with a link" in page

    report = send_outbox()

    assert (report.sent, report.retrying, RefusingBackend.offered) == (0, 1, 1)
    (row,) = account_emails()
    assert (row.status, row.attempts) == (ReminderStatus.PENDING, 1)
    assert "451" in row.last_error
    assert timedelta(seconds=50) < row.next_attempt_at - timezone.now() <= timedelta(minutes=1)
    page = client.get(response.url).content.decode()
    assert "We could not send you the e-mail with the link yet" in page
    assert "It will be sent shortly" in page
    assert "sign in</a> with your e-mail address and password" in page  # how to ask for it again


def test_a_refused_account_email_goes_out_when_the_mail_server_takes_it_again(client: Client) -> None:
    with override_settings(EMAIL_BACKEND=REFUSING):
        sign_up(client)
        send_outbox()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        report = send_outbox()
        page = client.get(reverse("account_email_verification_sent")).content.decode()

    assert report.sent == 1
    assert "We have sent you an e-mail with a link" in page
    path = CONFIRM_LINK.search(mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    client.post(path)
    assert EmailAddress.objects.get(email=ADDRESS).verified


@override_settings(EMAIL_BACKEND=REFUSING)
def test_an_account_email_refused_every_time_fails_and_the_page_says_so(client: Client) -> None:
    sign_up(client)
    moment = timezone.now()
    for wait in (0, 1, 5, 30, 120):  # minutes: the dispatcher's back-off between the five attempts
        moment += timedelta(minutes=wait, seconds=1)
        with time_machine.travel(moment):
            send_outbox()

    (row,) = account_emails()
    assert (row.status, row.attempts) == (ReminderStatus.FAILED, 5)
    page = client.get(reverse("account_email_verification_sent")).content.decode()
    assert "We could not send you the e-mail with the link:" in page


@override_settings(EMAIL_BACKEND=REFUSING)
def test_password_reset_with_the_mail_server_refusing_answers_check_your_email(client: Client) -> None:
    UserFactory(email="forgot@example.org")

    response = client.post(reverse("account_reset_password"), {"email": "forgot@example.org"})

    assert response.status_code == 302 and response.url == reverse("account_reset_password_done")
    assert "Check your e-mail" in client.get(response.url).content.decode()
    assert RefusingBackend.offered == 0
    (row,) = account_emails()
    assert RESET_LINK.search(row.context["text"])
    assert send_outbox().retrying == 1


def test_sign_in_before_confirming_sends_the_email_again(client: Client) -> None:
    sign_up(client)
    send_outbox()
    # allauth sends at most one per address every three minutes; the first link stays good meanwhile.
    with time_machine.travel(timezone.now() + timedelta(minutes=4)):
        response = Client().post(reverse("account_login"), {"login": ADDRESS, "password": STRONG})
        send_outbox()

    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    assert len(account_emails()) == 2
    assert [m.to for m in mail.outbox] == [[ADDRESS], [ADDRESS]]
    assert CONFIRM_LINK.search(mail.outbox[1].body)


def test_a_member_can_have_a_confirmation_sent_again_from_their_addresses(owner: User) -> None:
    client = signed_in(owner)
    client.post(reverse("account_email"), {"action_add": "", "email": "second@example.org"})
    send_outbox()
    with time_machine.travel(timezone.now() + timedelta(minutes=4)):
        response = client.post(reverse("account_email"), {"action_send": "", "email": "second@example.org"})
        send_outbox()

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["second@example.org"], ["second@example.org"]]
    # The e-mail goes to the address being confirmed, not to the account's current one.
    assert {r.email for r in account_emails()} == {"second@example.org"}
    path = CONFIRM_LINK.search(mail.outbox[1].body).group(1)  # type: ignore[union-attr]
    client.post(path)
    assert EmailAddress.objects.get(email="second@example.org").verified


def test_no_choice_or_opt_out_holds_back_an_account_email(client: Client) -> None:
    user = UserFactory(email="forgot@example.org")
    EmailOptOut.objects.create(email="forgot@example.org", kind="")  # once a rater who stopped everything
    NotificationPreference.objects.create(user=user, kind="account_email", mode="off")  # not offered; if it were

    client.post(reverse("account_reset_password"), {"email": "forgot@example.org"})
    report = send_outbox()

    assert (report.sent, report.skipped, report.digested) == (1, 0, 0)
    assert RESET_LINK.search(mail.outbox[0].body)


def test_an_unsubscribe_link_cannot_stop_account_emails(client: Client) -> None:
    token = unsubscribe_token(user_id=None, email=ADDRESS, kind="account_email")
    url = reverse("notifications:unsubscribe", args=[token])
    assert client.get(url).status_code == 400
    assert client.post(url).status_code == 400
    assert not EmailOptOut.objects.exists()


def test_account_emails_are_not_offered_as_an_email_choice(owner: User) -> None:
    page = signed_in(owner).get(reverse("notifications:preferences")).content.decode()
    assert "account_email" not in page and "Account e-mail" not in page


@override_settings(EMAIL_BACKEND=REFUSING)
def test_administrators_never_see_a_password_reset_link(client: Client, administrator: User) -> None:
    UserFactory(email="forgot@example.org")
    client.post(reverse("account_reset_password"), {"email": "forgot@example.org"})
    (row,) = account_emails()
    link = RESET_LINK.search(row.context["text"]).group(0)  # type: ignore[union-attr]
    key = link.rstrip("/").rsplit("/", 1)[1]
    Reminder.objects.filter(pk=row.pk).update(status=ReminderStatus.FAILED, attempts=5, last_error="451 refused")
    superuser = signed_in(UserFactory(is_staff=True, is_superuser=True))

    pages = {
        "failed": signed_in(administrator).get(reverse("notifications:failed")),
        "admin list": superuser.get(reverse("admin:notifications_reminder_changelist")),
        "admin search": superuser.get(reverse("admin:notifications_reminder_changelist"), {"q": "forgot"}),
        "admin change": superuser.get(reverse("admin:notifications_reminder_change", args=[row.pk])),
    }

    for name, response in pages.items():
        body = response.content.decode()
        assert response.status_code == 200, name
        assert "forgot@example.org" in body, name  # the row is there
        assert key not in body and "/password/reset/key/" not in body, name  # its link is not
    assert "Not shown: it holds a private link" in pages["admin change"].content.decode()


def test_saving_an_account_email_in_the_admin_keeps_its_context() -> None:
    """The admin form leaves the hidden context out, so saving the row cannot blank an e-mail still to send."""
    get_adapter().send_mail("account/email/password_reset_key", ADDRESS, {"password_reset_url": "http://x/k/"})
    (row,) = account_emails()
    superuser = signed_in(UserFactory(is_staff=True, is_superuser=True))
    form = superuser.get(reverse("admin:notifications_reminder_change", args=[row.pk])).context["adminform"].form
    assert "context" not in form.fields
