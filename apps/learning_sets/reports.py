"""The organisers' report on a programme: counts through the small-number suppression every report uses
(apps/common/reporting.py), and never a note, a reflection or anything about one person. Read only."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q

from apps.common.reporting import ReportRow, suppress_small_counts

from .models import Application, ApplicationStatus, Attendance, LearningSet, Programme


@dataclass(frozen=True)
class SetFigures:
    number: int
    members: int | None  # None: not shown (see programme_report)
    sectors: int | None  # distinct sectors among its members; not shown when its members are not
    attendance: str  # "83%", or a sentence saying why it is not shown


@dataclass(frozen=True)
class ProgrammeReport:
    minimum: int
    applications: int | None  # every application, withdrawn included: the placement rows' sum, or None
    placement: list[ReportRow]
    sets: list[SetFigures]
    attendance: str


def _too_few(row: Mapping[str, Any], minimum: int) -> bool:
    return row["recorded"] > 0 and (row["recorded"] < minimum or row["people"] < minimum)


def _rate(row: Mapping[str, Any], minimum: int) -> str:
    """An attendance rate, shown only over enough records and enough people that it says nothing about one."""
    if row["recorded"] == 0:
        return "Not recorded yet."
    if _too_few(row, minimum):
        return f"Not shown: fewer than {minimum} people or records."
    return f"{round(100 * row['present'] / row['recorded'])}%"


def _attendance(sets: list[Mapping[str, Any]], overall: Mapping[str, Any], minimum: int) -> tuple[list[str], str]:
    """Each set's attendance rate, and the programme's.

    A rate over fewer than `minimum` records or people is not shown. When exactly one set's rate is hidden that
    way, the programme's rate is hidden as well: from it and the other sets' rates, the hidden one could be worked
    out. Two or more hidden rates could only be worked out together, so the programme's rate then stays."""
    rates = [_rate(row, minimum) for row in sets]
    programme_rate = _rate(overall, minimum)
    if sum(_too_few(row, minimum) for row in sets) == 1 and not _too_few(overall, minimum):
        programme_rate = "Not shown: with it, the rate of the set whose rate is not shown could be worked out."
    return rates, programme_rate


def _placement(statuses: dict[str, int], minimum: int) -> tuple[int | None, list[ReportRow]]:
    """The placement rows and their total. The rows are suppressed as one group; the total is shown only when
    every row is, since with it one hidden row could be worked out from the others (and "Placed in a set" is also
    the sum of the set sizes, which may all be shown)."""
    rows = suppress_small_counts(
        [
            ("Placed in a set", statuses.get(ApplicationStatus.PLACED, 0)),
            ("Not placed", statuses.get(ApplicationStatus.UNPLACED, 0)),
            ("Not yet grouped", statuses.get(ApplicationStatus.APPLIED, 0)),
            ("Withdrawn", statuses.get(ApplicationStatus.WITHDRAWN, 0)),
        ],
        minimum=minimum,
    )
    if any(row.suppressed for row in rows):
        return None, rows
    return sum(row.count or 0 for row in rows), rows


def programme_report(programme: Programme) -> ProgrammeReport:
    """Placement, sector mix and attendance for the programme, in four queries however big it is.

    No count under the minimum is shown, nor one that would let a hidden count be worked out: set sizes are
    suppressed as one group (their sum is "Placed in a set"), and a set's sector count goes with its size."""
    minimum = settings.REPORT_MIN_COUNT
    statuses = dict(
        Application.objects.filter(programme=programme)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    # (id, number, size, distinct sectors) per set
    sets = list(
        LearningSet.objects.filter(programme=programme)
        .annotate(
            size=Count("memberships", distinct=True),
            sectors=Count("memberships__application__sector", distinct=True),
        )
        .order_by("number")
        .values_list("pk", "number", "size", "sectors")
    )
    attendance = {
        row["session__learning_set"]: row
        for row in Attendance.objects.filter(session__learning_set__programme=programme)
        .values("session__learning_set")
        .annotate(
            recorded=Count("pk"), present=Count("pk", filter=Q(present=True)), people=Count("member", distinct=True)
        )
    }
    overall = Attendance.objects.filter(session__learning_set__programme=programme).aggregate(
        recorded=Count("pk"), present=Count("pk", filter=Q(present=True)), people=Count("member", distinct=True)
    )
    nothing = {"recorded": 0, "present": 0, "people": 0}
    rates, programme_rate = _attendance([attendance.get(set_id, nothing) for set_id, _, _, _ in sets], overall, minimum)
    sizes = suppress_small_counts([(str(number), size) for _, number, size, _ in sets], minimum=minimum)
    figures = [
        SetFigures(
            number=number,
            members=shown.count,
            sectors=None if shown.suppressed else sectors,
            attendance=rate,
        )
        for (_, number, _, sectors), shown, rate in zip(sets, sizes, rates, strict=True)
    ]
    applications, placement = _placement(statuses, minimum)
    return ProgrammeReport(
        minimum=minimum,
        applications=applications,
        placement=placement,
        sets=figures,
        attendance=programme_rate,
    )
