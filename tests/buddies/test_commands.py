"""buddy_pair reads a cohort file and writes the pairs; buddy_generate writes seeded cohorts; buddy_bench prints
its table with the CP-SAT check. No database."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command


def _person(id: str, organisation: str, sector: str, region: str, months: int) -> dict[str, Any]:
    return {
        "id": id,
        "organisation": organisation,
        "level": 5,
        "sector": sector,
        "region": region,
        "months_in_role": months,
    }


COHORT = {
    "people": [
        _person("ann", "RV5", "Mental health", "London", 2),
        _person("bob", "RWK", "Mental health", "London", 14),
        _person("cat", "RV5", "", "", 0),
    ]
}


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data))
    return path


def refused(**options: str) -> str:
    """Runs buddy_pair expecting exit code 2; returns what it wrote to stderr."""
    stderr = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("buddy_pair", stderr=stderr, **options)
    assert exit_.value.code == 2
    return stderr.getvalue()


def test_buddy_pair_writes_the_pairs_and_who_is_left_out_and_why(tmp_path: Path) -> None:
    output = tmp_path / "pairs.json"
    call_command("buddy_pair", input=str(write_json(tmp_path / "cohort.json", COHORT)), output=str(output))

    result = json.loads(output.read_text())

    assert result["pairs"] == [
        {
            "first": "ann",
            "second": "bob",
            "fit": 100,
            "explanation": "Same leadership level, different organisations; Same sector (Mental health); One is 12 "
            "months further into the role: close enough to remember starting; Same region (London)",
        }
    ]
    assert result["left_out"] == [{"id": "cat", "reason": result["left_out"][0]["reason"]}]
    assert result["left_out"][0]["reason"].startswith("An odd number of people")
    assert (result["paired"], result["total_fit"]) == (2, 100) and result["seconds"] >= 0


def test_buddy_pair_writes_to_stdout(tmp_path: Path) -> None:
    stdout = io.StringIO()
    call_command("buddy_pair", input=str(write_json(tmp_path / "c.json", COHORT)), output="-", stdout=stdout)
    assert json.loads(stdout.getvalue())["total_fit"] == 100


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON (Expecting property name enclosed in double quotes at line 1, column 2)"),
        ('{"people": [{"id": "a"}]}', "people[0] has no 'organisation'."),
        ('{"people": [{"id": "a", "organisation": "x", "level": 0, "sector": "", "region": "", "months_in_role": 1}]}',
         "people[0].level must be a whole number from 1 to 9, not 0."),
        ("[]", "The input must be a JSON object with the key 'people'."),
    ],
)  # fmt: skip
def test_buddy_pair_refuses_a_bad_file_with_where_and_no_traceback(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    output = tmp_path / "out.json"

    said = refused(input=str(path), output=str(output))

    assert said.startswith(f"buddy_pair: cannot use {str(path)!r}: ") and message in said
    assert "Traceback" not in said and not output.exists()


def test_buddy_pair_refuses_a_missing_file(tmp_path: Path) -> None:
    assert "the file cannot be read (No such file or directory)" in refused(
        input=str(tmp_path / "nope.json"), output="-"
    )


def test_buddy_generate_is_seeded_and_readable_by_buddy_pair(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    call_command("buddy_generate", people=40, levels=5, seed=3, output=str(first))
    call_command("buddy_generate", people=40, levels=5, seed=3, output=str(second))
    assert first.read_text() == second.read_text()
    cohort = json.loads(first.read_text())
    assert len(cohort["people"]) == 40 and {p["level"] for p in cohort["people"]} == {1, 2, 3, 4, 5}
    call_command("buddy_pair", input=str(first), output=str(tmp_path / "out.json"))
    assert json.loads((tmp_path / "out.json").read_text())["paired"] >= 30


def test_buddy_bench_prints_a_row_per_size_checked_against_cp_sat() -> None:
    stdout = io.StringIO()
    call_command("buddy_bench", sizes="30:1,40:2", stdout=stdout)
    lines = stdout.getvalue().splitlines()
    assert lines[0].startswith("| people (levels) | allowed pairs | pairing | peak memory |")
    assert len(lines) == 4
    assert all("| same: " in line for line in lines[2:])


def test_buddy_bench_refuses_bad_sizes() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="people:levels"):
        call_command("buddy_bench", sizes="50x3")


def test_buddy_pair_refuses_json_nested_too_deeply(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)

    said = refused(input=str(path), output="-")

    assert "nested too deeply" in said and "Traceback" not in said


def test_buddy_pair_refuses_a_number_too_long_to_read(tmp_path: Path) -> None:
    path = tmp_path / "long.json"
    person = json.dumps(_person("ann", "RV5", "", "", 1)).replace('"level": 5', '"level": ' + "9" * 5000)
    path.write_text('{"people": [' + person + "]}")

    said = refused(input=str(path), output="-")

    assert "a number in the file is too long" in said and "Traceback" not in said


@pytest.mark.parametrize("where", ["missing/pairs.json", "."])
def test_buddy_pair_says_when_it_cannot_write_the_result(tmp_path: Path, where: str) -> None:
    stderr = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "buddy_pair",
            input=str(write_json(tmp_path / "cohort.json", COHORT)),
            output=str(tmp_path / where),
            stderr=stderr,
        )

    assert exit_.value.code == 2
    said = stderr.getvalue()
    assert said.startswith("buddy_pair: cannot write ") and "Traceback" not in said
