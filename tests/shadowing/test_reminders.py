"""The e-mails both people get, read from the test outbox as a worker sends them: asked, accepted with a date,
the day before, and "how did it go?" the day after."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from apps.accounts.models import User
from tests.support.outbox import send_outbox

from .support import accepted, make_offer, person_in_role

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def sent() -> list[tuple[str, str]]:
    send_outbox()
    messages = [(m.to[0], m.subject) for m in mail.outbox]
    mail.outbox.clear()
    return messages


def test_each_person_is_told_and_reminded_at_the_right_time(owner: User) -> None:
    md = person_in_role("md@example.org")
    day = timezone.localdate() + timedelta(days=10)
    request = accepted(make_offer(md), owner, agreed_on=day)
    assert sorted(sent()) == [
        (md.email, f"Stepping Up: {owner} asks for a shadowing day with you"),
        (owner.email, f"Stepping Up: {md} said yes to your request"),
    ]
    with time_machine.travel(datetime.combine(day - timedelta(days=1), time(9, 1), tzinfo=LONDON)):
        assert sorted(sent()) == [
            (md.email, f"Stepping Up: A shadowing day with {owner} is tomorrow"),
            (owner.email, f"Stepping Up: A shadowing day with {md} is tomorrow"),
        ]
    with time_machine.travel(datetime.combine(day + timedelta(days=1), time(9, 1), tzinfo=LONDON)):
        send_outbox()
        [message] = mail.outbox
        assert message.to == [owner.email] and message.subject == f"Stepping Up: How did it go with {md}?"
        assert f"/talk-to-someone/requests/{request.pk}/reflection/" in message.body
