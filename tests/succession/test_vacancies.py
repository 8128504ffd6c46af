"""The daily reminder of posts falling vacant within six months with no one ready now: which posts, to whom, once
per post, lead and date, in a constant number of queries; and once end to end through a real Celery worker."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.models import Reminder
from apps.organisations.models import Organisation
from apps.profiles.models import LeadershipLevel
from apps.succession.models import Post, Readiness
from apps.succession.selectors import posts_uncovered, vacancy_window_end
from apps.succession.services.vacancies import vacancies_remind
from tests.factories import OrganisationFactory, ProfileFactory
from tests.support.outbox import send_outbox
from tests.support.succession import make_candidacy, make_lead, make_post

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 7)  # the suite's fixed day (tests/conftest.py)


@pytest.fixture
def organisation(db: None) -> Organisation:
    return OrganisationFactory()


def vacant_in(days: int, organisation: Organisation, **fields: object) -> Post:
    return make_post(organisation, expected_vacancy=TODAY + timedelta(days=days), **fields)


def reminded() -> list[tuple[str, int | None]]:
    return sorted(
        (r.context["post_title"], r.recipient_id) for r in Reminder.objects.filter(kind="succession_vacancy_uncovered")
    )


def test_the_window_is_six_calendar_months() -> None:
    assert vacancy_window_end(date(2026, 12, 7)) == date(2027, 6, 7)
    assert vacancy_window_end(date(2026, 8, 31)) == date(2027, 2, 28)


def test_which_posts_are_uncovered(organisation: Organisation) -> None:
    make_lead(organisation)
    soon = vacant_in(30, organisation, title="Soon, no one")
    vacant_in(-1, organisation, title="Already past")
    vacant_in(183, organisation, title="Beyond six months")  # 8 June 2027
    edge = make_post(organisation, title="On the last day", expected_vacancy=date(2027, 6, 7))
    make_post(organisation, title="No date")
    covered = vacant_in(60, organisation, title="Someone ready for the post")
    make_candidacy(ProfileFactory().user, organisation, covered, readiness=Readiness.READY_NOW)
    by_level = vacant_in(60, organisation, title="Someone ready for the level", level=LeadershipLevel.ASSOCIATE_MD)
    make_candidacy(
        ProfileFactory().user, organisation, level=LeadershipLevel.ASSOCIATE_MD, readiness=Readiness.READY_NOW
    )
    not_yet = vacant_in(90, organisation, title="Ready in a year or two only")
    make_candidacy(ProfileFactory().user, organisation, not_yet, readiness=Readiness.ONE_TO_TWO_YEARS)
    elsewhere = vacant_in(90, organisation, title="Ready at another trust's level", level=LeadershipLevel.CLINICAL_LEAD)
    make_candidacy(
        ProfileFactory().user, OrganisationFactory(), level=LeadershipLevel.CLINICAL_LEAD, readiness=Readiness.READY_NOW
    )
    # the lead's view is beside the person's, never instead of it
    lead_says = vacant_in(90, organisation, title="Only the lead says ready", level=LeadershipLevel.CLINICAL_DIRECTOR)
    make_candidacy(
        ProfileFactory().user,
        organisation,
        lead_says,
        readiness=Readiness.THREE_TO_FIVE_YEARS,
        lead_readiness=Readiness.READY_NOW,
    )
    uncovered = set(posts_uncovered(today=TODAY))
    assert uncovered == {soon, edge, not_yet, elsewhere, lead_says}
    assert covered not in uncovered and by_level not in uncovered


def test_each_live_lead_is_told_once_per_post_and_date(organisation: Organisation) -> None:
    first, second = make_lead(organisation), make_lead(organisation)
    gone = make_lead(organisation)
    gone.role_grants.update(revoked_at=timezone.now())
    inactive = make_lead(organisation)
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    other = OrganisationFactory()
    other_lead = make_lead(other)
    post = vacant_in(30, organisation, title="Deputy medical director, quality")
    vacant_in(40, other, title="Clinical director, surgery")
    make_post(OrganisationFactory(), title="Nobody leads here", expected_vacancy=TODAY + timedelta(days=10))

    assert vacancies_remind(now=timezone.now()) == 3
    assert reminded() == sorted(
        [
            ("Deputy medical director, quality", first.pk),
            ("Deputy medical director, quality", second.pk),
            ("Clinical director, surgery", other_lead.pk),
        ]
    )
    send_outbox()
    subjects = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert (
        first.email,
        "Stepping Up: Deputy medical director, quality falls vacant soon with no one ready",
    ) in subjects
    assert len(mail.outbox) == 3
    assert "/succession/pipeline/" in mail.outbox[0].body

    # the next day: nothing again for the same date
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        vacancies_remind(now=timezone.now())
        send_outbox()
    assert mail.outbox == [] and Reminder.objects.filter(kind="succession_vacancy_uncovered").count() == 3

    # a new date: named again, for that date
    Post.objects.filter(pk=post.pk).update(expected_vacancy=TODAY + timedelta(days=50))
    vacancies_remind(now=timezone.now())
    send_outbox()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])
    assert Reminder.objects.filter(dedupe_key__endswith=(TODAY + timedelta(days=50)).isoformat()).count() == 2


def test_someone_ready_now_stops_the_reminder(organisation: Organisation) -> None:
    make_lead(organisation)
    post = vacant_in(30, organisation)
    make_candidacy(ProfileFactory().user, organisation, post, readiness=Readiness.READY_NOW)
    assert vacancies_remind(now=timezone.now()) == 0
    assert not Reminder.objects.exists()


def test_the_same_queries_however_many_posts(organisation: Organisation) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            vacancies_remind(now=timezone.now())
        return len(captured)

    def more(count: int) -> None:
        for i in range(count):
            trust = OrganisationFactory()
            make_lead(trust)
            make_lead(trust)
            vacant_in(10 + i, trust, title=f"Post {i}")
            ready = vacant_in(10 + i, trust, title=f"Covered {i}")
            make_candidacy(ProfileFactory().user, trust, ready, readiness=Readiness.READY_NOW)

    more(2)
    # 1 the uncovered posts with their organisations, 2 their leads; schedule_many (atomic, inside the test's
    # transaction) 3 its savepoint, 4 the reminders already under the keys, 5 the insert's own savepoint, 6 the new
    # reminders in one insert, 7 and 8 release both savepoints
    assert queries() == 8
    Reminder.objects.all().delete()
    more(10)
    assert queries() == 8
    assert Reminder.objects.filter(kind="succession_vacancy_uncovered").count() == 24


def test_the_reminder_is_scheduled_daily_from_beat() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["remind-uncovered-vacancies"]
    assert entry["task"] == "apps.succession.tasks.remind_uncovered_vacancies"
    schedule = entry["schedule"]
    assert schedule.hour == {8} and schedule.minute == {0}  # type: ignore[attr-defined]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_the_daily_task_and_the_lead_is_e_mailed(reference_data: None, tmp_path: Path) -> None:
    """End to end on the real clock: the task queued to a real worker over a private Redis finds the post and the
    worker's own dispatch sends the e-mail (the reminder is due at once, so schedule_many asks for a dispatch)."""
    from apps.notifications.models import ReminderStatus
    from apps.succession.tasks import remind_uncovered_vacancies
    from tests.notifications.test_delivery_faults import worker_env
    from tests.support.processes import Services, broker_for_this_process, free_port

    trust = OrganisationFactory()
    lead = make_lead(trust)
    today = timezone.localdate()
    make_post(trust, title="Medical director", level=5, expected_vacancy=today + timedelta(days=40))
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    with Services(tmp_path, worker_env(broker)) as services, broker_for_this_process(broker):
        services.start_redis(port)
        worker = services.start_worker("worker")
        remind_uncovered_vacancies.delay()
        services.wait_for(
            lambda: Reminder.objects.filter(
                kind="succession_vacancy_uncovered", recipient=lead, status=ReminderStatus.SENT
            ).exists(),
            "the worker to find the post and e-mail its lead",
            watch=worker,
        )
    reminder = Reminder.objects.get(kind="succession_vacancy_uncovered")
    assert reminder.context["post_title"] == "Medical director"
    assert reminder.dedupe_key.endswith(f":{lead.pk}:{(today + timedelta(days=40)).isoformat()}")
    assert reminder.due_at <= datetime.now(UTC)
