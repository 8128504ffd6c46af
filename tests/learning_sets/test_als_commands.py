"""als_group reads applicants and writes sets; als_generate writes seeded applicants; als_bench compares the grouping
with the optimum or a bound. No database."""

import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.learning_sets.grouping import SAME_ORGANISATION, group, validate
from apps.learning_sets.management.commands.als_generate import SECTORS, STAGES
from apps.learning_sets.slots import is_valid_slot


def applicant(id_: Any, organisation: str, sector: str = "acute", slots: Any = ("mon-10:00",)) -> dict[str, Any]:
    return {"id": id_, "organisation": organisation, "sector": sector, "stage": "clinical director", "slots": slots}


APPLICANTS = {
    "set_size": {"min": 2, "max": 5},  # one set by default
    "participants": [
        applicant("ann", "RX1"),
        applicant("bob", "RX2", "ICB"),
        applicant("cat", "RX1", "mental health"),
        applicant("dan", "RX3", slots=["tue-14:00"]),
        applicant("eve", "RX4", slots=[]),
    ],
}


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data))
    return path


def refused(**options: str) -> str:
    """Runs als_group expecting exit code 2; returns what it wrote to stderr."""
    stderr = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("als_group", stderr=stderr, **options)
    assert exit_.value.code == 2
    return stderr.getvalue()


def test_als_group_writes_the_sets(tmp_path: Path) -> None:
    output = tmp_path / "sets.json"

    call_command("als_group", input=str(write_json(tmp_path / "applicants.json", APPLICANTS)), output=str(output))

    result = json.loads(output.read_text())
    seconds = result.pop("seconds")
    assert isinstance(seconds, float) and seconds >= 0  # reported, never bounded: timings live in benchmarks
    # ann and cat work in the same organisation: either may join bob (two sectors either way), not both.
    placed = "ann" if result["sets"][0]["members"] == ["ann", "bob"] else "cat"
    assert result["sets"] == [{"members": sorted([placed, "bob"]), "slot": "mon-10:00"}]
    assert result["score"] == 20
    assert result["unplaced"] == [
        {"id": "cat" if placed == "ann" else "ann", "reason": SAME_ORGANISATION},
        {"id": "dan", "reason": "no set meets at a time they can make"},
        {"id": "eve", "reason": "gave no availability"},
    ]


def test_als_group_can_write_to_stdout_and_read_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(APPLICANTS)))
    stdout = io.StringIO()

    call_command("als_group", input="-", output="-", stdout=stdout)

    assert json.loads(stdout.getvalue())["score"] == 20


def test_als_group_says_when_fewer_sets_than_asked_could_be_formed(tmp_path: Path) -> None:
    data = {**APPLICANTS, "sets": 2, "set_size": {"min": 2, "max": 3}}  # only mon-10:00 has two who could meet
    output, stderr = tmp_path / "sets.json", io.StringIO()

    call_command("als_group", input=str(write_json(tmp_path / "a.json", data)), output=str(output), stderr=stderr)

    assert len(json.loads(output.read_text())["sets"]) == 1
    assert "only 1 of the 2 sets asked for could be formed" in stderr.getvalue()


def with_changes(**changes: Any) -> str:
    return json.dumps({**APPLICANTS, **changes})


def with_participant(**changes: Any) -> str:
    return with_changes(participants=[{**applicant("ann", "RX1"), **changes}, applicant("bob", "RX2")])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON (Expecting property name enclosed in double quotes at line 1, column 2)."),
        ("[1, 2]", "The input must be a JSON object"),
        (with_changes(set_size={"min": True, "max": 3}), "set_size.min must be a whole number 1 or more, not True."),
        (with_participant(id=42), "participants[0]: the id must be a non-empty string, not 42."),
        (with_participant(sector=["acute"]), "participants[0] ('ann'): the sector must be a non-empty string"),
        (json.dumps({"set_size": {"min": 2, "max": 3}}), "The key 'participants' is missing."),
        (with_changes(participants=[{"id": "ann", "organisation": "RX1"}]), "participants[0] has no 'sector'."),
        (with_changes(participants=[applicant("ann", "RX1"), applicant("ann", "RX2")]), "id 'ann' appears more than"),
        (with_changes(set_size={"min": 0, "max": 3}), "set_size.min must be a whole number 1 or more, not 0."),
        (with_changes(set_size={"min": 4, "max": 3}), "The largest set size (3) is smaller than the smallest (4)."),
        (with_changes(sets=0), "'sets' must be a whole number 1 or more, not 0."),
        (
            with_changes(sets=1, set_size={"min": 2, "max": 3}),
            "1 set of at most 3 holds 3, fewer than the 5 participants: ask for at least 2 sets",
        ),
        (with_changes(sets=3), "3 sets of at least 2 need 6 people, but there are only 5 participants"),
        (with_participant(slots=["mon-10:00", "mon-09:00"]), "participants[0] ('ann'): 'mon-09:00' is not a weekly"),
    ],
)
def test_als_group_refuses_bad_input_with_exit_code_2(tmp_path: Path, content: str, message: str) -> None:
    source, output = tmp_path / "applicants.json", tmp_path / "sets.json"
    source.write_text(content)

    stderr = refused(input=str(source), output=str(output))

    assert f"als_group: cannot use '{source}':" in stderr
    assert message in stderr
    assert not output.exists()


def test_als_group_refuses_a_missing_file(tmp_path: Path) -> None:
    output = tmp_path / "sets.json"

    stderr = refused(input=str(tmp_path / "nowhere.json"), output=str(output))

    assert "the file cannot be read (No such file or directory)." in stderr
    assert not output.exists()


def test_als_group_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    source = tmp_path / "applicants.json"
    source.write_bytes(b'{"set_size": "\xff"}')

    assert "the file is not UTF-8 text." in refused(input=str(source), output=str(tmp_path / "sets.json"))


def generate(tmp_path: Path, name: str, applicants: int, seed: int) -> str:
    path = tmp_path / name
    call_command("als_generate", applicants=applicants, seed=seed, output=str(path), stdout=io.StringIO())
    return path.read_text()


def test_als_generate_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    first, again = generate(tmp_path, "a.json", 60, 7), generate(tmp_path, "b.json", 60, 7)
    other = generate(tmp_path, "c.json", 60, 8)

    assert first == again
    assert first != other


def test_als_generate_writes_realistic_applicants(tmp_path: Path) -> None:
    data = json.loads(generate(tmp_path, "a.json", 400, 1))
    people = data["participants"]

    problem = validate(data)  # a valid file
    assert len(problem.participants) == 400 and problem.set_count == 50
    organisations = Counter(person["organisation"] for person in people)
    assert 100 <= len(organisations) <= 134
    assert max(organisations.values()) >= 4 * min(organisations.values())  # uneven sizes
    assert {person["sector"] for person in people} == set(SECTORS)
    assert {person["stage"] for person in people} == set(STAGES)
    sector_of = {}
    for person in people:  # an organisation is in one sector
        assert sector_of.setdefault(person["organisation"], person["sector"]) == person["sector"]
    assert all(len(person["slots"]) in (0, *range(3, 9)) for person in people)
    assert all(is_valid_slot(slot) for person in people for slot in person["slots"])
    popularity = Counter(slot for person in people for slot in person["slots"])
    assert popularity["wed-14:00"] > 2 * popularity["fri-08:00"]  # mid-week afternoons are popular


def test_als_generate_can_write_to_stdout() -> None:
    stdout = io.StringIO()

    call_command("als_generate", applicants=12, seed=3, output="-", stdout=stdout)

    assert len(json.loads(stdout.getvalue())["participants"]) == 12


def test_generated_applicants_group_the_same_through_the_command(tmp_path: Path) -> None:
    source, output = tmp_path / "applicants.json", tmp_path / "sets.json"
    generate(tmp_path, source.name, 40, 2)

    call_command("als_group", input=str(source), output=str(output))

    result = json.loads(output.read_text())
    grouping = group(validate(json.loads(source.read_text())))
    assert result["score"] == grouping.score
    assert [s["members"] for s in result["sets"]] == [s.members for s in grouping.sets]
    assert len(result["sets"]) == 5


def test_als_bench_prints_a_table_with_the_gap() -> None:
    stdout = io.StringIO()

    call_command("als_bench", sizes="16,24", seed=1, runs=2, exact_seconds=20, stdout=stdout)

    lines = stdout.getvalue().splitlines()
    header = "| applicants | method | sets | placed | score | seconds | CPU seconds | × reference | best known | gap |"
    assert lines[0] == header
    assert len(lines) == 6
    assert lines[2].startswith("| 16 | heuristic + CP-SAT | ")
    assert all("optimum (CP-SAT" in line and line.endswith("| 0.00 % |") for line in lines[2:4])
    assert lines[5].startswith("Reference workload: ")


def test_als_bench_refuses_a_bad_number_of_runs() -> None:
    with pytest.raises(CommandError, match="--runs must be 1 or more"):
        call_command("als_bench", sizes="16", runs=0, stdout=io.StringIO())


def test_als_bench_refuses_bad_sizes() -> None:
    with pytest.raises(CommandError, match="--sizes must look like"):
        call_command("als_bench", sizes="a,b", stdout=io.StringIO())


def test_als_group_refuses_json_nested_too_deeply(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    said = refused(input=str(path), output="-")
    assert "nested too deeply to read" in said and "Traceback" not in said


def test_als_group_refuses_a_number_too_long_to_read(tmp_path: Path) -> None:
    path = tmp_path / "long.json"
    path.write_text('{"x": ' + "9" * 5000 + "}")
    said = refused(input=str(path), output="-")
    assert "a number in the file is too long to read" in said and "Traceback" not in said


@pytest.mark.parametrize("where", ["missing/result.json", "."])
def test_als_group_says_when_it_cannot_write_the_result(tmp_path: Path, where: str) -> None:
    said = refused(input=str(write_json(tmp_path / "in.json", APPLICANTS)), output=str(tmp_path / where))
    assert said.startswith("als_group: cannot write ") and "Traceback" not in said
