"""A matching problem file read and checked in bulk, for `match_solve` (no Django, no database).

The file is `{"mentors": [{"id", "capacity"}], "mentees": [{"id"}], "edges": [{"mentee", "mentor", "score"}]}`, and a
national round has millions of edges. Decoding them into dicts and checking them one Python object at a time took
most of `match_solve`'s time, so there are two paths, each in bulk, with no check made one edge at a time in Python:

- `problem_parse`, for the text of a well-formed problem: a first pass takes the ids, then msgspec decodes the
  text straight into typed structs (against orjson or `json` into dicts: about half and a third of the time, half
  the memory), checking in C as it goes that ids are non-empty strings, capacities whole numbers 0 or more and
  scores numbers (bool is none of these), that every edge names one of the file's ids, and that no object has a key
  it should not. Then numpy checks the rest at once: scores in range, ids and pairs not repeated. Anything else, a
  fault or merely something unusual, raises `NotPlain`.
- `problem_check`, for data `json` has decoded: the same checks, in the same order as a check of one item at a time
  (the top-level object, the mentors, the mentees, repeated mentor ids, repeated mentee ids, each edge in full, names
  no mentor or mentee has, repeated pairs). Within a group the first item failing any check is found in bulk (the
  set of a field's types, numpy comparisons, one dictionary lookup per name, one sort for repeated pairs), and only
  that item is looked at again, check by check, to word the message.

A caller tries `problem_parse` and, on `NotPlain`, decodes the text with `json` and calls `problem_check`. So a good
file costs one fast decode, and every refusal reads exactly as it did when `json` and a per-item check were all
there was: msgspec reads every text it accepts as `json` does (it refuses what `json` reads differently or not at
all: NaN, 1e400, lone surrogates, a number too long for `json`, nesting, keys that should not be there).
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import Annotated, Any, Literal, NoReturn

import msgspec
import numpy as np

from apps.mentoring.solver import MAX_SCORE, ProblemError, Solution

MENTOR_KEYS = ("id", "capacity")
MENTEE_KEYS = ("id",)
EDGE_KEYS = ("mentee", "mentor", "score")
INT64_MAX = 2**63 - 1


@dataclass(frozen=True, slots=True)
class FileProblem:
    """A checked problem as arrays: edge i lets mentee `mentee_ids[edge_mentee[i]]` take mentor
    `mentor_ids[edge_mentor[i]]`, worth `edge_score[i]`. Exactly what `solver.solve_indexed` takes."""

    mentor_ids: list[str]
    mentee_ids: list[str]
    capacities: np.ndarray  # int64, one per mentor
    edge_mentee: np.ndarray  # int64 positions in mentee_ids
    edge_mentor: np.ndarray  # int64 positions in mentor_ids
    edge_score: np.ndarray  # float64, 0 to MAX_SCORE


class NotPlain(ValueError):
    """`problem_parse` cannot vouch for the text: decode it with `json` and let `problem_check` decide."""


# --- The fast path: a well-formed problem, decoded into structs ----------------------------------------------------

# Structs without the cyclic collector's bookkeeping (they hold only strings and numbers): millions are made at once.
Id = Annotated[str, msgspec.Meta(min_length=1)]


class _Mentor(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    id: Id
    # 64 bits at most: `json` would refuse a number of thousands of digits, which msgspec might read.
    capacity: Annotated[int, msgspec.Meta(ge=0, le=INT64_MAX)]


class _Mentee(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    id: Id


class _Named(msgspec.Struct, gc=False):
    id: str


class _People(msgspec.Struct, gc=False):
    """The first pass: only the ids, the edges skipped (about a fifth of the full decode's time)."""

    mentors: list[_Named]
    mentees: list[_Named]


_PEOPLE = msgspec.json.Decoder(_People)


def _problem_decoder(mentee_ids: list[str], mentor_ids: list[str]) -> msgspec.json.Decoder[Any]:
    """A decoder for this file's problem. An edge's mentee and mentor are decoded as one of the file's own ids (a
    Literal type), which msgspec returns as that very string object: no new string per name (millions fewer
    objects, a third less decoding time), its hash already known to the lookup, and an unknown name refused."""
    edge = msgspec.defstruct(
        "Edge",
        [
            ("mentee", _one_of(mentee_ids)),
            ("mentor", _one_of(mentor_ids)),
            # int | float, not float: "-0" must stay the integer 0 that `json` reads, not become -0.0.
            ("score", int | float),
        ],
        forbid_unknown_fields=True,
        gc=False,
    )
    problem = msgspec.defstruct(
        "Problem",
        [("mentors", list[_Mentor]), ("mentees", list[_Mentee]), ("edges", list[edge])],  # type: ignore[valid-type]
        forbid_unknown_fields=True,
        gc=False,
    )
    return msgspec.json.Decoder(problem)


def _one_of(ids: list[str]) -> Any:
    return Literal.__getitem__(tuple(ids)) if ids else Id  # with no ids, every name is unknown to the index


def problem_parse(*, text: bytes | str) -> FileProblem:
    """The problem in JSON text, if it is well formed and valid; otherwise NotPlain (see the module docstring)."""
    try:
        people = _PEOPLE.decode(text)
        mentor_ids = list(map(attrgetter("id"), people.mentors))
        mentee_ids = list(map(attrgetter("id"), people.mentees))
        if len(set(mentor_ids)) < len(mentor_ids) or len(set(mentee_ids)) < len(mentee_ids):
            raise NotPlain("an id appears more than once")
        parsed = _problem_decoder(mentee_ids, mentor_ids).decode(text)
    # ValidationError is a DecodeError; RecursionError comes from skipping a deeply nested value the first pass
    # does not want (which `json` refuses in its own words).
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError) as error:
        raise NotPlain(str(error)) from None
    mentor_index = dict(zip(mentor_ids, range(len(mentor_ids)), strict=True))
    mentee_index = dict(zip(mentee_ids, range(len(mentee_ids)), strict=True))
    edges = parsed.edges
    try:
        edge_mentee = np.fromiter(map(mentee_index.__getitem__, map(attrgetter("mentee"), edges)), np.int64, len(edges))
        edge_mentor = np.fromiter(map(mentor_index.__getitem__, map(attrgetter("mentor"), edges)), np.int64, len(edges))
        edge_score = np.asarray(list(map(attrgetter("score"), edges)), dtype=np.float64)
    except KeyError:  # only with no mentees or no mentors, where the names are plain strings
        raise NotPlain("an edge names an unknown id") from None
    except OverflowError:
        raise NotPlain("a score is an integer beyond any double") from None
    # Converting an integer to the nearest double cannot move it across 0 or MAX_SCORE, which are doubles exactly.
    if not ((edge_score >= 0) & (edge_score <= MAX_SCORE)).all():
        raise NotPlain("a score is out of range")
    if _first_repeated_pair(edge_mentee, edge_mentor, mentees=len(mentee_ids), mentors=len(mentor_ids)) is not None:
        raise NotPlain("a pair appears more than once")
    return FileProblem(
        mentor_ids=mentor_ids,
        mentee_ids=mentee_ids,
        capacities=np.fromiter(map(attrgetter("capacity"), parsed.mentors), np.int64, len(mentor_ids)),
        edge_mentee=edge_mentee,
        edge_mentor=edge_mentor,
        edge_score=edge_score,
    )


# --- The careful path: any data `json` decoded, refused with the first thing wrong ---------------------------------


def problem_check(*, raw: Any) -> FileProblem:
    """The problem described by decoded JSON, or ProblemError saying the first thing wrong with it."""
    if not isinstance(raw, dict):
        raise ProblemError("The input must be a JSON object with keys 'mentors', 'mentees' and 'edges'.")
    mentor_items = _list(raw, "mentors")
    mentor_ids, capacity_values = _fields(mentor_items, MENTOR_KEYS)
    _refuse_first_bad_item(
        mentor_items, _mentor_fault, [len(mentor_ids), _first_bad_id(mentor_ids), _first_bad_capacity(capacity_values)]
    )
    mentee_items = _list(raw, "mentees")
    (mentee_ids,) = _fields(mentee_items, MENTEE_KEYS)
    _refuse_first_bad_item(mentee_items, _mentee_fault, [len(mentee_ids), _first_bad_id(mentee_ids)])
    mentor_index = _index("mentor", mentor_ids)
    mentee_index = _index("mentee", mentee_ids)

    edge_items = _list(raw, "edges")
    known = _known_edges(edge_items, mentee_index, mentor_index)
    if known is None:
        _refuse_edges(edge_items, mentee_index, mentor_index)
    edge_mentee, edge_mentor, score_values = known
    edge_score, first_bad_score = _scores(score_values)
    # Every name is a known id, so a non-empty string: only a score can be wrong in an item now.
    _refuse_first_bad_item(edge_items, _edge_fault, [len(score_values), first_bad_score])
    assert edge_score is not None  # a score that is not one was refused with its edge just above
    _refuse_repeated_pairs(edge_items, edge_mentee, edge_mentor, mentees=len(mentee_ids), mentors=len(mentor_ids))
    return FileProblem(
        mentor_ids=mentor_ids,
        mentee_ids=mentee_ids,
        # `json` reads a capacity past 64 bits as a Python int, which would overflow the solver's integer array. A
        # mentor can take no more mentees than there are, so the largest 64-bit number means the same.
        capacities=np.asarray([min(c, INT64_MAX) for c in capacity_values], dtype=np.int64),
        edge_mentee=edge_mentee,
        edge_mentor=edge_mentor,
        edge_score=edge_score,
    )


def _list(raw: dict[str, Any], key: str) -> list[Any]:
    if key not in raw:
        raise ProblemError(f"The key '{key}' is missing.")
    if not isinstance(raw[key], list):
        raise ProblemError(f"'{key}' must be a list.")
    return raw[key]


# --- Each group's items: the first bad one found in bulk, then worded one check at a time ---------------------------


def _fields(items: list[Any], keys: tuple[str, ...]) -> list[list[Any]]:
    """The values of `keys` in the items, one list per key, up to the first item that is not an object with every
    key: the lists are shorter than `items` exactly when there is such an item, and end just before it."""
    try:
        return [list(map(itemgetter(key), items)) for key in keys]
    except (TypeError, KeyError):  # an item that is not an object, or lacks a key
        shaped = next(n for n, item in enumerate(items) if not _has_keys(item, keys))
        return [list(map(itemgetter(key), items[:shaped])) for key in keys]


def _has_keys(item: Any, keys: tuple[str, ...]) -> bool:
    return isinstance(item, dict) and all(key in item for key in keys)


def _refuse_first_bad_item(items: list[Any], fault: Callable[[Any, int], str], firsts: list[int]) -> None:
    """ProblemError for the earliest of `firsts` (each the position of the first item failing one check, or the
    number of items checked when none fails), worded by `fault(item, position)`, which runs the checks in order."""
    n = min(firsts)
    if n < len(items):
        raise ProblemError(fault(items[n], n))


def _first_bad_id(values: list[Any]) -> int:
    """The position of the first value that is not a non-empty string, or len(values)."""
    if set(map(type, values)) <= {str} and "" not in values:
        return len(values)
    return next(n for n, value in enumerate(values) if _id_fault(value, "") is not None)


def _first_bad_capacity(values: list[Any]) -> int:
    """The position of the first value that is not a whole number 0 or more (bool is not), or len(values)."""
    if set(map(type, values)) <= {int} and min(values, default=0) >= 0:
        return len(values)
    return next(n for n, value in enumerate(values) if not _is_capacity(value))


def _scores(values: list[Any]) -> tuple[np.ndarray | None, int]:
    """The scores as doubles and len(values) when every one is a finite number from 0 to MAX_SCORE (bool is not);
    otherwise None and the position of the first that is not."""
    if set(map(type, values)) <= {int, float}:
        try:
            scores = np.asarray(values, dtype=np.float64)
        except OverflowError:  # an integer beyond any double (only `json` reads one): out of range, found below
            pass
        else:
            # NaN fails both comparisons and infinity the second; converting an integer to the nearest double
            # cannot move it across 0 or MAX_SCORE, which are doubles exactly.
            good = (scores >= 0) & (scores <= MAX_SCORE)
            if good.all():
                return scores, len(values)
            return None, int(np.argmin(good))
    return None, next(n for n, value in enumerate(values) if _score_fault(value, "") is not None)


def _non_finite(score: int | float) -> bool:
    return isinstance(score, float) and not math.isfinite(score)


def _is_capacity(value: Any) -> bool:
    # bool is an int in Python; true/false is not a capacity.
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _object_fault(item: Any, where: str, keys: tuple[str, ...]) -> str | None:
    if not isinstance(item, dict):
        return f"{where} must be an object."
    for key in keys:
        if key not in item:
            return f"{where} has no '{key}'."
    return None


def _id_fault(value: Any, where: str) -> str | None:
    if not isinstance(value, str) or not value:
        return f"{where}: the id must be a non-empty string, not {value!r}."
    return None


def _score_fault(score: Any, where: str) -> str | None:
    # An int is always finite; asking math.isfinite about one past any double would raise OverflowError.
    if isinstance(score, bool) or not isinstance(score, int | float) or _non_finite(score):
        return f"{where}: score must be a number, not {score!r}."
    if not 0 <= score <= MAX_SCORE:
        return f"{where}: score must be between 0 and {MAX_SCORE:,.0f}, not {score!r}."
    return None


def _mentor_fault(item: Any, n: int) -> str:
    where = f"mentors[{n}]"
    said = _object_fault(item, where, MENTOR_KEYS)
    if said is None and not _is_capacity(item["capacity"]):
        said = f"{where}: capacity must be a whole number 0 or more, not {item['capacity']!r}."
    return said or _id_fault(item["id"], where) or _unreachable(where)


def _mentee_fault(item: Any, n: int) -> str:
    where = f"mentees[{n}]"
    return _object_fault(item, where, MENTEE_KEYS) or _id_fault(item["id"], where) or _unreachable(where)


def _edge_fault(item: Any, n: int) -> str:
    where = f"edges[{n}]"
    return (
        _object_fault(item, where, EDGE_KEYS)
        or _score_fault(item["score"], where)
        or _id_fault(item["mentee"], where)
        or _id_fault(item["mentor"], where)
        or _unreachable(where)
    )


def _unreachable(where: str) -> NoReturn:
    # The bulk checks and the item checks test the same things; if they ever disagree, say where rather than
    # refuse a good file in silence.
    raise AssertionError(f"{where} was found wrong in bulk but passes every check on its own.")


# --- Across items --------------------------------------------------------------------------------------------------


def _index(kind: str, ids: list[str]) -> dict[str, int]:
    """Each id's position; ProblemError naming the first id that repeats an earlier one."""
    index = dict(zip(ids, range(len(ids)), strict=True))
    if len(index) < len(ids):
        seen: set[str] = set()
        for id_ in ids:
            if id_ in seen:
                raise ProblemError(f"The {kind} id {id_!r} appears more than once.")
            seen.add(id_)
    return index


def _known_edges(
    items: list[Any], mentee_index: dict[str, int], mentor_index: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, list[Any]] | None:
    """The edges' mentee and mentor positions and their scores (unchecked), when every edge is an object with every
    key and names a known mentee and a known mentor; otherwise None. What a good file costs: one pass per field,
    each name looked up as it is read."""
    try:
        return (
            np.fromiter(map(mentee_index.__getitem__, map(itemgetter("mentee"), items)), np.int64, len(items)),
            np.fromiter(map(mentor_index.__getitem__, map(itemgetter("mentor"), items)), np.int64, len(items)),
            list(map(itemgetter("score"), items)),
        )
    except (KeyError, TypeError):  # TypeError: an edge that is not an object, or a name that is a list or an object
        return None


def _refuse_edges(items: list[Any], mentee_index: dict[str, int], mentor_index: dict[str, int]) -> NoReturn:
    """ProblemError for edges `_known_edges` could not read: the first item that is not an edge, or else the first
    edge naming a mentee or mentor that is not in the file."""
    mentee_names, mentor_names, scores = _fields(items, EDGE_KEYS)
    _refuse_first_bad_item(
        items,
        _edge_fault,
        [len(scores), _scores(scores)[1], _first_bad_id(mentee_names), _first_bad_id(mentor_names)],
    )
    # Every name is a non-empty string now, and one at least is not known.
    unknown_mentee = np.fromiter(map(mentee_index.get, mentee_names, repeat(-1)), np.int64, len(items)) < 0
    unknown_mentor = np.fromiter(map(mentor_index.get, mentor_names, repeat(-1)), np.int64, len(items)) < 0
    n = int(np.argmax(unknown_mentee | unknown_mentor))
    if unknown_mentee[n]:  # an edge naming neither is refused for its mentee, which is checked first
        raise ProblemError(f"edges[{n}] names an unknown mentee {mentee_names[n]!r}.")
    if unknown_mentor[n]:
        raise ProblemError(f"edges[{n}] names an unknown mentor {mentor_names[n]!r}.")
    _unreachable("edges")


def _refuse_repeated_pairs(
    items: list[Any], edge_mentee: np.ndarray, edge_mentor: np.ndarray, *, mentees: int, mentors: int
) -> None:
    n = _first_repeated_pair(edge_mentee, edge_mentor, mentees=mentees, mentors=mentors)
    if n is not None:
        mentee, mentor = items[n]["mentee"], items[n]["mentor"]
        raise ProblemError(f"edges[{n}] repeats the pair mentee {mentee!r}, mentor {mentor!r}.")


def _first_repeated_pair(edge_mentee: np.ndarray, edge_mentor: np.ndarray, *, mentees: int, mentors: int) -> int | None:
    """The position of the first edge whose pair an earlier edge already gave, or None."""
    # One number per pair, below mentees × mentors; 32 bits sort faster when they are enough.
    pairs = (edge_mentee * mentors + edge_mentor).astype(np.int32 if mentees * mentors < 2**31 else np.int64)
    ordered = np.sort(pairs)
    if not (ordered[1:] == ordered[:-1]).any():
        return None
    # A stable sort keeps equal pairs in file order, so every entry equal to the one before it is a repeat, and the
    # earliest repeat in the file is the smallest such position.
    order = np.argsort(pairs, kind="stable")
    repeats = order[1:][pairs[order[1:]] == pairs[order[:-1]]]
    return int(repeats.min())


# --- The answer ----------------------------------------------------------------------------------------------------


def solution_build(*, problem: FileProblem, chosen: np.ndarray) -> Solution:
    """The solution in the solver's terms (ids, sorted as `solver.solve` sorts them) from the positions of the
    chosen edges, as `solver.solve_indexed` returns them."""
    mentees = problem.edge_mentee[chosen].tolist()
    mentors = problem.edge_mentor[chosen].tolist()
    assigned = np.zeros(len(problem.mentee_ids), dtype=bool)
    assigned[mentees] = True
    return Solution(
        assignments=sorted(
            (problem.mentee_ids[i], problem.mentor_ids[j]) for i, j in zip(mentees, mentors, strict=True)
        ),
        unmatched=sorted(problem.mentee_ids[i] for i in np.flatnonzero(~assigned).tolist()),
        matched=len(mentees),
        total_score=math.fsum(problem.edge_score[chosen].tolist()),
    )
