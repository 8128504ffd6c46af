"""`solver.solve_blocks` (each mentee's best candidates, then the flow's duals checked against every allowed pair)
must reach the optimum of the full graph: compared with `solve_indexed` on every allowed pair, on seeded random
instances and with hypothesis, including with one candidate per mentee, where the dual check has to repair."""

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.mentoring.solver import Block, SolverError, scaled, solve_blocks, solve_indexed


def blocks_of(allowed: np.ndarray, scores: np.ndarray, size: int):  # type: ignore[no-untyped-def]
    def blocks():  # type: ignore[no-untyped-def]
        for start in range(0, len(allowed), size):
            costs = np.where(allowed, scaled(scores), -1)[start : start + size]
            yield Block(start=start, costs=costs)

    return blocks


def full_optimum(allowed: np.ndarray, scores: np.ndarray, capacities: np.ndarray) -> tuple[int, int]:
    """(matched, total of scaled scores) from the flow solver on every allowed pair."""
    edge_mentee, edge_mentor = np.nonzero(allowed)
    edge_score = scores[edge_mentee, edge_mentor]
    chosen = solve_indexed(
        mentees=len(allowed),
        capacities=capacities,
        edge_mentee=edge_mentee.astype(np.int64),
        edge_mentor=edge_mentor.astype(np.int64),
        edge_score=edge_score,
    )
    return len(chosen), int(scaled(edge_score[chosen]).sum())


def sparse_optimum(
    allowed: np.ndarray, scores: np.ndarray, capacities: np.ndarray, keep: int, mentor_keep: int, block: int
) -> tuple[int, int, int]:
    """(matched, total of scaled scores, rounds), after checking the answer is a feasible assignment."""
    solution = solve_blocks(
        mentees=len(allowed),
        capacities=capacities,
        blocks=blocks_of(allowed, scores, block),
        keep=keep,
        mentor_keep=mentor_keep,
    )
    assert len(set(solution.mentee.tolist())) == len(solution.mentee)  # one mentor per mentee at most
    assert allowed[solution.mentee, solution.mentor].all()  # only allowed pairs
    load = np.bincount(solution.mentor, minlength=len(capacities))
    assert (load <= capacities).all()  # no mentor over capacity
    total = int(scaled(scores[solution.mentee, solution.mentor]).sum())
    return len(solution.mentee), total, solution.rounds


def random_instance(rng: random.Random) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mentees, mentors = rng.randint(0, 40), rng.randint(1, 15)
    forbidden = rng.choice([0.0, 0.3, 0.7, 0.95])
    allowed = np.array([[rng.random() >= forbidden for _ in range(mentors)] for _ in range(mentees)], dtype=bool)
    allowed = allowed.reshape(mentees, mentors)
    values = rng.choice([[0.0, 1.0], [0.0, 5.0, 15.0, 40.0], None])  # few values: many ties
    scores = np.array(
        [
            [rng.choice(values) if values else round(rng.uniform(0, 100), 2) for _ in range(mentors)]
            for _ in range(mentees)
        ],
        dtype=np.float64,
    ).reshape(mentees, mentors)
    capacities = np.array([rng.choice([0, 1, 1, 2, 3, 4]) for _ in range(mentors)], dtype=np.int64)
    return allowed, scores, capacities


@pytest.mark.parametrize(("keep", "mentor_keep"), [(1, 0), (1, 1), (2, 2), (16, 2)])
def test_the_sparse_solve_equals_the_full_graph_on_300_seeded_instances(keep: int, mentor_keep: int) -> None:
    rng = random.Random(20 + keep + mentor_keep)
    repaired = 0
    for _ in range(300):
        allowed, scores, capacities = random_instance(rng)
        block = rng.randint(1, 9)
        matched, total, rounds = sparse_optimum(allowed, scores, capacities, keep, mentor_keep, block)
        assert (matched, total) == full_optimum(allowed, scores, capacities)
        repaired += rounds > 1
    if mentor_keep == 0:
        assert repaired > 50  # the check really had to add pairs, and the answer was still the optimum


def test_one_candidate_each_is_repaired_to_the_optimum() -> None:
    # Both mentees like A best; A has one place. With one candidate each only one is matched until the dual check
    # finds that B (worth less, but one more match) improves the answer.
    allowed = np.ones((2, 2), dtype=bool)
    scores = np.array([[10.0, 1.0], [10.0, 2.0]])
    solution = solve_blocks(
        mentees=2, capacities=np.array([1, 1]), blocks=blocks_of(allowed, scores, 1), keep=1, mentor_keep=0
    )
    assert sorted(zip(solution.mentee.tolist(), solution.mentor.tolist(), strict=True)) == [(0, 0), (1, 1)]
    assert solution.rounds == 2 and solution.added >= 1


def test_a_higher_total_found_only_outside_the_candidates_is_found() -> None:
    # Same count either way; the best total needs mentee 0 on its second choice so mentee 1 can have A.
    allowed = np.ones((2, 2), dtype=bool)
    scores = np.array([[10.0, 9.0], [10.0, 0.0]])
    solution = solve_blocks(
        mentees=2, capacities=np.array([1, 1]), blocks=blocks_of(allowed, scores, 2), keep=1, mentor_keep=0
    )
    assert sorted(zip(solution.mentee.tolist(), solution.mentor.tolist(), strict=True)) == [(0, 1), (1, 0)]
    assert solution.rounds == 2


def test_nothing_allowed_matches_nobody() -> None:
    allowed = np.zeros((3, 2), dtype=bool)
    solution = solve_blocks(
        mentees=3, capacities=np.array([1, 1]), blocks=blocks_of(allowed, np.zeros((3, 2)), 2), keep=4
    )
    assert len(solution.mentee) == 0 and solution.rounds == 0


def test_without_mentors_nobody_is_matched() -> None:
    blocks = blocks_of(np.zeros((3, 0), dtype=bool), np.zeros((3, 0)), 2)
    solution = solve_blocks(mentees=3, capacities=np.zeros(0, dtype=np.int64), blocks=blocks)
    assert len(solution.mentee) == 0


def test_blocks_that_miss_mentees_are_refused() -> None:

    def short():  # type: ignore[no-untyped-def]
        yield Block(start=0, costs=np.zeros((2, 2), dtype=np.int64))

    with pytest.raises(SolverError, match="covered 2 mentees, not 3"):
        solve_blocks(mentees=3, capacities=np.array([1, 1]), blocks=short, keep=2)


@st.composite
def instances(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int, int]:
    mentees, mentors = draw(st.integers(1, 40)), draw(st.integers(1, 15))
    cells = mentees * mentors
    allowed = np.array(draw(st.lists(st.booleans(), min_size=cells, max_size=cells)), dtype=bool)
    scores = np.array(
        draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 20.0, 33.33, 100.0]), min_size=cells, max_size=cells))
    )
    capacities = np.array(draw(st.lists(st.integers(0, 4), min_size=mentors, max_size=mentors)), dtype=np.int64)
    return (
        allowed.reshape(mentees, mentors),
        scores.reshape(mentees, mentors),
        capacities,
        draw(st.integers(1, 5)),
        draw(st.integers(0, 3)),
        draw(st.integers(1, 12)),
    )


@settings(max_examples=300, deadline=None)
@given(instances())
def test_property_the_sparse_solve_equals_the_full_graph(
    instance: tuple[np.ndarray, np.ndarray, np.ndarray, int, int, int],
) -> None:
    allowed, scores, capacities, keep, mentor_keep, block = instance
    matched, total, _ = sparse_optimum(allowed, scores, capacities, keep, mentor_keep, block)
    assert (matched, total) == full_optimum(allowed, scores, capacities)
