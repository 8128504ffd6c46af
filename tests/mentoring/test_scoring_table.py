"""The numpy table a match round uses must allow exactly the pairs `scoring.refusal` allows and give each exactly
`scoring.score`: checked on random pools with hypothesis, and the round's assignment against the pair-by-pair
path on the same pool."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.mentoring.scoring import MenteeFacts, MentorFacts, Weights, refusal, score
from apps.mentoring.scoring_table import MentorTable
from apps.mentoring.solver import SCALE, Block, Edge, Mentor, Problem, solve, solve_blocks, solve_indexed

CODES = ["SKI-1", "SKI-2", "SKI-8", "EXP-1", "QUA-3"]
ORGS = [None, "RXT", "RV5", "RWK"]
SECTORS = ["acute", "mental health", "community"]
REGIONS = ["London", "Midlands"]
MODES = ["video", "phone", "in_person"]
IDS = [str(i) for i in range(12)]

mentor_facts = st.builds(
    MentorFacts,
    id=st.sampled_from(IDS),
    organisation=st.sampled_from(ORGS),
    kind=st.sampled_from(["mentor", "coach", "both"]),
    expertise=st.frozensets(st.sampled_from(CODES)),
    sectors=st.frozensets(st.sampled_from(SECTORS)),
    regions=st.frozensets(st.sampled_from(REGIONS)),
    level=st.none() | st.integers(1, 5),
    modes=st.frozensets(st.sampled_from(MODES)),
    outside_ok=st.booleans(),
    active=st.booleans(),
)
mentee_facts = st.builds(
    MenteeFacts,
    id=st.sampled_from(IDS),
    organisation=st.sampled_from([*ORGS, "RRK"]),  # RRK: an organisation no mentor is from
    kind=st.sampled_from(["mentor", "coach", "both"]),
    focus=st.lists(st.sampled_from([*CODES, "SKI-10"]), unique=True, max_size=4).map(tuple),
    sector=st.none() | st.sampled_from([*SECTORS, "ambulance"]),
    region=st.none() | st.sampled_from([*REGIONS, "North West"]),
    level=st.none() | st.integers(1, 5),
    modes=st.frozensets(st.sampled_from(MODES)),
    outside=st.sampled_from(["required", "preferred", "either"]),
    sector_preference=st.sampled_from(["same", "different", "either"]),
    same_region=st.booleans(),
    excluded=st.frozensets(st.sampled_from(IDS), max_size=2),
    line_manager=st.none() | st.sampled_from(IDS),
)
weights = st.builds(
    Weights,
    **{
        name: st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 2))
        for name in ("focus", "outside", "sector", "region", "career", "mode")
    },
)


def unique_ids(mentors: list[MentorFacts]) -> list[MentorFacts]:
    seen: dict[str, MentorFacts] = {}
    for mentor in mentors:
        seen.setdefault(mentor.id, mentor)
    return list(seen.values())


@settings(max_examples=300, deadline=None)
@given(st.lists(mentor_facts, min_size=1, max_size=12).map(unique_ids), mentee_facts, weights)
def test_the_table_allows_and_scores_exactly_as_scoring_does(
    mentors: list[MentorFacts], mentee: MenteeFacts, w: Weights
) -> None:
    allowed = MentorTable(mentors).allowed(mentee, w)
    expected = [i for i, mentor in enumerate(mentors) if refusal(mentee, mentor) is None]
    assert allowed.mentors.tolist() == expected
    assert allowed.scores.tolist() == [score(mentee, mentors[i], weights=w) for i in expected]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(mentor_facts, min_size=1, max_size=8).map(unique_ids),
    st.lists(mentee_facts, min_size=1, max_size=10),
    st.lists(st.integers(1, 4), min_size=8, max_size=8),
)
def test_a_round_from_the_table_finds_the_same_optimum(
    mentors: list[MentorFacts], mentees: list[MenteeFacts], capacities: list[int]
) -> None:
    w = Weights()
    table = MentorTable(mentors)
    parts = [(i, table.allowed(mentee, w)) for i, mentee in enumerate(mentees)]
    edge_mentee = np.concatenate([np.full(len(a.mentors), i, dtype=np.int64) for i, a in parts])
    edge_mentor = np.concatenate([a.mentors for _, a in parts])
    edge_score = np.concatenate([a.scores for _, a in parts])
    chosen = solve_indexed(
        mentees=len(mentees),
        capacities=np.asarray(capacities[: len(mentors)], dtype=np.int64),
        edge_mentee=edge_mentee,
        edge_mentor=edge_mentor,
        edge_score=edge_score,
    )
    problem = Problem(
        mentors=[Mentor(id=m.id, capacity=c) for m, c in zip(mentors, capacities, strict=False)],
        mentees=[f"e{i}" for i in range(len(mentees))],
        edges=[
            Edge(mentee=f"e{i}", mentor=m.id, score=score(e, m, weights=w))
            for i, e in enumerate(mentees)
            for m in mentors
            if refusal(e, m) is None
        ],
    )
    reference = solve(problem)
    assert len(chosen) == reference.matched
    assert float(edge_score[chosen].sum()) == pytest.approx(reference.total_score, abs=1e-6)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(mentor_facts, min_size=1, max_size=12).map(unique_ids),
    st.lists(mentee_facts, min_size=0, max_size=6),
    weights,
    st.sampled_from([SCALE, 2.0**40]),
)
def test_a_block_scores_every_pair_as_allowed_does(
    mentors: list[MentorFacts], mentees: list[MenteeFacts], w: Weights, scale: float
) -> None:
    # 2**40: scaling by a power of two is exact, so this compares the floats to about 1e-12, finer than the solver
    # ever looks; SCALE: exactly the integers the solver gets.
    table = MentorTable(mentors)
    costs = table.block(mentees, w, scale=scale)
    assert costs.shape == (len(mentees), len(mentors))
    for row, mentee in enumerate(mentees):
        allowed = table.allowed(mentee, w)
        expected = np.full(len(mentors), -1, dtype=np.int64)
        expected[allowed.mentors] = np.rint(allowed.scores * scale).astype(np.int64)
        assert costs[row].tolist() == expected.tolist()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(mentor_facts, min_size=1, max_size=8).map(unique_ids),
    st.lists(mentee_facts, min_size=1, max_size=14),
    st.lists(st.integers(0, 3), min_size=8, max_size=8),
    st.sampled_from([(1, 0), (2, 1), (8, 2)]),
    st.integers(1, 5),
)
def test_a_round_from_blocks_and_duals_finds_the_full_graphs_optimum(
    mentors: list[MentorFacts],
    mentees: list[MenteeFacts],
    capacities: list[int],
    keeps: tuple[int, int],
    rows: int,
) -> None:
    # What a round does (blocks from the table, candidates, the dual check over every pair) against the flow solver
    # given every pair `scoring` allows, scored pair by pair: the same count and the same total, in millionths.
    w = Weights()
    table = MentorTable(mentors)

    def blocks():  # type: ignore[no-untyped-def]
        for start in range(0, len(mentees), rows):
            yield Block(start=start, costs=table.block(mentees[start : start + rows], w, scale=SCALE))

    solution = solve_blocks(
        mentees=len(mentees),
        capacities=np.asarray(capacities[: len(mentors)], dtype=np.int64),
        blocks=blocks,
        keep=keeps[0],
        mentor_keep=keeps[1],
    )
    chosen = [(f"e{i}", mentors[j].id) for i, j in zip(solution.mentee.tolist(), solution.mentor.tolist(), strict=True)]
    problem = Problem(
        mentors=[Mentor(id=m.id, capacity=c) for m, c in zip(mentors, capacities, strict=False)],
        mentees=[f"e{i}" for i in range(len(mentees))],
        edges=[
            Edge(mentee=f"e{i}", mentor=m.id, score=score(e, m, weights=w))
            for i, e in enumerate(mentees)
            for m in mentors
            if refusal(e, m) is None
        ],
    )
    reference = solve(problem)
    scores = {(edge.mentee, edge.mentor): edge.score for edge in problem.edges}
    assert all(pair in scores for pair in chosen)  # only pairs the hard rules allow
    assert len(chosen) == reference.matched
    assert sum(round(scores[pair] * SCALE) for pair in chosen) == sum(
        round(scores[pair] * SCALE) for pair in reference.assignments
    )
