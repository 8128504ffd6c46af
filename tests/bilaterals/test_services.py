"""The rules of bilaterals, through the services: who may be proposed, how often, nothing before agreeing, one
meeting at a time in the future, moves and cancellations with their calendar sequence, the log, ending; and the
reminders each change leaves in the outbox."""

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from apps.accounts.models import User
from apps.audit.models import ChangeEvent
from apps.bilaterals.models import Bilateral, BilateralMeeting, BilateralNote, BilateralStatus, MeetingStatus
from apps.bilaterals.services import (
    NOT_AVAILABLE,
    BilateralError,
    bilateral_accept,
    bilateral_decline,
    bilateral_end,
    bilateral_propose,
    bilaterals_leave,
    meeting_cancel,
    meeting_move,
    note_add,
)
from apps.notifications.models import Reminder, ReminderStatus
from apps.profiles.models import CareerRole
from tests.factories import ProfileFactory, UserFactory
from tests.support.outbox import send_outbox

from .support import FIRST_OPTION, LONDON, agreed, booked, md, proposed

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice() -> User:
    return md("alice@example.org")


@pytest.fixture
def bola() -> User:
    return md("bola@example.org", role=CareerRole.DEPUTY_MD)


def pending(prefix: str = "bilateral:") -> dict[str, tuple[str, int | None]]:
    rows = Reminder.objects.filter(dedupe_key__startswith=prefix, status=ReminderStatus.PENDING)
    return {r.dedupe_key: (r.kind, r.recipient_id) for r in rows}


# --- Proposing ----------------------------------------------------------------------------------------------------


def test_a_proposal_waits_for_the_partner_and_tells_them(alice: User, bola: User) -> None:
    bilateral = proposed(alice, bola, cadence=2)
    assert bilateral.status == BilateralStatus.PROPOSED
    assert bilateral.cadence_months == 2
    assert pending() == {f"bilateral:{bilateral.pk}:proposed": ("bilateral_proposed", bola.pk)}
    assert not BilateralMeeting.objects.exists()
    assert ChangeEvent.objects.get(subject=bola).action == "proposed a bilateral"


@pytest.mark.parametrize("cadence", [0, 4, 12, -1])
def test_more_often_than_monthly_or_rarer_than_three_monthly_is_refused(alice: User, bola: User, cadence: int) -> None:
    with pytest.raises(BilateralError, match="every one, two or three months"):
        proposed(alice, bola, cadence=cadence)
    assert not Bilateral.objects.exists()


def test_yourself_is_refused_whatever_the_case_of_the_address(alice: User) -> None:
    with pytest.raises(BilateralError, match="yourself"):
        bilateral_propose(
            proposer=alice, partner_email="ALICE@example.org ", cadence_months=1, message="", now=timezone.now()
        )


def test_nobody_someone_below_md_level_and_a_closed_account_get_the_same_message(alice: User) -> None:
    consultant = ProfileFactory(user__email="consultant@example.org").user  # a consultant: not MD level
    closed = md("closed@example.org")
    closed.is_active = False
    closed.save()
    no_profile = UserFactory(email="noprofile@example.org")
    for address in ("nobody@example.org", consultant.email, closed.email, no_profile.email):
        with pytest.raises(BilateralError) as refused:
            bilateral_propose(proposer=alice, partner_email=address, cadence_months=1, message="", now=timezone.now())
        assert str(refused.value) == NOT_AVAILABLE
    assert not Bilateral.objects.exists()


def test_someone_not_at_md_level_cannot_propose(bola: User) -> None:
    consultant = ProfileFactory(user__email="consultant@example.org").user
    with pytest.raises(BilateralError, match="medical director level"):
        proposed(consultant, bola)


def test_a_second_live_bilateral_with_the_same_person_is_refused_either_way_round(alice: User, bola: User) -> None:
    proposed(alice, bola)
    with pytest.raises(BilateralError, match="already proposed a bilateral to"):
        proposed(alice, bola)
    with pytest.raises(BilateralError, match="has already proposed a bilateral to you"):
        proposed(bola, alice)
    assert Bilateral.objects.count() == 1


def test_after_a_decline_or_an_end_a_new_proposal_may_be_made(alice: User, bola: User) -> None:
    first = proposed(alice, bola)
    bilateral_decline(bilateral_id=first.pk, partner=bola, now=timezone.now())
    again = proposed(bola, alice)
    assert again.status == BilateralStatus.PROPOSED


# --- Answering ----------------------------------------------------------------------------------------------------


def test_agreeing_tells_the_proposer_and_reminds_both_when_the_first_meeting_is_due(alice: User, bola: User) -> None:
    bilateral = proposed(alice, bola)
    bilateral_accept(bilateral_id=bilateral.pk, partner=bola, now=timezone.now())
    bilateral.refresh_from_db()
    assert bilateral.status == BilateralStatus.AGREED
    key = f"bilateral:{bilateral.pk}:"
    assert pending(key) == {
        f"{key}answered": ("bilateral_answered", alice.pk),
        f"{key}due:{alice.pk}:2026-12-21": ("bilateral_due", alice.pk),
        f"{key}due:{bola.pk}:2026-12-21": ("bilateral_due", bola.pk),
    }
    due = Reminder.objects.get(dedupe_key=f"{key}due:{alice.pk}:2026-12-21")
    assert due.due_at == datetime(2026, 12, 21, 9, 0, tzinfo=LONDON)


def test_only_the_partner_answers_and_only_once(alice: User, bola: User) -> None:
    bilateral = proposed(alice, bola)
    with pytest.raises(BilateralError, match="Only the person it was proposed to"):
        bilateral_accept(bilateral_id=bilateral.pk, partner=alice, now=timezone.now())
    bilateral_accept(bilateral_id=bilateral.pk, partner=bola, now=timezone.now())
    with pytest.raises(BilateralError, match="already answered"):
        bilateral_accept(bilateral_id=bilateral.pk, partner=bola, now=timezone.now())
    with pytest.raises(BilateralError, match="already answered"):
        bilateral_decline(bilateral_id=bilateral.pk, partner=bola, now=timezone.now())


def test_a_third_person_cannot_answer(alice: User, bola: User) -> None:
    bilateral = proposed(alice, bola)
    with pytest.raises(BilateralError, match="not there"):
        bilateral_accept(bilateral_id=bilateral.pk, partner=md("carol@example.org"), now=timezone.now())
    assert Bilateral.objects.get().status == BilateralStatus.PROPOSED


def test_a_withdrawn_proposal_cannot_be_accepted(alice: User, bola: User) -> None:
    bilateral = proposed(alice, bola)
    bilateral_end(bilateral_id=bilateral.pk, person=alice, now=timezone.now())
    with pytest.raises(BilateralError, match="withdrawn"):
        bilateral_accept(bilateral_id=bilateral.pk, partner=bola, now=timezone.now())


# --- Meetings -----------------------------------------------------------------------------------------------------


def test_nothing_is_booked_before_the_partner_agrees(alice: User, bola: User) -> None:
    bilateral = proposed(alice, bola)
    with pytest.raises(BilateralError, match="has not agreed"):
        booked(bilateral, by=alice)
    with pytest.raises(BilateralError, match="Agree to this bilateral first"):
        booked(bilateral, by=bola)
    assert not BilateralMeeting.objects.exists()


def test_booking_invites_both_reminds_the_day_before_and_moves_the_due_reminder(alice: User, bola: User) -> None:
    bilateral = agreed(alice, bola)
    meeting = booked(bilateral, by=bola)
    assert meeting.ends_at - meeting.starts_at == timedelta(hours=1)
    kinds = sorted(kind for kind, _ in pending(f"bilateral:{bilateral.pk}:meeting:").values())
    assert kinds == ["bilateral_meeting_booked"] * 2 + ["bilateral_meeting_tomorrow"] * 2
    invitation = Reminder.objects.get(kind="bilateral_meeting_booked", recipient=alice)
    assert invitation.context["other_name"] == bola.display_name
    assert invitation.context["event"]["uid"].startswith(f"bilateral-meeting-{meeting.pk}@")
    # The next is due a month after this one; the reminder for 21 December is cancelled.
    due = {key for key, (kind, _) in pending().items() if kind == "bilateral_due"}
    assert due == {f"bilateral:{bilateral.pk}:due:{p.pk}:2027-01-15" for p in (alice, bola)}


@pytest.mark.parametrize(
    ("at", "message"),
    [
        (datetime(2026, 12, 7, 9, 0, tzinfo=LONDON), "has passed"),
        (datetime(2026, 12, 25, 14, 0, tzinfo=LONDON), "bank holiday"),
        (datetime(2026, 12, 19, 14, 0, tzinfo=LONDON), "weekday"),
        (datetime(2026, 12, 15, 6, 0, tzinfo=LONDON), "between 07:00 and 20:00"),
        (datetime(2028, 1, 4, 14, 0, tzinfo=LONDON), "within the next year"),
    ],
)
def test_a_time_in_the_past_on_a_holiday_or_out_of_hours_is_refused(
    alice: User, bola: User, at: datetime, message: str
) -> None:
    bilateral = agreed(alice, bola)
    with pytest.raises(BilateralError, match=message):
        booked(bilateral, at=at)
    assert not BilateralMeeting.objects.exists()


def test_one_meeting_is_booked_at_a_time(alice: User, bola: User) -> None:
    bilateral = agreed(alice, bola)
    booked(bilateral)
    with pytest.raises(BilateralError, match="already booked for 15 December 2026 at 14:00"):
        booked(bilateral, by=bola, at=FIRST_OPTION + timedelta(days=7))
    assert BilateralMeeting.objects.count() == 1


def test_moving_raises_the_sequence_and_sends_the_new_time(alice: User, bola: User) -> None:
    meeting = booked(agreed(alice, bola))
    later = FIRST_OPTION + timedelta(days=1, hours=-4)  # Wednesday 16 December, 10:00
    moved = meeting_move(meeting_id=meeting.pk, person=bola, starts_at=later, now=timezone.now())
    assert (moved.sequence, moved.starts_at) == (1, later)
    news = Reminder.objects.get(kind="bilateral_meeting_moved", recipient=alice)
    assert news.context["event"]["sequence"] == 1
    assert news.context["was_starts_at"] == FIRST_OPTION.isoformat()
    tomorrow = Reminder.objects.filter(kind="bilateral_meeting_tomorrow", status=ReminderStatus.PENDING)
    assert {r.due_at for r in tomorrow} == {later - timedelta(days=1)}
    with pytest.raises(BilateralError, match="already booked for"):
        meeting_move(meeting_id=meeting.pk, person=alice, starts_at=later, now=timezone.now())


def test_cancelling_sends_a_calendar_cancellation_and_the_next_is_due_as_before(alice: User, bola: User) -> None:
    bilateral = agreed(alice, bola)
    meeting = booked(bilateral)
    cancelled = meeting_cancel(meeting_id=meeting.pk, person=alice, now=timezone.now())
    assert (cancelled.status, cancelled.sequence) == (MeetingStatus.CANCELLED, 1)
    notice = Reminder.objects.get(kind="bilateral_meeting_cancelled", recipient=bola)
    assert notice.context["event"]["status"] == "CANCELLED"
    assert not Reminder.objects.filter(kind="bilateral_meeting_tomorrow", status=ReminderStatus.PENDING).exists()
    due = {key for key, (kind, _) in pending().items() if kind == "bilateral_due"}
    assert due == {f"bilateral:{bilateral.pk}:due:{p.pk}:2026-12-21" for p in (alice, bola)}
    with pytest.raises(BilateralError, match="cancelled"):
        meeting_move(meeting_id=meeting.pk, person=alice, starts_at=FIRST_OPTION, now=timezone.now())
    assert booked(bilateral).status == MeetingStatus.SCHEDULED  # a new time can be booked


def test_a_meeting_that_has_started_cannot_be_moved_or_cancelled(alice: User, bola: User) -> None:
    meeting = booked(agreed(alice, bola))
    later = FIRST_OPTION + timedelta(minutes=5)
    with pytest.raises(BilateralError, match="already started"):
        meeting_cancel(meeting_id=meeting.pk, person=alice, now=later)


# --- The log ------------------------------------------------------------------------------------------------------


def test_the_log_is_written_by_the_two_once_the_meeting_has_started(alice: User, bola: User) -> None:
    meeting = booked(agreed(alice, bola))
    with pytest.raises(BilateralError, match="once the meeting has started"):
        note_add(meeting_id=meeting.pk, author=alice, text="Early", now=timezone.now())
    after = FIRST_OPTION + timedelta(hours=1)
    note = note_add(meeting_id=meeting.pk, author=bola, text="  Agreed to share our board papers.  ", now=after)
    assert note.text == "Agreed to share our board papers."
    with pytest.raises(BilateralError, match="not there"):
        note_add(meeting_id=meeting.pk, author=md("carol@example.org"), text="Nosy", now=after)
    with pytest.raises(BilateralError, match="Write the note"):
        note_add(meeting_id=meeting.pk, author=alice, text="   ", now=after)
    assert BilateralNote.objects.count() == 1
    # The audit log never holds the words.
    assert not ChangeEvent.objects.filter(after__icontains="board papers").exists()


# --- Ending -------------------------------------------------------------------------------------------------------


def test_ending_stops_every_reminder_and_cancels_the_meeting_to_come(alice: User, bola: User) -> None:
    bilateral = agreed(alice, bola)
    meeting = booked(bilateral)
    bilateral_end(bilateral_id=bilateral.pk, person=bola, now=timezone.now())
    bilateral.refresh_from_db()
    meeting.refresh_from_db()
    assert bilateral.status == BilateralStatus.ENDED
    assert meeting.status == MeetingStatus.CANCELLED
    assert sorted(kind for kind, _ in pending().values()) == [
        "bilateral_ended",
        "bilateral_meeting_cancelled",
        "bilateral_meeting_cancelled",
    ]
    with pytest.raises(BilateralError, match="already ended"):
        bilateral_end(bilateral_id=bilateral.pk, person=alice, now=timezone.now())
    with pytest.raises(BilateralError, match="ended"):
        booked(bilateral)


def test_the_partner_declines_rather_than_ends_a_proposal(alice: User, bola: User) -> None:
    bilateral = proposed(alice, bola)
    with pytest.raises(BilateralError, match="decline it"):
        bilateral_end(bilateral_id=bilateral.pk, person=bola, now=timezone.now())


def test_leaving_the_portal_ends_every_live_bilateral_and_stops_the_others_reminders(alice: User, bola: User) -> None:
    carol = md("carol@example.org")
    with_bola = agreed(alice, bola)
    booked(with_bola)
    from_carol = proposed(carol, alice)
    bilaterals_leave(person=alice, now=timezone.now())
    assert Bilateral.objects.get(pk=with_bola.pk).status == BilateralStatus.ENDED
    assert Bilateral.objects.get(pk=from_carol.pk).status == BilateralStatus.DECLINED
    waiting = {kind for kind, recipient in pending().values() if recipient != alice.pk}
    assert waiting == {"bilateral_ended", "bilateral_meeting_cancelled", "bilateral_answered"}
    # The bilateral goes with the account: the e-mail links to the list, not to a page that will be gone.
    assert Reminder.objects.get(kind="bilateral_ended").context["url"] == "/bilaterals/"


def test_the_invitation_e_mail_carries_a_calendar_file_that_parses_back(alice: User, bola: User) -> None:
    meeting = booked(agreed(alice, bola))
    mail.outbox.clear()
    send_outbox()
    invitations = [m for m in mail.outbox if "Bilateral with" in m.subject]
    assert sorted(m.to[0] for m in invitations) == [alice.email, bola.email]
    to_alice = next(m for m in invitations if m.to == [alice.email])
    filename, body, _ = next(a for a in to_alice.attachments if str(a[2]).startswith("text/calendar"))
    assert filename.endswith(".ics")
    calendar = Calendar.from_ical(body)
    assert calendar["METHOD"] == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"bilateral-meeting-{meeting.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}"
    assert event.decoded("DTSTART") == FIRST_OPTION
    assert str(event["SUMMARY"]) == f"Bilateral with {bola.display_name}"


# --- Found in review ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", [bilateral_accept, bilateral_decline])
def test_answering_stops_the_unsent_invitation_to_answer(
    alice: User, bola: User, answer: Callable[..., Bilateral]
) -> None:
    """A partner who reads their digest after answering must not be asked again to accept or decline."""
    bilateral = proposed(alice, bola)
    key = f"bilateral:{bilateral.pk}:proposed"
    assert Reminder.objects.get(dedupe_key=key).status == ReminderStatus.PENDING
    answer(bilateral_id=bilateral.pk, partner=bola, now=timezone.now())
    assert Reminder.objects.get(dedupe_key=key).status == ReminderStatus.CANCELLED
    assert pending(f"bilateral:{bilateral.pk}:answered") == {
        f"bilateral:{bilateral.pk}:answered": ("bilateral_answered", alice.pk)
    }
