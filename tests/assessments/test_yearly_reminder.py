"""The yearly board self-assessment: completing one against a framework meant to be repeated schedules a reminder
a month before the next is due (eleven months later for the board framework), one per person and framework, replaced
by a later completion; the results page says when the next is due."""

from datetime import UTC, datetime
from pathlib import Path

import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.models import Assessment, Rating
from apps.assessments.services import assessment_start, assessment_submit
from apps.common.dates import months_after
from apps.competencies.fileformat import parse
from apps.competencies.models import Framework
from apps.competencies.services import SHIPPED, framework_load
from apps.notifications.emails import render_reminder
from apps.notifications.models import Reminder, ReminderStatus
from tests.conftest import signed_in

BOARD = Path(SHIPPED) / "nhs-board-leadership-2024.yaml"
COMPLETED = datetime(2026, 5, 14, 9, 30, tzinfo=UTC)  # 10:30 in London


def _complete(owner: User, framework: Framework) -> Assessment:
    assessment = assessment_start(owner=owner, framework=framework, target_level=5, now=timezone.now())
    Rating.objects.filter(assessment=assessment).update(value=4)
    return assessment_submit(assessment=assessment, now=timezone.now())


def test_completing_the_board_self_assessment_schedules_a_reminder_eleven_months_later(owner: User) -> None:
    board = framework_load(spec=parse(BOARD.read_text())).framework
    with time_machine.travel(COMPLETED, tick=False):
        assessment = _complete(owner, board)
    reminder = Reminder.objects.get(kind="self_assessment_due")
    assert reminder.recipient == owner and reminder.status == ReminderStatus.PENDING
    assert reminder.due_at == datetime(2027, 4, 14, 9, 30, tzinfo=UTC)
    assert reminder.dedupe_key == f"assessment-repeat:{owner.pk}:nhs-board-leadership:{assessment.pk}"
    assert reminder.context == {
        "framework_name": "NHS leadership competency framework for board members",
        "due_on": "2027-05-14",
        "repeat_every_months": 12,
        "url": reverse("assessments:new"),
    }
    subject, text, _ = render_reminder(reminder, address=owner.email, name="Amara")
    assert subject.startswith("Your yearly self-assessment is due next month")
    assert "due by Friday 14 May 2027" in text

    page = signed_in(owner).get(reverse("assessments:results", args=[assessment.pk])).content.decode()
    assert "Your next self-assessment against this framework is due by 14 May 2027, a year after this one" in page


def test_a_later_completion_replaces_the_reminder(owner: User) -> None:
    board = framework_load(spec=parse(BOARD.read_text())).framework
    with time_machine.travel(COMPLETED, tick=False):
        _complete(owner, board)
    with time_machine.travel(datetime(2026, 9, 1, 12, 0, tzinfo=UTC), tick=False):
        later = _complete(owner, board)
    reminders = {r.dedupe_key.rsplit(":", 1)[1]: r for r in Reminder.objects.filter(kind="self_assessment_due")}
    assert len(reminders) == 2
    assert reminders[str(later.pk)].status == ReminderStatus.PENDING
    assert reminders[str(later.pk)].due_at == datetime(2027, 8, 1, 12, 0, tzinfo=UTC)
    assert [r.status for key, r in reminders.items() if key != str(later.pk)] == [ReminderStatus.CANCELLED]


def test_a_reminder_already_sent_does_not_stop_the_next_one(owner: User) -> None:
    board = framework_load(spec=parse(BOARD.read_text())).framework
    with time_machine.travel(COMPLETED, tick=False):
        _complete(owner, board)
    Reminder.objects.filter(kind="self_assessment_due").update(status=ReminderStatus.SENT)
    with time_machine.travel(datetime(2027, 5, 2, 8, 0, tzinfo=UTC), tick=False):
        _complete(owner, board)
    assert Reminder.objects.filter(kind="self_assessment_due", status=ReminderStatus.PENDING).count() == 1


def test_no_reminder_for_a_framework_that_is_not_repeated(owner: User, person_spec: Framework) -> None:
    assert person_spec.repeat_every_months is None
    assessment = _complete(owner, person_spec)
    assert not Reminder.objects.filter(kind="self_assessment_due").exists()
    page = signed_in(owner).get(reverse("assessments:results", args=[assessment.pk])).content.decode()
    assert "Your next self-assessment" not in page


def test_closing_the_account_takes_the_reminder_with_it(owner: User) -> None:
    board = framework_load(spec=parse(BOARD.read_text())).framework
    _complete(owner, board)
    owner.delete()  # what closing an account does in the end (privacy.services.account_close)
    assert not Reminder.objects.filter(kind="self_assessment_due").exists()


def test_months_are_calendar_months_in_london() -> None:
    end_of_january = datetime(2027, 1, 31, 12, 0, tzinfo=UTC)
    assert months_after(end_of_january, 1) == datetime(2027, 2, 28, 12, 0, tzinfo=UTC)
    # 10:30 in London in May (summer time) is 10:30 in London in March, an hour later in UTC.
    assert months_after(COMPLETED, 10) == datetime(2027, 3, 14, 10, 30, tzinfo=UTC)
