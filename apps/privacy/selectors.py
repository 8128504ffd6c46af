"""Reads for the administrators' retention page: counts only, never about a person."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from .models import AccountClosure, RetentionRun


@dataclass(frozen=True)
class ClosureCounts:
    total: int
    by_administrator: int


def closures_since(*, since: datetime) -> ClosureCounts:
    """How many accounts were closed since `since`, and how many of them by an administrator. One query."""
    counts = AccountClosure.objects.filter(closed_at__gte=since).aggregate(
        total=Count("pk"), by_administrator=Count("pk", filter=Q(by_administrator=True))
    )
    return ClosureCounts(total=counts["total"], by_administrator=counts["by_administrator"])


def last_run() -> RetentionRun | None:
    """The last retention run that finished (a dry run is not recorded)."""
    return RetentionRun.objects.filter(finished_at__isnull=False).first()
