"""Mentor matching as a minimum-cost flow: plain data in, plain data out (no Django, no database).

Why min-cost flow: a mentee takes one mentor, a mentor takes up to `capacity` mentees, and only allowed pairs may be
used. That is a capacitated bipartite matching, which a flow network models exactly:

    source → mentee (capacity 1) → mentor (capacity 1, cost −score) → sink (capacity = mentor's capacity)

OR-Tools' `SimpleMinCostFlow.solve_max_flow_with_min_cost()` first finds the maximum flow (the most mentees that can
be matched) and then, among all flows of that size, one of minimum cost (the highest total score). Both steps are
exact polynomial algorithms on integers, not heuristics, so the result is a true optimum.

A match round's pool can have 80 million allowed pairs, which the flow solver would need about 10 GB for, while
an optimum uses a few thousand: `solve_blocks` solves on a few candidates per mentee and proves, with the flow's
duals checked against every allowed pair (block by block, with numpy), that no pair left out could do better,
adding any that could and solving again. Same optimum, a few hundred MB.

What "exact" means here: the flow solver needs integer costs, so each score is rounded to a multiple of 1 / SCALE
(one millionth). Scores that differ by less than that are treated as equal; the returned total is summed from the
original floats, and it is within `matched / SCALE` of the best possible float total (exact for scores given to
six decimal places or fewer, such as scores given to two decimals).
"""

import math
from collections.abc import Callable, Iterable
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
    network = _network(mentees, capacities, edge_mentee, edge_mentor, scaled(edge_score))
    status = network.solve_max_flow_with_min_cost()
    if status != network.OPTIMAL:
        raise SolverError(f"The flow solver stopped with status {status!r}.")
    flows = network.flows(np.arange(len(edge_score), dtype=np.int64))
    return np.flatnonzero(flows)


def _network(
    mentees: int, capacities: np.ndarray, edge_mentee: np.ndarray, edge_mentor: np.ndarray, edge_cost: np.ndarray
) -> min_cost_flow.SimpleMinCostFlow:
    """The flow network; arc i is edge i (worth its scaled score `edge_cost`), then come the source and sink
    arcs. Nodes: 0 the source, then the mentees, then the mentors, then the sink."""
    mentors = len(capacities)
    source, first_mentor, sink = 0, 1 + mentees, 1 + mentees + mentors
    mentee_nodes = np.arange(1, 1 + mentees, dtype=np.int32)
    mentor_nodes = np.arange(first_mentor, first_mentor + mentors, dtype=np.int32)
    tails = np.concatenate([1 + edge_mentee, np.full(mentees, source), mentor_nodes]).astype(np.int32)
    heads = np.concatenate([first_mentor + edge_mentor, mentee_nodes, np.full(mentors, sink)]).astype(np.int32)
    arc_capacities = np.concatenate([np.ones(len(edge_cost) + mentees, dtype=np.int64), capacities])
    costs = np.concatenate([-np.asarray(edge_cost, dtype=np.int64), np.zeros(mentees + mentors, dtype=np.int64)])
    network = min_cost_flow.SimpleMinCostFlow()
    network.add_arcs_with_capacity_and_unit_cost(tails, heads, arc_capacities.astype(np.int64), costs)
    # Only the source and the sink matter to solve_max_flow_with_min_cost; the amount is an upper bound.
    network.set_node_supply(source, mentees)
    network.set_node_supply(sink, -mentees)
    return network


# The sparse solve (`solve_blocks`) ---------------------------------------------------------------------------

# The first sparse problem: each mentee's KEEP best allowed mentors, and each mentor's best allowed mentees,
# MENTOR_KEEP per place. Both sides, because either can be the scarce one. With more mentees than places (the
# national pools: 20,000 mentees for 10,000 places) mentors choose: the optimum gives a mentor's places to mentees
# who value them most, who need not have that mentor among their own favourites, so each mentor brings twice their
# capacity of best-suited mentees. With more places than mentees, mentees choose: a few fallbacks beyond their
# favourites cover those taken by others. KEEP 8 and MENTOR_KEEP 2 left the dual check nothing to add on the
# benchmark pools (20,000 × 4,000, 5,000 × 1,200, 4,000 × 4,000, 8,000 × 1,000); smaller values are still exact —
# the check adds what is missing and solves again — only slower; larger ones cost flow-solver time.
KEEP = 8
MENTOR_KEEP = 2
# Ties are broken at random (seeded, so a round is repeatable) when choosing candidates: with scores taking few
# distinct values, a deterministic order would give every mentee the same few tied mentors and leave the rest idle.
_TIE_BITS = 10
# An integer bound the duals must stay inside (int64, with room for sums of a few of them).
_COST_LIMIT = 2**58
_TAKEN = -(2**62)  # below every key, allowed or not


@dataclass(frozen=True, slots=True)
class Block:
    """Every pair of a run of consecutive mentees (positions `start`…`start + len(costs) - 1`) against every
    mentor: each allowed pair's score as the flow solver's integer (`scaled`), −1 where the pair is not allowed."""

    start: int
    costs: np.ndarray  # int64, (mentees in the block, mentors)


@dataclass(frozen=True, slots=True)
class SparseSolution:
    """The chosen pairs by position, and what it took: solver rounds, pairs the solver saw, pairs the dual check
    added after the first round."""

    mentee: np.ndarray  # int64
    mentor: np.ndarray  # int64
    rounds: int
    pairs: int
    added: int


def solve_blocks(
    *,
    mentees: int,
    capacities: np.ndarray,
    blocks: Callable[[], Iterable[Block]],
    keep: int = KEEP,
    mentor_keep: int = MENTOR_KEEP,
) -> SparseSolution:
    """The same optimum as `solve_indexed` over every allowed pair (most mentees matched, then the highest total of
    scores rounded to millionths), touching only a few pairs per mentee in the solver and never holding every
    pair's score at once. `blocks()` must yield every mentee's block, in order, the same each time it is called.

    1. Keep each mentee's `keep` best allowed mentors and each mentor's `mentor_keep` × capacity best allowed
       mentees (one pass over the blocks; ties broken at random, seeded).
    2. Solve that sparse problem exactly with the flow solver.
    3. Prove it optimal for the full problem, or improve it: with a bonus BONUS > (most possible matches) × (highest
       scaled score) per match, "most matched, then highest total" is the plain minimum-cost problem
       min Σ −(BONUS + cost) over matched pairs. Node potentials (shortest-path distances in the sparse solution's
       residual network) satisfy reduced cost ≥ 0 on every residual arc of the sparse network. If every allowed pair
       of the full problem that is not used also has reduced cost −(BONUS + cost) + π(mentee) − π(mentor) ≥ 0, the
       potentials are feasible duals of the full problem too, so no cycle can lower the cost: the sparse optimum is
       the full optimum. Otherwise the pairs with negative reduced cost (up to `keep` per mentee: half the most
       negative, half at random among the other negative ones) join the sparse problem and it is solved again;
       each round adds pairs it did not have, so this ends.
    """
    if keep < 1 or mentor_keep < 0:
        raise ValueError("keep must be 1 or more, mentor_keep 0 or more.")
    capacities = np.asarray(capacities, dtype=np.int64)
    count = len(capacities)
    tiebreak = _tiebreaks(mentees, count)
    pair_mentee, pair_mentor, pair_cost = _candidates(blocks, keep, capacities * mentor_keep, tiebreak, mentees)
    if len(pair_cost) == 0:
        return SparseSolution(np.zeros(0, np.int64), np.zeros(0, np.int64), rounds=0, pairs=0, added=0)
    most_matched = min(mentees, int(capacities.sum()))
    highest = int(pair_cost.max())  # each mentee's best allowed pair is a candidate, so this is the highest of all
    bonus = 1 + most_matched * highest
    # A shortest path alternates −(bonus + cost) and +(bonus + cost'), so every potential and reduced cost stays
    # within a few times bonus + (nodes × highest): checked to fit in int64 with room to spare.
    if (most_matched + mentees + count + 3) * (highest + 1) >= _COST_LIMIT:
        raise SolverError("The scores are too large for the sparse solve; use solve_indexed.")
    rounds, first_pairs = 0, len(pair_cost)
    picks = np.random.default_rng(20)  # seeded: the same pool gives the same pairs
    while True:
        rounds += 1
        used = _solve_costs(mentees, capacities, pair_mentee, pair_mentor, pair_cost)
        potential = _potentials(mentees, capacities, pair_mentee, pair_mentor, pair_cost, used, bonus)
        matched_to = np.full(mentees, -1, dtype=np.int64)
        matched_to[pair_mentee[used]] = pair_mentor[used]
        extra = _violations(blocks, keep, potential, matched_to, bonus, mentees, picks)
        if len(extra[0]) == 0:
            return SparseSolution(
                mentee=pair_mentee[used],
                mentor=pair_mentor[used],
                rounds=rounds,
                pairs=len(pair_cost),
                added=len(pair_cost) - first_pairs,
            )
        pair_mentee = np.concatenate([pair_mentee, extra[0]])
        pair_mentor = np.concatenate([pair_mentor, extra[1]])
        pair_cost = np.concatenate([pair_cost, extra[2]])


def scaled(scores: np.ndarray) -> np.ndarray:
    """Scores as the flow solver's integers (millionths): the one conversion every step uses."""
    return np.rint(scores * SCALE).astype(np.int64)


def _tiebreaks(mentees: int, mentors: int) -> tuple[np.ndarray, np.ndarray]:
    """Seeded random bits per mentee and per mentor; a pair's tie-break is the two XORed."""
    rng = np.random.default_rng(20)
    limit = 1 << _TIE_BITS
    return rng.integers(0, limit, mentees, dtype=np.int64), rng.integers(0, limit, mentors, dtype=np.int64)


def _candidates(
    blocks: Callable[[], Iterable[Block]],
    keep: int,
    mentor_wants: np.ndarray,
    tiebreak: tuple[np.ndarray, np.ndarray],
    mentees: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The first sparse problem: each mentee's `keep` best allowed mentors, and each mentor's `mentor_wants` best
    allowed mentees (ties broken by the seeded bits): mentee, mentor, scaled cost, no pair twice."""
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    best = _MentorsBest(mentor_wants)
    seen = 0
    for block in blocks():
        cost = block.costs
        rows, count = cost.shape
        seen += rows
        bits = tiebreak[0][block.start : block.start + rows, None] ^ tiebreak[1][None, :]
        # Larger is better; a forbidden pair (cost −1) is below every allowed one (costs are 0 or more).
        key = (cost << _TIE_BITS) | bits
        best.offer(block.start, key, cost)
        # Each row's best, `keep` times over: a few fast passes, where a partial sort of every row costs 8× more.
        row_index = np.arange(rows)
        for _ in range(min(keep, count)):
            columns = key.argmax(axis=1)
            picked = cost[row_index, columns]
            good = picked >= 0
            parts.append((row_index[good] + block.start, columns[good], picked[good]))
            key[row_index, columns] = _TAKEN
    if seen != mentees:
        raise SolverError(f"The blocks covered {seen} mentees, not {mentees}.")
    parts.append((best.mentee, best.mentor, best.cost))
    pair_mentee, pair_mentor, pair_cost = _joined(parts)
    _, first = np.unique(pair_mentee * max(1, len(mentor_wants)) + pair_mentor, return_index=True)
    return pair_mentee[first], pair_mentor[first], pair_cost[first]


class _MentorsBest:
    """Each mentor's `want` best allowed mentees among the blocks offered so far. A pair is looked at only if its
    key beats the mentor's current last-kept key, so after the first blocks few pairs get past the comparison."""

    def __init__(self, want: np.ndarray) -> None:
        self.want = want
        # Allowed keys are 0 or more; a mentor who wants nobody takes nothing.
        self.threshold = np.where(want > 0, -1, np.iinfo(np.int64).max)
        self.mentee = self.mentor = self.key = self.cost = np.zeros(0, dtype=np.int64)

    def offer(self, start: int, key: np.ndarray, cost: np.ndarray) -> None:
        better = key > self.threshold[None, :]
        most = int(self.want.max()) if len(self.want) else 0
        if len(key) > most and np.count_nonzero(better) > 2 * len(key[0]) * most:
            # Early on (the first block) most pairs beat the empty lists: first cut each column to its `most` best
            # within the block, which is far cheaper than sorting them all.
            better &= key >= np.partition(key, len(key) - most, axis=0)[len(key) - most][None, :]
        rows, columns = np.nonzero(better)
        if len(rows) == 0:
            return
        self.mentee = np.concatenate([self.mentee, rows + start])
        self.mentor = np.concatenate([self.mentor, columns])
        self.key = np.concatenate([self.key, key[rows, columns]])
        self.cost = np.concatenate([self.cost, cost[rows, columns]])
        order = np.lexsort((-self.key, self.mentor))
        mentor = self.mentor[order]
        first = np.searchsorted(mentor, mentor, side="left")
        rank = np.arange(len(mentor)) - first
        kept = order[rank < self.want[mentor]]
        full = rank == self.want[mentor] - 1  # the last kept pair of a mentor who has all they want
        self.threshold[mentor[full]] = self.key[order[full]]
        self.mentee, self.mentor, self.key, self.cost = (
            self.mentee[kept],
            self.mentor[kept],
            self.key[kept],
            self.cost[kept],
        )


def _joined(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    mentee, mentor, cost = (np.concatenate([part[i] for part in parts]).astype(np.int64) for i in range(3))
    return mentee, mentor, cost


def _solve_costs(
    mentees: int, capacities: np.ndarray, pair_mentee: np.ndarray, pair_mentor: np.ndarray, pair_cost: np.ndarray
) -> np.ndarray:
    """Which of these pairs a max-flow, min-cost solution uses (bool per pair), costs already scaled."""
    network = _network(mentees, capacities, pair_mentee, pair_mentor, pair_cost)
    status = network.solve_max_flow_with_min_cost()
    if status != network.OPTIMAL:
        raise SolverError(f"The flow solver stopped with status {status!r}.")
    return network.flows(np.arange(len(pair_cost), dtype=np.int64)) > 0


def _potentials(
    mentees: int,
    capacities: np.ndarray,
    pair_mentee: np.ndarray,
    pair_mentor: np.ndarray,
    pair_cost: np.ndarray,
    used: np.ndarray,
    bonus: int,
) -> np.ndarray:
    """Shortest-path distances (from a virtual root joined to every node at cost 0) in the residual network of
    the bonus formulation: each mentee has one unit to send, to a mentor (cost −(bonus + cost)) or straight to
    the sink ("unmatched", cost 0); mentors pass up to their capacity to the sink at cost 0. Nodes: mentees, then
    mentors, then the sink. The solution is optimal for this network, so it has no negative cycle and
    Bellman–Ford (vectorised, layer by layer: into mentors, into the sink, into mentees) converges."""
    count = len(capacities)
    sink = mentees + count
    weight = bonus + pair_cost
    load = np.bincount(pair_mentor[used], minlength=count)
    matched = np.zeros(mentees, dtype=bool)
    matched[pair_mentee[used]] = True
    mentor_node = mentees + np.arange(count)
    mentee_node = np.arange(mentees)
    # Residual arcs grouped by the layer of their head.
    into_mentors = _arcs(
        np.concatenate([pair_mentee[~used], np.full(int((load > 0).sum()), sink)]),
        np.concatenate([mentees + pair_mentor[~used], mentor_node[load > 0]]),
        np.concatenate([-weight[~used], np.zeros(int((load > 0).sum()), np.int64)]),
    )
    into_sink = _arcs(
        np.concatenate([mentee_node[matched], mentor_node[load < capacities]]),
        np.full(int(matched.sum()) + int((load < capacities).sum()), sink),
        np.zeros(int(matched.sum()) + int((load < capacities).sum()), np.int64),
    )
    into_mentees = _arcs(
        np.concatenate([mentees + pair_mentor[used], np.full(int((~matched).sum()), sink)]),
        np.concatenate([pair_mentee[used], mentee_node[~matched]]),
        np.concatenate([weight[used], np.zeros(int((~matched).sum()), np.int64)]),
    )
    distance = np.zeros(sink + 1, dtype=np.int64)
    for _ in range(sink + 2):
        changed = False
        for layer in (into_mentors, into_sink, into_mentees):
            changed |= _relax(distance, layer)
        if not changed:
            return distance
    raise SolverError("The residual network has a negative cycle: the flow solver's answer is not optimal.")


_Arcs = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _arcs(tails: np.ndarray, heads: np.ndarray, costs: np.ndarray) -> _Arcs:
    """Arcs sorted by head, with the distinct heads and where each one's run starts (for reduceat)."""
    order = np.argsort(heads, kind="stable")
    heads, tails, costs = heads[order], tails[order], costs[order]
    distinct, starts = np.unique(heads, return_index=True)
    return tails.astype(np.int64), costs.astype(np.int64), distinct.astype(np.int64), starts


def _relax(distance: np.ndarray, arcs: _Arcs) -> bool:
    tails, costs, heads, starts = arcs
    if len(tails) == 0:
        return False
    best = np.minimum.reduceat(distance[tails] + costs, starts)
    better = best < distance[heads]
    if not better.any():
        return False
    distance[heads[better]] = best[better]
    return True


def _violations(
    blocks: Callable[[], Iterable[Block]],
    keep: int,
    potential: np.ndarray,
    matched_to: np.ndarray,
    bonus: int,
    mentees: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every allowed, unused pair of the full problem with negative reduced cost (up to `keep` per mentee: half
    the most negative, half at random among the others, seeded): mentee, mentor, scaled cost. Computed block by
    block for all pairs with numpy, from the same blocks (so the same hard rules and the same scores) as the
    candidates."""
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    mentor_potential = potential[mentees:-1]
    for block in blocks():
        cost = block.costs
        rows, count = cost.shape
        mentee_rows = np.arange(block.start, block.start + rows)
        # Reduced cost (π(mentee) − bonus) − π(mentor) − cost < 0, i.e. cost > limit; −1 marks a refused pair.
        limit = (potential[mentee_rows, None] - bonus) - mentor_potential[None, :]
        bad = cost > limit
        bad &= cost >= 0
        # A used pair's forward arc is not residual (its one unit is taken): it may look negative, and is fine.
        has = matched_to[mentee_rows] >= 0
        bad[np.flatnonzero(has), matched_to[mentee_rows][has]] = False
        bad_rows = np.flatnonzero(bad.any(axis=1))
        if len(bad_rows) == 0:
            continue
        chosen = np.where(bad[bad_rows], limit[bad_rows] - cost[bad_rows], 0)  # the reduced costs, most negative first
        if count > keep:
            best = max(1, keep // 2)
            columns = np.argpartition(chosen, best - 1, axis=1)[:, :best]
            if keep > best:
                # The rest at random among the other violators. Most negative alone picks the same few mentors for
                # every mentee when scores are nearly additive (mentee part + mentor part): each round then adds
                # a handful of matches, and a 4,000 × 1,000 pool took 125 rounds (300 s, the full graph 3 s).
                # Violators draw from [0, 1), the rest 2; the pairs already picked 3, so none is picked twice.
                shuffled = np.where(bad[bad_rows], rng.random(chosen.shape), 2.0)
                shuffled[np.arange(len(bad_rows))[:, None], columns] = 3.0
                others = np.argpartition(shuffled, keep - best - 1, axis=1)[:, : keep - best]
                columns = np.concatenate([columns, others], axis=1)
        else:
            columns = np.broadcast_to(np.arange(count), (len(bad_rows), count))
        row_index = np.broadcast_to(bad_rows[:, None], columns.shape)
        good = bad[row_index, columns]
        parts.append((row_index[good] + block.start, columns[good], cost[row_index[good], columns[good]]))
    return _joined(parts)


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
