"""The pipeline's diversity: aggregates only, and no hidden count can be worked out from what is shown plus the
row total (which the lead knows, as they see the names). Checked exhaustively for small rows against a reader who
knows the rule: every row with the same total and the same output is a possibility, and each hidden cell must take
at least two values among them. Hypothesis checks larger rows with a witness for each hidden cell."""

import itertools
from collections import defaultdict
from collections.abc import Iterator

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from apps.succession.diversity import NOT_ANSWERED_LABEL, Characteristic, Person, diversity_tables, suppress_row

MINIMUM = 5
GENDER = Characteristic("gender", "Gender", (("woman", "Woman"), ("man", "Man"), ("prefer_not_to_say", "Prefer not")))


def compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Every row of `parts` counts adding up to `total`."""
    for bars in itertools.combinations(range(total + parts - 1), parts - 1):
        edges = (-1, *bars, total + parts - 1)
        yield tuple(b - a - 1 for a, b in itertools.pairwise(edges))


@pytest.mark.parametrize(("parts", "largest"), [(2, 30), (3, 24), (4, 20), (6, 16), (7, 13)])
def test_no_hidden_count_can_be_worked_out_from_the_shown_ones_and_the_total(parts: int, largest: int) -> None:
    # 4 categories: disability (yes, no, prefer not, not answered); 6: gender; 7: ethnic group and age band.
    for total in range(1, largest + 1):
        alike: dict[tuple[int | None, ...] | None, list[tuple[int, ...]]] = defaultdict(list)
        for row in compositions(total, parts):
            alike[suppress_row(row, minimum=MINIMUM)].append(row)
        for shown, rows in alike.items():
            for i in range(parts):
                if shown is None or shown[i] is None:
                    assert len({row[i] for row in rows}) > 1, (total, shown, rows, i)


def test_the_rules_one_by_one() -> None:
    assert suppress_row([2, 2], minimum=5) is None  # fewer than 5 people
    assert suppress_row([0, 9, 0], minimum=5) is None  # everyone in one category
    assert suppress_row([6, 7, 0], minimum=5) == (6, 7, 0)  # nothing small: zeros shown
    assert suppress_row([6, 1, 1, 0], minimum=5) == (6, None, None, None)  # small ones hidden, zeros with them
    assert suppress_row([6, 6, 1], minimum=5) is None  # one hidden would be the total less the rest
    assert suppress_row([6, 4, 4], minimum=5) is None  # two hidden at their ceiling would be 4 each
    assert suppress_row([6, 4, 3], minimum=5) == (6, None, None)
    with pytest.raises(ValueError, match="negative"):
        suppress_row([6, -1], minimum=5)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=60), min_size=2, max_size=7))
def test_each_hidden_count_has_another_row_with_the_same_output(row: list[int]) -> None:
    assume(sum(row) > 0)  # a level and horizon with no one in it has no row
    shown = suppress_row(row, minimum=MINIMUM)
    total = sum(row)
    for i in range(len(row)):
        if shown is not None and shown[i] is not None:
            continue
        # A witness: a row of the same total with a different count in cell i and exactly the same output.
        if shown is None:
            candidates = [[total if k == j else 0 for k in range(len(row))] for j in range(len(row))]
        else:
            candidates = []
            for j in range(len(row)):
                if j != i and shown[j] is None:
                    for step in (1, -1):
                        moved = list(row)
                        moved[i] += step
                        moved[j] -= step
                        if min(moved) >= 0:
                            candidates.append(moved)
        assert any(c[i] != row[i] and suppress_row(c, minimum=MINIMUM) == shown for c in candidates), (row, i)


def test_tables_count_people_by_level_and_horizon_with_not_answered_as_a_category() -> None:
    people = [Person(4, "ready_now", {"gender": "woman"}) for _ in range(6)]
    people += [Person(4, "ready_now", {"gender": "man"}) for _ in range(5)]
    people += [Person(4, "ready_now", {}) for _ in range(2)]  # not answered
    people += [Person(4, "ready_now", {"gender": "prefer_not_to_say"})]
    people += [Person(5, "ready_now", {"gender": "woman"}) for _ in range(7)]  # all alike: hidden whole
    (table,) = diversity_tables(
        people,
        characteristics=[GENDER],
        levels=[(5, "Medical director"), (4, "Deputy medical director")],
        horizons=[("ready_now", "Ready now")],
        minimum=MINIMUM,
    )
    assert table.categories == ("Woman", "Man", "Prefer not", NOT_ANSWERED_LABEL)
    assert [(row.label, row.people, row.counts) for row in table.rows] == [
        ("Medical director, ready now", 7, None),
        ("Deputy medical director, ready now", 14, (6, 5, None, None)),
    ]
    assert [(row.label, cells) for row, cells in table.shown] == [
        ("Deputy medical director, ready now", [("Woman", 6), ("Man", 5), ("Prefer not", None), ("Not answered", None)])
    ]
