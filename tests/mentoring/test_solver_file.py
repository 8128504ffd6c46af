"""Reading a problem file in bulk (`solver_file`, `match_solve.problem_read`): the same refusals, word for word, as
`json` followed by `solver.validate` (the per-item check it replaces), and the same problem and solution for a good
file, whichever path reads it. No database."""

import copy
import io
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.common.jsonfiles import READ_ERRORS, describe, read_json
from apps.mentoring.management.commands.match_graph import graph_generate, graph_json_chunks
from apps.mentoring.management.commands.match_solve import problem_read
from apps.mentoring.solver import ProblemError, solve, solve_indexed, validate
from apps.mentoring.solver_file import FileProblem, NotPlain, problem_check, problem_parse, solution_build


def good() -> dict[str, Any]:
    return {
        "mentors": [{"id": "xena", "capacity": 2}, {"id": "yves", "capacity": 1}],
        "mentees": [{"id": "ann"}, {"id": "bob"}, {"id": "cat"}],
        "edges": [
            {"mentee": "ann", "mentor": "xena", "score": 7.5},
            {"mentee": "ann", "mentor": "yves", "score": 3},
            {"mentee": "bob", "mentor": "xena", "score": 0},
            {"mentee": "cat", "mentor": "yves", "score": 100.25},
        ],
    }


def changed(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """good() with the value at `path` replaced (or, for the value DELETE, the key or item removed)."""
    data = good()
    *parents, last = path
    target: Any = data
    for step in parents:
        target = target[step]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return data


DELETE = object()


def old_outcome(raw: Any) -> str:
    """What the per-item check says: its message, or "ok"."""
    try:
        validate(raw)
    except ProblemError as error:
        return str(error)
    return "ok"


def new_outcome(raw: Any) -> str:
    try:
        problem_check(raw=raw)
    except ProblemError as error:
        return str(error)
    return "ok"


def old_file_outcome(path: Path) -> str:
    """What match_solve said before: `read_json` then `validate`, worded by `describe`."""
    try:
        validate(read_json(str(path)))
    except (*READ_ERRORS, ProblemError) as error:
        return describe(error)
    return "ok"


def new_file_outcome(path: Path) -> str:
    try:
        problem_read(str(path))
    except (*READ_ERRORS, ProblemError) as error:
        return describe(error)
    return "ok"


BAD = [
    [],
    "mentors",
    {"mentees": [], "edges": []},
    {"mentors": [], "edges": []},
    {"mentors": [], "mentees": []},
    changed(("edges",), {}),
    changed(("mentors",), None),
    changed(("mentees",), "ann"),
    changed(("mentors", 0), "xena"),
    changed(("mentors", 1), ["yves", 1]),
    changed(("mentors", 0, "capacity"), DELETE),
    changed(("mentors", 1, "id"), DELETE),
    changed(("mentors", 0, "capacity"), -1),
    changed(("mentors", 0, "capacity"), 1.5),
    changed(("mentors", 0, "capacity"), 2.0),
    changed(("mentors", 0, "capacity"), True),
    changed(("mentors", 0, "capacity"), "2"),
    changed(("mentors", 0, "capacity"), None),
    changed(("mentors", 1, "id"), 7),
    changed(("mentors", 1, "id"), ""),
    changed(("mentors", 1, "id"), None),
    changed(("mentees", 2), 5),
    changed(("mentees", 0, "id"), DELETE),
    changed(("mentees", 1, "id"), ""),
    changed(("mentees", 1, "id"), ["bob"]),
    changed(("mentees", 2, "id"), "ann"),
    changed(("mentors", 1, "id"), "xena"),
    changed(("edges", 0), "ann-xena"),
    changed(("edges", 3), None),
    changed(("edges", 1, "score"), DELETE),
    changed(("edges", 2, "mentor"), DELETE),
    changed(("edges", 0, "mentee"), DELETE),
    changed(("edges", 1, "score"), -0.5),
    changed(("edges", 1, "score"), 1e9),
    changed(("edges", 1, "score"), 10**30),
    changed(("edges", 1, "score"), 1_000_000.5),
    changed(("edges", 1, "score"), "9"),
    changed(("edges", 1, "score"), True),
    changed(("edges", 1, "score"), None),
    changed(("edges", 1, "score"), [1]),
    changed(("edges", 1, "score"), math.nan),
    changed(("edges", 1, "score"), math.inf),
    changed(("edges", 1, "score"), -math.inf),
    changed(("edges", 2, "mentee"), ""),
    changed(("edges", 2, "mentee"), 3),
    changed(("edges", 2, "mentee"), {"id": "bob"}),
    changed(("edges", 2, "mentor"), ["xena"]),
    changed(("edges", 2, "mentor"), False),
    changed(("edges", 3, "mentee"), "zed"),
    changed(("edges", 3, "mentor"), "zoe"),
    changed(("edges", 3), {"mentee": "zed", "mentor": "zoe", "score": 1}),
    changed(("edges", 3), {"mentee": "ann", "mentor": "xena", "score": 2}),
    changed(("edges", 3), {"mentee": "ann", "mentor": "yves", "score": 3, "note": "again"}),
]


@pytest.mark.parametrize("raw", BAD, ids=range(len(BAD)))
def test_each_fault_is_refused_with_the_per_item_checks_words(raw: Any) -> None:
    said = new_outcome(raw)

    assert said != "ok"
    assert said == old_outcome(raw)


@pytest.mark.parametrize("raw", BAD, ids=range(len(BAD)))
def test_each_faulty_file_is_refused_with_the_words_match_solve_used(tmp_path: Path, raw: Any) -> None:
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(raw))  # NaN and Infinity as `json` writes them: msgspec refuses both

    assert new_file_outcome(path) == old_file_outcome(path) != "ok"


def test_the_first_of_several_faults_is_the_one_named() -> None:
    raw = good()
    raw["edges"][0]["mentee"] = "zed"  # unknown names are looked for only after every edge's own checks...
    raw["edges"][3]["score"] = -1  # ...so a later edge with a bad score is named before it...
    raw["edges"][2]["mentor"] = ""  # ...and an edge before that one with a fault of its own before both
    raw["edges"][2]["score"] = "9"  # (within an edge, the score is checked before the names)

    assert new_outcome(raw) == old_outcome(raw) == "edges[2]: score must be a number, not '9'."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON (Expecting property name enclosed in double quotes at line 1, column 2)."),
        (
            '\ufeff{"mentors": []}',
            "not valid JSON (Unexpected UTF-8 BOM (decode using utf-8-sig) at line 1, column 1).",
        ),
        ('{"mentors": [], "mentees": [], "edges": []}\nx', "not valid JSON (Extra data at line 2, column 1)."),
        ('{"mentors": [], "mentees": [], "edges": [{"mentee": "a\\ud800"}]}', "edges[0] has no 'mentor'."),
        ('{"mentors": [{"id": "x", "capacity": 1e400}], "mentees": [], "edges": []}', "not inf."),
        ('{"mentors": [], "mentees": [], "edges": [], "note": ' + "[" * 100_000 + "]" * 100_000 + "}", "too deeply"),
    ],
)
def test_what_only_json_reads_is_still_read_by_json(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "graph.json"
    path.write_text(text, encoding="utf-8")

    said = new_file_outcome(path)

    assert said == old_file_outcome(path)
    assert message in said


def test_a_file_that_is_not_utf8_is_refused_as_before(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    path.write_bytes(b'{"mentors": [{"id": "\xff", "capacity": 1}], "mentees": [], "edges": []}')

    assert new_file_outcome(path) == old_file_outcome(path) == "the file is not UTF-8 text."


def test_a_score_too_large_for_a_double_is_refused_in_words() -> None:
    # `validate` itself raised OverflowError here (a traceback from match_solve); the bulk check says what is wrong.
    raw = changed(("edges", 0, "score"), 10**400)

    with pytest.raises(ProblemError, match=r"^edges\[0\]: score must be between 0 and 1,000,000, not 1000"):
        problem_check(raw=raw)


def test_a_capacity_past_64_bits_means_no_limit(tmp_path: Path) -> None:
    # `validate` accepted it and the solver's integer array overflowed; a mentor can take no more than every mentee.
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(changed(("mentors", 0, "capacity"), 2**64)))

    problem = problem_read(str(path))

    assert problem.capacities.tolist() == [2**63 - 1, 1]
    assert solved(problem).matched == 3


# --- Good files: the same problem and the same solution, by either path --------------------------------------------


def solved(problem: FileProblem) -> Any:
    chosen = solve_indexed(
        mentees=len(problem.mentee_ids),
        capacities=problem.capacities,
        edge_mentee=problem.edge_mentee,
        edge_mentor=problem.edge_mentor,
        edge_score=problem.edge_score,
    )
    return solution_build(problem=problem, chosen=chosen)


def assert_same_problem(problem: FileProblem, raw: Any) -> None:
    """`problem` holds what `validate(raw)` holds, as arrays."""
    expected = validate(raw)
    assert problem.mentor_ids == [mentor.id for mentor in expected.mentors]
    assert problem.capacities.tolist() == [mentor.capacity for mentor in expected.mentors]
    assert problem.mentee_ids == expected.mentees
    pairs = [
        (problem.mentee_ids[i], problem.mentor_ids[j])
        for i, j in zip(problem.edge_mentee, problem.edge_mentor, strict=True)
    ]
    assert pairs == [(edge.mentee, edge.mentor) for edge in expected.edges]
    # Compared as bit patterns, so that 0.0 and -0.0 count as different.
    assert problem.edge_score.tobytes() == np.asarray([edge.score for edge in expected.edges]).tobytes()
    assert problem.edge_score.dtype == np.float64 and problem.edge_mentee.dtype == problem.edge_mentor.dtype == np.int64


def test_a_good_problem_reads_the_same_by_both_paths() -> None:
    raw = good()
    text = json.dumps(raw)

    assert_same_problem(problem_parse(text=text.encode()), raw)
    assert_same_problem(problem_parse(text=text), raw)
    assert_same_problem(problem_check(raw=raw), raw)


@pytest.mark.parametrize(
    "raw",
    [
        {**good(), "note": "made by hand"},  # a key the fast path does not take: the careful path reads it
        changed(("edges", 0, "note"), "strong"),
        {"mentors": [], "mentees": [], "edges": []},
        {"mentors": [], "mentees": [{"id": "ann"}], "edges": []},
    ],
)
def test_good_files_that_take_the_careful_path_are_solved_as_before(tmp_path: Path, raw: Any) -> None:
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(raw))

    problem = problem_read(str(path))

    assert_same_problem(problem, raw)
    assert solved(problem) == solve(validate(raw))


def test_the_fast_path_steps_aside_for_anything_unusual() -> None:
    for text in ['{"mentors": [], "mentees": [], "edges": [], "x": 1}', '{"mentors": []}', "[]", '{"mentors": [NaN]}']:
        with pytest.raises(NotPlain):
            problem_parse(text=text)


def test_a_generated_graph_is_solved_as_before(tmp_path: Path) -> None:
    graph = graph_generate(mentees=300, mentors=60, edges_per_mentee=12, seed=5)
    text = "".join(graph_json_chunks(graph, mentees=300))
    path = tmp_path / "graph.json"
    path.write_text(text)
    raw = json.loads(text)

    problem = problem_read(str(path))

    assert_same_problem(problem, raw)
    solution = solved(problem)
    assert solution == solve(validate(raw))
    assert solution.matched > 0


def test_standard_input_takes_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(good())))
    assert_same_problem(problem_read("-"), good())

    bad = changed(("edges", 1, "score"), math.nan)
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(bad)))
    with pytest.raises(ProblemError) as said:
        problem_read("-")
    assert str(said.value) == old_outcome(bad) == "edges[1]: score must be a number, not nan."


# --- Random documents: random faults, random good problems ---------------------------------------------------------

ids = st.text(alphabet=st.sampled_from('abé\\"\n😀'), min_size=1, max_size=3)
odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "x", [], {}, [1], {"id": "ann"}, -0.0, 0, 1_000_000, 1_000_000.0, 1e-300]),
)


@st.composite
def problems(draw: st.DrawFn) -> dict[str, Any]:
    """A valid problem: distinct ids, capacities 0–3, some distinct pairs, scores of both kinds in range (empty
    lists now and then, most often several edges, so that faults land in edges as often as in people)."""
    mentor_ids = draw(st.lists(ids, min_size=draw(st.sampled_from([0, 1, 1, 1])), max_size=4, unique=True))
    mentee_ids = draw(st.lists(ids, min_size=draw(st.sampled_from([0, 1, 1, 1])), max_size=5, unique=True))
    pairs = [(a, b) for a in mentee_ids for b in mentor_ids]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, min_size=1, max_size=10)) if pairs else []
    score = st.one_of(st.integers(0, 1_000_000), st.floats(0, 1_000_000), st.sampled_from([-0.0, 0, 1e-7, 99.99]))
    return {
        "mentors": [{"id": m, "capacity": draw(st.integers(0, 3))} for m in mentor_ids],
        "mentees": [{"id": m} for m in mentee_ids],
        "edges": [{"mentee": a, "mentor": b, "score": draw(score)} for a, b in chosen],
    }


@st.composite
def faulty(draw: st.DrawFn) -> Any:
    """A valid problem with one to three random changes: values replaced, keys or items removed, items repeated."""
    raw: Any = draw(problems())
    for _ in range(draw(st.integers(1, 3))):
        places = _places(raw)
        if not places:
            return copy.deepcopy(draw(odd_values))
        # Deeper places weigh more and come first (hypothesis leans to the first): most faults in real files are
        # in items, and most items are edges.
        deepest_first = sorted(places, key=len, reverse=True)
        path = draw(st.sampled_from([place for place in deepest_first for _ in range(len(place) ** 2)]))
        *parents, last = path
        target = raw
        for step in parents:
            target = target[step]
        action = draw(st.sampled_from(["replace", "remove", "repeat", "rename"]))
        if action == "remove":
            del target[last]
        elif action == "repeat" and isinstance(target, list):
            target.insert(draw(st.integers(0, len(target))), copy.deepcopy(target[last]))
        elif action == "rename" and isinstance(target, dict) and isinstance(target[last], str):
            target[last] = draw(st.sampled_from([*ids_in(raw), "zed"]))
        else:
            # A copy: odd_values samples shared lists and dicts, and a later fault in this document could change one
            # in place, so that hypothesis would draw something else from it next time (FlakyStrategyDefinition).
            target[last] = copy.deepcopy(draw(odd_values))
        if not isinstance(raw, dict):
            break
    return raw


def _places(raw: Any) -> list[tuple[Any, ...]]:
    """Every key and item position in the document, as paths."""
    found: list[tuple[Any, ...]] = []

    def walk(value: Any, path: tuple[Any, ...]) -> None:
        children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
        for key, child in children:
            found.append((*path, key))
            walk(child, (*path, key))

    walk(raw, ())
    return found


def ids_in(raw: Any) -> list[str]:
    found: list[str] = []
    for group in ("mentors", "mentees"):
        items = raw.get(group) if isinstance(raw, dict) else None
        if isinstance(items, list):
            found += [item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]
    return found or ["ann"]


@settings(max_examples=400, deadline=None)
@given(faulty())
def test_random_faults_are_refused_with_the_per_item_checks_words(raw: Any) -> None:
    assert new_outcome(raw) == old_outcome(raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=faulty())
def test_random_faulty_files_are_refused_with_the_words_match_solve_used(tmp_path: Path, raw: Any) -> None:
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(raw))

    assert new_file_outcome(path) == old_file_outcome(path)


@settings(max_examples=150, deadline=None)
@given(problems(), st.sampled_from([None, 0, 2]), st.booleans())
def test_random_good_problems_read_and_solve_the_same_by_both_paths(raw: Any, indent: int | None, keys: bool) -> None:
    text = json.dumps(raw, indent=indent, sort_keys=keys, ensure_ascii=keys)

    fast, careful = problem_parse(text=text.encode()), problem_check(raw=json.loads(text))

    assert_same_problem(fast, raw)
    assert_same_problem(careful, raw)
    assert solved(fast) == solved(careful) == solve(validate(raw))
