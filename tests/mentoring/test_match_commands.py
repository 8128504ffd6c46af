"""match_solve reads a problem file and writes the matching; match_graph writes seeded problems. No database."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from apps.mentoring.management.commands.match_graph import graph_generate, graph_problem
from apps.mentoring.solver import solve
from apps.mentoring.solver_file import problem_check

PROBLEM = {
    "mentors": [{"id": "xena", "capacity": 1}, {"id": "yves", "capacity": 1}],
    "mentees": [{"id": "ann"}, {"id": "bob"}, {"id": "cat"}],
    "edges": [
        {"mentee": "ann", "mentor": "xena", "score": 100},
        {"mentee": "ann", "mentor": "yves", "score": 1.5},
        {"mentee": "bob", "mentor": "xena", "score": 2.25},
    ],
}


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data))
    return path


def refused(**options: str) -> str:
    """Runs match_solve expecting exit code 2; returns what it wrote to stderr."""
    stderr = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("match_solve", stderr=stderr, **options)
    assert exit_.value.code == 2
    return stderr.getvalue()


def test_match_solve_writes_the_result(tmp_path: Path) -> None:
    output = tmp_path / "result.json"

    call_command("match_solve", input=str(write_json(tmp_path / "graph.json", PROBLEM)), output=str(output))

    result = json.loads(output.read_text())
    seconds = result.pop("seconds")
    assert isinstance(seconds, float) and seconds >= 0  # reported, never bounded: timings live in benchmarks
    assert result == {
        "assignments": [{"mentee": "ann", "mentor": "yves"}, {"mentee": "bob", "mentor": "xena"}],
        "unmatched": ["cat"],
        "matched": 2,
        "total_score": 3.75,
    }


def test_match_solve_can_write_to_stdout(tmp_path: Path) -> None:
    stdout = io.StringIO()

    call_command("match_solve", input=str(write_json(tmp_path / "graph.json", PROBLEM)), output="-", stdout=stdout)

    assert json.loads(stdout.getvalue())["matched"] == 2


def test_match_solve_on_a_generated_graph_agrees_with_the_solver(tmp_path: Path) -> None:
    graph, output = tmp_path / "graph.json", tmp_path / "result.json"
    call_command(
        "match_graph", mentees=60, mentors=15, edges_per_mentee=6, seed=3, output=str(graph), stdout=io.StringIO()
    )

    call_command("match_solve", input=str(graph), output=str(output))

    solution = solve(graph_problem(graph_generate(mentees=60, mentors=15, edges_per_mentee=6, seed=3), mentees=60))
    result = json.loads(output.read_text())
    assert result["matched"] == solution.matched > 0
    assert result["total_score"] == solution.total_score
    assert [(a["mentee"], a["mentor"]) for a in result["assignments"]] == solution.assignments


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON (Expecting property name enclosed in double quotes at line 1, column 2)."),
        (json.dumps({**PROBLEM, "edges": [{"mentee": "zed", "mentor": "xena", "score": 1}]}), "unknown mentee 'zed'"),
        (json.dumps({**PROBLEM, "edges": [{"mentee": "ann", "mentor": "xena", "score": -1}]}), "score must be between"),
        (json.dumps({**PROBLEM, "mentors": [{"id": "xena", "capacity": -2}]}), "capacity must be a whole number 0 or"),
        (json.dumps({"mentors": [], "mentees": []}), "The key 'edges' is missing."),
    ],
)
def test_match_solve_refuses_bad_input_with_exit_code_2(tmp_path: Path, content: str, message: str) -> None:
    source, output = tmp_path / "graph.json", tmp_path / "result.json"
    source.write_text(content)

    stderr = refused(input=str(source), output=str(output))

    assert f"match_solve: cannot use '{source}':" in stderr
    assert message in stderr
    assert not output.exists()


def test_match_solve_refuses_a_missing_file(tmp_path: Path) -> None:
    stderr = refused(input=str(tmp_path / "nowhere.json"), output=str(tmp_path / "result.json"))

    assert "the file cannot be read (No such file or directory)." in stderr


def test_match_graph_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    def generate(name: str, seed: int) -> str:
        path = tmp_path / name
        options = {"mentees": 40, "mentors": 10, "edges_per_mentee": 4, "seed": seed, "output": str(path)}
        call_command("match_graph", stdout=io.StringIO(), **options)
        return path.read_text()

    first, again, other = generate("a.json", 7), generate("b.json", 7), generate("c.json", 8)

    assert first == again
    assert first != other


def test_match_graph_writes_a_valid_problem_of_the_asked_size(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    stdout = io.StringIO()

    call_command("match_graph", mentees=30, mentors=5, edges_per_mentee=9, seed=1, output=str(path), stdout=stdout)

    problem = problem_check(raw=json.loads(path.read_text()))
    assert (len(problem.mentee_ids), len(problem.mentor_ids), len(problem.edge_score)) == (30, 5, 30 * 5)  # 9 → 5
    assert all(1 <= capacity <= 4 for capacity in problem.capacities.tolist())
    assert all(0 <= score <= 100 and round(score, 2) == score for score in problem.edge_score.tolist())
    assert stdout.getvalue().strip() == "Wrote 30 mentees, 5 mentors, 150 pairs."


def test_match_solve_can_read_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(PROBLEM)))
    stdout = io.StringIO()

    call_command("match_solve", input="-", output="-", stdout=stdout)

    assert json.loads(stdout.getvalue())["unmatched"] == ["cat"]


def test_match_solve_refuses_json_nested_too_deeply(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    said = refused(input=str(path), output="-")
    assert "nested too deeply to read" in said and "Traceback" not in said


def test_match_solve_refuses_a_number_too_long_to_read(tmp_path: Path) -> None:
    path = tmp_path / "long.json"
    path.write_text('{"x": ' + "9" * 5000 + "}")
    said = refused(input=str(path), output="-")
    assert "a number in the file is too long to read" in said and "Traceback" not in said


@pytest.mark.parametrize("where", ["missing/result.json", "."])
def test_match_solve_says_when_it_cannot_write_the_result(tmp_path: Path, where: str) -> None:
    said = refused(input=str(write_json(tmp_path / "in.json", PROBLEM)), output=str(tmp_path / where))
    assert said.startswith("match_solve: cannot write ") and "Traceback" not in said


def test_match_solve_bench_runs_every_contender_and_checks_they_agree() -> None:
    stdout = io.StringIO()

    call_command("match_solve_bench", mentees=40, mentors=10, edges_per_mentee=5, runs=1, stdout=stdout)

    said = stdout.getvalue()
    assert "| 1 | " in said and said.count("×") >= 3  # one row, three ratios; the times themselves are not tested
    assert "Every run: " in said  # reached only when all five results agree


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"runs": 0}, "--runs must be 1 or more"),
        ({"mentees": -1}, "the sizes 0 or more"),
        ({"input": "no/such/graph.json"}, "is not a file"),
    ],
)
def test_match_solve_bench_refuses_bad_options_before_it_runs(options: dict[str, Any], message: str) -> None:
    stdout = io.StringIO()
    with pytest.raises(CommandError, match=message):
        call_command("match_solve_bench", stdout=stdout, **options)
    assert stdout.getvalue() == ""  # refused before generating or timing anything
