"""Small-number suppression for aggregate reports: no count under the threshold is ever shown.

Suppressing only the small cells is not enough when a total is shown beside them: one hidden cell could be
worked out by subtraction. So when exactly one cell is hidden, the next smallest is hidden too.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportRow:
    label: str
    count: int | None  # None: suppressed

    @property
    def suppressed(self) -> bool:
        return self.count is None


def suppress_small_counts(rows: list[tuple[str, int]], *, minimum: int) -> list[ReportRow]:
    hidden = {i for i, (_, n) in enumerate(rows) if 0 < n < minimum}
    if len(hidden) == 1 and len(rows) > 1:
        shown = [(n, i) for i, (_, n) in enumerate(rows) if i not in hidden and n > 0]
        if shown:
            hidden.add(min(shown)[1])
    return [ReportRow(label, None if i in hidden else n) for i, (label, n) in enumerate(rows)]


def suppressed_total(total: int, *, minimum: int) -> int | None:
    return total if total >= minimum else None
