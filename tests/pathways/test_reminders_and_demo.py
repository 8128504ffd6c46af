"""Check-in reminders through the notifications outbox, on the clock: nothing before the due morning, the e-mail
at 9 o'clock London time on the day with a link to the check-in; a cohort invitation e-mail; and the demo, the same
rows however often it runs."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.models import Reminder, ReminderStatus
from apps.pathways import demo
from apps.pathways.models import CheckIn, ChecklistTick, Cohort, Enrolment
from apps.pathways.selectors import cohort_progress, pathway_for
from apps.pathways.services import cohort_invite
from apps.profiles import demo as profiles_demo
from tests.support.outbox import send_outbox

from .support import enrol, make_cohort

LONDON = ZoneInfo("Europe/London")


def test_the_three_month_reminder_arrives_on_its_morning(owner: User) -> None:
    enrolment = enrol(owner, started_on=date(2026, 11, 2))
    with time_machine.travel(datetime(2027, 2, 2, 8, 59, tzinfo=LONDON), tick=False):
        send_outbox()
        assert mail.outbox == []
    with time_machine.travel(datetime(2027, 2, 2, 9, 1, tzinfo=LONDON), tick=False):
        send_outbox()
    [message] = mail.outbox
    assert message.to == [owner.email]
    assert message.subject.endswith("Your 3-month check-in is due")
    assert "/first-year/check-ins/3/" in message.body and "for you alone" in message.body
    assert Reminder.objects.get(dedupe_key=f"pathway:{enrolment.pk}:checkin:3").status == ReminderStatus.SENT
    # The 6- and 12-month ones wait for their mornings.
    assert Reminder.objects.filter(recipient=owner, status=ReminderStatus.PENDING).count() == 2


def test_an_invitation_is_e_mailed_at_once(organiser: User, owner: User) -> None:
    cohort = make_cohort(organiser)
    cohort_invite(cohort=cohort, organiser=organiser, email=owner.email, now=timezone.now())
    send_outbox()
    [message] = mail.outbox
    assert message.to == [owner.email] and "New MDs 2026/27" in message.subject
    assert "never what you write" in message.body and "/first-year/" in message.body


def _rows() -> tuple[list[tuple], ...]:
    return (
        sorted(Cohort.objects.values_list("name", flat=True)),
        sorted(Enrolment.objects.values_list("person__email", "cohort__name", "started_on", "scope_agreed_on")),
        sorted(ChecklistTick.objects.values_list("enrolment__person__email", "item_key", "state")),
        sorted(CheckIn.objects.values_list("enrolment__person__email", "months")),
    )


def test_the_demo_is_there_once_however_often_it_runs(db: None) -> None:
    profiles_demo.seed(scale="small", stdout=StringIO())
    demo.seed(scale="small", stdout=StringIO())
    first = _rows()
    demo.seed(scale="small", stdout=StringIO())
    assert _rows() == first
    person = User.objects.get(email=demo.NEW_MD)
    summary = pathway_for(user=person)
    assert summary is not None and summary.steps_done == 1 and summary.next_checkin_months == 6
    cohort = Cohort.objects.get(name=demo.COHORT)
    assert cohort.organisers.filter(email=demo.ORGANISER).exists()
    # One person: the organiser's page shows nothing yet.
    assert cohort_progress(cohort=cohort, today=timezone.localdate()).enrolled is None
