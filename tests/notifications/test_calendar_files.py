"""The .ics files attached to e-mails, read back with the icalendar library: stamped when they are made, with a
SEQUENCE and the portal as organiser; PUBLISH to add or update, CANCEL to take out (with STATUS:CANCELLED for an
event that is off, without it for one person uninvited). And `refresh_unsent`, which keeps a waiting reminder's
context true until it is sent."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar, Event

from apps.accounts.models import User
from apps.notifications.emails import build_message, event_ics
from apps.notifications.models import Reminder, ReminderStatus
from apps.notifications.services import NotificationError, refresh_unsent, schedule

from .conftest import goal_context, session_context

BUILT = datetime(2026, 11, 23, 10, 2, 41, tzinfo=UTC)


def reminder(kind: str, context: dict[str, Any]) -> Reminder:
    return Reminder(pk=1, kind=kind, recipient_id=42, dedupe_key=f"test:{kind}", context=context)


def calendar_of(message_reminder: Reminder, address: str = "amara@example.org") -> tuple[str, str, Calendar]:
    """The attachment's file name, MIME type and calendar."""
    message = build_message(message_reminder, address=address, name="Amara", now=BUILT)
    ((filename, content, mimetype),) = [a for a in message.attachments if str(a[2]).startswith("text/calendar")]
    return filename, mimetype, Calendar.from_ical(content)


def only_event(calendar: Calendar) -> Event:
    (event,) = calendar.walk("VEVENT")
    return event


def test_dtstamp_is_when_the_file_is_made_in_utc_not_when_the_event_starts() -> None:
    stamp = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
    event = only_event(Calendar.from_ical(event_ics(session_context()["event"], now=stamp)))
    assert event.decoded("DTSTAMP") == stamp
    assert "DTSTAMP:20260601T093000Z" in event.to_ical().decode()
    assert event.decoded("DTSTART") == datetime(2026, 11, 30, 14, tzinfo=UTC)


def test_an_invitation_publishes_with_an_organiser_a_sequence_and_no_attendee() -> None:
    filename, mimetype, calendar = calendar_of(reminder("session_upcoming_7d", session_context()))
    assert (filename, mimetype, str(calendar["METHOD"])) == (
        "invitation.ics",
        "text/calendar; method=PUBLISH",
        "PUBLISH",
    )
    event = only_event(calendar)
    assert event.decoded("DTSTAMP") == BUILT
    assert int(event["SEQUENCE"]) == 0  # written even at 0: nothing to compare a later change with otherwise
    assert str(event["ORGANIZER"]) == "mailto:no-reply@stepping-up.localhost"
    assert "ATTENDEE" not in event and "STATUS" not in event


def test_a_cancelled_session_is_sent_as_a_cancel_for_the_recipient_with_the_same_uid() -> None:
    context = session_context()
    context["event"] = {**context["event"], "sequence": 4, "status": "CANCELLED"}
    filename, mimetype, calendar = calendar_of(reminder("session_cancelled", context))

    assert (filename, mimetype, str(calendar["METHOD"])) == (
        "cancellation.ics",
        "text/calendar; method=CANCEL",
        "CANCEL",
    )
    event = only_event(calendar)
    assert str(event["UID"]) == "session-7@stepping-up"
    assert (int(event["SEQUENCE"]), str(event["STATUS"])) == (4, "CANCELLED")
    assert str(event["ATTENDEE"]) == "mailto:amara@example.org"
    assert str(event["ORGANIZER"]) == "mailto:no-reply@stepping-up.localhost"
    assert event.decoded("DTSTAMP") == BUILT


def test_uninviting_a_member_cancels_each_session_for_them_without_calling_it_off() -> None:
    events = [{**session_context()["event"], "uid": f"session-{n}@stepping-up", "sequence": 1} for n in (7, 8)]
    context = {"set_name": "Midlands aspiring MDs, set 2", "url": "/learning-sets/", "events": events}
    filename, mimetype, calendar = calendar_of(reminder("set_left", context), address="Leaver@Example.org")

    assert (filename, mimetype) == ("cancellation.ics", "text/calendar; method=CANCEL")
    uninvited = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in uninvited] == ["session-7@stepping-up", "session-8@stepping-up"]
    for event in uninvited:
        assert str(event["ATTENDEE"]) == "mailto:Leaver@Example.org"
        assert "STATUS" not in event  # RFC 5546 3.2.5: only a cancellation of the whole event says CANCELLED


def test_a_reminder_about_nothing_in_a_calendar_has_no_attachment() -> None:
    message = build_message(reminder("goal_due_14d", goal_context()), address="a@example.org", name="", now=BUILT)
    assert message.attachments == []


# refresh_unsent.


def waiting(owner: User, now: datetime, key: str, **changes: Any) -> Reminder:
    made = schedule(recipient=owner, kind="session_upcoming_7d", due_at=now, dedupe_key=key, context=session_context())
    if changes:
        Reminder.objects.filter(pk=made.pk).update(**changes)
    return made


def moved_context() -> dict[str, Any]:
    context = session_context()
    context["event"] = {**context["event"], "start": "2026-12-01T15:00:00+00:00", "end": "2026-12-01T17:00:00+00:00"}
    return {**context, "starts_at": "2026-12-01T15:00:00+00:00"}


@pytest.mark.django_db
def test_refresh_unsent_rewrites_waiting_reminders_and_keeps_their_time(owner: User, now: datetime) -> None:
    retry_at = now + timedelta(minutes=5)
    keys = {
        "pending": waiting(owner, now, "k:pending"),
        "retrying": waiting(owner, now, "k:retrying", attempts=2, next_attempt_at=retry_at),
        "digest": waiting(owner, now, "k:digest", status=ReminderStatus.DIGEST),
        "sending": waiting(owner, now, "k:sending", status=ReminderStatus.SENDING),
        "sent": waiting(owner, now, "k:sent", status=ReminderStatus.SENT),
        "failed": waiting(owner, now, "k:failed", status=ReminderStatus.FAILED),
        "cancelled": waiting(owner, now, "k:cancelled", status=ReminderStatus.CANCELLED),
    }
    changed = refresh_unsent(
        dedupe_keys=[*(r.dedupe_key for r in keys.values()), "k:never-made"], context=moved_context()
    )

    assert changed == 4
    after = {name: Reminder.objects.get(pk=r.pk) for name, r in keys.items()}
    rewritten = {name for name, r in after.items() if r.context["starts_at"] == "2026-12-01T15:00:00+00:00"}
    assert rewritten == {"pending", "retrying", "digest", "sending"}
    assert (after["retrying"].attempts, after["retrying"].next_attempt_at) == (2, retry_at)
    assert {r.due_at for r in after.values()} == {now}
    assert {r.status for name, r in after.items() if name in rewritten} == {
        ReminderStatus.PENDING,
        ReminderStatus.DIGEST,
        ReminderStatus.SENDING,
    }
    assert not Reminder.objects.filter(dedupe_key="k:never-made").exists()


@pytest.mark.django_db
def test_refresh_unsent_refuses_a_context_the_templates_cannot_use_and_writes_nothing(
    owner: User, now: datetime
) -> None:
    made = waiting(owner, now, "k:pending")
    incomplete = {key: value for key, value in moved_context().items() if key != "event"}
    with pytest.raises(NotificationError, match="needs: event"):
        refresh_unsent(dedupe_keys=[made.dedupe_key], context=incomplete)
    assert Reminder.objects.get(pk=made.pk).context == session_context()


def test_a_cancellation_e_mail_says_the_session_will_not_take_place() -> None:
    context = {**session_context(), "event": {**session_context()["event"], "status": "CANCELLED", "sequence": 1}}
    message = build_message(reminder("session_cancelled", context), address="a@example.org", name="Amara", now=BUILT)
    html = str(message.alternatives[0].content)
    for body in (message.body, html):
        assert "is cancelled. It will not take place" in body
        assert "Monday 30 November 2026 at 2pm" in body
        assert "calendar cancellation" in body


def test_leaving_a_set_lists_the_sessions_taken_out_of_the_calendar() -> None:
    events = [session_context()["event"], {**session_context()["event"], "start": "2027-01-04T14:00:00+00:00"}]
    context = {"set_name": "Midlands aspiring MDs, set 2", "url": "/learning-sets/", "events": events}
    message = build_message(reminder("set_left", context), address="a@example.org", name="Amara", now=BUILT)
    assert message.subject.endswith("You are no longer in Midlands aspiring MDs, set 2")
    html = str(message.alternatives[0].content)
    for body in (message.body, html):
        assert "Monday 30 November 2026 at 2pm" in body and "Monday 4 January 2027 at 2pm" in body
        assert "taken out of your calendar" in body
