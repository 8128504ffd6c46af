"""What 360 feedback may show its subject, decided in one pure function so every output uses the same rules.

- A rater category's scores and comments show only when at least MIN_RATERS in it answered. Smaller categories
  are pooled as "Others", shown when the pool reaches MIN_RATERS; otherwise they are withheld entirely.
- Withheld answers are left out of every figure, the "all raters" figure included: otherwise a withheld group's
  scores could be worked out by subtracting a shown group from the total.
- Within a shown group, a criterion's score shows only when at least MIN_RATERS gave a rating for it ("I can't
  say" is not a rating), so one person's score can never stand alone; and the all-raters figure for a criterion
  counts only the groups whose score for it is shown, so no hidden score can be found by subtraction.
- Comments are pooled per criterion across shown groups, never labelled with a group, and sorted by their text,
  so neither order nor grouping points at a person.
- How many have answered in each category is always shown: the person chose whom to ask.
"""

from collections import defaultdict
from dataclasses import dataclass, field

MIN_RATERS = 3
OTHERS = "Others"


@dataclass(frozen=True)
class Answer:
    """One rater's response: a category, ratings by criterion code (None: can't say), comments by code ('' general)."""

    category: str
    ratings: dict[str, int | None]
    comments: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class GroupScore:
    label: str
    mean: float | None  # None: withheld for this criterion (too few ratings)


@dataclass(frozen=True)
class CriterionFeedback:
    code: str
    others_mean: float | None
    others_count: int
    groups: tuple[GroupScore, ...]
    comments: tuple[str, ...]


@dataclass(frozen=True)
class FeedbackView:
    answered: dict[str, int]  # category label → how many answered (always shown)
    shown_groups: tuple[str, ...]  # group labels whose scores may show
    withheld: int  # answers left out because their group is too small
    criteria: dict[str, CriterionFeedback]
    general_comments: tuple[str, ...]


def visible_feedback(
    answers: list[Answer], *, labels: dict[str, str], criteria: list[str], minimum: int = MIN_RATERS
) -> FeedbackView:
    by_category: dict[str, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_category[answer.category].append(answer)
    groups: dict[str, list[Answer]] = {}
    pooled: list[Answer] = []
    for category, members in by_category.items():
        if len(members) >= minimum:
            groups[labels.get(category, category)] = members
        else:
            pooled.extend(members)
    withheld = 0
    if len(pooled) >= minimum:
        groups[OTHERS] = pooled
    else:
        withheld = len(pooled)
    shown = [a for members in groups.values() for a in members]
    return FeedbackView(
        answered={labels.get(c, c): len(m) for c, m in sorted(by_category.items())},
        shown_groups=tuple(groups),
        withheld=withheld,
        criteria={code: _criterion(code, groups, shown, minimum) for code in criteria},
        general_comments=tuple(sorted(c for a in shown for c in a.comments.get("", []) if c.strip())),
    )


def _criterion(code: str, groups: dict[str, list[Answer]], shown: list[Answer], minimum: int) -> CriterionFeedback:
    cells: list[GroupScore] = []
    counted: list[int] = []  # only ratings whose group cell is itself shown: a hidden cell must not be derivable
    for label, members in groups.items():
        values = [v for a in members if (v := a.ratings.get(code)) is not None]
        if len(values) >= minimum:
            cells.append(GroupScore(label, _mean(values)))
            counted.extend(values)
        else:
            cells.append(GroupScore(label, None))
    return CriterionFeedback(
        code=code,
        others_mean=_mean(counted) if len(counted) >= minimum else None,
        others_count=len(counted),
        groups=tuple(cells),
        comments=tuple(sorted(c for a in shown for c in a.comments.get(code, []) if c.strip())),
    )


def _mean(values: list[int]) -> float:
    return round(sum(values) / len(values), 1)
