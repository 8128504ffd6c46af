"""What a grouping problem and its answer are, and whether the set sizes and the number of sets can work at all."""

from dataclasses import dataclass

DEFAULT_MIN_SIZE = 6
DEFAULT_MAX_SIZE = 8


class ProblemError(ValueError):
    """The input does not describe a grouping problem; the message says what is wrong, for a person to read."""


@dataclass(frozen=True, slots=True)
class Participant:
    id: str
    organisation: str
    sector: str
    stage: str
    slots: tuple[str, ...]  # weekly slots from apps.learning_sets.slots.ALL_SLOTS


@dataclass(frozen=True, slots=True)
class Problem:
    participants: list[Participant]
    min_size: int = DEFAULT_MIN_SIZE
    max_size: int = DEFAULT_MAX_SIZE
    sets: int | None = None  # None: the fewest sets that hold everyone, ceil(N / max_size)

    @property
    def set_count(self) -> int:
        """The number of sets asked for."""
        if self.sets is not None:
            return self.sets
        return -(-len(self.participants) // self.max_size)


@dataclass(frozen=True, slots=True)
class LearningSet:
    members: list[str]  # sorted
    slot: str


@dataclass(frozen=True, slots=True)
class Unplaced:
    id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Grouping:
    sets: list[LearningSet]  # in slot order, then by first member
    unplaced: list[Unplaced]  # sorted by id
    score: int

    @property
    def placed(self) -> int:
        return sum(len(learning_set.members) for learning_set in self.sets)


def check(problem: Problem) -> None:
    """ProblemError unless the set sizes and the number of sets can hold, and fill, every participant."""
    low, high, n = problem.min_size, problem.max_size, len(problem.participants)
    if low < 1:
        raise ProblemError(f"The smallest set size must be 1 or more, not {low}.")
    if high < low:
        raise ProblemError(f"The largest set size ({high}) is smaller than the smallest ({low}).")
    count = problem.set_count
    if problem.sets is None:
        if count * low > n:
            holds = "holds" if count == 2 else "hold"
            fewer = f"{_sets(count - 1)} {holds} at most {(count - 1) * high} and " if count > 1 else ""
            raise ProblemError(
                f"The {n} participants cannot be split into sets of {low} to {high} people: "
                f"{fewer}{_sets(count)} {'needs' if count == 1 else 'need'} at least {count * low}. "
                "Change the set sizes."
            )
        return
    if count < 1:
        raise ProblemError(f"The number of sets must be 1 or more, not {count}.")
    if count * high < n:
        raise ProblemError(
            f"{_sets(count)} of at most {high} {'holds' if count == 1 else 'hold'} {count * high}, fewer than the {n} "
            f"participants: ask for at least {-(-n // high)} sets or allow bigger sets."
        )
    if count * low > n:
        raise ProblemError(
            f"{_sets(count)} of at least {low} {'needs' if count == 1 else 'need'} {count * low} people, but there "
            f"{'is' if n == 1 else 'are'} only {n} {'participant' if n == 1 else 'participants'}: ask for at most "
            f"{n // low} {'set' if n // low == 1 else 'sets'} or allow smaller sets."
        )


def _sets(count: int) -> str:
    return f"{count} set" if count == 1 else f"{count} sets"
