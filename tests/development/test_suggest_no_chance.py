"""Development suggestions for a criterion answered "No chance to demonstrate": a reason of its own, and ranked as a
need, since what the person needs is the opportunity. Pure: no database."""

from apps.development.suggest import CriterionState, OpportunityOption, reason, suggestions, weakest


def test_no_chance_yet_is_a_need_with_a_reason_of_its_own() -> None:
    states = [
        CriterionState("A", "Holding the board to account", own=None, others=None, expected=5, no_chance=True),
        CriterionState("B", "Chairing", own=3, others=None, expected=5),
        CriterionState("C", "Listening", own=5, others=None, expected=5),
    ]
    assert [s.code for s in weakest(states)] == ["A", "B", "C"]  # the chance first, then the widest gap
    assert reason(states[0], lowest_own=3) == "you have not had the chance to show “Holding the board to account” yet"
    found = suggestions(states, [OpportunityOption("board-shadow", "Shadow a board meeting", frozenset({"A"}))])
    assert [(s.opportunity, s.reasons) for s in found] == [
        ("board-shadow", ("you have not had the chance to show “Holding the board to account” yet",))
    ]
