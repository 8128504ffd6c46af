"""What members receive: the invitation, the reminder the day before, and news of a move or a cancellation, each an
e-mail with an .ics read back with `icalendar`: one UID per meeting, a SEQUENCE that rises with each change, and a
cancellation that calendars apply (METHOD:CANCEL, STATUS:CANCELLED)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from apps.accounts.models import User
from apps.networks.models import NetworkMeeting
from apps.networks.services.meetings import agenda_set, meeting_cancel, meeting_move
from apps.notifications.dispatch import dispatch_due

from .support import MEETING_ENDS, MEETING_STARTS, join, make_network, md, network_organiser, propose, schedule

pytestmark = pytest.mark.django_db


def _calendar(message: mail.EmailMessage) -> Calendar:
    files = [a for a in message.attachments if a[0].endswith(".ics")]
    assert len(files) == 1
    return Calendar.from_ical(files[0][1])


def _event(message: mail.EmailMessage):  # type: ignore[no-untyped-def]
    return next(iter(_calendar(message).walk("VEVENT")))


def _sent(kind_subject: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if kind_subject in m.subject]


@pytest.fixture
def world() -> tuple[User, User, NetworkMeeting]:
    organiser = network_organiser()
    network = make_network(organiser)
    member = md("member@example.org")
    join(network, member)
    return organiser, member, schedule(network, organiser)


def test_the_invitation_the_move_and_the_cancellation_update_one_calendar_event(
    world: tuple[User, User, NetworkMeeting],
) -> None:
    organiser, member, meeting = world
    start = meeting.created_at
    with time_machine.travel(start + timedelta(minutes=3), tick=False):
        dispatch_due()
    invitation = _sent("A meeting of North West MD network")
    assert [m.to for m in invitation] == [[member.email]]
    event = _event(invitation[0])
    uid = str(event["UID"])
    assert uid.startswith(f"network-meeting-{meeting.pk}@")
    assert (int(event["SEQUENCE"]), event.decoded("DTSTART")) == (0, MEETING_STARTS)
    assert str(_calendar(invitation[0])["METHOD"]) == "PUBLISH"

    with time_machine.travel(start + timedelta(minutes=10), tick=False) as clock:
        meeting_move(
            meeting=meeting,
            actor=organiser,
            starts_at=MEETING_STARTS + timedelta(days=7),
            ends_at=MEETING_ENDS + timedelta(days=7),
            place="Salford Quays",
            online_url="",
            now=start + timedelta(minutes=10),
        )
        clock.shift(timedelta(minutes=3))
        dispatch_due()
    moved = _sent("has moved")
    assert [m.to for m in moved] == [[member.email]]
    event = _event(moved[0])
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (uid, 1)
    assert event.decoded("DTSTART") == MEETING_STARTS + timedelta(days=7)
    assert "Salford Quays" in moved[0].body

    with time_machine.travel(start + timedelta(minutes=20), tick=False) as clock:
        meeting_cancel(meeting=meeting, actor=organiser, now=start + timedelta(minutes=20))
        clock.shift(timedelta(minutes=3))
        dispatch_due()
    cancelled = _sent("is cancelled")
    assert [m.to for m in cancelled] == [[member.email]]
    calendar = _calendar(cancelled[0])
    event = next(iter(calendar.walk("VEVENT")))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert (str(event["UID"]), int(event["SEQUENCE"]), str(event["STATUS"])) == (uid, 2, "CANCELLED")
    assert not [m for m in mail.outbox if m.to == [organiser.email]]  # the organiser made each change


def test_the_reminder_the_day_before_carries_the_agenda(world: tuple[User, User, NetworkMeeting]) -> None:
    organiser, member, meeting = world
    topic = propose(meeting, member, "Revalidation backlog")
    agenda_set(
        meeting=meeting,
        actor=organiser,
        topic_ids=[topic.pk],
        other_items=["Any other business"],
        now=meeting.created_at,
    )
    with time_machine.travel(MEETING_STARTS - timedelta(days=1, minutes=-1), tick=False):
        dispatch_due()
    reminders = _sent("Reminder: North West MD network meets")
    assert sorted(m.to[0] for m in reminders) == sorted([member.email, organiser.email])
    description = str(_event(reminders[0])["DESCRIPTION"])
    assert "1. Revalidation backlog" in description and "2. Any other business" in description
