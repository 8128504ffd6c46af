"""The routes and life-after-MD figures change once a month at most, never in between, and only when enough
people's contributions changed.

Computed live, a count that goes from 7 to 8 just after a known person says yes (or adds a role) tells a reader
that person's route, and a drop tells them a withdrawal's. So the figures of a calendar month (Europe/London) are
computed once, from the histories and choices as they stood when the month began, and kept in `RoutesFigures`
until the month ends. Why a stored row rather than a live query that only filters on timestamps: a filter can
leave out what was added this month, but not put back what was taken away, so a withdrawal or a deleted role
would still move the figures mid-month, and a drop is as telling as a rise. Beat builds the row early in the month
(tasks.py); if it has not, the first page view of the month makes it (once, whoever asks first; a second request
racing it inserts nothing and reads the winner's row), and a computation that starts late still sees only what
stood at the month's start, apart from withdrawals and deleted roles, which must leave as soon as possible anyway.

The same holds between months: in a month where only one person started or stopped counting, or changed their
history, the difference between two months' tables is that person's route. So a new month's figures are worked
out only when at least `CHANGED_PEOPLE_MIN` (5) people's contributions changed since the last figures were (a
consent given or withdrawn; a counted person's role added, changed or removed: each recorded as a `RoutesChange`,
a keyed hash of the person and a time, nothing more). Otherwise the last figures are carried into the new month
unchanged, "as at" the same date. A withdrawal (a consent withdrawn, a role changed or removed, a closed account)
must still leave within a bounded time, so once one has waited `WITHDRAWAL_WAIT_MONTHS` (3) month starts, the
figures are worked out anyway: a withdrawal made in December leaves by the figures of 1 March at the latest.

Withdrawing and deleting take effect when new figures are worked out: they are computed from the rows then in the
database, and older rows (and the changes they account for) are deleted as they are stored, so no stored figure
outlives the month it is for. The row holds only the suppressed aggregates the pages show, never a person's
spells.

It also keeps the pages fast at national scale: a page reads one small row, whatever the number of histories;
the one query over every counted spell runs at most once a month.
"""

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.crypto import salted_hmac

from apps.accounts.models import User

from ..models import RoutesChange, RoutesConsent, RoutesFigures
from ..selectors import figures_as_at, routes_figures_compute, routes_figures_stored

CHANGED_PEOPLE_MIN = 5  # people whose contributions changed before a month gets new figures
WITHDRAWAL_WAIT_MONTHS = 3  # month starts a withdrawal may wait before the figures are worked out anyway


def month_start(now: datetime) -> datetime:
    """Midnight on the first of `now`'s month in Europe/London (the current time zone), as an aware datetime."""
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0, fold=0)


def _months_back(start: datetime, months: int) -> datetime:
    """Midnight on the first of the month `months` before `start` (itself a month's start), in Europe/London."""
    local = timezone.localtime(start)
    index = local.year * 12 + local.month - 1 - months
    return local.replace(year=index // 12, month=index % 12 + 1, day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month_start(now: datetime) -> date:
    """The day a choice made at `now` starts to show: the first of the next month (when new figures are worked
    out; see the module's docstring for the months they are carried over)."""
    first = timezone.localtime(now).date().replace(day=1)
    return first.replace(year=first.year + 1, month=1) if first.month == 12 else first.replace(month=first.month + 1)


def withdrawal_shown_by(now: datetime) -> date:
    """The latest month start whose figures leave out a withdrawal made at `now`."""
    return _months_back(month_start(now), -WITHDRAWAL_WAIT_MONTHS).date()


def _person_key(owner_id: int) -> str:
    return salted_hmac("apps.careers.routes-change", str(owner_id)).hexdigest()


def routes_change_record(*, owner_id: int, withdrawal: bool, now: datetime) -> None:
    """Notes that this person's contribution to the figures changed (services/history.py, `careers_leave`)."""
    RoutesChange.objects.create(person=_person_key(owner_id), at=now, withdrawal=withdrawal)


def careers_leave(*, person: User, now: datetime) -> None:
    """Someone closing their account: their consent and history go with it (a cascade), so their leaving the
    figures is noted here as a withdrawal, within the bounded time the figures promise. Called by privacy's
    `account_close` before the deletion, as every feature's leaving step is (no signal: the wiring is in sight)."""
    if RoutesConsent.objects.filter(owner=person, counted=True).exists():
        routes_change_record(owner_id=person.pk, withdrawal=True, now=now)


def _work_out_again(*, last: RoutesFigures | None, start: datetime) -> bool:
    if last is None:
        return True
    since = timezone.make_aware(datetime.combine(figures_as_at(last), datetime.min.time()))
    changes = RoutesChange.objects.filter(at__gte=since, at__lt=start)
    if changes.values("person").distinct().count() >= CHANGED_PEOPLE_MIN:
        return True
    return changes.filter(withdrawal=True, at__lt=_months_back(start, WITHDRAWAL_WAIT_MONTHS - 1)).exists()


def routes_figures_current(*, now: datetime) -> RoutesFigures:
    """This month's figures: the stored row (one query), or, for the month's first view, made and stored: worked
    out again (see the module's docstring for when) or the last month's carried over, with older months' rows
    deleted."""
    start = month_start(now)
    month = start.date()
    if (stored := routes_figures_stored(month=month)) is not None:
        return stored
    last = RoutesFigures.objects.filter(month__lt=month).order_by("-month").first()
    figures: dict[str, Any]
    if last is not None and not _work_out_again(last=last, start=start):
        figures = {**last.figures, "as_at": figures_as_at(last).isoformat()}
        computed_at = last.computed_at
        fresh = False
    else:
        figures = {**routes_figures_compute(before=start), "as_at": month.isoformat()}
        computed_at, fresh = now, True
    created = RoutesFigures.objects.bulk_create(
        [RoutesFigures(month=month, figures=figures, computed_at=computed_at)], ignore_conflicts=True
    )
    RoutesFigures.objects.filter(month__lt=month).delete()
    if fresh and created:
        # What these figures account for; what came after the month's start waits for the next ones.
        RoutesChange.objects.filter(at__lt=start).delete()
    return RoutesFigures.objects.get(month=month)
