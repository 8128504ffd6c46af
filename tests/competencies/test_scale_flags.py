"""A scale point that is not a rating ("No chance to demonstrate") and a framework meant to be repeated (the board
framework, yearly): read from the file with every fault's path and line, written back, carried through CASE in our
extension, and stored so that loading the same file again changes nothing."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from apps.competencies.case import case_to_spec, spec_to_case
from apps.competencies.fileformat import FrameworkFileError, ScalePointSpec, dump, parse
from apps.competencies.models import Framework, ScalePoint
from apps.competencies.selectors import framework_spec
from apps.competencies.services import SHIPPED, FrameworkError, framework_load

from .test_case import BASE, NOW
from .test_fileformat import MINIMAL

BOARD = Path(SHIPPED) / "nhs-board-leadership-2024.yaml"
FLAGGED = MINIMAL.replace("  licence: MIT\n", "  licence: MIT\n  repeat_every_months: 12\n").replace(
    "  - {value: 1, label: Low}\n",
    "  - {value: 0, label: No chance to demonstrate, not_a_rating: true}\n  - {value: 1, label: Low}\n",
)


def faults_of(text: str) -> list[str]:
    with pytest.raises(FrameworkFileError) as error:
        parse(text)
    return [str(fault) for fault in error.value.faults]


def test_a_point_may_say_it_is_not_a_rating_and_a_framework_how_often_to_repeat() -> None:
    spec = parse(FLAGGED)
    assert spec.scale[0] == ScalePointSpec(0, "No chance to demonstrate", not_a_rating=True)
    assert not any(p.not_a_rating for p in spec.scale[1:])
    assert spec.repeat_every_months == 12
    assert parse(dump(spec)) == spec
    assert "not_a_rating: true" in dump(spec) and "repeat_every_months: 12" in dump(spec)
    assert "not_a_rating" not in dump(parse(MINIMAL)) and "repeat_every_months" not in dump(parse(MINIMAL))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            FLAGGED.replace("  - {value: 1, label: Low}", "  - {value: 1, label: Low, not_a_rating: true}"),
            "scale[1].not_a_rating (line 11): only one point may be not a rating",
        ),
        (
            FLAGGED.replace("not_a_rating: true", "not_a_rating: maybe"),
            "scale[0].not_a_rating (line 10): expected true",
        ),
        (
            FLAGGED.replace("  - {value: 2, label: High}\n", ""),
            "scale (line 10): a rating scale needs at least two points that are ratings",
        ),
        (FLAGGED.replace("medical_director: 2", "medical_director: 0"), "0 is not a value on the rating scale"),
        (
            FLAGGED.replace("repeat_every_months: 12", "repeat_every_months: 0"),
            "framework.repeat_every_months (line 8): give 1 to 60 months",
        ),
        (
            FLAGGED.replace("repeat_every_months: 12", "repeat_every_months: yearly"),
            "framework.repeat_every_months (line 8): expected a whole number",
        ),
    ],
)
def test_bad_flags_are_refused_with_their_path_and_line(text: str, expected: str) -> None:
    assert any(expected in fault for fault in faults_of(text)), faults_of(text)


def test_the_board_framework_marks_no_chance_to_demonstrate_and_repeats_yearly() -> None:
    spec = parse(BOARD.read_text())
    assert [(p.value, p.label) for p in spec.scale if p.not_a_rating] == [(1, "No chance to demonstrate")]
    assert spec.repeat_every_months == 12
    # Expectations are ratings, so none is the point that is not one.
    assert all(expected != 1 for c in spec.criteria for _, expected in c.levels)


def test_the_flags_go_through_case_and_come_back_equal() -> None:
    for spec in (parse(FLAGGED), parse(BOARD.read_text())):
        package = json.loads(json.dumps(spec_to_case(spec, identifiers={}, base_uri=BASE, now=NOW)))
        ours = package["CFDocument"]["extensions"]["steppingUp"]
        assert ours["repeatEveryMonths"] == 12
        assert [p.get("notARating", False) for p in ours["scale"]] == [p.not_a_rating for p in spec.scale]
        back, notes = case_to_spec(package, default_scale=())
        assert back == spec
        assert notes == []


def test_a_case_scale_with_two_points_that_are_not_ratings_falls_back_to_the_default() -> None:
    spec = parse(FLAGGED)
    package = json.loads(json.dumps(spec_to_case(spec, identifiers={}, base_uri=BASE, now=NOW)))
    package["CFDocument"]["extensions"]["steppingUp"]["scale"][1]["notARating"] = True
    default = (ScalePointSpec(1, "Low"), ScalePointSpec(2, "High"))
    back, notes = case_to_spec(package, default_scale=default)
    assert back.scale == default
    assert any("not a usable rating scale" in note for note in notes)


@pytest.mark.django_db
def test_the_flags_are_stored_and_loading_again_changes_nothing() -> None:
    spec = parse(BOARD.read_text())
    framework = framework_load(spec=spec).framework
    assert framework.repeat_every_months == 12
    assert list(ScalePoint.objects.filter(framework=framework, not_a_rating=True).values_list("value", flat=True)) == [
        1
    ]
    assert framework_spec(framework=framework) == spec
    again = framework_load(spec=spec)
    assert not again.created and Framework.objects.count() == 1


@pytest.mark.django_db
def test_a_version_loaded_before_the_flags_gets_them_and_nothing_else() -> None:
    spec = parse(BOARD.read_text())
    before = replace(
        spec,
        repeat_every_months=None,
        scale=tuple(replace(p, not_a_rating=False, descriptor=p.descriptor + " (old)") for p in spec.scale),
    )
    framework = framework_load(spec=before).framework
    assert not framework_load(spec=spec).created
    assert framework_spec(framework=framework) == spec
    # Any other change to the scale is still refused.
    other = replace(spec, scale=(replace(spec.scale[0], label="Not seen"), *spec.scale[1:]))
    with pytest.raises(FrameworkError, match="already loaded with different content"):
        framework_load(spec=other)
