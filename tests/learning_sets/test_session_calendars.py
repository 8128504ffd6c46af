"""What people's calendars get from a learning set, read back with the icalendar library: invitations stamped with
the time they are sent, a SEQUENCE that counts the changes, an invitation still waiting in the outbox rewritten
when a session moves or is cancelled, cancellations (METHOD:CANCEL) when a session is called off or a member
leaves, and a feed that leaves cancelled sessions out. Then the cancel page, as everyone who might open it."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from importlib import import_module

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse
from icalendar import Calendar, Event

from apps.learning_sets.models import Apology, Membership, Session
from apps.learning_sets.services import LearningSetError
from apps.learning_sets.services.feeds import feed_token_get
from apps.learning_sets.services.reminders import NEWS_DELAY
from apps.learning_sets.services.sessions import (
    apology_send,
    apology_withdraw,
    attendance_record,
    member_uninvite,
    session_cancel,
    session_reschedule,
)
from apps.notifications.dispatch import dispatch_due
from apps.notifications.models import Reminder, ReminderStatus
from tests.conftest import signed_in

from .sets_support import LONDON, NOW, World, published, sessions_of, world

__all__ = ["published", "world"]  # fixtures

ORGANIZER = "mailto:no-reply@stepping-up.localhost"


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def sent_to(person_email: str, subject_part: str) -> EmailMultiAlternatives:
    (message,) = [m for m in mail.outbox if m.to == [person_email] and subject_part in m.subject]
    assert isinstance(message, EmailMultiAlternatives)
    return message


def attachment(message: EmailMultiAlternatives, filename: str) -> tuple[Calendar, str]:
    """The calendar file and its MIME type."""
    (found,) = [(content, mimetype) for name, content, mimetype in message.attachments if name == filename]
    return Calendar.from_ical(found[0]), found[1]


def events_of(calendar: Calendar) -> list[Event]:
    return list(calendar.walk("VEVENT"))


def deliver_at(clock: time_machine.Traveller, moment: datetime) -> None:
    clock.move_to(moment)
    dispatch_due()


def uid(session: Session) -> str:
    return f"learning-set-session-{session.pk}@stepping-up.localhost"


# DTSTAMP and SEQUENCE in the invitations.


def test_an_invitation_is_stamped_when_it_is_sent_and_names_the_portal_as_organiser(
    published: World, clock: time_machine.Traveller
) -> None:
    sent_at = NOW + NEWS_DELAY + timedelta(seconds=17)
    deliver_at(clock, sent_at)
    calendar, mimetype = attachment(sent_to(published.owner.email, "You have a place"), "sessions.ics")

    assert mimetype == "text/calendar; method=PUBLISH" and str(calendar["METHOD"]) == "PUBLISH"
    for event in events_of(calendar):
        # The time the file was made, in UTC: not the session's start, as it used to be.
        assert event.decoded("DTSTAMP") == sent_at.astimezone(UTC)
        assert event.decoded("DTSTAMP") != event.decoded("DTSTART")
        assert int(event["SEQUENCE"]) == 0
        assert str(event["ORGANIZER"]) == ORGANIZER and event["ORGANIZER"].params["CN"] == "Stepping Up"
        assert "ATTENDEE" not in event  # RFC 5546: a PUBLISH names no attendees
        assert "STATUS" not in event


def test_each_move_raises_the_sequence_by_one(published: World, clock: time_machine.Traveller) -> None:
    session = sessions_of(published.set1)[1]
    session_reschedule(session=session, starts_at=london(2026, 11, 24, 15), actor=published.organiser, now=NOW)
    later = NOW + timedelta(hours=1)
    clock.move_to(later)
    session_reschedule(session=session, starts_at=london(2026, 11, 26, 15), actor=published.organiser, now=later)
    session.refresh_from_db()
    assert session.sequence == 2

    deliver_at(clock, later + NEWS_DELAY)
    # The first move's notice was still waiting, so it was replaced: one e-mail, with the latest time.
    message = sent_to(published.owner.email, "has moved")
    (event,) = events_of(attachment(message, "invitation.ics")[0])
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (uid(session), 2)
    assert event.decoded("DTSTART") == datetime(2026, 11, 26, 15, tzinfo=UTC)
    assert event.decoded("DTSTAMP") == (later + NEWS_DELAY).astimezone(UTC)


def test_a_session_that_is_not_moved_keeps_its_sequence(published: World) -> None:
    session = sessions_of(published.set1)[1]
    session_reschedule(session=session, starts_at=session.starts_at, actor=published.facilitator, now=NOW)
    session.refresh_from_db()
    assert session.sequence == 0 and session.rescheduled_at is None


def test_a_session_moved_before_the_change_counts_on_from_the_unix_time_it_was_sent_with(published: World) -> None:
    """Calendars hold the old SEQUENCE (the Unix time of the move) and would ignore a lower one."""
    moved, untouched = sessions_of(published.set1)[:2]
    Session.objects.filter(pk=moved.pk).update(rescheduled_at=NOW)
    migration = import_module("apps.learning_sets.migrations.0004_session_sequence_and_cancellation")
    migration.keep_sent_sequences(django_apps, None)
    assert Session.objects.get(pk=moved.pk).sequence == int(NOW.timestamp())
    assert Session.objects.get(pk=untouched.pk).sequence == 0


# An invitation waiting in the outbox.


def test_an_invitation_still_in_the_outbox_carries_the_new_time_of_a_moved_session(
    published: World, clock: time_machine.Traveller
) -> None:
    session = sessions_of(published.set1)[1]
    invitation = Reminder.objects.get(kind="set_placed", recipient=published.owner)
    # A minute after publishing, before the invitations go: the facilitator moves session 2.
    clock.move_to(NOW + timedelta(minutes=1))
    session_reschedule(
        session=session, starts_at=london(2026, 11, 24, 15), actor=published.facilitator, now=NOW + timedelta(minutes=1)
    )
    invitation.refresh_from_db()
    assert invitation.status == ReminderStatus.PENDING and invitation.due_at == NOW + NEWS_DELAY  # same time

    deliver_at(clock, NOW + NEWS_DELAY)
    message = sent_to(published.owner.email, "You have a place")
    assert "Tuesday 24 November 2026 at 3pm" in message.body
    assert "Tuesday 17 November 2026" not in message.body
    events = events_of(attachment(message, "sessions.ics")[0])
    assert events[1].decoded("DTSTART") == datetime(2026, 11, 24, 15, tzinfo=UTC)
    assert (str(events[1]["UID"]), int(events[1]["SEQUENCE"])) == (uid(session), 1)
    assert [int(e["SEQUENCE"]) for e in (events[0], events[2])] == [0, 0]


def test_an_invitation_waiting_for_a_retry_or_a_digest_is_rewritten_and_a_sent_one_is_not(published: World) -> None:
    owner, colleague, third = published.set1_members
    invitations = {r.recipient_id: r for r in Reminder.objects.filter(kind="set_placed")}
    retry_at = NOW + timedelta(minutes=30)
    Reminder.objects.filter(pk=invitations[owner.pk].pk).update(attempts=1, next_attempt_at=retry_at)
    Reminder.objects.filter(pk=invitations[colleague.pk].pk).update(status=ReminderStatus.DIGEST)
    Reminder.objects.filter(pk=invitations[third.pk].pk).update(status=ReminderStatus.SENT)

    session = sessions_of(published.set1)[1]
    session_reschedule(session=session, starts_at=london(2026, 11, 24, 15), actor=published.facilitator, now=NOW)

    def second_start(person_id: int) -> str:
        return str(Reminder.objects.get(pk=invitations[person_id].pk).context["events"][1]["start"])

    assert second_start(owner.pk) == second_start(colleague.pk) == "2026-11-24T15:00:00+00:00"
    assert second_start(third.pk) == "2026-11-17T14:00:00+00:00"  # sent before the move: left as it was
    retrying = Reminder.objects.get(pk=invitations[owner.pk].pk)
    assert (retrying.attempts, retrying.next_attempt_at) == (1, retry_at)


# Cancelling a session.


def test_cancelling_a_session_sends_a_calendar_cancellation_with_the_same_uid_and_a_higher_sequence(
    published: World, clock: time_machine.Traveller
) -> None:
    deliver_at(clock, NOW + NEWS_DELAY)  # the invitations have gone out
    mail.outbox.clear()
    session = sessions_of(published.set1)[1]
    cancelled_at = NOW + timedelta(days=2)
    clock.move_to(cancelled_at)
    session_cancel(session=session, actor=published.facilitator, now=cancelled_at)

    session.refresh_from_db()
    assert (session.cancelled_at, session.sequence) == (cancelled_at, 1)
    prefix = f"session:{session.pk}:"
    waiting = Reminder.objects.filter(dedupe_key__startswith=prefix, status=ReminderStatus.PENDING)
    assert {r.kind for r in waiting} == {"session_cancelled"}  # the 7-day, 24-hour and attendance ones are gone
    # The members; not the facilitator, who cancelled it.
    assert {r.recipient for r in waiting} == set(published.set1_members)

    sent_at = cancelled_at + NEWS_DELAY
    deliver_at(clock, sent_at)
    message = sent_to(published.owner.email, "is cancelled")
    assert message.subject.endswith("Your learning set session on Tuesday 17 November at 2pm is cancelled")
    calendar, mimetype = attachment(message, "cancellation.ics")
    assert mimetype == "text/calendar; method=CANCEL" and str(calendar["METHOD"]) == "CANCEL"
    (event,) = events_of(calendar)
    assert str(event["UID"]) == uid(session)
    assert int(event["SEQUENCE"]) == 1  # above the 0 of the invitation the calendar holds
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["ATTENDEE"]) == f"mailto:{published.owner.email}"
    assert str(event["ORGANIZER"]) == ORGANIZER
    assert event.decoded("DTSTAMP") == sent_at.astimezone(UTC)
    assert event.decoded("DTSTART") == session.starts_at


def test_an_organiser_cancels_and_the_facilitator_is_told_too(published: World) -> None:
    session = sessions_of(published.set1)[1]
    session_cancel(session=session, actor=published.organiser, now=NOW)
    told = Reminder.objects.filter(kind="session_cancelled", status=ReminderStatus.PENDING)
    assert {r.recipient for r in told} == {*published.set1_members, published.facilitator}


def test_an_invitation_still_in_the_outbox_leaves_a_cancelled_session_out(
    published: World, clock: time_machine.Traveller
) -> None:
    session = sessions_of(published.set1)[1]
    session_cancel(session=session, actor=published.facilitator, now=NOW)
    deliver_at(clock, NOW + NEWS_DELAY)
    message = sent_to(published.owner.email, "You have a place")
    assert "Tuesday 17 November" not in message.body
    events = events_of(attachment(message, "sessions.ics")[0])
    assert [str(e["UID"]) for e in events] == [uid(s) for s in sessions_of(published.set1) if s.pk != session.pk]


@pytest.mark.parametrize("who", ["owner", "other_facilitator", "outsider"])
def test_nobody_else_can_cancel_a_session(published: World, who: str) -> None:
    session = sessions_of(published.set1)[1]
    with pytest.raises(LearningSetError, match="facilitator or the programme's organisers"):
        session_cancel(session=session, actor=getattr(published, who), now=NOW)
    session.refresh_from_db()
    assert session.cancelled_at is None and session.sequence == 0
    assert not Reminder.objects.filter(kind="session_cancelled").exists()


def test_a_session_is_cancelled_once_and_not_after_it_started(published: World, clock: time_machine.Traveller) -> None:
    first, second = sessions_of(published.set1)[:2]
    session_cancel(session=second, actor=published.facilitator, now=NOW)
    with pytest.raises(LearningSetError, match="already cancelled"):
        session_cancel(session=second, actor=published.facilitator, now=NOW)
    assert Session.objects.get(pk=second.pk).sequence == 1

    started = first.starts_at + timedelta(minutes=5)
    clock.move_to(started)
    with pytest.raises(LearningSetError, match="already started"):
        session_cancel(session=first, actor=published.facilitator, now=started)


def test_a_cancelled_session_cannot_be_moved_apologised_for_or_attended(published: World) -> None:
    session = sessions_of(published.set1)[1]
    apology_send(session=session, member=published.colleague, message="On call", now=NOW)
    session_cancel(session=session, actor=published.facilitator, now=NOW)

    with pytest.raises(LearningSetError, match="cancelled"):
        session_reschedule(session=session, starts_at=london(2026, 11, 24, 15), actor=published.facilitator, now=NOW)
    with pytest.raises(LearningSetError, match="cancelled"):
        apology_send(session=session, member=published.owner, message="", now=NOW)
    with pytest.raises(LearningSetError, match="cancelled"):
        apology_withdraw(session=session, member=published.colleague, now=NOW)
    after = session.ends_at + timedelta(days=1)
    with pytest.raises(LearningSetError, match="cancelled"):
        attendance_record(
            session=session,
            actor=published.facilitator,
            present={m.pk: True for m in published.set1_members},
            now=after,
        )
    # Withdrawing the apology would have brought the reminders back.
    assert not Reminder.objects.filter(
        dedupe_key__startswith=f"session:{session.pk}:", kind__startswith="session_upcoming", status="pending"
    ).exists()
    assert Apology.objects.filter(session=session).count() == 1


# A member leaving a live set.


def test_a_member_who_leaves_gets_a_cancellation_of_the_sessions_to_come_and_no_more_reminders(
    published: World, clock: time_machine.Traveller
) -> None:
    first, second, third = sessions_of(published.set1)
    session_cancel(session=third, actor=published.facilitator, now=NOW)  # already off: not in the file
    leaving_at = first.ends_at + timedelta(days=1)  # session 1 is over: not in the file either
    clock.move_to(leaving_at)
    Membership.objects.filter(learning_set=published.set1, member=published.owner).delete()
    assert member_uninvite(learning_set=published.set1, member=published.owner, now=leaving_at) == 1

    pending = Reminder.objects.filter(recipient=published.owner, status=ReminderStatus.PENDING)
    assert [r.kind for r in pending] == ["set_left"]
    # The others still have theirs.
    assert Reminder.objects.filter(
        recipient=published.colleague, kind="session_upcoming_24h", status=ReminderStatus.PENDING
    ).exists()

    deliver_at(clock, leaving_at + NEWS_DELAY)
    message = sent_to(published.owner.email, "no longer in")
    calendar, mimetype = attachment(message, "cancellation.ics")
    assert mimetype == "text/calendar; method=CANCEL" and str(calendar["METHOD"]) == "CANCEL"
    (event,) = events_of(calendar)
    assert str(event["UID"]) == uid(second)
    assert int(event["SEQUENCE"]) == 1  # one above what the member's calendar holds
    assert str(event["ATTENDEE"]) == f"mailto:{published.owner.email}"
    # Uninviting one person is not cancelling the session (RFC 5546 3.2.5): it goes on for the others.
    assert "STATUS" not in event
    assert Session.objects.get(pk=second.pk).sequence == 0


def test_a_member_who_leaves_before_the_invitation_went_gets_no_invitation(published: World) -> None:
    Membership.objects.filter(learning_set=published.set1, member=published.owner).delete()
    assert member_uninvite(learning_set=published.set1, member=published.owner, now=NOW) == 3
    invitation = Reminder.objects.get(kind="set_placed", recipient=published.owner)
    assert invitation.status == ReminderStatus.CANCELLED
    # A later move does not bring it back.
    session = sessions_of(published.set1)[1]
    session_reschedule(session=session, starts_at=london(2026, 11, 24, 15), actor=published.facilitator, now=NOW)
    invitation.refresh_from_db()
    assert invitation.status == ReminderStatus.CANCELLED
    assert not Reminder.objects.filter(recipient=published.owner, kind="session_rescheduled").exists()


# The feed.


def feed_events(person_email: str, published: World) -> list[Event]:
    person = next(p for p in (*published.set1_members, published.facilitator) if p.email == person_email)
    token = feed_token_get(person=person, now=NOW).token
    response = Client().get(reverse("learning_sets:feed", args=[token]))
    assert response.status_code == 200
    return events_of(Calendar.from_ical(response.content))


def test_the_feed_leaves_a_cancelled_session_out(published: World) -> None:
    session = sessions_of(published.set1)[1]
    session_cancel(session=session, actor=published.facilitator, now=NOW)
    for person in (published.owner.email, published.facilitator.email):
        assert uid(session) not in [str(e["UID"]) for e in feed_events(person, published)]
        assert len(feed_events(person, published)) == 2


def test_the_feeds_dtstamp_is_when_the_session_last_changed_not_the_request(
    published: World, clock: time_machine.Traveller
) -> None:
    moved_at = NOW + timedelta(days=1)
    clock.move_to(moved_at)
    session = sessions_of(published.set1)[1]
    session_reschedule(session=session, starts_at=london(2026, 11, 24, 15), actor=published.facilitator, now=moved_at)

    clock.move_to(NOW + timedelta(days=5))
    first = feed_events(published.owner.email, published)
    clock.shift(timedelta(hours=3))
    again = feed_events(published.owner.email, published)
    # No METHOD in a feed: DTSTAMP is the last change (RFC 5545 3.8.7.2), the same whenever it is fetched.
    assert (
        [e.decoded("DTSTAMP") for e in first]
        == [e.decoded("DTSTAMP") for e in again]
        == [
            NOW.astimezone(UTC),  # published
            moved_at.astimezone(UTC),
            NOW.astimezone(UTC),
        ]
    )
    assert [int(e["SEQUENCE"]) for e in first] == [0, 1, 0]


# The cancel page.


def cancel_url(session: Session) -> str:
    return reverse("learning_sets:session_cancel", args=[session.pk])


def test_the_facilitator_cancels_from_a_page_that_says_what_will_happen(published: World) -> None:
    session = sessions_of(published.set1)[1]
    facilitator = signed_in(published.facilitator)
    page = facilitator.get(reverse("learning_sets:session", args=[session.pk])).content.decode()
    assert cancel_url(session) in page

    shown = facilitator.get(cancel_url(session))
    assert shown.status_code == 200
    assert "calendar cancellation" in shown.content.decode()
    assert Session.objects.get(pk=session.pk).cancelled_at is None  # a GET changes nothing

    response = facilitator.post(cancel_url(session))
    assert response.status_code == 302
    assert response.url == reverse("learning_sets:session", args=[session.pk])
    assert Session.objects.get(pk=session.pk).cancelled_at == NOW
    page = facilitator.get(response.url).content.decode()
    assert "Cancelled" in page and "Move this session" not in page and "Save attendance" not in page


def test_an_organiser_cancels_from_the_move_page(published: World) -> None:
    session = sessions_of(published.set1)[1]
    organiser = signed_in(published.organiser)
    assert (
        cancel_url(session)
        in organiser.get(reverse("learning_sets:session_reschedule", args=[session.pk])).content.decode()
    )
    response = organiser.post(cancel_url(session))
    assert response.url == reverse("learning_sets:session_reschedule", args=[session.pk])
    assert "was cancelled on" in organiser.get(response.url).content.decode()


def test_cancelling_twice_shows_why_and_changes_nothing(published: World) -> None:
    session = sessions_of(published.set1)[1]
    facilitator = signed_in(published.facilitator)
    facilitator.post(cancel_url(session))
    response = facilitator.post(cancel_url(session))
    assert response.status_code == 400
    assert "already cancelled" in response.content.decode()
    assert Session.objects.get(pk=session.pk).sequence == 1


@pytest.mark.parametrize("who", ["owner", "colleague", "other_member", "other_facilitator", "outsider"])
def test_nobody_else_finds_the_cancel_page(published: World, who: str) -> None:
    session = sessions_of(published.set1)[1]
    person = signed_in(getattr(published, who))
    assert person.get(cancel_url(session)).status_code == 404
    assert person.post(cancel_url(session)).status_code == 404
    assert Session.objects.get(pk=session.pk).cancelled_at is None


def test_the_cancel_page_takes_only_get_and_post(published: World) -> None:
    session = sessions_of(published.set1)[1]
    assert signed_in(published.facilitator).put(cancel_url(session)).status_code == 405


def test_members_see_a_cancelled_session_as_cancelled_and_not_coming_up(published: World) -> None:
    session = sessions_of(published.set1)[0]
    session_cancel(session=session, actor=published.facilitator, now=NOW)
    owner = signed_in(published.owner)
    set_page = owner.get(reverse("learning_sets:set", args=[published.set1.pk])).content.decode()
    assert "Cancelled" in set_page and "Not taking place" in set_page
    session_page = owner.get(reverse("learning_sets:session", args=[session.pk])).content.decode()
    assert "It will not take place" in session_page and "Send apologies" not in session_page
    home = owner.get(reverse("learning_sets:home")).content.decode()
    assert reverse("learning_sets:session", args=[session.pk]) not in home
