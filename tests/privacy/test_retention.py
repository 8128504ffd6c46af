"""Retention: each rule removes what has passed its time and nothing else; a run twice removes once; a dry run
removes nothing; administrators see the rules and what the last run removed; the privacy page says the same."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.models import FeedbackRound, RaterInvitation, RaterResponse, RaterToken
from apps.assessments.services import assessment_start
from apps.mentoring.models import ClosingFeedback, Meeting, MentoringRelationship
from apps.notifications.models import Reminder, ReminderStatus
from apps.privacy.models import AccountClosure, RetentionRun
from apps.privacy.retention import RULES, retention_apply, years_before
from apps.privacy.tasks import apply_retention
from tests.conftest import signed_in
from tests.factories import ProfileFactory

from .world import person_spec

DAY = timedelta(days=1)


@pytest.fixture
def now() -> datetime:
    return timezone.now()


def reminder(owner: User, key: str, *, due_at: datetime, status: str = ReminderStatus.SENT) -> Reminder:
    return Reminder.objects.create(
        kind="goal_due_14d",
        recipient=owner,
        due_at=due_at,
        next_attempt_at=due_at,
        dedupe_key=key,
        context={"goal_title": "x", "due_on": "2026-01-01", "url": "/plans/"},
        status=status,
    )


def closed_pair(mentor: User, mentee: User, *, closed_at: datetime | None) -> MentoringRelationship:
    """A pair with a meeting logged by each, an agreement, and both people's closing feedback with a comment."""
    pair = MentoringRelationship.objects.create(
        mentor=mentor,
        mentee=mentee,
        kind="mentor",
        started_at=(closed_at or timezone.now()) - 300 * DAY,
        status="closed" if closed_at else "active",
        closed_at=closed_at,
        goals="Get ready for the MD interview",
        confidentiality="Between us",
    )
    for person in (mentor, mentee):
        Meeting.objects.create(
            relationship=pair,
            met_on=pair.started_at.date(),
            mode="video",
            notes="n",
            recorded_by=person,
            created_at=pair.started_at,
        )
        if closed_at:
            ClosingFeedback.objects.create(
                relationship=pair,
                author=person,
                as_mentor=person == mentor,
                usefulness=4,
                goals_met="yes",
                would_recommend=True,
                comment="Thank you",
                created_at=closed_at,
            )
    return pair


def feedback_round(owner: User, *, closes_at: datetime, closed_early_at: datetime | None = None) -> FeedbackRound:
    assessment = assessment_start(owner=owner, framework=person_spec(), target_level=5, now=closes_at - 30 * DAY)
    found = FeedbackRound.objects.create(
        assessment=assessment, opened_at=closes_at - 30 * DAY, closes_at=closes_at, closed_early_at=closed_early_at
    )
    invitation = RaterInvitation.objects.create(
        round=found, email=f"rater.{found.pk}@example.org", category="peer", invited_at=found.opened_at, answered=True
    )
    RaterToken.objects.create(invitation=invitation, token_hash=f"{found.pk:064d}", created_at=found.opened_at)
    RaterResponse.objects.create(round=found, category="peer", withdraw_hash=f"{found.pk + 1:064d}")
    return found


# --- Each rule -------------------------------------------------------------------------------------------------


def test_settled_reminders_go_after_90_days_and_nothing_else(owner: User, now: datetime) -> None:
    old = reminder(owner, "old-sent", due_at=now - 91 * DAY)
    cancelled = reminder(owner, "old-cancelled", due_at=now - 200 * DAY, status=ReminderStatus.CANCELLED)
    recent = reminder(owner, "recent-sent", due_at=now - 89 * DAY)
    waiting = reminder(owner, "old-but-waiting", due_at=now - 200 * DAY, status=ReminderStatus.PENDING)

    assert retention_apply(now=now)["reminders"] == 2
    assert set(Reminder.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not Reminder.objects.filter(pk__in=[old.pk, cancelled.pk]).exists()


def test_a_long_closed_pairs_log_and_words_go_and_the_pair_stays(owner: User, colleague: User, now: datetime) -> None:
    old = closed_pair(owner, colleague, closed_at=years_before(now, 6) - DAY)
    recent = closed_pair(colleague, owner, closed_at=years_before(now, 6) + DAY)
    active = closed_pair(owner, ProfileFactory().user, closed_at=None)

    assert retention_apply(now=now)["mentoring-logs"] == 2 + 1 + 2  # two meetings, one agreement, two comments
    old.refresh_from_db()
    assert (old.goals, old.confidentiality, old.status, old.mentor, old.mentee) == ("", "", "closed", owner, colleague)
    assert not Meeting.objects.filter(relationship=old).exists()
    assert list(ClosingFeedback.objects.filter(relationship=old).values_list("comment", "usefulness")) == [("", 4)] * 2
    assert Meeting.objects.filter(relationship=recent).count() == 2
    assert Meeting.objects.filter(relationship=active).count() == 2
    assert MentoringRelationship.objects.get(pk=recent.pk).goals


def test_360_links_go_a_month_after_the_close_and_the_answers_stay(owner: User, now: datetime) -> None:
    long_closed = feedback_round(owner, closes_at=now - 31 * DAY)
    closed_early = feedback_round(owner, closes_at=now + 10 * DAY, closed_early_at=now - 40 * DAY)
    just_closed = feedback_round(owner, closes_at=now - 5 * DAY)
    still_open = feedback_round(owner, closes_at=now + 5 * DAY)

    assert retention_apply(now=now)["feedback-links"] == 4  # a token and a withdrawal hash, in each of two rounds
    for gone in (long_closed, closed_early):
        assert not RaterToken.objects.filter(invitation__round=gone).exists()
        assert RaterResponse.objects.get(round=gone).withdraw_hash is None
    for kept in (just_closed, still_open):
        assert RaterToken.objects.filter(invitation__round=kept).exists()
        assert RaterResponse.objects.get(round=kept).withdraw_hash
    assert RaterResponse.objects.count() == 4  # the answers are the results: they stay with the assessment


@pytest.mark.django_db
def test_closure_records_go_after_six_years(now: datetime) -> None:
    AccountClosure.objects.create(closed_at=years_before(now, 6) - DAY)
    kept = AccountClosure.objects.create(closed_at=years_before(now, 6) + DAY)
    assert retention_apply(now=now)["closure-records"] == 1
    assert list(AccountClosure.objects.all()) == [kept]


def test_years_before_keeps_the_day_or_the_last_of_february() -> None:
    assert years_before(datetime(2032, 2, 29, 9, 0, tzinfo=UTC), 6) == datetime(2026, 2, 28, 9, 0, tzinfo=UTC)
    assert years_before(datetime(2026, 12, 7, 10, 0, tzinfo=UTC), 6) == datetime(2020, 12, 7, 10, 0, tzinfo=UTC)


def test_ended_sessions_go_and_live_ones_stay(owner: User, now: datetime) -> None:
    client = signed_in(owner)
    assert client.get(reverse("core:dashboard")).status_code == 200
    live_key = client.session.session_key
    ended = Session.objects.create(session_key="x" * 32, session_data="", expire_date=now - DAY)
    UserSession.objects.create(user=owner, session_key=ended.session_key, ip="127.0.0.1", user_agent="old")
    UserSession.objects.create(user=owner, session_key="y" * 32, ip="127.0.0.1", user_agent="gone")
    UserSession.objects.create(user=owner, session_key=live_key, ip="127.0.0.1", user_agent="now")

    assert retention_apply(now=now, dry_run=True)["sessions"] == 3
    assert retention_apply(now=now)["sessions"] == 3

    assert list(Session.objects.values_list("session_key", flat=True)) == [live_key]
    assert list(UserSession.objects.values_list("user_agent", flat=True)) == ["now"]
    assert client.get(reverse("core:dashboard")).status_code == 200  # still signed in
    assert retention_apply(now=now)["sessions"] == 0


# --- Runs ------------------------------------------------------------------------------------------------------


@pytest.fixture
def something_to_remove(owner: User, colleague: User, now: datetime) -> None:
    reminder(owner, "old-sent", due_at=now - 100 * DAY)
    closed_pair(owner, colleague, closed_at=years_before(now, 7))
    feedback_round(owner, closes_at=now - 60 * DAY)
    AccountClosure.objects.create(closed_at=years_before(now, 7))


@pytest.mark.usefixtures("something_to_remove")
def test_a_second_run_removes_nothing_more(now: datetime) -> None:
    first = retention_apply(now=now)
    second = retention_apply(now=now + timedelta(minutes=1))
    assert first == {"reminders": 1, "mentoring-logs": 5, "feedback-links": 2, "closure-records": 1, "sessions": 0}
    assert second == dict.fromkeys(first, 0)
    runs = list(RetentionRun.objects.order_by("started_at"))
    assert [r.removed for r in runs] == [first, second] and all(r.finished_at for r in runs)


@pytest.mark.usefixtures("something_to_remove")
def test_a_dry_run_counts_and_removes_nothing(now: datetime) -> None:
    counts = retention_apply(now=now, dry_run=True)
    assert counts == {"reminders": 1, "mentoring-logs": 5, "feedback-links": 2, "closure-records": 1, "sessions": 0}
    assert retention_apply(now=now, dry_run=True) == counts
    assert not RetentionRun.objects.exists()
    assert retention_apply(now=now) == counts


@pytest.mark.usefixtures("something_to_remove")
def test_the_command_and_the_task(now: datetime) -> None:
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "reminders: would remove 1 (90 days after they were due)" in out.getvalue()
    assert not RetentionRun.objects.exists()

    removed = apply_retention.apply().get()
    assert removed["mentoring-logs"] == 5
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "mentoring-logs: removed 0" in out.getvalue()


def test_beat_runs_it_daily() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["apply-retention"]
    assert entry["task"] == "apps.privacy.tasks.apply_retention"
    assert apply_retention.name == entry["task"]


# --- What people are told --------------------------------------------------------------------------------------


@pytest.mark.usefixtures("something_to_remove")
def test_administrators_see_the_rules_and_what_the_last_run_removed(administrator: User, now: datetime) -> None:
    client = signed_in(administrator)
    before = client.get(reverse("privacy:retention")).content.decode()
    assert "The rules have not run yet." in before
    retention_apply(now=now)
    page = client.get(reverse("privacy:retention")).content.decode()
    for rule in RULES:
        assert rule.what in page and rule.keep_for.capitalize() in page
    assert ">5</span>" in page  # the mentoring logs' count
    assert "In the past 12 months, 0 accounts were closed" in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["organiser", "mentor", None])
def test_the_retention_page_is_for_administrators_only(role: str | None) -> None:
    from tests.factories import grant

    person = ProfileFactory().user
    if role:
        grant(person, role)
    assert signed_in(person).get(reverse("privacy:retention")).status_code == 403
    assert Client().get(reverse("privacy:retention")).status_code == 302


@pytest.mark.django_db
def test_the_privacy_page_says_what_is_kept_and_for_how_long() -> None:
    page = Client().get(reverse("core:privacy"))
    assert page.status_code == 200
    text = page.content.decode()
    for rule in RULES:
        assert f"{rule.what}: {rule.keep_for}." in text
    assert 'href="/your-data/"' in text and reverse("privacy:close_account") in text
    for heading in ("What we hold about you", "Who sees it", "Get a copy of your data", "Close your account"):
        assert heading in text
    assert "How long we keep things" in text
