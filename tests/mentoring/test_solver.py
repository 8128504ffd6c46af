"""The matching solver: most mentees matched first, then the highest total score, checked against an exact method."""

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.mentoring.management.commands.match_bench import exact_optimum
from apps.mentoring.solver import Edge, Mentor, Problem, ProblemError, Solution, solve, validate


def problem(mentors: dict[str, int], mentees: list[str], edges: list[tuple[str, str, float]]) -> Problem:
    return Problem(
        mentors=[Mentor(id_, capacity) for id_, capacity in mentors.items()],
        mentees=mentees,
        edges=[Edge(mentee, mentor, score) for mentee, mentor, score in edges],
    )


def assert_feasible(p: Problem, solution: Solution) -> None:
    allowed = {(edge.mentee, edge.mentor) for edge in p.edges}
    assert all(pair in allowed for pair in solution.assignments)
    mentees = [mentee for mentee, _ in solution.assignments]
    assert len(mentees) == len(set(mentees)), "a mentee is matched twice"
    for mentor in p.mentors:
        assert sum(1 for _, m in solution.assignments if m == mentor.id) <= mentor.capacity
    assert solution.unmatched == sorted(set(p.mentees) - set(mentees))
    assert solution.matched == len(solution.assignments)
    scores = {(edge.mentee, edge.mentor): edge.score for edge in p.edges}
    assert solution.total_score == pytest.approx(sum(scores[pair] for pair in solution.assignments))


def assert_optimal(p: Problem, solution: Solution) -> None:
    matched, total = exact_optimum(p)
    assert solution.matched == matched
    # Scores are rounded to millionths inside the solver, so the total may trail by at most a millionth per match.
    assert solution.total_score == pytest.approx(total, abs=1e-6 * max(1, matched), rel=0)


# --- Hand-checked cases --------------------------------------------------------------------------------------------


def test_matching_one_more_mentee_beats_a_higher_score() -> None:
    # Greedy on score gives Ann to Xena (100) and leaves Bob out; two matches worth 2 are better.
    p = problem({"xena": 1, "yves": 1}, ["ann", "bob"], [("ann", "xena", 100), ("ann", "yves", 1), ("bob", "xena", 1)])

    solution = solve(p)

    assert solution == Solution([("ann", "yves"), ("bob", "xena")], [], matched=2, total_score=2.0)


def test_among_equal_counts_the_highest_total_wins() -> None:
    p = problem({"xena": 1, "yves": 1}, ["ann", "bob"], [("ann", "xena", 9), ("ann", "yves", 5), ("bob", "xena", 7)])
    # ann–xena + nothing for bob is one match; ann–yves + bob–xena is two (12); no other pair of two exists.
    assert solve(p).assignments == [("ann", "yves"), ("bob", "xena")]

    p = problem(
        {"xena": 1, "yves": 1},
        ["ann", "bob"],
        [("ann", "xena", 9), ("ann", "yves", 5), ("bob", "xena", 7), ("bob", "yves", 8)],
    )
    # Two matches either way: ann–xena + bob–yves (17) beats ann–yves + bob–xena (12).
    assert solve(p) == Solution([("ann", "xena"), ("bob", "yves")], [], matched=2, total_score=17.0)


def test_a_mentor_takes_no_more_than_their_capacity_and_keeps_the_best() -> None:
    p = problem({"xena": 2}, ["ann", "bob", "cat"], [("ann", "xena", 3), ("bob", "xena", 9), ("cat", "xena", 6)])

    solution = solve(p)

    assert solution == Solution([("bob", "xena"), ("cat", "xena")], ["ann"], matched=2, total_score=15.0)


def test_a_mentor_with_capacity_zero_takes_nobody() -> None:
    p = problem({"xena": 0, "yves": 1}, ["ann", "bob"], [("ann", "xena", 50), ("bob", "xena", 50), ("bob", "yves", 1)])

    assert solve(p) == Solution([("bob", "yves")], ["ann"], matched=1, total_score=1.0)


def test_without_allowed_pairs_everyone_is_unmatched() -> None:
    p = problem({"xena": 3}, ["cat", "ann", "bob"], [])

    assert solve(p) == Solution([], ["ann", "bob", "cat"], matched=0, total_score=0.0)


def test_an_empty_problem_has_an_empty_solution() -> None:
    assert solve(problem({}, [], [])) == Solution([], [], matched=0, total_score=0.0)


def test_ties_give_an_optimal_and_repeatable_answer() -> None:
    edges = [(mentee, mentor, 5.0) for mentee in ["ann", "bob", "cat"] for mentor in ["xena", "yves"]]
    p = problem({"xena": 1, "yves": 1}, ["ann", "bob", "cat"], edges)

    first = solve(p)

    assert first.matched == 2 and first.total_score == 10.0
    assert all(solve(p) == first for _ in range(5))
    assert_feasible(p, first)


def test_scores_closer_than_a_millionth_count_as_equal_but_the_total_is_exact() -> None:
    p = problem({"xena": 1}, ["ann", "bob"], [("ann", "xena", 0.1 + 0.2), ("bob", "xena", 0.3)])

    solution = solve(p)

    assert solution.matched == 1
    assert solution.total_score in {0.1 + 0.2, 0.3}  # the original float, not the rounded one


def test_assignments_are_sorted_by_mentee() -> None:
    mentees = [f"m{i}" for i in range(9, -1, -1)]
    p = problem({"xena": 10}, mentees, [(mentee, "xena", 1.0) for mentee in mentees])

    assert [mentee for mentee, _ in solve(p).assignments] == sorted(mentees)


# --- Against the independent exact method --------------------------------------------------------------------------


def random_problem(rng: random.Random, max_mentees: int = 8, max_mentors: int = 5) -> Problem:
    mentees = [f"e{i}" for i in range(rng.randint(0, max_mentees))]
    mentors = {f"r{j}": rng.randint(0, 3) for j in range(rng.randint(0, max_mentors))}
    density = rng.random()
    edges = [
        (mentee, mentor, rng.choice([round(rng.uniform(0, 100), 2), float(rng.randint(0, 3)), rng.random()]))
        for mentee in mentees
        for mentor in mentors
        if rng.random() < density
    ]
    return problem(mentors, mentees, edges)


def test_matches_the_exact_method_on_200_random_instances() -> None:
    rng = random.Random(20_240_601)
    for _ in range(200):
        p = random_problem(rng)
        solution = solve(p)
        assert_feasible(p, solution)
        assert_optimal(p, solution)


def test_exact_method_on_a_hand_checked_case() -> None:
    # The check must itself be right: the "more matches beat score" case from above.
    p = problem({"xena": 1, "yves": 1}, ["ann", "bob"], [("ann", "xena", 100), ("ann", "yves", 1), ("bob", "xena", 1)])

    assert exact_optimum(p) == (2, 2.0)


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    mentees = [f"e{i}" for i in range(draw(st.integers(0, 7)))]
    mentors = {f"r{j}": draw(st.integers(0, 3)) for j in range(draw(st.integers(0, 4)))}
    pairs = [(mentee, mentor) for mentee in mentees for mentor in mentors]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    scores = st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False)
    return problem(mentors, mentees, [(mentee, mentor, draw(scores)) for mentee, mentor in chosen])


@settings(max_examples=300, deadline=None)
@given(problems())
def test_property_solution_is_feasible_and_optimal(p: Problem) -> None:
    solution = solve(p)

    assert_feasible(p, solution)
    assert_optimal(p, solution)


# --- Validation ----------------------------------------------------------------------------------------------------


def raw(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "mentors": [{"id": "xena", "capacity": 2}],
        "mentees": [{"id": "ann"}, {"id": "bob"}],
        "edges": [{"mentee": "ann", "mentor": "xena", "score": 7.5}],
    }
    data.update(changes)
    return data


def test_validate_builds_the_problem() -> None:
    assert validate(raw()) == problem({"xena": 2}, ["ann", "bob"], [("ann", "xena", 7.5)])


def test_validate_accepts_integer_scores_and_capacity_zero() -> None:
    p = validate(raw(mentors=[{"id": "xena", "capacity": 0}], edges=[{"mentee": "ann", "mentor": "xena", "score": 3}]))

    assert p.mentors == [Mentor("xena", 0)]
    assert p.edges == [Edge("ann", "xena", 3.0)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "must be a JSON object"),
        ({"mentees": [], "edges": []}, "The key 'mentors' is missing."),
        (raw(edges={}), "'edges' must be a list."),
        (raw(mentors=["xena"]), "mentors[0] must be an object."),
        (raw(mentors=[{"id": "xena"}]), "mentors[0] has no 'capacity'."),
        (raw(mentors=[{"id": "xena", "capacity": -1}]), "mentors[0]: capacity must be a whole number 0 or more"),
        (raw(mentors=[{"id": "xena", "capacity": 1.5}]), "capacity must be a whole number 0 or more, not 1.5"),
        (raw(mentors=[{"id": "xena", "capacity": True}]), "capacity must be a whole number 0 or more, not True"),
        (raw(mentors=[{"id": 7, "capacity": 1}]), "mentors[0]: the id must be a non-empty string, not 7."),
        (raw(mentees=[{"id": ""}]), "mentees[0]: the id must be a non-empty string"),
        (raw(mentees=[{"id": "ann"}, {"id": "ann"}]), "The mentee id 'ann' appears more than once."),
        (raw(mentors=[{"id": "x", "capacity": 1}] * 2), "The mentor id 'x' appears more than once."),
        (raw(edges=[{"mentee": "ann", "mentor": "xena"}]), "edges[0] has no 'score'."),
        (raw(edges=[{"mentee": "ann", "mentor": "xena", "score": -0.5}]), "edges[0]: score must be between 0 and"),
        (raw(edges=[{"mentee": "ann", "mentor": "xena", "score": "9"}]), "edges[0]: score must be a number, not '9'."),
        (raw(edges=[{"mentee": "ann", "mentor": "xena", "score": float("nan")}]), "score must be a number, not nan"),
        (raw(edges=[{"mentee": "ann", "mentor": "xena", "score": 1e9}]), "score must be between 0 and 1,000,000"),
        (raw(edges=[{"mentee": "zed", "mentor": "xena", "score": 1}]), "edges[0] names an unknown mentee 'zed'."),
        (raw(edges=[{"mentee": "ann", "mentor": "zoe", "score": 1}]), "edges[0] names an unknown mentor 'zoe'."),
        (
            raw(
                edges=[{"mentee": "ann", "mentor": "xena", "score": 1}, {"mentee": "ann", "mentor": "xena", "score": 2}]
            ),
            "edges[1] repeats the pair mentee 'ann', mentor 'xena'.",
        ),
    ],
)
def test_validate_refuses_with_a_clear_message(data: Any, message: str) -> None:
    with pytest.raises(ProblemError) as error:
        validate(data)

    assert message in str(error.value)
