"""The routes and life-after-MD figures change once a month, never in between.

Computed live, a count that goes from 7 to 8 just after a known person says yes (or adds a role) tells a reader
that person's route, and a drop tells them a withdrawal's. So the figures of a calendar month (Europe/London) are
computed once, from the histories and choices as they stood when the month began, and kept in `RoutesFigures`
until the month ends. Why a stored row rather than a live query that only filters on timestamps: a filter can
leave out what was added this month, but not put back what was taken away, so a withdrawal or a deleted role
would still move the figures mid-month, and a drop is as telling as a rise. Why no beat task: the first page
view of the month makes the row (once, whoever asks first; a second request racing it inserts nothing and reads
the winner's row), so there is nothing to schedule, and a computation that starts late still sees only what stood
at the month's start, apart from withdrawals and deleted roles, which must leave as soon as possible anyway.

Withdrawing and deleting still take effect at the next month: the next row is computed from the rows then in
the database, and older rows are deleted as it is stored, so no stored figure outlives the month it is for. The
row holds only the suppressed aggregates the pages show, never a person's spells.

It also keeps the pages fast at national scale: a page reads one small row, whatever the number of histories;
the one query over every counted spell runs once a month.
"""

from datetime import date, datetime

from django.utils import timezone

from ..models import RoutesFigures
from ..selectors import routes_figures_compute, routes_figures_stored


def month_start(now: datetime) -> datetime:
    """Midnight on the first of `now`'s month in Europe/London (the current time zone), as an aware datetime."""
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0, fold=0)


def next_month_start(now: datetime) -> date:
    """The day a choice made at `now` starts to show: the first of the next month."""
    first = timezone.localtime(now).date().replace(day=1)
    return first.replace(year=first.year + 1, month=1) if first.month == 12 else first.replace(month=first.month + 1)


def routes_figures_current(*, now: datetime) -> RoutesFigures:
    """This month's figures: the stored row (one query), or, for the month's first view, computed and stored (four
    queries: the miss, the spells, the insert that does nothing if another request got there first, the row as
    stored) with older months' rows deleted (a fifth)."""
    start = month_start(now)
    month = start.date()
    if (stored := routes_figures_stored(month=month)) is not None:
        return stored
    figures = routes_figures_compute(before=start)
    RoutesFigures.objects.bulk_create(
        [RoutesFigures(month=month, figures=figures, computed_at=now)], ignore_conflicts=True
    )
    RoutesFigures.objects.filter(month__lt=month).delete()
    return RoutesFigures.objects.get(month=month)
