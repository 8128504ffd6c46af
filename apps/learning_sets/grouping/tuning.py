"""The numbers the search runs by: its seed, when it tries everything, and how much work each step may take.

Work is counted in steps, not seconds, and the seed is fixed, so the same input gives the same sets on any machine.
"""

SEED = 20_240_607
PLANS_TO_ENUMERATE = 1_500  # try every slot plan when there are at most this many (small problems)
CLIMB_ROUNDS = 60
CLIMB_CANDIDATES = 6  # slots considered on each side of a hill-climbing move
SMALL = 30  # people: up to this many, the final descent tries every rotation too
MEDIUM = 80  # people: up to this many, RESTARTS runs from the best of several slot plans; above, two (one above 400)
RESTARTS = 6
KICK_FLOWS = 600  # flows solved looking for other equally good (or better) slot plans, when not all were tried
WIDE_KICK_FLOWS = 2_400  # flows of the wider search for equally good plans, for a second round of runs
EXTRA_RUNS = 2  # annealing runs of that second round
SCREEN_PLANS = 24  # plans given a short annealing run to choose the RESTARTS to start from
SCREEN_FACTOR = 4  # steps of each short run, × people²
MAX_SCREEN_STEPS = 12_000
REPARTITION_LIMIT = 18  # people in two sets: above this, splitting them afresh is not tried
DESCENT_LIMIT = 60  # people: up to this many, each restart ends with an exhaustive descent
# Annealing steps per restart: STEP_FACTOR × people², as the pairs to try grow with the square; between these bounds.
STEP_FACTOR = 40
MIN_STEPS = 2_000
MAX_TOTAL_STEPS = 1_400_000  # across all restarts, up to MEDIUM people
LARGE_TOTAL_STEPS = 300_000  # across all restarts above MEDIUM people, where steps go through the sets (anneal_by_sets)
START_TEMPERATURE = 12.0
END_TEMPERATURE = 0.4
MOVE_SHARE = 0.3  # of proposals between two sets: move one person into the other set
ROTATE_SHARE = 0.1  # of proposals between two sets: rotate three people round three sets (else: swap two)
# CP-SAT (`exact`) on small problems, after the heuristic and hinted with its sets; the better is kept.
EXACT_PEOPLE = 40  # people with availability: up to this many (measured: docs/BENCHMARKS.md)
EXACT_SETS = 5  # sets asked for: up to this many
EXACT_WORK = 1.0  # CP-SAT's deterministic time limit (its count of work, about a second here): same result anywhere
