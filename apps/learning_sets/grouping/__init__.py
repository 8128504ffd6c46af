"""Forming action learning sets from applicants: plain data in, plain data out (no Django, no database).

Hard rules, never broken: every set has between `min_size` and `max_size` members; no two members of a set work in
the same organisation; all members of a set can make at least one common weekly slot (the earliest such slot is
reported as the set's meeting time).

Sets formed: the requested number of sets (`Problem.sets`, by default the fewest sets of `max_size` that hold
everyone, ceil(N / max)) is the number formed. There are no empty sets: each set formed has at least `min_size`
members. Only when that many valid sets cannot be formed at all (too few applicants from different organisations
share a time) is the largest number that can be formed used instead; `Grouping.sets` is then shorter than asked.

Objective, lexicographic: first place as many people as possible, then maximise

    score = 10 × Σ_sets distinct sectors − 5 × Σ_sets Σ_stages (excess + shortfall)

where, for n members at career stage c in a set, excess is max(0, n − ⌈N_c / sets⌉) and shortfall is
max(0, ⌊N_c / sets⌋ − n), N_c being the number placed at stage c and `sets` the number formed.

Algorithm:
1. Slot plan. A slot plan says how many sets meet at each slot. For a plan, the most people that can be placed is a
   min-cost flow (person → organisation-at-slot, capacity 1 → slot, capacity sets-at-slot → sink, where the first
   `min_size` per set are worth far more than the rest so every set reaches the minimum first). Any pool of people at
   a slot whose organisations each have at most one person per set can be dealt into that many valid sets, so the
   flow's value is exactly the best placement for the plan. When there are at most PLANS_TO_ENUMERATE plans (small
   problems) every one is solved, so the number placed, and whether the sets asked for can be formed at all, is
   exact, and all the plans placing the most are kept. Otherwise a plan proportional to demand is improved by moving
   one set at a time to another slot while that places more; up to MEDIUM people, random two-set kicks followed by
   such moves then look for other plans as good (or better), within KICK_FLOWS flows; then a wider such search
   (each climb stopping once as good as the best, WIDE_KICK_FLOWS flows, a generator of its own) collects more
   plans as good, for a second round in step 3.
2. Construction: each slot's pool is dealt round-robin, organisation by organisation, into its sets.
3. Local search: simulated annealing over moves (a member into another set), swaps (members of two sets), rotations
   (three members round three sets: needed when one organisation has someone in each), replacements (a member with
   someone unplaced) and insertions (someone unplaced into a set with room, always taken); a set may drift to any
   slot its members share, but not always far, so the plan it starts from matters. Up to MEDIUM people: when there
   are more than RESTARTS plans, each of up to SCREEN_PLANS gets a short run and the RESTARTS best are kept; one full
   run from each; each run ends (up to DESCENT_LIMIT people) with an exhaustive descent over every insertion,
   replacement, move and swap (and rotation, up to SMALL people), so the result is a true local optimum; then
   every pair of sets is split afresh, the best way (an exhaustive, vectorised search over the splits of their
   members), and the descent repeated, while that gains: two sets can so move together to times no swap reaches.
   Second round, up to MEDIUM people: EXTRA_RUNS more runs from the best (after a short run each) of the plans only
   the wider search found, with a generator of their own, so the first round is unchanged and the result can only
   improve. The optimum of tight medium problems often meets at other times than the first plans found. Above
   MEDIUM: two runs, one above 400 people, proposing people through the sets that meet at their times
   (`anneal_by_sets`: most proposals of the plain kind fail on time at that size, so a fifth of the steps,
   LARGE_TOTAL_STEPS in all, do as well), each ending with a descent over every swap and move scored with NumPy
   a person at a time (`polish`).
4. Small problems (up to EXACT_PEOPLE people with availability and EXACT_SETS sets): CP-SAT (`exact`) solves the
   whole lexicographic objective, hinted with step 3's sets and constrained to be no worse, on one worker with a
   fixed seed and a deterministic limit on its work (EXACT_WORK); the better of the two is kept, checked against the
   hard rules, so the result is never worse than the heuristic's and, wherever CP-SAT proves the optimum within
   the limit, is that optimum. It also tries more sets when the heuristic formed fewer than asked.
Every step is counted, not timed (CP-SAT's limit is its own count of work), and the random generator has a fixed
seed: the same input always gives the same output, on any machine. A run takes STEP_FACTOR × people² steps, at most
MAX_TOTAL_STEPS over all runs up to MEDIUM people (the second round's aside) and LARGE_TOTAL_STEPS above:
1,000 applicants take under a second on the benchmark machine (docs/BENCHMARKS.md), 50 about 2 to 3.

Evidence of quality: on small problems the result equals the optimum CP-SAT proves in a separate, unhinted solve
in the tests, property tests included (the heuristic alone matched it on thousands of random problems of up to 24
people in 2 or 3 sets, but not on tight ones: als_generate 32 applicants, seed 1, it formed 3 sets where 4 can be);
at 1,000 applicants the score is within 0.3 % of an upper bound. Between EXACT_PEOPLE and a few dozen more, on
tight problems (few organisations, many left out) it can fall short of the optimum, as the benchmark shows; and on
large inputs step 1 is a heuristic, so in a rare tight case fewer sets than possible might be formed, or, when no
plan found places as many as the best one, fewer people placed than possible (als_generate 64 applicants, seed 1:
53 where CP-SAT places 54).

Modules, each one step: `problem` (the data and whether the sizes can work), `reading` (a problem from JSON),
`instance` (the problem as integers), `scoring` (the objective), `flow` and `plans` (step 1), `state`, `moves`,
`anneal`, `split` and `polish` (step 3), `exact` (the CP-SAT model: step 4, and on its own for the tests and the
benchmark), `search` (`group`: steps 1 to 4), `result` (the sets and the reasons), `tuning` (the numbers).
"""

from .problem import (
    DEFAULT_MAX_SIZE,
    DEFAULT_MIN_SIZE,
    Grouping,
    LearningSet,
    Participant,
    Problem,
    ProblemError,
    Unplaced,
    check,
)
from .reading import validate
from .result import NO_AVAILABILITY, NO_ROOM, NO_SET_AT_THEIR_TIMES, NO_SET_FORMED, SAME_ORGANISATION
from .scoring import SECTOR_POINTS, STAGE_POINTS, score
from .search import group

__all__ = [
    "DEFAULT_MAX_SIZE",
    "DEFAULT_MIN_SIZE",
    "NO_AVAILABILITY",
    "NO_ROOM",
    "NO_SET_AT_THEIR_TIMES",
    "NO_SET_FORMED",
    "SAME_ORGANISATION",
    "SECTOR_POINTS",
    "STAGE_POINTS",
    "Grouping",
    "LearningSet",
    "Participant",
    "Problem",
    "ProblemError",
    "Unplaced",
    "check",
    "group",
    "score",
    "validate",
]
