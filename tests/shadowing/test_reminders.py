"""The e-mails both people get, read from the test outbox as a worker sends them: asked, accepted with a date,
the day before, and "how did it go?" the day after; and, when the offerer closes their account, that what they
agreed will not happen."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.models import Reminder
from apps.shadowing.models import ShadowingRequest
from apps.shadowing.services import shadowing_leave
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


def test_when_the_offerer_closes_their_account_whoever_they_said_yes_to_is_told(owner: User, colleague: User) -> None:
    md = person_in_role("md@example.org")
    day = timezone.localdate() + timedelta(days=10)
    dated = accepted(make_offer(md), owner, agreed_on=day)
    accepted(make_offer(md, kind="conversation"), colleague)  # yes, with no date yet
    sent()

    shadowing_leave(person=md, now=timezone.now())
    send_outbox()
    told = {m.to[0]: m for m in mail.outbox}
    mail.outbox.clear()
    assert set(told) == {owner.email, colleague.email}
    assert told[owner.email].subject == f"Stepping Up: A shadowing day with {md.full_name} will not happen"
    assert told[colleague.email].subject == f"Stepping Up: A conversation with {md.full_name} will not happen"
    assert f"{md.full_name} has closed their account" in told[owner.email].body
    assert f"on {day:%A} {day.day} {day:%B %Y} will not happen" in told[owner.email].body
    assert "http://127.0.0.1:8000/talk-to-someone/" in told[owner.email].body
    assert f"/requests/{dated.pk}/" not in told[owner.email].body  # the request goes with the account
    assert md.email not in told[owner.email].body

    md.delete()
    with time_machine.travel(datetime.combine(day - timedelta(days=1), time(9, 1), tzinfo=LONDON)):
        assert sent() == []  # no "tomorrow" for a day that will not come
    with time_machine.travel(datetime.combine(day + timedelta(days=1), time(9, 1), tzinfo=LONDON)):
        assert sent() == []


def test_a_day_that_has_passed_is_not_called_off(owner: User) -> None:
    md = person_in_role("md@example.org")
    request = accepted(make_offer(md), owner, agreed_on=timezone.localdate() + timedelta(days=3))
    ShadowingRequest.objects.filter(pk=request.pk).update(agreed_on=timezone.localdate() - timedelta(days=2))
    sent()
    shadowing_leave(person=md, now=timezone.now())
    assert sent() == []
    assert not Reminder.objects.filter(kind="shadowing_offerer_left").exists()
