"""How long things are kept: the rules as data (what, how long, why) and the daily run that applies them.

Each rule removes what has passed its time in its own transaction and says how many rows it removed or emptied.
Every rule is a condition on the rows as they are now, never a diary of what was done: a second run, or two runs at
once, find nothing more to remove, and a run missed for a week removes the week's worth the next day. Beat runs
`tasks.apply_retention` daily (config/settings/base.py); `manage.py apply_retention --dry-run` counts without
removing. The privacy page (`templates/core/privacy.html`) and the administrators' retention page are built from
RULES, so what people are told cannot disagree with what is done. The defaults and why are in docs/ARCHITECTURE.md
("Your data: closing an account and retention").
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.assessments.models import FeedbackRound, RaterResponse, RaterToken
from apps.mentoring.models import ClosingFeedback, Meeting, MentoringRelationship, RelationshipStatus
from apps.notifications.models import Reminder, ReminderStatus

from .models import AccountClosure, RetentionRun

BATCH = 2000  # rows deleted per statement: a big first run never holds long locks on a busy table


@dataclass(frozen=True)
class Rule:
    name: str  # a stable key: the runs' counts are stored under it
    what: str  # in people's words, for the privacy page
    keep_for: str  # in people's words: "90 days after it was due"
    why: str
    # Removes (or, with dry_run, only counts) what is past its time at `now`; returns how many rows.
    apply: Callable[[datetime, bool], int]


def years_before(moment: datetime, years: int) -> datetime:
    """The same day and time `years` earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def _delete(rows: QuerySet, dry_run: bool) -> int:
    """Delete in batches of primary keys, each its own statement; with dry_run, count."""
    if dry_run:
        return rows.count()
    removed = 0
    while True:
        batch = list(rows.values_list("pk", flat=True)[:BATCH])
        if not batch:
            return removed
        removed += rows.model.objects.filter(pk__in=batch).delete()[0]


# --- The rules -----------------------------------------------------------------------------------------------

REMINDERS_DAYS = 90
_SETTLED = [ReminderStatus.SENT, ReminderStatus.SKIPPED, ReminderStatus.CANCELLED, ReminderStatus.FAILED]


def old_reminders(now: datetime, dry_run: bool) -> int:
    """Reminders and e-mails that are settled (sent, not sent by choice, cancelled, or failed for good)."""
    cutoff = now - timedelta(days=REMINDERS_DAYS)
    return _delete(Reminder.objects.filter(status__in=_SETTLED, due_at__lt=cutoff), dry_run)


MENTORING_LOG_YEARS = 6


def closed_mentoring_logs(now: datetime, dry_run: bool) -> int:
    """The meeting log, the agreement's words and the closing comments of pairs closed long ago. The pair itself
    (who, when, its scores) stays: both people still see that they worked together, and the scheme still counts it."""
    old = MentoringRelationship.objects.filter(
        status=RelationshipStatus.CLOSED, closed_at__lt=years_before(now, MENTORING_LOG_YEARS)
    )
    worded = old.filter(~Q(goals="") | ~Q(confidentiality=""))
    commented = ClosingFeedback.objects.filter(relationship__in=old).exclude(comment="")
    removed = _delete(Meeting.objects.filter(relationship__in=old), dry_run)
    if dry_run:
        return removed + worded.count() + commented.count()
    removed += worded.update(goals="", confidentiality="")
    return removed + commented.update(comment="")


FEEDBACK_LINK_DAYS = 30


def closed_feedback_links(now: datetime, dry_run: bool) -> int:
    """The stored hashes of 360 raters' private links, once their round has been closed for a month."""
    cutoff = now - timedelta(days=FEEDBACK_LINK_DAYS)
    closed = FeedbackRound.objects.filter(
        Q(closed_early_at__lt=cutoff) | Q(closed_early_at__isnull=True, closes_at__lt=cutoff)
    ).values("pk")
    tokens = RaterToken.objects.filter(invitation__round__in=closed)
    hashes = RaterResponse.objects.filter(round__in=closed, withdraw_hash__isnull=False)
    if dry_run:
        return tokens.count() + hashes.count()
    return _delete(tokens, dry_run=False) + hashes.update(withdraw_hash=None)


CLOSURE_RECORD_YEARS = 6


def old_closure_records(now: datetime, dry_run: bool) -> int:
    return _delete(AccountClosure.objects.filter(closed_at__lt=years_before(now, CLOSURE_RECORD_YEARS)), dry_run)


def ended_sessions(now: datetime, dry_run: bool) -> int:
    """Sign-in sessions past their expiry, and allauth's record of each (address and browser) once its session is
    gone. Django never deletes an expired session by itself: without this the table grows by a row per sign-in for
    ever, and every web process reads it on every request."""
    expired = Session.objects.filter(expire_date__lt=now)
    removed = _delete(expired, dry_run)
    live = Session.objects.filter(expire_date__gte=now).values("session_key")
    return removed + _delete(UserSession.objects.exclude(session_key__in=live), dry_run)


RULES: tuple[Rule, ...] = (
    Rule(
        "reminders",
        "Reminders and e-mails we sent you (or did not send, by your choice), and the record that they went",
        f"{REMINDERS_DAYS} days after they were due",
        "Long enough to read them in the portal and to answer “did you send it?”; after three months nobody needs "
        "them. A reminder's key can then be used again: the only one that can be due in the past is a goal's "
        "“overdue” reminder, which a change to a goal still open three months after its date would send once more.",
        old_reminders,
    ),
    Rule(
        "mentoring-logs",
        "The meeting log, the written agreement and the closing comments of a mentoring pair that has ended",
        f"{MENTORING_LOG_YEARS} years after the pair closed",
        "Not an NHS record, so no records code binds us; our choice. A doctor may cite mentoring at appraisal, and "
        "revalidation runs in five-year cycles, so a log outlives one whole cycle after it ends; six years is also "
        "the usual limitation period for claims. That the pair worked together, and its scores, stay.",
        closed_mentoring_logs,
    ),
    Rule(
        "feedback-links",
        "The private links of the people asked for 360 feedback",
        f"{FEEDBACK_LINK_DAYS} days after the round closed",
        "Once a round has closed nothing can be answered or withdrawn; for a month an old link still says “this "
        "has closed”, then it says “not found”, and nothing stored can tie an answer to a link any more. The "
        "answers themselves stay with the self-assessment: its results are worked out from them every time, and "
        "they never change after the close.",
        closed_feedback_links,
    ),
    Rule(
        "closure-records",
        "The record that an account was closed (when, by whom of the person or an administrator, how many rows; "
        "never whose)",
        f"{CLOSURE_RECORD_YEARS} years after the closure",
        "It shows an erasure was done, if ever asked, and holds nothing about the person; six years as for the logs.",
        old_closure_records,
    ),
    Rule(
        "sessions",
        "Your signed-in sessions, with the address and browser each was used from",
        "until the session ends (you sign out, or it expires)",
        "A session is what keeps you signed in; once it has ended it is no use to anyone, so it goes at the next "
        "daily run.",
        ended_sessions,
    ),
)


def retention_apply(*, now: datetime, dry_run: bool = False) -> dict[str, int]:
    """Apply every rule; returns what each removed (or would remove). Each rule runs in its own transaction, so a
    failure in one leaves the others' work done, and the next run picks up where it left off. A real run is
    recorded (counts only) for the administrators' retention page."""
    run = None if dry_run else RetentionRun.objects.create(started_at=now)
    removed = {}
    for rule in RULES:
        with transaction.atomic():
            removed[rule.name] = rule.apply(now, dry_run)
    if run is not None:
        run.removed, run.finished_at = removed, timezone.now()
        run.save(update_fields=["removed", "finished_at"])
    return removed
