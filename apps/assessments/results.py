"""Self-assessment results as plain data: each criterion's rating against what the target role expects and
against what raters said, and the change since last time. Pure: no Django. Sorted so that what to look at comes
first: with 360 feedback, the widest gaps between self and others, then the lowest scores; without it, the widest
gaps below the expectation, then the lowest ratings. Results guide development; nothing here is a pass or a fail."""

from dataclasses import dataclass


@dataclass(frozen=True)
class CriterionInput:
    code: str
    title: str
    group: str
    self_rating: int | None
    expected: int | None
    previous: int | None  # the rating in the last completed assessment, if any
    others: float | None = None  # the raters' combined score, where the anonymity rules let it show


@dataclass(frozen=True)
class CriterionResult:
    code: str
    title: str
    group: str
    self_rating: int | None
    expected: int | None
    gap: int | None  # expected − self: positive means room to grow towards the target role
    change: int | None  # self − previous
    others: float | None = None
    blind_spot: float | None = None  # self − others: positive means you rate yourself higher than others do

    @property
    def meets_expectation(self) -> bool:
        return self.gap is not None and self.gap <= 0


@dataclass(frozen=True)
class Readiness:
    rated: int
    with_expectation: int
    meeting: int
    to_develop: list[str]  # codes, widest gap first


@dataclass(frozen=True)
class GroupReadiness:
    """One group (a domain of the board framework, an area of the person specification): how many of its criteria
    meet what the target role expects, and which to develop, widest gap first."""

    group: str
    with_expectation: int
    meeting: int
    to_develop: list[str]


def criterion_results(inputs: list[CriterionInput]) -> list[CriterionResult]:
    results = [
        CriterionResult(
            code=i.code,
            title=i.title,
            group=i.group,
            self_rating=i.self_rating,
            expected=i.expected,
            gap=(i.expected - i.self_rating) if i.expected is not None and i.self_rating is not None else None,
            change=(i.self_rating - i.previous) if i.self_rating is not None and i.previous is not None else None,
            others=i.others,
            blind_spot=round(i.self_rating - i.others, 1)
            if i.self_rating is not None and i.others is not None
            else None,
        )
        for i in inputs
    ]
    if any(r.others is not None for r in results):
        return sorted(results, key=_priority_with_others)
    return sorted(results, key=_priority)


def _priority(result: CriterionResult) -> tuple[int, int, str]:
    gap = result.gap if result.gap is not None else -99
    rating = result.self_rating if result.self_rating is not None else 99
    return (-gap, rating, result.code)


def _priority_with_others(result: CriterionResult) -> tuple[float, float, str]:
    """With 360 feedback: where you and your raters disagree most first, then the lowest scores."""
    spread = abs(result.blind_spot) if result.blind_spot is not None else -1.0
    lowest = min(v for v in (result.self_rating, result.others, 99) if v is not None)
    return (-spread, lowest, result.code)


def readiness(results: list[CriterionResult]) -> Readiness:
    with_expectation = [r for r in results if r.gap is not None]
    return Readiness(
        rated=sum(1 for r in results if r.self_rating is not None),
        with_expectation=len(with_expectation),
        meeting=sum(1 for r in with_expectation if r.meets_expectation),
        to_develop=[r.code for r in with_expectation if not r.meets_expectation],
    )


def readiness_by_group(results: list[CriterionResult], *, groups: list[str]) -> list[GroupReadiness]:
    """The readiness summary group by group, in the framework's order (`groups`); groups with no expectation left
    out. `results` in priority order, so each group's criteria to develop come widest gap first."""
    summaries = []
    for group in groups:
        expected = [r for r in results if r.group == group and r.gap is not None]
        if expected:
            summaries.append(
                GroupReadiness(
                    group=group,
                    with_expectation=len(expected),
                    meeting=sum(1 for r in expected if r.meets_expectation),
                    to_develop=[r.code for r in expected if not r.meets_expectation],
                )
            )
    return summaries
