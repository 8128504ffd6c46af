"""The pages as the two people in a bilateral, a third medical director, an organiser and an administrator: a
bilateral, its meetings, calendar file and log are a 404 to anyone but the two, with nothing of them on the page;
bad input is a clear message that changes nothing; the wrong method is a 405."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from apps.accounts.models import User
from apps.bilaterals.models import Bilateral, BilateralMeeting, BilateralNote, BilateralStatus, MeetingStatus
from apps.bilaterals.services import NOT_AVAILABLE, bilateral_end, meeting_schedule, note_add
from apps.profiles.models import CareerRole
from tests.conftest import signed_in
from tests.factories import ProfileFactory

from .support import FIRST_OPTION, LONDON, agreed, booked, md, proposed

pytestmark = pytest.mark.django_db

NOTE = "We agreed to compare our revalidation dashboards."
AFTER = FIRST_OPTION + timedelta(hours=2)


@pytest.fixture
def alice() -> User:
    return md("alice@example.org")


@pytest.fixture
def bola() -> User:
    return md("bola@example.org", role=CareerRole.DEPUTY_MD)


@pytest.fixture
def carol() -> User:
    return md("carol@example.org")


def page(client: Client, url: str, **data: str) -> str:
    response = client.post(url, data) if data else client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Proposing ----------------------------------------------------------------------------------------------------


def test_proposing_shows_the_bilateral_waiting_for_an_answer(alice: User, bola: User) -> None:
    client = signed_in(alice)
    assert "Propose a bilateral" in page(client, reverse("bilaterals:propose"))
    response = client.post(
        reverse("bilaterals:propose"),
        {"partner_email": "Bola@Example.org", "cadence_months": "2", "message": "Shall we?"},
        follow=True,
    )
    html = response.content.decode()
    assert f"Your proposal is with {bola.display_name}. Nothing is booked until they agree." in html
    assert "Waiting for an answer" in html
    bilateral = Bilateral.objects.get()
    assert (bilateral.partner, bilateral.cadence_months, bilateral.message) == (bola, 2, "Shall we?")


@pytest.mark.parametrize("cadence", ["0", "4", "weekly", ""])
def test_a_cadence_other_than_one_to_three_months_is_refused_on_the_page(alice: User, bola: User, cadence: str) -> None:
    data = {"partner_email": bola.email, "cadence_months": cadence}
    response = signed_in(alice).post(reverse("bilaterals:propose"), data)
    assert response.status_code == 400
    assert "Choose how often: every month, every two months or every three months" in response.content.decode()
    assert not Bilateral.objects.exists()


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("alice@example.org", "You cannot propose a bilateral to yourself."),
        ("nobody@example.org", NOT_AVAILABLE),
        ("consultant@example.org", NOT_AVAILABLE),
    ],
)
def test_yourself_nobody_and_someone_below_md_level_are_refused(alice: User, address: str, message: str) -> None:
    ProfileFactory(user__email="consultant@example.org")
    response = signed_in(alice).post(
        reverse("bilaterals:propose"), {"partner_email": address, "cadence_months": "1", "message": "Kept"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert message.replace("’", "&#x27;") in html or message in html
    assert "Kept</textarea>" in html  # what was typed stays
    assert not Bilateral.objects.exists()


# --- Answering ----------------------------------------------------------------------------------------------------


def test_the_partner_agrees_and_a_double_submit_is_told_it_is_answered(alice: User, bola: User) -> None:
    bilateral = proposed(alice, bola)
    client = signed_in(bola)
    html = page(client, reverse("bilaterals:list"))
    assert f"{alice.display_name} proposes to meet every month" in html
    assert "Agree to meet" in page(client, reverse("bilaterals:detail", args=[bilateral.pk]))
    response = client.post(reverse("bilaterals:accept", args=[bilateral.pk]), follow=True)
    assert f"You agreed to meet {alice.display_name} every month." in response.content.decode()
    again = client.post(reverse("bilaterals:accept", args=[bilateral.pk]), follow=True)
    assert "You have already answered this proposal: it is agreed." in again.content.decode()
    assert Bilateral.objects.get().status == BilateralStatus.AGREED


def test_the_partner_declines(alice: User, bola: User) -> None:
    bilateral = proposed(alice, bola)
    response = signed_in(bola).post(reverse("bilaterals:decline", args=[bilateral.pk]), follow=True)
    assert f"You declined. {alice.display_name} is told." in response.content.decode()
    assert Bilateral.objects.get().status == BilateralStatus.DECLINED


def test_the_proposer_cannot_answer_their_own_proposal(alice: User, bola: User) -> None:
    bilateral = proposed(alice, bola)
    client = signed_in(alice)
    assert client.post(reverse("bilaterals:accept", args=[bilateral.pk])).status_code == 404
    assert client.post(reverse("bilaterals:decline", args=[bilateral.pk])).status_code == 404
    assert Bilateral.objects.get().status == BilateralStatus.PROPOSED


def test_nothing_can_be_booked_with_a_partner_who_has_not_agreed(alice: User, bola: User) -> None:
    bilateral = proposed(alice, bola)
    url = reverse("bilaterals:choose_time", args=[bilateral.pk])
    assert "the bilateral is not agreed yet" in page(signed_in(alice), url)
    response = signed_in(alice).post(url, {"choice": "other", "day": "2026-12-15", "start": "14:00"})
    assert response.status_code == 400
    assert f"{bola.display_name} has not agreed to this bilateral yet" in response.content.decode()
    assert not BilateralMeeting.objects.exists()


# --- Availability and choosing a time ----------------------------------------------------------------------------


def test_availability_is_saved_and_shown_to_both(alice: User, bola: User) -> None:
    bilateral = agreed(alice, bola, slots=False)
    url = reverse("bilaterals:availability", args=[bilateral.pk])
    response = signed_in(bola).post(url, {"slots_tue": ["tue-14:00", "tue-16:00"]}, follow=True)
    assert "Your weekly times are saved." in response.content.decode()
    assert Bilateral.objects.get().partner_slots == ["tue-14:00", "tue-16:00"]
    assert "Tuesday 14:00 to 16:00" in page(signed_in(alice), reverse("bilaterals:detail", args=[bilateral.pk]))


@pytest.mark.parametrize(
    ("data", "message"),
    [({}, "Choose at least one weekly time you can make"), ({"slots_tue": ["sat-14:00"]}, "is not one of the weekly")],
)
def test_bad_availability_is_refused(alice: User, bola: User, data: dict[str, list[str]], message: str) -> None:
    bilateral = agreed(alice, bola, slots=False)
    response = signed_in(bola).post(reverse("bilaterals:availability", args=[bilateral.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Bilateral.objects.get().partner_slots == []


def test_choosing_a_proposed_time_books_it_for_both(alice: User, bola: User) -> None:
    bilateral = agreed(alice, bola)
    url = reverse("bilaterals:choose_time", args=[bilateral.pk])
    html = page(signed_in(bola), url)
    assert "Tuesday 15 December 2026 at 14:00" in html
    assert "Tuesday 22 December 2026 at 14:00" in html
    response = signed_in(bola).post(url, {"choice": FIRST_OPTION.isoformat()}, follow=True)
    assert "The meeting is booked." in response.content.decode()
    assert BilateralMeeting.objects.get().starts_at == FIRST_OPTION
    assert "Tuesday 15 December 2026 at 14:00" in page(signed_in(alice), reverse("bilaterals:list"))


def test_typing_another_date_and_time_books_it(alice: User, bola: User) -> None:
    bilateral = agreed(alice, bola)
    data = {"choice": "other", "day": "2026-12-16", "start": "09:30"}
    response = signed_in(alice).post(reverse("bilaterals:choose_time", args=[bilateral.pk]), data)
    assert response.status_code == 302
    assert BilateralMeeting.objects.get().starts_at.isoformat() == "2026-12-16T09:30:00+00:00"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"choice": "other", "day": "2026-12-01", "start": "14:00"}, "Choose a time in the future"),
        ({"choice": "other", "day": "2026-12-25", "start": "14:00"}, "bank holiday (Christmas Day)"),
        ({"choice": "other", "day": "", "start": ""}, "Enter the date"),
        ({"choice": "2026-12-16T14:00:00+00:00"}, "Choose one of the times offered"),
        ({}, "Choose one of the times, or another date and time"),
    ],
)
def test_a_past_holiday_missing_or_unoffered_time_is_refused(
    alice: User, bola: User, data: dict[str, str], message: str
) -> None:
    bilateral = agreed(alice, bola)
    response = signed_in(alice).post(reverse("bilaterals:choose_time", args=[bilateral.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not BilateralMeeting.objects.exists()


# --- The meeting, its calendar file, moving and cancelling -------------------------------------------------------


def test_the_calendar_download_parses_back_with_its_uid_time_and_sequence(alice: User, bola: User) -> None:
    meeting = booked(agreed(alice, bola))
    html = page(signed_in(alice), reverse("bilaterals:meeting", args=[meeting.pk]))
    assert "Download the calendar file (.ics)" in html
    response = signed_in(alice).get(reverse("bilaterals:meeting_calendar", args=[meeting.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="bilateral-{meeting.pk}.ics"'
    calendar = Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]).startswith(f"bilateral-meeting-{meeting.pk}@")
    assert event.decoded("DTSTART") == FIRST_OPTION
    assert event.decoded("DTEND") == FIRST_OPTION + timedelta(hours=1)
    assert str(event["SUMMARY"]) == f"Bilateral with {bola.display_name}"
    assert int(event["SEQUENCE"]) == 0


def test_moving_then_cancelling_updates_the_calendar_file(alice: User, bola: User) -> None:
    meeting = booked(agreed(alice, bola))
    client = signed_in(bola)
    move = reverse("bilaterals:meeting_move", args=[meeting.pk])
    assert "It is booked for Tuesday 15 December 2026 at 14:00" in page(client, move)
    response = client.post(move, {"day": "2026-12-17", "start": "11:00"}, follow=True)
    assert "The meeting has moved." in response.content.decode()
    (event,) = Calendar.from_ical(client.get(reverse("bilaterals:meeting_calendar", args=[meeting.pk])).content).walk(
        "VEVENT"
    )
    assert (int(event["SEQUENCE"]), event.decoded("DTSTART").isoformat()) == (1, "2026-12-17T11:00:00+00:00")

    cancel = reverse("bilaterals:meeting_cancel", args=[meeting.pk])
    assert "Cancel the meeting?" in page(client, cancel)
    response = client.post(cancel, follow=True)
    assert "The meeting is cancelled." in response.content.decode()
    calendar = Calendar.from_ical(client.get(reverse("bilaterals:meeting_calendar", args=[meeting.pk])).content)
    assert calendar["METHOD"] == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert (int(event["SEQUENCE"]), str(event["STATUS"])) == (2, "CANCELLED")
    assert str(event["ATTENDEE"]) == f"mailto:{bola.email}"


def test_a_move_into_the_past_is_refused_and_changes_nothing(alice: User, bola: User) -> None:
    meeting = booked(agreed(alice, bola))
    response = signed_in(bola).post(
        reverse("bilaterals:meeting_move", args=[meeting.pk]), {"day": "2026-12-01", "start": "11:00"}
    )
    assert response.status_code == 400
    assert "Choose a time in the future" in response.content.decode()
    assert BilateralMeeting.objects.get().starts_at == FIRST_OPTION


def test_the_log_is_written_after_the_meeting_and_read_by_both(alice: User, bola: User) -> None:
    meeting = booked(agreed(alice, bola))
    url = reverse("bilaterals:note_new", args=[meeting.pk])
    early = signed_in(alice).post(url, {"text": "Too soon"})
    assert early.status_code == 400
    assert "You can write in the log once the meeting has started." in early.content.decode()
    with time_machine.travel(AFTER, tick=False):
        empty = signed_in(alice).post(url, {"text": ""})
        assert empty.status_code == 400
        assert "Write the note first" in empty.content.decode()
        response = signed_in(alice).post(url, {"text": NOTE}, follow=True)
        assert "Your note is in the log. Only the two of you can read it." in response.content.decode()
        assert NOTE in page(signed_in(bola), reverse("bilaterals:meeting", args=[meeting.pk]))
    assert BilateralNote.objects.get().author == alice


def test_ending_a_bilateral(alice: User, bola: User) -> None:
    bilateral = agreed(alice, bola)
    booked(bilateral)
    url = reverse("bilaterals:end", args=[bilateral.pk])
    assert "End this bilateral?" in page(signed_in(alice), url)
    response = signed_in(alice).post(url, follow=True)
    assert f"The bilateral has ended. {bola.display_name} is told." in response.content.decode()
    assert Bilateral.objects.get().status == BilateralStatus.ENDED
    assert BilateralMeeting.objects.get().status == MeetingStatus.CANCELLED
    # Ended: no more availability, booking or ending; the page and the log stay readable to the two.
    assert signed_in(alice).post(url).status_code == 404
    assert signed_in(bola).get(reverse("bilaterals:detail", args=[bilateral.pk])).status_code == 200


# --- Everyone else ------------------------------------------------------------------------------------------------


def _every_url(bilateral: Bilateral, meeting: BilateralMeeting) -> list[str]:
    on_bilateral = ("detail", "accept", "decline", "availability", "choose_time", "end")
    on_meeting = ("meeting", "meeting_calendar", "note_new", "meeting_move", "meeting_cancel")
    return [reverse(f"bilaterals:{name}", args=[bilateral.pk]) for name in on_bilateral] + [
        reverse(f"bilaterals:{name}", args=[meeting.pk]) for name in on_meeting
    ]


@pytest.mark.parametrize("who", ["carol", "organiser", "administrator"])
def test_anyone_but_the_two_gets_a_404_and_sees_nothing(
    alice: User, bola: User, who: str, request: pytest.FixtureRequest
) -> None:
    bilateral = agreed(alice, bola)
    meeting = booked(bilateral)
    note_add(meeting_id=meeting.pk, author=alice, text=NOTE, now=AFTER)
    client = signed_in(request.getfixturevalue(who))
    for url in _every_url(bilateral, meeting):
        for response in (client.get(url), client.post(url, {"text": "Nosy", "day": "2026-12-17", "start": "11:00"})):
            assert response.status_code in (404, 405), url
            assert NOTE not in response.content.decode()
    listing = page(client, reverse("bilaterals:list"))
    assert alice.display_name not in listing
    assert bola.display_name not in listing
    assert BilateralNote.objects.count() == 1
    assert BilateralMeeting.objects.get().starts_at == FIRST_OPTION
    assert Bilateral.objects.get().status == BilateralStatus.AGREED


def test_signed_out_is_sent_to_sign_in(alice: User, bola: User) -> None:
    bilateral = agreed(alice, bola)
    response = Client().get(reverse("bilaterals:detail", args=[bilateral.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_the_wrong_method_is_refused(alice: User, bola: User) -> None:
    bilateral = agreed(alice, bola)
    meeting = booked(bilateral)
    client = signed_in(alice)
    assert client.post(reverse("bilaterals:list")).status_code == 405
    assert client.post(reverse("bilaterals:detail", args=[bilateral.pk])).status_code == 405
    assert client.get(reverse("bilaterals:accept", args=[bilateral.pk])).status_code == 405
    assert client.get(reverse("bilaterals:decline", args=[bilateral.pk])).status_code == 405
    assert client.post(reverse("bilaterals:meeting", args=[meeting.pk])).status_code == 405
    assert client.post(reverse("bilaterals:meeting_calendar", args=[meeting.pk])).status_code == 405
    assert client.get(reverse("bilaterals:note_new", args=[meeting.pk])).status_code == 405
    assert client.put(reverse("bilaterals:end", args=[bilateral.pk])).status_code == 405


# --- The list page's queries ------------------------------------------------------------------------------------


def test_the_list_makes_the_same_queries_however_many_bilaterals(
    alice: User, django_assert_num_queries: object
) -> None:
    client = signed_in(alice)
    client.get(reverse("bilaterals:list"))  # warm the session

    def count() -> str:
        # 1 session, 2 user, 3 the bilaterals with both people and their next meeting (two subqueries); the
        # header's 4 roles and 5 unread reminders
        with django_assert_num_queries(5):  # type: ignore[operator]
            response = client.get(reverse("bilaterals:list"))
        return response.content.decode()

    booked(agreed(alice, md("p0@example.org")))
    proposed(md("p1@example.org"), alice)
    assert count().count("Tuesday 15 December 2026 at 14:00") == 1
    for i in range(2, 8):
        bilateral = agreed(alice, md(f"p{i}@example.org"))
        if i % 2:
            booked(bilateral, at=FIRST_OPTION + timedelta(days=7 * i))
    proposed(md("p9@example.org"), alice)
    html = count()
    assert html.count("choose a time</a>") == 3
    assert html.count("proposes to meet every month") == 2


# --- Found in review ----------------------------------------------------------------------------------------------


def test_times_proposed_across_the_change_to_summer_time_are_shown_and_booked_in_uk_time(
    alice: User, bola: User
) -> None:
    """The clocks go forward on Sunday 28 March 2027: 14:00 on the Tuesday before is 14:00 UTC, on the Tuesday
    after 13:00 UTC. Both are shown as 14:00 and booked as the person chose them."""
    bilateral = agreed(alice, bola, cadence=3)
    booked(bilateral, at=datetime(2026, 12, 29, 14, 0, tzinfo=LONDON))  # the next is due on 29 March 2027
    url = reverse("bilaterals:choose_time", args=[bilateral.pk])
    with time_machine.travel(datetime(2027, 1, 5, 10, 0, tzinfo=UTC), tick=False):
        html = page(signed_in(alice), url)
        assert "Tuesday 23 March 2027 at 14:00" in html
        assert "Tuesday 30 March 2027 at 14:00" in html
        response = signed_in(alice).post(url, {"choice": "2027-03-30T14:00:00+01:00"})
        assert response.status_code == 302
    meeting = BilateralMeeting.objects.order_by("-starts_at").first()
    assert meeting is not None
    assert meeting.starts_at == datetime(2027, 3, 30, 13, 0, tzinfo=UTC)
    assert meeting.ends_at == datetime(2027, 3, 30, 14, 0, tzinfo=UTC)


def test_the_bilateral_and_meeting_pages_make_the_same_queries_however_many_meetings_and_notes(
    alice: User, bola: User
) -> None:
    bilateral = agreed(alice, bola)
    first = booked(bilateral)
    note_add(meeting_id=first.pk, author=alice, text=NOTE, now=AFTER)
    client = signed_in(alice)
    urls = [reverse("bilaterals:detail", args=[bilateral.pk]), reverse("bilaterals:meeting", args=[first.pk])]
    client.get(urls[0])  # warm the session

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    for week in range(1, 5):
        at = FIRST_OPTION + timedelta(weeks=week)
        meeting_schedule(bilateral_id=bilateral.pk, person=bola, starts_at=at, now=at - timedelta(days=1))
        note_add(meeting_id=first.pk, author=bola if week % 2 else alice, text=f"Note {week}", now=AFTER)
    assert BilateralMeeting.objects.count() == 5
    assert counts() == before


def test_a_double_decline_or_declining_a_withdrawn_proposal_is_told_so_not_a_404(alice: User, bola: User) -> None:
    """Like agreeing twice: a second click, or a proposal withdrawn while the partner read it, gets a message."""
    bilateral = proposed(alice, bola)
    url = reverse("bilaterals:decline", args=[bilateral.pk])
    signed_in(bola).post(url)
    again = signed_in(bola).post(url, follow=True)
    assert again.status_code == 200
    assert "You have already answered this proposal: it is declined." in again.content.decode()
    withdrawn = proposed(alice, bola)
    bilateral_end(bilateral_id=withdrawn.pk, person=alice, now=timezone.now())
    response = signed_in(bola).post(reverse("bilaterals:decline", args=[withdrawn.pk]), follow=True)
    assert response.status_code == 200
    assert "This proposal was withdrawn." in response.content.decode()
    assert Bilateral.objects.get(pk=withdrawn.pk).status == BilateralStatus.ENDED
