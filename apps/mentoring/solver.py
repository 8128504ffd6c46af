"""Mentor matching as a minimum-cost flow: plain data in, plain data out (no Django, no database).

Why min-cost flow: a mentee takes one mentor, a mentor takes up to `capacity` mentees, and only allowed pairs may be
used. That is a capacitated bipartite matching, which a flow network models exactly:

    source → mentee (capacity 1) → mentor (capacity 1, cost −score) → sink (capacity = mentor's capacity)

OR-Tools' `SimpleMinCostFlow.solve_max_flow_with_min_cost()` first finds the maximum flow (the most mentees that can
be matched) and then, among all flows of that size, one of minimum cost (the highest total score). Both steps are
exact polynomial algorithms on integers, not heuristics, so the result is a true optimum.

What "exact" means here: the flow solver needs integer costs, so each score is rounded to a multiple of 1 / SCALE
(one millionth). Scores that differ by less than that are treated as equal; the returned total is summed from the
original floats, and it is within `matched / SCALE` of the best possible float total (exact for scores given to
six decimal places or fewer, such as scores given to two decimals).
"""

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

SCALE = 1_000_000
# Keeps every scaled cost, multiplied by the node count inside the solver's cost scaling, well inside 64 bits.
MAX_SCORE = 1_000_000.0


class ProblemError(ValueError):
    """The input does not describe a matching problem; the message says what is wrong, for a person to read."""


class SolverError(RuntimeError):
    """The flow solver did not report an optimum (it should not happen for a problem that passed `validate`)."""


@dataclass(frozen=True, slots=True)
class Mentor:
    id: str
    capacity: int


@dataclass(frozen=True, slots=True)
class Edge:
    """An allowed pair: `mentee` may be matched with `mentor`, worth `score` (higher is better)."""

    mentee: str
    mentor: str
    score: float


@dataclass(frozen=True, slots=True)
class Problem:
    mentors: list[Mentor]
    mentees: list[str]
    edges: list[Edge]


@dataclass(frozen=True, slots=True)
class Solution:
    assignments: list[tuple[str, str]]  # (mentee, mentor), sorted by mentee id
    unmatched: list[str]  # sorted
    matched: int
    total_score: float


def solve(problem: Problem) -> Solution:
    """The assignment that matches the most mentees and, among those, has the highest total score."""
    chosen = _chosen_edges(problem)
    edges = [problem.edges[i] for i in chosen]
    assigned = {edge.mentee for edge in edges}
    return Solution(
        assignments=sorted((edge.mentee, edge.mentor) for edge in edges),
        unmatched=sorted(mentee for mentee in problem.mentees if mentee not in assigned),
        matched=len(edges),
        total_score=math.fsum(edge.score for edge in edges),
    )


def _chosen_edges(problem: Problem) -> list[int]:
    """Indices into `problem.edges` of the pairs carrying flow in a max-flow, min-cost solution."""
    if not problem.edges:
        return []
    mentee_index = {mentee: i for i, mentee in enumerate(problem.mentees)}
    mentor_index = {mentor.id: i for i, mentor in enumerate(problem.mentors)}
    edges = problem.edges
    return solve_indexed(
        mentees=len(problem.mentees),
        capacities=np.asarray([mentor.capacity for mentor in problem.mentors], dtype=np.int64),
        edge_mentee=np.asarray([mentee_index[edge.mentee] for edge in edges], dtype=np.int64),
        edge_mentor=np.asarray([mentor_index[edge.mentor] for edge in edges], dtype=np.int64),
        edge_score=np.asarray([edge.score for edge in edges], dtype=np.float64),
    ).tolist()


def solve_indexed(
    *, mentees: int, capacities: np.ndarray, edge_mentee: np.ndarray, edge_mentor: np.ndarray, edge_score: np.ndarray
) -> np.ndarray:
    """The same optimum as `solve`, for a problem given as arrays (mentees and mentors by position, one entry per
    allowed pair, scores 0 to MAX_SCORE): the positions of the chosen pairs. What a match round calls, with
    millions of pairs, without making an object per pair."""
    if len(edge_score) == 0:
        return np.zeros(0, dtype=np.int64)
    network = _network(mentees, capacities, edge_mentee, edge_mentor, edge_score)
    status = network.solve_max_flow_with_min_cost()
    if status != network.OPTIMAL:
        raise SolverError(f"The flow solver stopped with status {status!r}.")
    flows = network.flows(np.arange(len(edge_score), dtype=np.int64))
    return np.flatnonzero(flows)


def _network(
    mentees: int, capacities: np.ndarray, edge_mentee: np.ndarray, edge_mentor: np.ndarray, edge_score: np.ndarray
) -> min_cost_flow.SimpleMinCostFlow:
    """The flow network; arc i is edge i, then come the source and sink arcs. Nodes: 0 the source, then the
    mentees, then the mentors, then the sink."""
    mentors = len(capacities)
    source, first_mentor, sink = 0, 1 + mentees, 1 + mentees + mentors
    mentee_nodes = np.arange(1, 1 + mentees, dtype=np.int32)
    mentor_nodes = np.arange(first_mentor, first_mentor + mentors, dtype=np.int32)
    tails = np.concatenate([1 + edge_mentee, np.full(mentees, source), mentor_nodes]).astype(np.int32)
    heads = np.concatenate([first_mentor + edge_mentor, mentee_nodes, np.full(mentors, sink)]).astype(np.int32)
    arc_capacities = np.concatenate([np.ones(len(edge_score) + mentees, dtype=np.int64), capacities])
    costs = np.concatenate([-np.rint(edge_score * SCALE).astype(np.int64), np.zeros(mentees + mentors, dtype=np.int64)])
    network = min_cost_flow.SimpleMinCostFlow()
    network.add_arcs_with_capacity_and_unit_cost(tails, heads, arc_capacities.astype(np.int64), costs)
    # Only the source and the sink matter to solve_max_flow_with_min_cost; the amount is an upper bound.
    network.set_node_supply(source, mentees)
    network.set_node_supply(sink, -mentees)
    return network


def validate(raw: Any) -> Problem:
    """The problem described by decoded JSON, or ProblemError saying the first thing wrong with it."""
    if not isinstance(raw, dict):
        raise ProblemError("The input must be a JSON object with keys 'mentors', 'mentees' and 'edges'.")
    mentors = [_mentor(item, n) for n, item in enumerate(_list(raw, "mentors"))]
    mentees = [_mentee(item, n) for n, item in enumerate(_list(raw, "mentees"))]
    _refuse_duplicates("mentor", [mentor.id for mentor in mentors])
    _refuse_duplicates("mentee", mentees)
    edges = [_edge(item, n) for n, item in enumerate(_list(raw, "edges"))]
    _refuse_unknown_ids(edges, set(mentees), {mentor.id for mentor in mentors})
    _refuse_duplicate_pairs(edges)
    return Problem(mentors=mentors, mentees=mentees, edges=edges)


def _list(raw: dict[str, Any], key: str) -> list[Any]:
    if key not in raw:
        raise ProblemError(f"The key '{key}' is missing.")
    if not isinstance(raw[key], list):
        raise ProblemError(f"'{key}' must be a list.")
    return raw[key]


def _object(item: Any, where: str, keys: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ProblemError(f"{where} must be an object.")
    for key in keys:
        if key not in item:
            raise ProblemError(f"{where} has no '{key}'.")
    return item


def _id(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ProblemError(f"{where}: the id must be a non-empty string, not {value!r}.")
    return value


def _mentor(item: Any, n: int) -> Mentor:
    where = f"mentors[{n}]"
    item = _object(item, where, ("id", "capacity"))
    capacity = item["capacity"]
    # bool is an int in Python; true/false is not a capacity.
    if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 0:
        raise ProblemError(f"{where}: capacity must be a whole number 0 or more, not {capacity!r}.")
    return Mentor(id=_id(item["id"], where), capacity=capacity)


def _mentee(item: Any, n: int) -> str:
    where = f"mentees[{n}]"
    return _id(_object(item, where, ("id",))["id"], where)


def _edge(item: Any, n: int) -> Edge:
    where = f"edges[{n}]"
    item = _object(item, where, ("mentee", "mentor", "score"))
    score = item["score"]
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        raise ProblemError(f"{where}: score must be a number, not {score!r}.")
    if not 0 <= score <= MAX_SCORE:
        raise ProblemError(f"{where}: score must be between 0 and {MAX_SCORE:,.0f}, not {score!r}.")
    return Edge(mentee=_id(item["mentee"], where), mentor=_id(item["mentor"], where), score=float(score))


def _refuse_duplicates(kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for id_ in ids:
        if id_ in seen:
            raise ProblemError(f"The {kind} id {id_!r} appears more than once.")
        seen.add(id_)


def _refuse_unknown_ids(edges: list[Edge], mentees: set[str], mentors: set[str]) -> None:
    for n, edge in enumerate(edges):
        if edge.mentee not in mentees:
            raise ProblemError(f"edges[{n}] names an unknown mentee {edge.mentee!r}.")
        if edge.mentor not in mentors:
            raise ProblemError(f"edges[{n}] names an unknown mentor {edge.mentor!r}.")


def _refuse_duplicate_pairs(edges: list[Edge]) -> None:
    seen: set[tuple[str, str]] = set()
    for n, edge in enumerate(edges):
        pair = (edge.mentee, edge.mentor)
        if pair in seen:
            raise ProblemError(f"edges[{n}] repeats the pair mentee {edge.mentee!r}, mentor {edge.mentor!r}.")
        seen.add(pair)
