"""The anonymity rules for 360 feedback, as a pure function."""

from apps.assessments.anonymity import OTHERS, Answer, visible_feedback

LABELS = {"peer": "Peers", "line_manager": "Line manager", "direct_report": "Direct reports", "board": "Board"}


def answers(category: str, *values: int | None, comment: str = "") -> list[Answer]:
    return [Answer(category, {"A": v}, {"A": [f"{comment}{i}"]} if comment else {}) for i, v in enumerate(values)]


def view(items: list[Answer]) -> object:
    return visible_feedback(items, labels=LABELS, criteria=["A"])


def test_a_group_of_three_shows_and_counts_always_show() -> None:
    result = view(answers("peer", 2, 3, 4) + answers("line_manager", 1))
    assert result.answered == {"Line manager": 1, "Peers": 3}  # type: ignore[attr-defined]
    assert result.shown_groups == ("Peers",)  # type: ignore[attr-defined]
    assert result.withheld == 1  # type: ignore[attr-defined]
    # The lone line manager is left out of the overall figure too, or Peers vs all would reveal their score.
    assert result.criteria["A"].others_mean == 3.0  # type: ignore[attr-defined]


def test_small_groups_fold_into_others_when_that_reaches_three() -> None:
    result = view(answers("line_manager", 1) + answers("board", 4, 4))
    assert result.shown_groups == (OTHERS,)  # type: ignore[attr-defined]
    assert result.criteria["A"].others_mean == 3.0 and result.withheld == 0  # type: ignore[attr-defined]


def test_small_groups_that_stay_small_are_withheld_entirely() -> None:
    result = view(answers("line_manager", 1) + answers("board", 4))
    assert result.shown_groups == () and result.withheld == 2  # type: ignore[attr-defined]
    assert result.criteria["A"].others_mean is None  # type: ignore[attr-defined]


def test_a_criterion_rated_by_too_few_in_a_group_is_hidden_and_not_derivable() -> None:
    # Peers: three rate A. Directs: three answered, but only one could rate A.
    items = answers("peer", 2, 2, 2) + answers("direct_report", 5, None, None)
    result = view(items)
    cells = {g.label: g.mean for g in result.criteria["A"].groups}  # type: ignore[attr-defined]
    assert cells == {"Peers": 2.0, "Direct reports": None}
    # The all-raters figure counts only shown cells, so the lone 5 cannot be found by subtraction.
    assert result.criteria["A"].others_mean == 2.0 and result.criteria["A"].others_count == 3  # type: ignore[attr-defined]


def test_comments_are_pooled_sorted_and_never_from_withheld_groups() -> None:
    items = answers("peer", 3, 3, 3, comment="peer says ") + answers("board", 2, comment="board says ")
    comments = view(items).criteria["A"].comments  # type: ignore[attr-defined]
    assert comments == ("peer says 0", "peer says 1", "peer says 2")


def test_no_answers_show_nothing() -> None:
    result = view([])
    assert result.answered == {} and result.criteria["A"].others_mean is None  # type: ignore[attr-defined]
