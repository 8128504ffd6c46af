"""A member's private calendar feed: an unguessable token, no sign-in, only their own sets' sessions, updated
when a session moves, and dead as soon as they make a new link. Then one end-to-end run through a real Celery
worker and beat: a session reminder e-mailed with its .ics."""

import email
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email.message import Message
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from apps.accounts.models import User
from apps.learning_sets.models import CalendarFeed
from apps.learning_sets.services.feeds import feed_token_get, feed_token_reset
from apps.learning_sets.services.publishing import programme_publish
from apps.learning_sets.services.sessions import session_reschedule
from apps.notifications.models import Reminder, ReminderStatus
from tests.factories import ProfileFactory, grant
from tests.notifications.test_delivery_faults import Rig, rig
from tests.support.processes import Services

from .sets_support import LONDON, NOW, World, add_set, make_facilitator, make_programme, published, sessions_of, world

__all__ = ["published", "rig", "world"]  # fixtures


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def feed_of(person: User) -> tuple[str, Calendar]:
    token = feed_token_get(person=person, now=NOW).token
    response = Client().get(reverse("learning_sets:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return token, Calendar.from_ical(response.content)


def starts(calendar: Calendar) -> list[datetime]:
    return [event.decoded("DTSTART") for event in calendar.walk("VEVENT")]


def test_the_token_is_long_random_and_made_once(published: World) -> None:
    first = feed_token_get(person=published.owner, now=NOW)
    assert len(first.token) >= 43 and first.token.replace("-", "").replace("_", "").isalnum()
    assert feed_token_get(person=published.owner, now=NOW) == first
    assert feed_token_get(person=published.colleague, now=NOW).token != first.token


def test_the_feed_holds_the_members_sessions_and_no_one_elses(published: World, clock: object) -> None:
    _, calendar = feed_of(published.owner)
    assert str(calendar["X-WR-CALNAME"]) == "Stepping Up: action learning sets"
    assert starts(calendar) == [s.starts_at for s in sessions_of(published.set1)]
    event = calendar.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Action learning set: Midlands aspiring MDs 2026, set 1"
    assert "https://meet.example.org/set-1" in str(event["LOCATION"])
    assert str(event["URL"]).endswith(reverse("learning_sets:session", args=[sessions_of(published.set1)[0].pk]))

    _, theirs = feed_of(published.other_member)
    assert starts(theirs) == [s.starts_at for s in sessions_of(published.set2)]
    _, facilitated = feed_of(published.facilitator)
    assert starts(facilitated) == [s.starts_at for s in sessions_of(published.set1)]


def test_someone_in_no_set_gets_an_empty_calendar(published: World) -> None:
    _, calendar = feed_of(published.outsider)
    assert calendar.walk("VEVENT") == []


def test_sets_of_an_unpublished_programme_are_not_in_the_feed(world: World) -> None:
    _, calendar = feed_of(world.owner)
    assert calendar.walk("VEVENT") == []


def test_a_moved_session_moves_in_the_feed_with_a_higher_sequence(published: World, clock: object) -> None:
    session = sessions_of(published.set1)[1]
    _, before = feed_of(published.owner)
    session_reschedule(
        session=session,
        starts_at=datetime(2026, 11, 24, 15, tzinfo=LONDON),
        actor=published.facilitator,
        now=NOW,
    )
    _, after = feed_of(published.owner)
    assert starts(after)[1] == datetime(2026, 11, 24, 15, tzinfo=UTC)
    old, new = before.walk("VEVENT")[1], after.walk("VEVENT")[1]
    assert str(old["UID"]) == str(new["UID"])
    assert int(new["SEQUENCE"]) > int(old.get("SEQUENCE", 0))


def test_an_unknown_token_is_a_404(db: None) -> None:
    assert Client().get(reverse("learning_sets:feed", args=["not-a-token"])).status_code == 404


def test_a_new_link_kills_the_old_one(published: World) -> None:
    old = feed_token_get(person=published.owner, now=NOW).token
    new = feed_token_reset(person=published.owner, now=NOW).token
    assert new != old
    assert Client().get(reverse("learning_sets:feed", args=[old])).status_code == 404
    assert Client().get(reverse("learning_sets:feed", args=[new])).status_code == 200
    assert CalendarFeed.objects.filter(person=published.owner).count() == 1


def test_the_feed_of_a_closed_account_stops(published: World) -> None:
    token = feed_token_get(person=published.owner, now=NOW).token
    User.objects.filter(pk=published.owner.pk).update(is_active=False)
    assert Client().get(reverse("learning_sets:feed", args=[token])).status_code == 404


def test_the_feed_is_read_only(published: World) -> None:
    token = feed_token_get(person=published.owner, now=NOW).token
    assert Client().post(reverse("learning_sets:feed", args=[token])).status_code == 405


def test_the_feed_is_private_to_caches_and_search_engines(published: World) -> None:
    token = feed_token_get(person=published.owner, now=NOW).token
    response = Client().get(reverse("learning_sets:feed", args=[token]))
    assert response["Cache-Control"].startswith("private") and response["X-Robots-Tag"] == "noindex"


# End to end, through real Redis, Celery beat and a worker (the harness of tests/notifications).


def _calendar_part(message: Message) -> Calendar:
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return Calendar.from_ical(payload)


def _delivered(mail_dir: Path) -> list[Message]:
    return [email.message_from_bytes(path.read_bytes()) for path in sorted(mail_dir.iterdir())]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_emails_the_invitation_and_a_session_reminder_with_their_ics(reference_data: None, rig: Rig) -> None:
    organiser = ProfileFactory(user__email="e2e.organiser@example.org").user
    grant(organiser, "organiser")
    member = ProfileFactory(user__email="e2e.member@example.org", user__first_name="Amara").user
    facilitator = make_facilitator("e2e.facilitator@example.org")
    today = timezone.localdate()
    programme = make_programme(
        organiser,
        sessions_count=1,
        applications_open_on=today - timedelta(days=30),
        applications_close_on=today - timedelta(days=1),
        first_sessions_from=today + timedelta(days=14),
        created_at=timezone.now(),
    )
    learning_set = add_set(programme, number=1, slot="wed-14:00", facilitator=facilitator, members=[member])
    programme_publish(programme=programme, actor=organiser, now=timezone.now())
    (session,) = sessions_of(learning_set)
    # As if the time had come: the invitation's (the next beat tick) and a day before the session, the 24-hour
    # reminder's.
    kinds = ["set_placed", "session_upcoming_24h"]
    Reminder.objects.filter(kind__in=kinds).update(due_at=timezone.now(), next_attempt_at=timezone.now())

    services: Services = rig.services
    services.start_beat()
    worker = services.start_worker("worker")

    def both_sent() -> bool:
        return Reminder.objects.filter(kind__in=kinds, status=ReminderStatus.SENT).count() == 2

    services.wait_for(both_sent, "the invitation and the 24-hour reminder to be e-mailed", watch=worker)

    messages = {m["Subject"]: m for m in _delivered(rig.mail_dir)}
    assert len(messages) == 2, list(messages)
    reminder = next(m for s, m in messages.items() if "Reminder: your learning set meets" in s)
    (event,) = _calendar_part(reminder).walk("VEVENT")
    assert event.decoded("DTSTART") == session.starts_at.astimezone(UTC)
    assert str(event["UID"]) == f"learning-set-session-{session.pk}@stepping-up.localhost"
    invitation = next(m for s, m in messages.items() if "You have a place in" in s)
    assert [e.decoded("DTSTART") for e in _calendar_part(invitation).walk("VEVENT")] == [
        session.starts_at.astimezone(UTC)
    ]
    assert reminder["To"] == invitation["To"] == "e2e.member@example.org"
    # The other reminders wait for their time.
    assert set(Reminder.objects.exclude(kind__in=kinds).values_list("status", flat=True)) == {ReminderStatus.PENDING}
    assert date.fromisoformat(str(session.starts_at.date())) >= today + timedelta(days=14)
