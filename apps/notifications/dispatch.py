"""The dispatcher: claims due reminders from the outbox and sends them. Run by Celery beat every minute, and
safe to run anywhere at once: rows are claimed with SELECT … FOR UPDATE SKIP LOCKED, so two dispatchers never
take the same reminder.

Delivery guarantee (docs/ARCHITECTURE.md, "Notifications"): every reminder that falls due is e-mailed at least
once, whatever crashes, and twice only inside one window that no design closes: the mail server has accepted a
message and the dispatcher dies before the row is marked sent. Marks are written in small groups (at most
`MARK_EVERY` messages, and never more than `MARK_INTERVAL_SECONDS` after the first unmarked send) so that the
window is a handful of messages and a fraction of a second while dispatch stays batched. A resent copy carries
the same Message-ID, so many mail systems drop it.

A claim is a lease: a dispatcher that dies leaves its rows `sending` until `claimed_until`, after which the next
run takes them over. A live dispatcher renews its lease before it can run out (each send is bounded by
EMAIL_TIMEOUT), so it is never overtaken; if it finds it was (a frozen process), it stops rather than resend.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Case, F, JSONField, Q, Value, When
from django.utils import timezone

from .emails import build_digest, build_message
from .kinds import KINDS, Audience, Mode
from .models import EmailOptOut, NotificationPreference, Reminder, ReminderStatus

logger = logging.getLogger(__name__)
LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class DispatchConfig:
    batch_size: int
    lease: timedelta
    mark_every: int
    mark_interval: float
    max_attempts: int
    backoff: tuple[timedelta, ...]
    run_seconds: float
    digest_hour: int
    send_timeout: float  # the most one send can take (EMAIL_TIMEOUT): the lease is renewed well before that

    @classmethod
    def from_settings(cls) -> "DispatchConfig":
        conf = settings.NOTIFICATIONS
        return cls(
            batch_size=conf["BATCH_SIZE"],
            lease=timedelta(seconds=conf["LEASE_SECONDS"]),
            mark_every=conf["MARK_EVERY"],
            mark_interval=conf["MARK_INTERVAL_SECONDS"],
            max_attempts=conf["MAX_ATTEMPTS"],
            backoff=tuple(timedelta(minutes=m) for m in conf["BACKOFF_MINUTES"]),
            run_seconds=conf["RUN_SECONDS"],
            digest_hour=conf["DIGEST_HOUR"],
            send_timeout=float(settings.EMAIL_TIMEOUT or conf["LEASE_SECONDS"] / 4),
        )


@dataclass
class DispatchReport:
    claimed: int = 0
    sent: int = 0
    digested: int = 0
    skipped: int = 0
    retrying: int = 0
    failed: int = 0
    lost: int = 0  # batches stopped because another dispatcher took them over (should stay 0)
    digests_sent: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


Clock = Callable[[], datetime]


def dispatch_due(
    *,
    now: Clock = timezone.now,
    config: DispatchConfig | None = None,
    connection: BaseEmailBackend | None = None,
    key_prefix: str = "",
) -> DispatchReport:
    """Send everything due, batch after batch, until nothing is due or the run's time is up. `key_prefix` limits
    the run to reminders whose key starts with it (the benchmark sends only its own rows, never a real one)."""
    config = config or DispatchConfig.from_settings()
    report = DispatchReport()
    started = time.monotonic()
    with connection or get_connection() as mail:
        while time.monotonic() - started < config.run_seconds:
            token, batch = claim_batch(now=now(), size=config.batch_size, lease=config.lease, key_prefix=key_prefix)
            if not batch:
                break
            report.claimed += len(batch)
            _deliver(batch, token=token, now=now, config=config, mail=mail, report=report)
    return report


def claim_batch(*, now: datetime, size: int, lease: timedelta, key_prefix: str = "") -> tuple[UUID, list[Reminder]]:
    """Take up to `size` due reminders (and any whose claimer's lease ran out). Three statements."""
    token = uuid4()
    with transaction.atomic():
        due = Reminder.objects.filter(
            Q(status=ReminderStatus.PENDING, next_attempt_at__lte=now)
            | Q(status=ReminderStatus.SENDING, claimed_until__lt=now)
        )
        if key_prefix:
            due = due.filter(dedupe_key__startswith=key_prefix)
        ids = list(
            due.order_by("next_attempt_at").select_for_update(skip_locked=True).values_list("id", flat=True)[:size]
        )
        if not ids:
            return token, []
        _take(ids, token=token, now=now, lease=lease)
    batch = Reminder.objects.filter(claim_token=token).select_related("recipient").order_by("next_attempt_at", "id")
    return token, list(batch)


def _take(ids: list[int], *, token: UUID, now: datetime, lease: timedelta) -> None:
    """Mark locked rows as this run's until the lease ends, counting the attempt."""
    Reminder.objects.filter(id__in=ids).update(
        status=ReminderStatus.SENDING,
        claim_token=token,
        claimed_until=now + lease,
        attempts=F("attempts") + 1,
        updated_at=now,
    )


def _secret_kinds() -> list[str]:
    """Once sent, a reminder whose context holds a secret (an account link) keeps none of it: the row is history.
    Read at each mark, not at import, since features register their kinds after this module may be imported."""
    return [code for code, kind in KINDS.items() if kind.secret_context]


class _Marks:
    """Sent reminders waiting to be marked: written when MARK_EVERY have gathered or MARK_INTERVAL has passed."""

    def __init__(self, *, token: UUID, now: Clock, config: DispatchConfig) -> None:
        self.token, self.now, self.config = token, now, config
        self.ids: list[int] = []
        self.first_unmarked_at = 0.0

    def add(self, reminder_id: int) -> None:
        if not self.ids:
            self.first_unmarked_at = time.monotonic()
        self.ids.append(reminder_id)
        if len(self.ids) >= self.config.mark_every:
            self.flush()
        else:
            self.flush_if_due()

    def flush_if_due(self) -> None:
        if self.ids and time.monotonic() - self.first_unmarked_at >= self.config.mark_interval:
            self.flush()

    def flush(self) -> None:
        if not self.ids:
            return
        marked = Reminder.objects.filter(id__in=self.ids, claim_token=self.token).update(
            status=ReminderStatus.SENT,
            sent_at=self.now(),
            claim_token=None,
            claimed_until=None,
            last_error="",
            # In the same statement as the mark, so a row can never be both unsent and emptied.
            context=Case(
                When(kind__in=_secret_kinds(), then=Value({}, output_field=JSONField())), default=F("context")
            ),
        )
        if marked < len(self.ids):
            raise _LeaseLost(f"{len(self.ids) - marked} sent reminder(s) had been taken over before they were marked")
        self.ids = []


@dataclass
class _Routes:
    modes: dict[tuple[int, str], str] = field(default_factory=dict)
    opted_out: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def load(cls, batch: list[Reminder]) -> "_Routes":
        routes = cls()
        user_ids = {r.recipient_id for r in batch if r.recipient_id}
        if user_ids:
            routes.modes = {
                (p.user_id, p.kind): p.mode for p in NotificationPreference.objects.filter(user_id__in=user_ids)
            }
        emails = {r.email for r in batch if not r.recipient_id}
        if emails:
            routes.opted_out = set(EmailOptOut.objects.filter(email__in=emails).values_list("email", "kind"))
        return routes

    def mode(self, reminder: Reminder) -> str:
        kind = KINDS[reminder.kind]
        if kind.audience == Audience.ACCOUNT:
            return Mode.IMMEDIATE  # security mail: no choice, opt-out or digest holds it back
        if reminder.recipient is None:
            blocked = (reminder.email, "") in self.opted_out or (reminder.email, reminder.kind) in self.opted_out
            return Mode.OFF if blocked else Mode.IMMEDIATE
        if not reminder.recipient.is_active:
            return Mode.OFF
        if kind.audience != Audience.MEMBER:
            return Mode.IMMEDIATE
        return self.modes.get((reminder.recipient.pk, reminder.kind), kind.default_mode)


class _LeaseLost(Exception):
    """Another dispatcher took over rows of this batch: stop at once rather than send them twice."""


class _Lease:
    """This run's hold on its batch. Renewed before it can run out, so a live dispatcher is never overtaken,
    however long the batch takes, provided each send is bounded (EMAIL_TIMEOUT, less than half the lease)."""

    MARGIN_SECONDS = 1.0

    def __init__(self, *, token: UUID, now: Clock, config: DispatchConfig) -> None:
        self.token, self.now, self.config = token, now, config
        self.renewed_at = time.monotonic()

    def keep(self) -> None:
        """Before each send: renew at half-time, or sooner if a send could outlast what is left."""
        length = self.config.lease.total_seconds()
        elapsed = time.monotonic() - self.renewed_at
        if elapsed >= length / 2 or length - elapsed < self.config.send_timeout + self.MARGIN_SECONDS:
            held = Reminder.objects.filter(claim_token=self.token, status=ReminderStatus.SENDING).update(
                claimed_until=self.now() + self.config.lease
            )
            if held == 0:
                raise _LeaseLost("the lease on this batch ran out before it was renewed")
            self.renewed_at = time.monotonic()


def _deliver(
    batch: list[Reminder],
    *,
    token: UUID,
    now: Clock,
    config: DispatchConfig,
    mail: BaseEmailBackend,
    report: DispatchReport,
) -> None:
    routes = _Routes.load(batch)
    marks = _Marks(token=token, now=now, config=config)
    lease = _Lease(token=token, now=now, config=config)
    by_route: dict[str, list[int]] = defaultdict(list)
    try:
        for reminder in batch:
            if reminder.attempts > config.max_attempts:
                _record_failure(
                    reminder,
                    "Gave up: the dispatcher stopped while sending it too many times.",
                    token=token,
                    now=now(),
                    config=config,
                    report=report,
                )
                continue
            mode = routes.mode(reminder)
            if mode != Mode.IMMEDIATE:
                by_route[mode].append(reminder.id)
                continue
            # Write marks that are due before a send that might be slow, and make sure the lease outlasts it.
            marks.flush_if_due()
            lease.keep()
            try:
                address = reminder.recipient.email if reminder.recipient else reminder.email
                name = (reminder.recipient.first_name or "") if reminder.recipient else ""
                mail.send_messages([build_message(reminder, address=address, name=name, now=now())])
            except Exception as exc:  # any failure to build or hand over the message: retry later, record why
                logger.warning("Reminder %s not sent: %s", reminder.id, exc)
                _record_failure(
                    reminder, f"{exc.__class__.__name__}: {exc}", token=token, now=now(), config=config, report=report
                )
                continue
            marks.add(reminder.id)
            report.sent += 1
        marks.flush()
    except _LeaseLost as exc:
        logger.error("Dispatch batch %s stopped: %s", token, exc)
        report.lost += 1
        return
    report.digested += _settle(by_route[Mode.DIGEST], ReminderStatus.DIGEST, token=token, now=now())
    report.skipped += _settle(by_route[Mode.OFF], ReminderStatus.SKIPPED, token=token, now=now())


def _settle(ids: list[int], status: str, *, token: UUID, now: datetime) -> int:
    if not ids:
        return 0
    return Reminder.objects.filter(id__in=ids, claim_token=token).update(
        status=status, claim_token=None, claimed_until=None, updated_at=now
    )


def _record_failure(
    reminder: Reminder, error: str, *, token: UUID, now: datetime, config: DispatchConfig, report: DispatchReport
) -> None:
    changes: dict[str, object]
    if reminder.attempts >= config.max_attempts:
        changes = {"status": ReminderStatus.FAILED}
        report.failed += 1
    else:
        delay = config.backoff[min(reminder.attempts, len(config.backoff)) - 1]
        changes = {"status": ReminderStatus.PENDING, "next_attempt_at": now + delay}
        report.retrying += 1
    Reminder.objects.filter(id=reminder.id, claim_token=token).update(
        **changes, claim_token=None, claimed_until=None, last_error=error[:1000], updated_at=now
    )


# --- Daily digests -----------------------------------------------------------------------------------------


def digest_boundary(now: datetime, *, hour: int) -> datetime:
    """The most recent digest time (e.g. 07:00 in London) at or before `now`. A digest holds what fell due
    before it, so a digest run that was missed (beat down) is simply made by the next run."""
    local = timezone.localtime(now, LONDON)
    boundary = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if boundary > local:
        boundary -= timedelta(days=1)
    return boundary


def dispatch_digests(
    *, now: Clock = timezone.now, config: DispatchConfig | None = None, connection: BaseEmailBackend | None = None
) -> DispatchReport:
    config = config or DispatchConfig.from_settings()
    report = DispatchReport()
    boundary = digest_boundary(now(), hour=config.digest_hour)
    started = time.monotonic()
    failed_people: set[int] = set()  # tried again at the next run (every 15 minutes), not in a tight loop
    with connection or get_connection() as mail:
        while time.monotonic() - started < config.run_seconds:
            token, batch = _claim_digest_rows(now=now(), boundary=boundary, lease=config.lease, skip=failed_people)
            if not batch:
                break
            report.claimed += len(batch)
            per_person: dict[int, list[Reminder]] = defaultdict(list)
            for reminder in batch:
                per_person[reminder.recipient_id].append(reminder)  # type: ignore[index]
            for user_id, reminders in per_person.items():
                if not _send_digest(user_id, reminders, token=token, now=now, mail=mail, report=report):
                    failed_people.add(user_id)
    return report


def _claim_digest_rows(
    *, now: datetime, boundary: datetime, lease: timedelta, skip: set[int]
) -> tuple[UUID, list[Reminder]]:
    token = uuid4()
    with transaction.atomic():
        waiting = Reminder.objects.filter(status=ReminderStatus.DIGEST, due_at__lt=boundary).exclude(
            recipient_id__in=skip
        )
        people = list(waiting.order_by("recipient_id").values_list("recipient_id", flat=True).distinct()[:100])
        if not people:
            return token, []
        ids = list(
            waiting.filter(recipient_id__in=people).select_for_update(skip_locked=True).values_list("id", flat=True)
        )
        _take(ids, token=token, now=now, lease=lease)
    batch = Reminder.objects.filter(claim_token=token).select_related("recipient").order_by("due_at", "id")
    return token, list(batch)


def _send_digest(
    user_id: int,
    reminders: list[Reminder],
    *,
    token: UUID,
    now: Clock,
    mail: BaseEmailBackend,
    report: DispatchReport,
) -> bool:
    recipient = reminders[0].recipient
    assert recipient is not None
    ids = [r.id for r in reminders]
    try:
        mail.send_messages(
            [build_digest(reminders=reminders, address=recipient.email, name=recipient.first_name, user_id=user_id)]
        )
    except Exception as exc:
        logger.warning("Digest for user %s not sent: %s", user_id, exc)
        # Back to the digest queue; the next digest run tries again.
        Reminder.objects.filter(id__in=ids, claim_token=token).update(
            status=ReminderStatus.DIGEST,
            claim_token=None,
            claimed_until=None,
            last_error=f"{exc.__class__.__name__}: {exc}"[:1000],
        )
        report.retrying += len(ids)
        return False
    Reminder.objects.filter(id__in=ids, claim_token=token).update(
        status=ReminderStatus.SENT, sent_at=now(), claim_token=None, claimed_until=None, last_error=""
    )
    report.sent += len(ids)
    report.digests_sent += 1
    return True
