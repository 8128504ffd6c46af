"""The pages of a live set, as its members, its facilitator, a member of another set, the programme's organiser
and an outsider: only the set's people see it, notes stay inside it, a reflection is its author's alone, and
bad input changes nothing. Also the publish button's view, and the set page's query count."""

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role
from apps.accounts.services import role_revoke
from apps.development.models import Reflection as PlanReflection
from apps.development.services import plan_create
from apps.learning_sets.models import (
    Apology,
    Attendance,
    CalendarFeed,
    ProgrammeStatus,
    Reflection,
    Session,
    SetNote,
)
from apps.learning_sets.services.notes import note_add, reflection_write
from apps.learning_sets.services.publishing import programme_publish
from apps.notifications.models import Reminder
from tests.conftest import signed_in
from tests.factories import ProfileFactory, grant

from .sets_support import NOW, World, add_set, make_facilitator, make_programme, published, sessions_of, world

__all__ = ["published", "world"]  # fixtures

EVERYONE_ELSE = ["other_member", "other_facilitator", "organiser", "outsider"]


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def client(world: World, who: str) -> Client:
    return signed_in(getattr(world, who))


def url(name: str, *args: int) -> str:
    return reverse(f"learning_sets:{name}", args=args)


def note(world: World, text: str = "Themes today: influence without authority") -> SetNote:
    return note_add(learning_set=world.set1, author=world.facilitator, text=text, session=None, now=NOW)


# Home.


def test_home_lists_a_members_sets_and_coming_sessions(published: World) -> None:
    response = client(published, "owner").get(url("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Midlands aspiring MDs 2026, set 1" in page and "Tuesday 14:00 to 16:00" in page
    assert "Tuesday 20 October 2026 at 2pm" in page
    assert "set 2" not in page
    assert "Get your calendar link" in page


def test_home_lists_the_sets_a_facilitator_runs(published: World) -> None:
    page = client(published, "facilitator").get(url("home")).content.decode()
    assert "Sets you facilitate" in page and "Midlands aspiring MDs 2026, set 1" in page
    assert "Your sets" not in page


def test_home_for_someone_in_no_set(published: World) -> None:
    page = client(published, "outsider").get(url("home")).content.decode()
    assert "You are not in a learning set yet" in page


def test_sets_are_not_shown_before_the_programme_is_published(world: World) -> None:
    page = client(world, "owner").get(url("home")).content.decode()
    assert "You are not in a learning set yet" in page
    assert client(world, "owner").get(url("set", world.set1.pk)).status_code == 404


def test_home_needs_a_sign_in(published: World) -> None:
    response = Client().get(url("home"))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


# The set page.


def test_a_member_sees_the_set_its_people_sessions_and_notes(published: World) -> None:
    note(published)
    response = client(published, "owner").get(url("set", published.set1.pk))
    assert response.status_code == 200
    page = response.content.decode()
    for member in published.set1_members:
        assert member.get_full_name() in page
    organisation = published.colleague.set_applications.get().organisation.name
    assert organisation in page and "Clinical director" in page
    assert "Tuesday 17 November 2026 at 2pm" in page
    assert "Themes today: influence without authority" in page
    assert "Write a note" not in page  # members read notes; the facilitator writes them
    assert "Write a reflection" in page


def test_the_facilitator_sees_the_set_with_the_note_form(published: World) -> None:
    page = client(published, "facilitator").get(url("set", published.set1.pk)).content.decode()
    assert "Write a note" in page and "Your reflections" not in page


def test_the_facilitator_sees_which_sessions_wait_for_attendance(
    published: World, clock: time_machine.Traveller
) -> None:
    first = sessions_of(published.set1)[0]
    clock.move_to(first.ends_at)
    facilitator = client(published, "facilitator")
    page = facilitator.get(url("set", published.set1.pk)).content.decode()
    link = f'<a href="{url("session", first.pk)}#attendance">Record attendance'
    assert link in page and page.count("Not started") == 2
    facilitator.post(url("attendance", first.pk), {f"member_{m.pk}": "yes" for m in published.set1_members})
    page = facilitator.get(url("set", published.set1.pk)).content.decode()
    assert "Recorded" in page and "Record attendance" not in page
    member_page = client(published, "owner").get(url("set", published.set1.pk)).content.decode()
    assert "Record attendance" not in member_page and ">Attendance</th>" not in member_page


@pytest.mark.parametrize("who", EVERYONE_ELSE)
def test_nobody_outside_the_set_sees_it_or_its_notes(published: World, who: str) -> None:
    note(published)
    response = client(published, who).get(url("set", published.set1.pk))
    assert response.status_code == 404
    assert b"influence without authority" not in response.content


def test_a_facilitator_writes_a_note(published: World) -> None:
    session = sessions_of(published.set1)[0]
    response = client(published, "facilitator").post(
        url("note_new", published.set1.pk), {"text": "Bring a live challenge", "session": str(session.pk)}
    )
    assert response.status_code == 302
    assert SetNote.objects.get().session == session


def test_an_empty_note_is_refused_with_a_message(published: World) -> None:
    response = client(published, "facilitator").post(url("note_new", published.set1.pk), {"text": "  "})
    assert response.status_code == 400
    assert b"Enter the note" in response.content
    assert not SetNote.objects.exists()


def test_a_note_about_another_sets_session_is_refused(published: World) -> None:
    theirs = sessions_of(published.set2)[0]
    response = client(published, "facilitator").post(
        url("note_new", published.set1.pk), {"text": "Hello", "session": str(theirs.pk)}
    )
    assert response.status_code == 400 and b"Choose a session from the list" in response.content
    assert b"Hello" in response.content  # what was typed is kept
    assert not SetNote.objects.exists()


@pytest.mark.parametrize("who", ["owner", *EVERYONE_ELSE])
def test_only_the_facilitator_writes_notes(published: World, who: str) -> None:
    response = client(published, who).post(url("note_new", published.set1.pk), {"text": "Mine"})
    assert response.status_code == 404
    assert not SetNote.objects.exists()


def test_notes_are_written_by_post_only(published: World) -> None:
    assert client(published, "facilitator").get(url("note_new", published.set1.pk)).status_code == 405


def test_the_set_page_makes_the_same_few_queries_however_many_sessions(
    organiser: object, django_assert_num_queries: object
) -> None:
    facilitator = make_facilitator("busy.facilitator@example.org")
    members = [ProfileFactory().user for _ in range(8)]
    programme = make_programme(organiser, sessions_count=24, cadence_weeks=1)  # type: ignore[arg-type]
    learning_set = add_set(programme, number=1, slot="wed-16:00", facilitator=facilitator, members=members)
    programme_publish(programme=programme, actor=organiser, now=NOW)  # type: ignore[arg-type]
    for number in range(10):
        note_add(learning_set=learning_set, author=facilitator, text=f"Note {number}", session=None, now=NOW)
    member = signed_in(members[0])
    Apology.objects.create(session=sessions_of(learning_set)[3], member=members[0], created_at=NOW)
    member.get(url("set", learning_set.pk))  # warm: the session and the user are cached after this

    # 1 session, 2 user, 3 the set with its programme and facilitator, 4 its sessions, 5 my apologies for them,
    # 6 members with profiles and organisations, 7 notes with their sessions, 8 my reflections, 9 role grants and
    # 10 unread reminders (both for the header)
    with django_assert_num_queries(10):  # type: ignore[operator]
        response = member.get(url("set", learning_set.pk))
    assert response.status_code == 200
    assert response.content.decode().count("Session 24") == 1


# The session page, apologies and attendance.


def test_a_member_sees_the_session_and_can_send_apologies(published: World) -> None:
    session = sessions_of(published.set1)[0]
    page = client(published, "owner").get(url("session", session.pk)).content.decode()
    assert "Tuesday 20 October 2026 at 2pm to 4pm" in page
    assert "Room 4, Education Centre" in page and "https://meet.example.org/set-1" in page
    assert "Send apologies" in page
    assert "Save attendance" not in page and "Move the session" not in page


def test_a_member_sends_apologies(published: World) -> None:
    session = sessions_of(published.set1)[0]
    response = client(published, "owner").post(url("apology", session.pk), {"message": "On call"})
    assert response.status_code == 302
    assert Apology.objects.get().message == "On call"
    page = client(published, "owner").get(url("session", session.pk)).content.decode()
    assert "You sent apologies" in page and "I can come after all" in page


def test_a_member_withdraws_apologies(published: World) -> None:
    session = sessions_of(published.set1)[0]
    owner = client(published, "owner")
    owner.post(url("apology", session.pk), {"message": ""})
    assert owner.post(url("apology_withdraw", session.pk)).status_code == 302
    assert not Apology.objects.exists()


def test_apologies_after_the_session_started_are_refused(published: World, clock: time_machine.Traveller) -> None:
    session = sessions_of(published.set1)[0]
    clock.move_to(session.starts_at + timedelta(minutes=5))
    response = client(published, "owner").post(url("apology", session.pk), {"message": "Stuck in clinic"})
    assert response.status_code == 400
    assert b"This session has already started" in response.content
    assert not Apology.objects.exists()


@pytest.mark.parametrize("who", ["other_member", "organiser", "outsider"])
def test_people_outside_the_set_cannot_see_a_session_or_send_apologies(published: World, who: str) -> None:
    session = sessions_of(published.set1)[0]
    assert client(published, who).get(url("session", session.pk)).status_code == 404
    assert client(published, who).post(url("apology", session.pk), {"message": ""}).status_code == 404
    assert client(published, who).post(url("apology_withdraw", session.pk)).status_code == 404
    assert not Apology.objects.exists()


def attendance_post(world: World, **extra: str) -> dict[str, str]:
    return {f"member_{m.pk}": "yes" for m in world.set1_members} | extra


def test_the_facilitator_sees_apologies_and_records_attendance(published: World, clock: time_machine.Traveller) -> None:
    session = sessions_of(published.set1)[0]
    Apology.objects.create(session=session, member=published.third, message="At a CQC visit", created_at=NOW)
    clock.move_to(session.ends_at)
    facilitator = client(published, "facilitator")
    page = facilitator.get(url("session", session.pk)).content.decode()
    assert "At a CQC visit" in page and "Save attendance" in page
    assert page.count("Sent apologies") == 1  # against the third member's question

    response = facilitator.post(
        url("attendance", session.pk), attendance_post(published, **{f"member_{published.third.pk}": "no"})
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(present=True).count() == 2
    assert Attendance.objects.get(present=False).member == published.third


def test_attendance_before_the_session_is_not_offered(published: World) -> None:
    session = sessions_of(published.set1)[0]
    page = client(published, "facilitator").get(url("session", session.pk)).content.decode()
    assert "once the session has started" in page and "Move the session" in page
    response = client(published, "facilitator").post(url("attendance", session.pk), attendance_post(published))
    assert response.status_code == 400 and b"Record attendance once the session has started" in response.content
    assert not Attendance.objects.exists()


def test_attendance_for_someone_not_in_the_set_changes_nothing(published: World, clock: time_machine.Traveller) -> None:
    session = sessions_of(published.set1)[0]
    clock.move_to(session.ends_at)
    data = attendance_post(published, **{f"member_{published.other_member.pk}": "yes"})
    response = client(published, "facilitator").post(url("attendance", session.pk), data)
    assert response.status_code == 400
    assert b"only be recorded for the set&#x27;s members" in response.content
    assert not Attendance.objects.exists()


def test_attendance_needs_an_answer_for_every_member(published: World, clock: time_machine.Traveller) -> None:
    session = sessions_of(published.set1)[0]
    clock.move_to(session.ends_at)
    response = client(published, "facilitator").post(
        url("attendance", session.pk), {f"member_{published.owner.pk}": "yes"}
    )
    assert response.status_code == 400
    assert f"Say whether {published.colleague} was there".encode() in response.content
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("who", ["owner", "other_facilitator", "organiser"])
def test_only_the_facilitator_records_attendance(published: World, who: str, clock: time_machine.Traveller) -> None:
    session = sessions_of(published.set1)[0]
    clock.move_to(session.ends_at)
    assert client(published, who).post(url("attendance", session.pk), attendance_post(published)).status_code == 404
    assert not Attendance.objects.exists()


# Moving a session.


def test_the_facilitator_moves_a_session(published: World) -> None:
    session = sessions_of(published.set1)[1]
    response = client(published, "facilitator").post(
        url("session_reschedule", session.pk), {"day": "2026-11-24", "start": "15:00"}
    )
    assert response.status_code == 302 and response["Location"] == url("session", session.pk)
    session.refresh_from_db()
    assert session.starts_at.isoformat() == "2026-11-24T15:00:00+00:00"


def test_a_move_onto_a_bank_holiday_is_refused_and_kept_on_the_page(published: World) -> None:
    session = sessions_of(published.set1)[2]
    response = client(published, "facilitator").post(
        url("session_reschedule", session.pk), {"day": "2026-12-28", "start": "14:00"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Monday 28 December 2026 is a bank holiday" in page
    assert 'value="2026-12-28"' in page  # what was typed is kept
    session.refresh_from_db()
    assert session.rescheduled_at is None


def test_a_nonsense_time_is_refused(published: World) -> None:
    session = sessions_of(published.set1)[1]
    response = client(published, "facilitator").post(url("session_reschedule", session.pk), {"day": "2026-11-31"})
    assert response.status_code == 400
    assert b"Enter a real date" in response.content and b"Enter the new start time" in response.content


def test_a_date_far_off_is_refused_with_a_message(published: World) -> None:
    session = sessions_of(published.set1)[1]
    response = client(published, "facilitator").post(
        url("session_reschedule", session.pk), {"day": "9999-12-31", "start": "22:30"}
    )
    assert response.status_code == 400 and b"enter a date between 1950 and 2100" in response.content
    session.refresh_from_db()
    assert session.rescheduled_at is None


def test_an_organiser_moves_a_session_from_its_own_page_without_seeing_notes(published: World) -> None:
    note(published)
    session = sessions_of(published.set1)[1]
    organiser = client(published, "organiser")
    page = organiser.get(url("session_reschedule", session.pk))
    assert page.status_code == 200 and b"Move session 2" in page.content
    assert b"influence without authority" not in page.content
    response = organiser.post(url("session_reschedule", session.pk), {"day": "2026-11-26", "start": "10:00"})
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["owner", "other_facilitator", "outsider"])
def test_nobody_else_can_move_a_session(published: World, who: str) -> None:
    session = sessions_of(published.set1)[1]
    data = {"day": "2026-11-24", "start": "15:00"}
    assert client(published, who).post(url("session_reschedule", session.pk), data).status_code == 404
    session.refresh_from_db()
    assert session.rescheduled_at is None


# Reflections.


REFLECTION = {
    "what_happened": "I brought the rota gaps.",
    "so_what": "I had been solving it alone.",
    "now_what": "Take two options to the board.",
}


def test_a_member_writes_a_reflection_only_they_can_read(published: World, clock: time_machine.Traveller) -> None:
    session = sessions_of(published.set1)[0]
    clock.move_to(session.ends_at)
    response = client(published, "owner").post(
        url("reflection_new", published.set1.pk), {**REFLECTION, "session": str(session.pk)}
    )
    assert response.status_code == 302
    reflection = Reflection.objects.get()
    assert (reflection.author, reflection.session) == (published.owner, session)
    assert client(published, "owner").get(url("reflection", published.set1.pk, reflection.pk)).status_code == 200
    for who in ["colleague", "facilitator", *EVERYONE_ELSE]:
        assert client(published, who).get(url("reflection", published.set1.pk, reflection.pk)).status_code == 404
    # Nor is it listed on anyone else's set page.
    assert b"rota gaps" not in client(published, "colleague").get(url("set", published.set1.pk)).content
    assert b"rota gaps" not in client(published, "facilitator").get(url("set", published.set1.pk)).content


def test_an_incomplete_reflection_keeps_what_was_typed(published: World) -> None:
    response = client(published, "owner").post(url("reflection_new", published.set1.pk), {"what_happened": "Half"})
    assert response.status_code == 400
    assert b"Enter what it meant to you" in response.content and b"Half" in response.content
    assert not Reflection.objects.exists()


@pytest.mark.parametrize("who", ["facilitator", "other_member", "organiser"])
def test_only_members_write_reflections(published: World, who: str) -> None:
    assert client(published, who).post(url("reflection_new", published.set1.pk), REFLECTION).status_code == 404
    assert not Reflection.objects.exists()


def test_a_reflection_goes_into_the_members_own_plan(published: World) -> None:
    reflection = reflection_write(
        learning_set=published.set1, author=published.owner, session=None, now=NOW, **REFLECTION
    )
    plan = plan_create(
        owner=published.owner,
        title="Towards deputy MD",
        target_level=4,
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 8, 31),
        now=NOW,
    )
    owner = client(published, "owner")
    page = owner.get(url("reflection", published.set1.pk, reflection.pk)).content.decode()
    assert "Towards deputy MD" in page and "Add to my development plan" in page
    response = owner.post(url("reflection_plan", published.set1.pk, reflection.pk), {"plan": plan.pk, "title": "ALS"})
    assert response.status_code == 302
    assert PlanReflection.objects.get().plan == plan
    assert b"is in your plan" in owner.get(url("reflection", published.set1.pk, reflection.pk)).content


def test_a_reflection_cannot_be_sent_into_someone_elses_plan(published: World) -> None:
    reflection = reflection_write(
        learning_set=published.set1, author=published.owner, session=None, now=NOW, **REFLECTION
    )
    plan_create(
        owner=published.owner,
        title="Mine",
        target_level=4,
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 8, 31),
        now=NOW,
    )
    theirs = plan_create(
        owner=published.colleague,
        title="Theirs",
        target_level=4,
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 8, 31),
        now=NOW,
    )
    response = client(published, "owner").post(
        url("reflection_plan", published.set1.pk, reflection.pk), {"plan": theirs.pk, "title": "ALS"}
    )
    assert response.status_code == 400 and b"Choose one of your plans from the list" in response.content
    # The colleague cannot pull the owner's reflection into their own plan either.
    response = client(published, "colleague").post(
        url("reflection_plan", published.set1.pk, reflection.pk), {"plan": theirs.pk, "title": "ALS"}
    )
    assert response.status_code == 404
    assert not PlanReflection.objects.exists()


# Publishing, from the organiser's review page.


def test_an_organiser_publishes_and_goes_back_to_the_review_page(world: World) -> None:
    back = "/learning-sets/programmes/1/review/"
    organiser = client(world, "organiser")
    response = organiser.post(url("publish", world.programme.pk), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    world.programme.refresh_from_db()
    assert world.programme.status == ProgrammeStatus.RUNNING
    assert Session.objects.count() == 6
    page = organiser.get(url("home")).content.decode()
    assert "Published: 2 sets, 6 sessions. 4 members have their invitations" in page


def test_publish_never_redirects_off_the_site(world: World) -> None:
    response = client(world, "organiser").post(url("publish", world.programme.pk), {"next": "https://evil.example/"})
    assert response["Location"] == url("home")


def test_publishing_a_published_programme_shows_why(published: World) -> None:
    organiser = client(published, "organiser")
    organiser.post(url("publish", published.programme.pk))
    assert "This programme is already published." in organiser.get(url("home")).content.decode()
    assert Session.objects.count() == 6


@pytest.mark.parametrize("who", ["owner", "facilitator", "outsider"])
def test_publishing_is_for_organisers(world: World, who: str) -> None:
    assert client(world, who).post(url("publish", world.programme.pk)).status_code == 403
    world.programme.refresh_from_db()
    assert world.programme.status == ProgrammeStatus.GROUPING and not Reminder.objects.exists()


def test_another_organiser_cannot_publish_the_programme(world: World) -> None:
    another = ProfileFactory(user__email="another.organiser@example.org").user
    grant(another, Role.ORGANISER)
    assert signed_in(another).post(url("publish", world.programme.pk)).status_code == 404
    world.programme.refresh_from_db()
    assert world.programme.status == ProgrammeStatus.GROUPING and not Reminder.objects.exists()


def test_an_organiser_whose_role_was_revoked_can_neither_publish_nor_move_sessions(world: World) -> None:
    organiser = client(world, "organiser")
    role_revoke(user=world.organiser, role=Role.ORGANISER, revoked_by=None, now=NOW)
    assert organiser.post(url("publish", world.programme.pk)).status_code == 403
    world.programme.refresh_from_db()
    assert world.programme.status == ProgrammeStatus.GROUPING
    # Published by someone who still organises it: the revoked organiser cannot move its sessions.
    colleague = ProfileFactory(user__email="still.organising@example.org").user
    grant(colleague, Role.ORGANISER)
    world.programme.organisers.add(colleague)
    programme_publish(programme=world.programme, actor=colleague, now=NOW)
    session = sessions_of(world.set1)[1]
    assert organiser.get(url("session_reschedule", session.pk)).status_code == 404
    data = {"day": "2026-11-26", "start": "10:00"}
    assert organiser.post(url("session_reschedule", session.pk), data).status_code == 404
    session.refresh_from_db()
    assert session.rescheduled_at is None


def test_publish_is_post_only(world: World) -> None:
    assert client(world, "organiser").get(url("publish", world.programme.pk)).status_code == 405


def test_the_calendar_link_is_made_by_post(published: World) -> None:
    owner = client(published, "owner")
    assert owner.get(url("feed_reset")).status_code == 405
    assert owner.post(url("feed_reset")).status_code == 302
    feed = CalendarFeed.objects.get(person=published.owner)
    assert feed.token in owner.get(url("home")).content.decode()
