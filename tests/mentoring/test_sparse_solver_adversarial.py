"""Adversarial instances for `solver.solve_blocks`: an exhaustive search as an oracle independent of OR-Tools on
tiny pools split into blocks of any size (empty ones too), bigger and odder pools against the full graph, the same
answer twice, a long chain of improving swaps (the potentials' longest shortest path), and scores at MAX_SCORE on
a pool large enough that the bonus B × score is near 10^16."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.mentoring.solver import MAX_SCORE, Block, scaled, solve_blocks
from tests.mentoring.test_sparse_solver import blocks_of, full_optimum, sparse_optimum

# Near ties: 1.0000004 and 1.0000006 round to different millionths, 1.0000004 and 1.0 do not.
VALUES = [0.0, 1.0, 1.0000004, 1.0000006, 3.5, 99.99, MAX_SCORE - 0.000001, MAX_SCORE]


def exhaustive(costs: np.ndarray, capacities: np.ndarray) -> tuple[int, int]:
    """(matched, total of costs) of the best assignment, by trying every one: −1 marks a refused pair."""
    mentees, mentors = costs.shape
    best = (0, 0)

    def visit(i: int, load: list[int], matched: int, total: int) -> None:
        nonlocal best
        if i == mentees:
            best = max(best, (matched, total))
            return
        visit(i + 1, load, matched, total)
        for j in range(mentors):
            if costs[i, j] >= 0 and load[j] < capacities[j]:
                load[j] += 1
                visit(i + 1, load, matched + 1, total + int(costs[i, j]))
                load[j] -= 1

    visit(0, [0] * mentors, 0, 0)
    return best


@st.composite
def tiny(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, list[int], int, int]:
    mentees, mentors = draw(st.integers(0, 6)), draw(st.integers(0, 3))
    cells = mentees * mentors
    allowed = np.array(draw(st.lists(st.booleans(), min_size=cells, max_size=cells)), dtype=bool)
    scores = np.array(draw(st.lists(st.sampled_from(VALUES), min_size=cells, max_size=cells)), dtype=np.float64)
    costs = np.where(allowed, scaled(scores), -1).reshape(mentees, mentors)
    capacities = np.array(draw(st.lists(st.integers(0, 3), min_size=mentors, max_size=mentors)), dtype=np.int64)
    # Block sizes summing to the mentee count, with empty blocks anywhere (a block may hold nobody).
    sizes = draw(st.lists(st.integers(0, 3), max_size=8))
    sizes = [*sizes, max(0, mentees - sum(sizes))]
    while sum(sizes) > mentees:
        sizes[sizes.index(max(sizes))] -= 1
    return costs, capacities, sizes, draw(st.integers(1, 3)), draw(st.integers(0, 2))


@settings(max_examples=400, deadline=None)
@given(tiny())
def test_property_the_sparse_solve_equals_an_exhaustive_search(
    instance: tuple[np.ndarray, np.ndarray, list[int], int, int],
) -> None:
    costs, capacities, sizes, keep, mentor_keep = instance

    def blocks():  # type: ignore[no-untyped-def]
        start = 0
        for size in sizes:
            yield Block(start=start, costs=costs[start : start + size].copy())
            start += size

    solution = solve_blocks(
        mentees=len(costs), capacities=capacities, blocks=blocks, keep=keep, mentor_keep=mentor_keep
    )
    assert (costs[solution.mentee, solution.mentor] >= 0).all()
    assert len(set(solution.mentee.tolist())) == len(solution.mentee)
    assert (np.bincount(solution.mentor, minlength=len(capacities)) <= capacities).all()
    assert (len(solution.mentee), int(costs[solution.mentee, solution.mentor].sum())) == exhaustive(costs, capacities)


@st.composite
def odd(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int, int]:
    mentees, mentors = draw(st.integers(1, 120)), draw(st.integers(1, 25))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    allowed = rng.random((mentees, mentors)) < draw(st.sampled_from([0.03, 0.2, 0.6, 1.0]))
    values = draw(st.sampled_from([[0.0], [MAX_SCORE], [1.0, 1.0000004, 1.0000006], VALUES, None]))
    scores = rng.choice(values, (mentees, mentors)) if values else np.round(rng.random((mentees, mentors)) * 100, 7)
    most = draw(st.sampled_from([0, 1, 4, mentees + 1]))
    capacities = rng.integers(0, most + 1, mentors).astype(np.int64)
    return allowed, scores, capacities, draw(st.integers(1, 9)), draw(st.integers(0, 3)), draw(st.integers(1, 130))


@settings(max_examples=150, deadline=None)
@given(odd())
def test_property_bigger_odder_pools_equal_the_full_graph_and_repeat_exactly(
    instance: tuple[np.ndarray, np.ndarray, np.ndarray, int, int, int],
) -> None:
    allowed, scores, capacities, keep, mentor_keep, block = instance
    matched, total, _ = sparse_optimum(allowed, scores, capacities, keep, mentor_keep, block)
    assert (matched, total) == full_optimum(allowed, scores, capacities)
    twice = [
        solve_blocks(
            mentees=len(allowed),
            capacities=capacities,
            blocks=blocks_of(allowed, scores, block),
            keep=keep,
            mentor_keep=mentor_keep,
        )
        for _ in range(2)
    ]
    assert twice[0].mentee.tolist() == twice[1].mentee.tolist()
    assert twice[0].mentor.tolist() == twice[1].mentor.tolist()


def test_a_long_chain_of_improving_swaps_is_exact() -> None:
    # Mentee i holds mentor i (1 point) and would rather have mentor i + 1 (2 points), held by mentee i + 1; the
    # last mentor's mentee has nowhere else. The shortest path to mentor k in the residual network has 2k arcs,
    # so Bellman–Ford needs one pass per link.
    links = 400
    allowed = np.zeros((links + 1, links + 1), dtype=bool)
    scores = np.zeros((links + 1, links + 1))
    for i in range(links):
        allowed[i, i], allowed[i, i + 1] = True, True
        scores[i, i], scores[i, i + 1] = 1.0, 2.0
    allowed[links, links], scores[links, links] = True, 3.0
    capacities = np.ones(links + 1, dtype=np.int64)
    matched, total, _ = sparse_optimum(allowed, scores, capacities, 8, 2, 64)
    assert (matched, total) == full_optimum(allowed, scores, capacities) == (links + 1, (links + 3) * 1_000_000)


def test_scores_at_max_score_on_a_large_pool_stay_exact() -> None:
    # B ≈ 3,000 × 10^12: the potentials and reduced costs reach about 10^16, inside int64 with room.
    rng = np.random.default_rng(20)
    allowed = rng.random((3000, 12)) < 0.5
    scores = rng.choice([MAX_SCORE, MAX_SCORE - 0.000001, 0.0], (3000, 12))
    capacities = rng.integers(0, 300, 12).astype(np.int64)
    matched, total, rounds = sparse_optimum(allowed, scores, capacities, 1, 0, 500)
    assert (matched, total) == full_optimum(allowed, scores, capacities)
    assert rounds > 1  # one candidate each and none per mentor: the check had to repair


def test_nearly_additive_scores_are_repaired_in_a_few_rounds() -> None:
    # Score = mentee part + mentor part: every mentor ranks mentees alike and every mentee ranks mentors alike, so
    # the candidates miss most of the optimum and, if the check added only each mentee's most negative pairs, every
    # mentee would get the same few mentors and each round would add a handful of matches (19 rounds here, 125 at
    # 4,000 × 1,000). Half of what the check adds is drawn at random among the violators; a count of rounds, not a
    # time: each round is a pass over every pair.
    rng = np.random.default_rng(20)
    scores = np.round(rng.random(600) * 50, 2)[:, None] + np.round(rng.random(150) * 50, 2)[None, :]
    allowed = np.ones(scores.shape, dtype=bool)
    capacities = rng.integers(1, 4, 150).astype(np.int64)
    matched, total, rounds = sparse_optimum(allowed, scores, capacities, 8, 2, 100)
    assert (matched, total) == full_optimum(allowed, scores, capacities)
    assert rounds <= 4
