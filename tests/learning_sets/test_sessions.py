"""Publishing a programme and what follows: sessions on the sets' slots, invitations with every session's .ics,
reminders before each session and to the facilitator after it; moving a session (inside the programme, never on
a bank holiday, never into the past) with the reminders moving too; apologies, attendance, notes, and members'
private reflections, which they may copy into their own development plan and nobody else's."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from apps.accounts.models import Role, User
from apps.accounts.services import role_revoke
from apps.development.models import Plan
from apps.development.models import Reflection as PlanReflection
from apps.development.services import plan_create
from apps.learning_sets.models import (
    Apology,
    Attendance,
    LearningSet,
    Programme,
    ProgrammeStatus,
    Reflection,
    Session,
    SetNote,
)
from apps.learning_sets.selectors import programmes_publishable_by, sessions_movable_by
from apps.learning_sets.services import LearningSetError
from apps.learning_sets.services.notes import note_add, reflection_to_plan, reflection_write
from apps.learning_sets.services.publishing import programme_publish
from apps.learning_sets.services.reminders import NEWS_DELAY
from apps.learning_sets.services.sessions import apology_send, apology_withdraw, attendance_record, session_reschedule
from apps.notifications.dispatch import dispatch_due
from apps.notifications.models import Reminder, ReminderStatus

from .sets_support import LONDON, NOW, World, add_set, published, sessions_of, world

__all__ = ["published", "world"]  # fixtures


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def pending(**filters: object) -> list[Reminder]:
    return list(Reminder.objects.filter(status=ReminderStatus.PENDING, **filters).order_by("due_at", "recipient_id"))


def keys(reminders: list[Reminder]) -> set[str]:
    return {r.dedupe_key for r in reminders}


# Publishing.


def test_publishing_makes_each_sets_sessions_on_its_slot(published: World) -> None:
    one, two = sessions_of(published.set1), sessions_of(published.set2)
    # 14:00 in London: 13:00 UTC in BST (20 October), 14:00 UTC after the clocks went back on 25 October.
    assert [s.starts_at for s in one] == [utc(2026, 10, 20, 13), utc(2026, 11, 17, 14), utc(2026, 12, 15, 14)]
    assert [s.ends_at - s.starts_at for s in one] == [timedelta(hours=2)] * 3
    assert [s.starts_at for s in two] == [utc(2026, 10, 22, 9), utc(2026, 11, 19, 10), utc(2026, 12, 17, 10)]
    # The venue is the programme's; set 1 has its own video link, set 2 none.
    assert {s.venue for s in one + two} == {"Room 4, Education Centre, Leicester Royal Infirmary"}
    assert {s.video_url for s in one} == {"https://meet.example.org/set-1"} and {s.video_url for s in two} == {""}
    assert published.programme.status == ProgrammeStatus.RUNNING
    assert published.programme.published_at == NOW


def test_every_member_is_invited_with_all_their_sessions(published: World) -> None:
    invitations = pending(kind="set_placed")
    assert {r.recipient for r in invitations} == {*published.set1_members, published.other_member}
    assert {r.due_at for r in invitations} == {NOW + NEWS_DELAY}  # with the next beat tick
    mine = next(r for r in invitations if r.recipient == published.owner)
    assert mine.context["when"] == "Tuesday 14:00 to 16:00"
    assert mine.context["facilitator_name"] == "Ruth Adeyemi"
    assert [e["start"] for e in mine.context["events"]] == [
        "2026-10-20T14:00:00+01:00",
        "2026-11-17T14:00:00+00:00",
        "2026-12-15T14:00:00+00:00",
    ]


def test_members_are_reminded_a_week_and_a_day_before_each_session(published: World) -> None:
    first = sessions_of(published.set1)[0]
    week = pending(kind="session_upcoming_7d", dedupe_key__startswith=f"session:{first.pk}:")
    day = pending(kind="session_upcoming_24h", dedupe_key__startswith=f"session:{first.pk}:")
    assert {r.recipient for r in week} == set(published.set1_members) == {r.recipient for r in day}
    assert {r.due_at for r in week} == {utc(2026, 10, 13, 13)}  # 2pm in London, a week before
    assert {r.due_at for r in day} == {utc(2026, 10, 19, 13)}
    # 3 members × 3 sessions in set 1, 1 × 3 in set 2; and no reminders to the facilitators.
    assert len(pending(kind="session_upcoming_7d")) == 12 == len(pending(kind="session_upcoming_24h"))
    assert not pending(kind="session_upcoming_7d", recipient=published.facilitator)


def test_the_facilitator_is_reminded_at_nine_the_day_after_each_session(published: World) -> None:
    reminders = pending(kind="attendance_not_recorded", recipient=published.facilitator)
    assert [r.due_at for r in reminders] == [london(2026, 10, 21, 9), london(2026, 11, 18, 9), london(2026, 12, 16, 9)]
    assert reminders[0].context["session_on"] == "2026-10-20"
    assert len(pending(kind="attendance_not_recorded")) == 6


def test_the_invitation_email_carries_an_ics_of_every_session(published: World, clock: time_machine.Traveller) -> None:
    clock.shift(NEWS_DELAY)
    dispatch_due()
    (message,) = [m for m in mail.outbox if m.to == [published.owner.email]]
    assert "You have a place in Midlands aspiring MDs 2026, set 1" in message.subject
    (ics,) = [content for name, content, _ in message.attachments if name == "sessions.ics"]
    events = Calendar.from_ical(ics).walk("VEVENT")
    assert [e.decoded("DTSTART") for e in events] == [s.starts_at for s in sessions_of(published.set1)]
    assert [e.decoded("DTEND") - e.decoded("DTSTART") for e in events] == [timedelta(hours=2)] * 3
    assert str(events[0]["LOCATION"]).startswith("Room 4, Education Centre")
    assert str(events[0]["UID"]) == f"learning-set-session-{sessions_of(published.set1)[0].pk}@stepping-up.localhost"
    assert str(events[0]["SUMMARY"]) == "Action learning set: Midlands aspiring MDs 2026, set 1"


@pytest.mark.parametrize("who", ["owner", "facilitator", "outsider"])
def test_only_an_organiser_of_the_programme_can_publish(world: World, who: str) -> None:
    with pytest.raises(LearningSetError, match="Only the programme's organisers"):
        programme_publish(programme=world.programme, actor=getattr(world, who), now=NOW)
    assert not Session.objects.exists() and not Reminder.objects.exists()


def test_publishing_twice_is_refused(published: World) -> None:
    with pytest.raises(LearningSetError, match="already published"):
        programme_publish(programme=published.programme, actor=published.organiser, now=NOW)
    assert Session.objects.count() == 6


def test_a_programme_still_taking_applications_cannot_be_published(world: World) -> None:
    world.programme.status = ProgrammeStatus.OPEN
    world.programme.save()
    with pytest.raises(LearningSetError, match="Form the sets first"):
        programme_publish(programme=world.programme, actor=world.organiser, now=NOW)


def test_a_set_without_a_facilitator_stops_the_publishing_and_nothing_is_written(world: World) -> None:
    LearningSet.objects.filter(pk=world.set2.pk).update(facilitator=None)
    with pytest.raises(LearningSetError, match="Set 2 has no facilitator"):
        programme_publish(programme=world.programme, actor=world.organiser, now=NOW)
    assert not Session.objects.exists() and not Reminder.objects.exists()
    world.programme.refresh_from_db()
    assert world.programme.status == ProgrammeStatus.GROUPING


def test_a_facilitator_no_longer_the_programmes_stops_the_publishing(world: World) -> None:
    world.programme.facilitators.remove(world.other_facilitator)
    with pytest.raises(LearningSetError, match="Set 2's facilitator, Ruth Adeyemi, is not one of the programme's"):
        programme_publish(programme=world.programme, actor=world.organiser, now=NOW)
    assert not Session.objects.exists() and not Reminder.objects.exists()
    world.programme.refresh_from_db()
    assert world.programme.status == ProgrammeStatus.GROUPING


@pytest.mark.parametrize(
    ("sizes", "message"),
    [
        ({"set_size_min": 2}, "Set 2 has 1 member, but this programme's sets have 2 to 8."),
        ({"set_size_max": 2}, "Set 1 has 3 members, but this programme's sets have 1 to 2."),
    ],
)
def test_a_set_outside_the_programmes_sizes_stops_the_publishing(world: World, sizes: dict, message: str) -> None:
    """The sizes may have been changed while the sets were being reviewed."""
    Programme.objects.filter(pk=world.programme.pk).update(**sizes)
    with pytest.raises(LearningSetError, match=message):
        programme_publish(programme=world.programme, actor=world.organiser, now=NOW)
    assert not Session.objects.exists() and not Reminder.objects.exists()


def test_an_organiser_whose_role_is_revoked_can_no_longer_publish(world: World) -> None:
    role_revoke(user=world.organiser, role=Role.ORGANISER, revoked_by=None, now=NOW)
    organiser = User.objects.get(pk=world.organiser.pk)  # as the next request would load them
    assert not programmes_publishable_by(user=organiser).exists()
    with pytest.raises(LearningSetError, match="Only the programme's organisers"):
        programme_publish(programme=world.programme, actor=organiser, now=NOW)
    assert not Session.objects.exists()


def test_first_sessions_already_past_are_refused(world: World) -> None:
    with pytest.raises(LearningSetError, match="which has passed"):
        programme_publish(programme=world.programme, actor=world.organiser, now=london(2026, 10, 21, 9))
    assert not Session.objects.exists()


def test_an_empty_set_gets_no_sessions(world: World) -> None:
    empty = add_set(world.programme, number=3, slot="wed-12:00", facilitator=None, members=[])
    outcome = programme_publish(programme=world.programme, actor=world.organiser, now=NOW)
    assert outcome.empty_sets == [3] and outcome.sets == 2 and outcome.sessions == 6 and outcome.members == 4
    assert not sessions_of(empty)


# Moving a session.


def test_the_facilitator_moves_a_session_and_its_reminders_move_with_it(published: World) -> None:
    session = sessions_of(published.set1)[1]  # Tuesday 17 November, 2pm
    moved = session_reschedule(
        session=session, starts_at=london(2026, 11, 24, 15), actor=published.facilitator, now=NOW
    )

    assert (moved.starts_at, moved.ends_at) == (utc(2026, 11, 24, 15), utc(2026, 11, 24, 17))
    assert moved.rescheduled_at == NOW
    prefix = f"session:{session.pk}:"
    old_times = [utc(2026, 11, 10, 14), utc(2026, 11, 16, 14), london(2026, 11, 18, 9)]
    assert not pending(dedupe_key__startswith=prefix, due_at__in=old_times)
    assert {r.due_at for r in pending(kind="session_upcoming_7d", dedupe_key__startswith=prefix)} == {
        utc(2026, 11, 17, 15)
    }
    assert {r.due_at for r in pending(kind="session_upcoming_24h", dedupe_key__startswith=prefix)} == {
        utc(2026, 11, 23, 15)
    }
    assert [r.due_at for r in pending(kind="attendance_not_recorded", dedupe_key__startswith=prefix)] == [
        london(2026, 11, 25, 9)
    ]
    cancelled = Reminder.objects.filter(dedupe_key__startswith=prefix, status=ReminderStatus.CANCELLED)
    assert cancelled.count() == 7  # the old 7-day and 24-hour reminders of 3 members, and the facilitator's
    # The other sessions' reminders are untouched.
    other = sessions_of(published.set1)[0]
    assert len(pending(dedupe_key__startswith=f"session:{other.pk}:")) == 7


def test_members_are_told_with_a_new_ics_and_the_same_uid(published: World, clock: time_machine.Traveller) -> None:
    session = sessions_of(published.set1)[1]
    session_reschedule(session=session, starts_at=london(2026, 11, 24, 15), actor=published.facilitator, now=NOW)
    notices = pending(kind="session_rescheduled")
    # The members; not the facilitator, who moved it.
    assert {r.recipient for r in notices} == set(published.set1_members)
    assert notices[0].context["was_starts_at"] == "2026-11-17T14:00:00+00:00"

    clock.shift(NEWS_DELAY)
    dispatch_due()
    message = next(m for m in mail.outbox if m.to == [published.owner.email] and "moved" in m.subject)
    assert "Your learning set session has moved to Tuesday 24 November at 3pm" in message.subject
    (ics,) = [content for name, content, _ in message.attachments if name == "invitation.ics"]
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert event.decoded("DTSTART") == utc(2026, 11, 24, 15)
    assert str(event["UID"]) == f"learning-set-session-{session.pk}@stepping-up.localhost"
    assert int(event["SEQUENCE"]) == 1  # the first change since it was published


def test_a_session_moved_away_and_back_is_news_both_times(published: World, clock: time_machine.Traveller) -> None:
    session = sessions_of(published.set1)[1]
    session_reschedule(session=session, starts_at=london(2026, 11, 24, 15), actor=published.facilitator, now=NOW)
    clock.shift(NEWS_DELAY)
    dispatch_due()  # the first notices go out
    clock.shift(timedelta(hours=1))
    later = NOW + timedelta(hours=1)
    session_reschedule(session=session, starts_at=london(2026, 11, 17, 14), actor=published.facilitator, now=later)
    assert len(pending(kind="session_rescheduled", recipient=published.owner)) == 1
    prefix = f"session:{session.pk}:"
    # The reminders for the old time are back, and those for the day it was moved to are cancelled.
    assert {r.due_at for r in pending(kind="session_upcoming_7d", dedupe_key__startswith=prefix)} == {
        utc(2026, 11, 10, 14)
    }
    assert not pending(dedupe_key__startswith=prefix, due_at=utc(2026, 11, 17, 15))


def test_an_organiser_can_move_a_session_and_the_facilitator_is_told(published: World) -> None:
    session = sessions_of(published.set1)[1]
    session_reschedule(session=session, starts_at=london(2026, 11, 26, 14), actor=published.organiser, now=NOW)
    assert {r.recipient for r in pending(kind="session_rescheduled")} == {
        *published.set1_members,
        published.facilitator,
    }


def test_an_organiser_whose_role_is_revoked_can_no_longer_move_a_session(published: World) -> None:
    session = sessions_of(published.set1)[1]
    assert session in sessions_movable_by(user=published.organiser)
    role_revoke(user=published.organiser, role=Role.ORGANISER, revoked_by=None, now=NOW)
    organiser = User.objects.get(pk=published.organiser.pk)
    assert not sessions_movable_by(user=organiser).exists()
    with pytest.raises(LearningSetError, match="facilitator or the programme's organisers"):
        session_reschedule(session=session, starts_at=london(2026, 11, 26, 14), actor=organiser, now=NOW)
    # The set's facilitator still can, whatever roles they hold.
    assert session in sessions_movable_by(user=published.facilitator)


@pytest.mark.parametrize("who", ["owner", "other_facilitator", "outsider"])
def test_nobody_else_can_move_a_session(published: World, who: str) -> None:
    session = sessions_of(published.set1)[1]
    with pytest.raises(LearningSetError, match="facilitator or the programme's organisers"):
        session_reschedule(session=session, starts_at=london(2026, 11, 24, 15), actor=getattr(published, who), now=NOW)
    session.refresh_from_db()
    assert session.starts_at == utc(2026, 11, 17, 14) and not pending(kind="session_rescheduled")


@pytest.mark.parametrize(
    ("session_index", "starts_at", "message"),
    [
        (0, london(2026, 10, 16, 14), "start from Monday 19 October 2026"),
        (2, london(2027, 1, 15, 14), "after the programme ends: choose Thursday 14 January 2027 or earlier"),
        (2, london(2026, 12, 28, 14), "Monday 28 December 2026 is a bank holiday (Boxing Day (observed))"),
        (2, london(2026, 12, 25, 10), "bank holiday (Christmas Day)"),
        (1, london(2026, 12, 16, 14), "must stay before session 3, on Tuesday 15 December 2026"),
        (1, london(2026, 10, 20, 17), "must stay after session 1, on Tuesday 20 October 2026"),
        (1, london(2026, 11, 18, 2), "between 7am and 9pm"),
        (1, london(2026, 11, 18, 20), "between 7am and 9pm"),
        (0, london(2026, 9, 30, 14), "Choose a time in the future"),
        (2, london(9999, 12, 31, 22, 30), "after the programme ends"),  # its end would overflow the calendar
    ],
)
def test_a_time_outside_the_programme_is_refused_and_nothing_changes(
    published: World, session_index: int, starts_at: datetime, message: str
) -> None:
    session = sessions_of(published.set1)[session_index]
    before = (session.starts_at, session.ends_at)
    with pytest.raises(LearningSetError, match=message.replace("(", r"\(").replace(")", r"\)")):
        session_reschedule(session=session, starts_at=starts_at, actor=published.facilitator, now=NOW)
    session.refresh_from_db()
    assert (session.starts_at, session.ends_at) == before and session.rescheduled_at is None
    assert not Reminder.objects.filter(status=ReminderStatus.CANCELLED).exists()


def test_a_session_that_has_started_cannot_be_moved(published: World) -> None:
    session = sessions_of(published.set1)[0]
    with pytest.raises(LearningSetError, match="already started"):
        session_reschedule(
            session=session, starts_at=london(2026, 11, 3, 14), actor=published.facilitator, now=session.starts_at
        )


def test_a_member_who_sent_apologies_is_not_reminded_after_a_move_but_is_told(published: World) -> None:
    session = sessions_of(published.set1)[1]
    apology_send(session=session, member=published.owner, message="", now=NOW)
    session_reschedule(session=session, starts_at=london(2026, 11, 24, 15), actor=published.facilitator, now=NOW)
    reminded = {
        r.recipient for r in pending(kind="session_upcoming_24h", dedupe_key__startswith=f"session:{session.pk}:")
    }
    assert reminded == {published.colleague, published.third}
    assert published.owner in {r.recipient for r in pending(kind="session_rescheduled")}


# Apologies.


def test_a_member_sends_apologies_and_their_reminders_for_that_session_stop(published: World) -> None:
    session = sessions_of(published.set1)[0]
    apology = apology_send(session=session, member=published.owner, message="On call that day", now=NOW)
    assert (apology.member, apology.message) == (published.owner, "On call that day")
    prefix = f"session:{session.pk}:"
    assert published.owner not in {r.recipient for r in pending(dedupe_key__startswith=prefix)}
    assert len(pending(dedupe_key__startswith=prefix, kind="session_upcoming_7d")) == 2
    # Sending again changes the message; still one apology.
    apology_send(session=session, member=published.owner, message="Clinic overran", now=NOW)
    assert list(Apology.objects.values_list("message", flat=True)) == ["Clinic overran"]


def test_withdrawing_apologies_brings_the_reminders_back(published: World) -> None:
    session = sessions_of(published.set1)[0]
    apology_send(session=session, member=published.owner, message="", now=NOW)
    apology_withdraw(session=session, member=published.owner, now=NOW)
    assert not Apology.objects.exists()
    mine = pending(dedupe_key__startswith=f"session:{session.pk}:", recipient=published.owner)
    assert {r.kind for r in mine} == {"session_upcoming_7d", "session_upcoming_24h"}


def test_apologies_after_the_session_started_are_refused(published: World) -> None:
    session = sessions_of(published.set1)[0]
    with pytest.raises(LearningSetError, match="already started"):
        apology_send(session=session, member=published.owner, message="", now=session.starts_at)
    assert not Apology.objects.exists()


@pytest.mark.parametrize("who", ["facilitator", "other_member", "outsider"])
def test_only_members_send_apologies(published: World, who: str) -> None:
    with pytest.raises(LearningSetError, match="Only the set's members"):
        apology_send(session=sessions_of(published.set1)[0], member=getattr(published, who), message="", now=NOW)
    assert not Apology.objects.exists()


# Attendance.


def record(world: World, present: dict[int, bool], *, actor: User | None = None) -> list[Attendance]:
    session = sessions_of(world.set1)[0]
    return attendance_record(
        session=session, actor=actor or world.facilitator, present=present, now=session.starts_at + timedelta(hours=3)
    )


def test_the_facilitator_records_attendance_and_the_reminder_is_cancelled(published: World) -> None:
    record(published, {published.owner.pk: True, published.colleague.pk: False, published.third.pk: True})
    session = sessions_of(published.set1)[0]
    assert dict(Attendance.objects.values_list("member_id", "present")) == {
        published.owner.pk: True,
        published.colleague.pk: False,
        published.third.pk: True,
    }
    assert session.attendance_recorded_at is not None
    assert not pending(kind="attendance_not_recorded", dedupe_key__startswith=f"session:{session.pk}:")
    assert len(pending(kind="attendance_not_recorded", recipient=published.facilitator)) == 2  # the later sessions
    # Recording again corrects it.
    record(published, {published.owner.pk: False, published.colleague.pk: False, published.third.pk: True})
    assert Attendance.objects.get(member=published.owner).present is False
    assert Attendance.objects.count() == 3


def test_attendance_for_someone_not_in_the_set_is_refused(published: World) -> None:
    marks = {m.pk: True for m in published.set1_members}
    with pytest.raises(LearningSetError, match="only be recorded for the set's members"):
        record(published, {**marks, published.other_member.pk: True})
    with pytest.raises(LearningSetError, match="each member"):
        record(published, {published.owner.pk: True})
    assert not Attendance.objects.exists()
    assert sessions_of(published.set1)[0].attendance_recorded_at is None


def test_attendance_is_recorded_by_the_facilitator_only_and_not_before_the_session(published: World) -> None:
    marks = {m.pk: True for m in published.set1_members}
    for who in (published.owner, published.organiser, published.other_facilitator):
        with pytest.raises(LearningSetError, match="Only the set's facilitator"):
            record(published, marks, actor=who)
    with pytest.raises(LearningSetError, match="once the session has started"):
        attendance_record(session=sessions_of(published.set1)[0], actor=published.facilitator, present=marks, now=NOW)
    assert not Attendance.objects.exists()


# Notes.


def test_the_facilitator_writes_notes_and_nobody_else_can(published: World) -> None:
    session = sessions_of(published.set1)[0]
    note = note_add(
        learning_set=published.set1, author=published.facilitator, text=" Themes: ", session=session, now=NOW
    )
    assert (note.text, note.session) == ("Themes:", session)
    with pytest.raises(LearningSetError, match="Only the set's facilitator"):
        note_add(learning_set=published.set1, author=published.owner, text="Mine", session=None, now=NOW)
    with pytest.raises(LearningSetError, match="a session of this set"):
        note_add(
            learning_set=published.set1,
            author=published.facilitator,
            text="Wrong set",
            session=sessions_of(published.set2)[0],
            now=NOW,
        )
    assert SetNote.objects.count() == 1


# Reflections.


def write(world: World, author: User) -> Reflection:
    return reflection_write(
        learning_set=world.set1,
        author=author,
        session=None,
        what_happened="I brought the rota gaps in acute medicine.",
        so_what="I had been solving it alone.",
        now_what="Take it to the divisional board with two options.",
        now=NOW,
    )


def my_plan(owner: User, title: str = "Towards deputy MD") -> Plan:
    return plan_create(
        owner=owner, title=title, target_level=4, starts_on=date(2026, 9, 1), ends_on=date(2027, 8, 31), now=NOW
    )


def test_a_member_copies_a_reflection_into_their_own_plan(published: World) -> None:
    reflection = write(published, published.owner)
    plan = my_plan(published.owner)
    copied = reflection_to_plan(reflection=reflection, author=published.owner, plan_id=plan.pk, title="ALS 1", now=NOW)
    entry = PlanReflection.objects.get(plan=plan)
    assert copied.plan_reflection == entry
    assert (entry.title, entry.what_happened, entry.now_what) == (
        "ALS 1",
        "I brought the rota gaps in acute medicine.",
        "Take it to the divisional board with two options.",
    )
    assert entry.written_on == date(2026, 10, 1)
    with pytest.raises(LearningSetError, match="already in your development plan"):
        reflection_to_plan(reflection=reflection, author=published.owner, plan_id=plan.pk, title="Again", now=NOW)
    assert PlanReflection.objects.count() == 1


def test_a_reflection_never_goes_into_someone_elses_plan(published: World) -> None:
    reflection = write(published, published.owner)
    theirs = my_plan(published.colleague, "The colleague's plan")
    with pytest.raises(LearningSetError, match="Choose one of your development plans"):
        reflection_to_plan(reflection=reflection, author=published.owner, plan_id=theirs.pk, title="x", now=NOW)
    # Nor can the colleague copy the owner's reflection into their own plan.
    with pytest.raises(LearningSetError, match="not yours"):
        reflection_to_plan(reflection=reflection, author=published.colleague, plan_id=theirs.pk, title="x", now=NOW)
    assert not PlanReflection.objects.exists()
    reflection.refresh_from_db()
    assert reflection.plan_reflection is None


@pytest.mark.parametrize("who", ["facilitator", "other_member", "organiser"])
def test_only_members_keep_reflections(published: World, who: str) -> None:
    with pytest.raises(LearningSetError, match="Only the set's members"):
        write(published, getattr(published, who))
    assert not Reflection.objects.exists()


def test_a_reflection_on_a_session_to_come_is_refused(published: World) -> None:
    with pytest.raises(LearningSetError, match="taken place"):
        reflection_write(
            learning_set=published.set1,
            author=published.owner,
            session=sessions_of(published.set1)[0],
            what_happened="a",
            so_what="b",
            now_what="c",
            now=NOW,
        )


def test_what_only_the_model_checks_is_refused_with_a_message(published: World) -> None:
    # The forms stop a blank answer first; a service called some other way refuses it in words, not with a 500.
    with pytest.raises(LearningSetError, match="So what: what it meant, what you learned: This field cannot be blank"):
        reflection_write(
            learning_set=published.set1,
            author=published.owner,
            session=None,
            what_happened="I brought the rota gaps.",
            so_what="   ",
            now_what="Take two options to the board.",
            now=NOW,
        )
    assert not Reflection.objects.exists()
