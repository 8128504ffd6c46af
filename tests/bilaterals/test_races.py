"""Two clicks at the same moment, on real PostgreSQL: a double accept answers once, two people booking a time at
once book one meeting, and two people proposing to each other at once make one bilateral."""

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.bilaterals.models import Bilateral, BilateralMeeting, BilateralStatus, MeetingStatus
from apps.bilaterals.services import (
    BilateralError,
    bilateral_accept,
    bilateral_end,
    bilateral_propose,
    meeting_move,
    meeting_schedule,
)
from apps.notifications.models import Reminder, ReminderStatus
from tests.support.races import race

from .support import FIRST_OPTION, agreed, booked, md, proposed

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_double_accept_agrees_once(reference_data: None) -> None:
    alice, bola = md("alice@example.org"), md("bola@example.org")
    bilateral = proposed(alice, bola)

    def accept() -> object:
        return bilateral_accept(bilateral_id=bilateral.pk, partner=bola, now=timezone.now())

    outcomes = race(accept, accept)
    refused = [o for o in outcomes if isinstance(o, BilateralError)]
    assert len(refused) == 1
    assert "already answered" in str(refused[0])
    assert Bilateral.objects.get().status == BilateralStatus.AGREED
    assert Reminder.objects.filter(kind="bilateral_answered").count() == 1


def test_both_people_booking_at_once_book_one_meeting(reference_data: None) -> None:
    alice, bola = md("alice@example.org"), md("bola@example.org")
    bilateral = agreed(alice, bola)
    other_time = FIRST_OPTION.replace(day=16, hour=10)

    def book(person: User, at: datetime) -> Callable[[], object]:
        return lambda: meeting_schedule(bilateral_id=bilateral.pk, person=person, starts_at=at, now=timezone.now())

    outcomes = race(book(alice, FIRST_OPTION), book(bola, other_time))
    refused = [o for o in outcomes if isinstance(o, BilateralError)]
    assert len(refused) == 1
    assert "already booked" in str(refused[0])
    assert BilateralMeeting.objects.count() == 1
    assert Reminder.objects.filter(kind="bilateral_meeting_booked").count() == 2


def test_proposing_to_each_other_at_once_makes_one_bilateral(reference_data: None) -> None:
    alice, bola = md("alice@example.org"), md("bola@example.org")

    def propose(proposer: User, partner: User) -> Callable[[], object]:
        return lambda: bilateral_propose(
            proposer=proposer, partner_email=partner.email, cadence_months=1, message="", now=timezone.now()
        )

    outcomes = race(propose(alice, bola), propose(bola, alice))
    refused = [o for o in outcomes if isinstance(o, BilateralError)]
    assert len(refused) == 1, outcomes
    assert "already proposed a bilateral to" in str(refused[0])
    assert Bilateral.objects.count() == 1


def test_ending_while_a_move_commits_leaves_no_reminder_of_the_moved_meeting(reference_data: None) -> None:
    """Either person may move a meeting while the other ends the bilateral: whichever goes first, nothing of the
    meeting (its day-before reminder, the next one falling due) may stay in the outbox of an ended bilateral."""
    alice, bola = md("alice@example.org"), md("bola@example.org")
    bilateral = agreed(alice, bola)
    meeting = booked(bilateral)
    moved = threading.Event()

    def move() -> object:
        with transaction.atomic():
            result = meeting_move(
                meeting_id=meeting.pk, person=alice, starts_at=FIRST_OPTION + timedelta(days=1), now=timezone.now()
            )
            moved.set()
            time.sleep(1)  # the end below starts meanwhile: it must wait for the move rather than miss it
        return result

    def end() -> object:
        moved.wait(timeout=10)
        return bilateral_end(bilateral_id=bilateral.pk, person=bola, now=timezone.now())

    outcomes = race(move, end)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.sequence == 2  # moved, then cancelled: the cancellation replaces the moved invitation
    waiting = Reminder.objects.filter(
        dedupe_key__startswith=f"bilateral:{bilateral.pk}:", status=ReminderStatus.PENDING
    ).values_list("kind", flat=True)
    assert sorted(waiting) == ["bilateral_ended", "bilateral_meeting_cancelled", "bilateral_meeting_cancelled"]
