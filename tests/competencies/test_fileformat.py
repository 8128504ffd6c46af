"""The framework file format: the shipped files parse and round-trip; every kind of fault is refused with its
path and line, and nothing partial comes out."""

from pathlib import Path

import pytest
import yaml

from apps.competencies.fileformat import FrameworkFileError, dump, parse
from apps.competencies.vocabulary import LEVELS

SHIPPED = Path(__file__).resolve().parents[2] / "apps" / "competencies" / "frameworks"
PERSON_SPEC = SHIPPED / "md-person-spec-2017.yaml"

MINIMAL = """\
format: stepping-up-framework/1
framework:
  slug: tiny
  version: "1"
  name: Tiny framework
  source: Tests
  licence: MIT
scale:
  - {value: 1, label: Low}
  - {value: 2, label: High}
groups:
  - {code: G1, title: Group one}
criteria:
  - code: C1
    group: G1
    title: Criterion one
    areas: [corporate]
    levels: {medical_director: 2}
"""


def faults_of(text: str) -> list[str]:
    with pytest.raises(FrameworkFileError) as error:
        parse(text)
    return [str(fault) for fault in error.value.faults]


def test_the_person_specification_is_complete() -> None:
    spec = parse(PERSON_SPEC.read_text())
    assert [g.title for g in spec.groups] == [
        "Experience",
        "Knowledge",
        "Skills and competencies",
        "Desirable criteria",
    ]
    assert [len([c for c in spec.criteria if c.group == g.code]) for g in spec.groups] == [4, 5, 11, 2]
    assert sum(len(c.prompts) for c in spec.criteria) == 13
    first = spec.criteria[0]
    assert first.prompts == (
        "Can you show you have led change and improvement projects that improved clinical care at scale?",
    )
    assert "not be considered compulsory" in spec.description
    assert "Faculty of Medical Leadership and Management" in spec.source


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_framework_round_trips(path: Path) -> None:
    spec = parse(path.read_text())
    assert parse(dump(spec)) == spec
    assert all(c.levels and c.areas for c in spec.criteria)  # every criterion is tagged and has expectations


def test_json_is_read_too() -> None:
    import json

    spec = parse(MINIMAL)
    assert parse(json.dumps(yaml.safe_load(dump(spec)))) == spec


def test_a_missing_field_is_named_with_its_line() -> None:
    text = MINIMAL.replace("    title: Criterion one\n", "")
    assert faults_of(text) == ["criteria[0] (line 14): missing field 'title'"]


def test_a_duplicate_code_is_refused() -> None:
    text = MINIMAL + "  - {code: C1, group: G1, title: Again}\n"
    assert faults_of(text) == ["criteria[1].code (line 19): duplicate code 'C1' (also criteria[0])"]


def test_a_criterion_may_not_reuse_a_group_code() -> None:
    assert "duplicate code 'G1'" in faults_of(MINIMAL + "  - {code: G1, group: G1, title: Clash}\n")[0]


def test_an_unknown_tag_is_refused() -> None:
    text = MINIMAL.replace("areas: [corporate]", "areas: [corporate, finance]")
    assert faults_of(text)[0].startswith("criteria[0].areas[1] (line 17): unknown area 'finance'")


def test_an_unknown_level_and_an_expectation_off_the_scale_are_refused() -> None:
    text = MINIMAL.replace("levels: {medical_director: 2}", "levels: {medical_director: 7, registrar: 1}")
    found = faults_of(text)
    assert "criteria[0].levels.registrar (line 18): unknown field 'registrar'" in found
    assert "criteria[0].levels.medical_director (line 18): 7 is not a value on the rating scale" in found


def test_a_cycle_of_groups_is_refused() -> None:
    text = MINIMAL.replace(
        "  - {code: G1, title: Group one}\n",
        "  - {code: G1, title: Group one, parent: G2}\n  - {code: G2, title: Group two, parent: G1}\n",
    )
    assert any("groups form a cycle: G1 → G2 → G1" in fault for fault in faults_of(text))


def test_a_reference_to_a_missing_group_is_refused() -> None:
    assert faults_of(MINIMAL.replace("group: G1", "group: G9")) == [
        "criteria[0].group (line 15): no group has the code 'G9'"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file: the file is empty"),
        ("format: [unclosed", "not valid YAML or JSON"),
        ("- just\n- a list\n", "expected a mapping of fields"),
        (MINIMAL.replace("stepping-up-framework/1", "other/2"), "format (line 1): expected 'stepping-up-framework/1'"),
        (MINIMAL.replace("slug: tiny", "slug: Tiny Framework"), "use lower-case letters, digits and hyphens"),
        (MINIMAL.replace("  - {value: 2, label: High}\n", ""), "a rating scale needs at least two points"),
        (MINIMAL.replace("{value: 2,", "{value: 1,"), "the value 1 is on the scale twice"),
        (MINIMAL.replace("title: Criterion one", "titel: Criterion one"), "unknown field 'titel'"),
    ],
)
def test_malformed_files_are_refused(text: str, expected: str) -> None:
    assert any(expected in fault for fault in faults_of(text)), faults_of(text)


# --- what is expected at each level, in words -----------------------------------------------------------------------

WORDED = MINIMAL.replace(
    "levels: {medical_director: 2}",
    "levels:\n"
    "      clinical_lead: 1\n"
    '      medical_director: {expected: 2, description: "For the whole organisation, at the board."}\n',
).replace(
    "groups:\n",
    "level_descriptions:\n  medical_director: The whole organisation.\n  clinical_lead: One service.\ngroups:\n",
)


def worded_levels(entry: str) -> str:
    return MINIMAL.replace("levels: {medical_director: 2}", "levels:\n      " + entry)


def test_a_level_is_a_number_or_an_expected_rating_with_words() -> None:
    spec = parse(WORDED)
    [criterion] = spec.criteria
    assert criterion.levels == (("clinical_lead", 1), ("medical_director", 2))
    assert criterion.level_descriptions == (("medical_director", "For the whole organisation, at the board."),)
    # In ladder order, whatever the order in the file.
    assert spec.level_descriptions == (
        ("clinical_lead", "One service."),
        ("medical_director", "The whole organisation."),
    )


def test_an_expected_rating_without_words_is_the_same_as_a_number() -> None:
    assert parse(worded_levels("medical_director: {expected: 2}")) == parse(MINIMAL)


def test_words_round_trip_and_numbers_alone_stay_numbers() -> None:
    spec = parse(WORDED)
    assert parse(dump(spec)) == spec
    levels = yaml.safe_load(dump(spec))["criteria"][0]["levels"]
    assert levels == {
        "clinical_lead": 1,
        "medical_director": {"expected": 2, "description": "For the whole organisation, at the board."},
    }
    assert yaml.safe_load(dump(parse(MINIMAL)))["criteria"][0]["levels"] == {"medical_director": 2}
    assert "level_descriptions" not in dump(parse(MINIMAL))  # a framework without them is written as before


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "medical_director: {description: Words}",
            "criteria[0].levels.medical_director (line 19): missing field 'expected'",
        ),
        (
            "medical_director: {expected: 2, words: Words}",
            "criteria[0].levels.medical_director.words (line 19): unknown field 'words'",
        ),
        (
            "medical_director: {expected: 7, description: Words}",
            "criteria[0].levels.medical_director.expected (line 19): 7 is not a value on the rating scale",
        ),
        (
            "medical_director: {expected: two, description: Words}",
            "criteria[0].levels.medical_director.expected (line 19): expected a whole number",
        ),
        (
            "medical_director: {expected: 2, description: [one, two]}",
            "criteria[0].levels.medical_director.description (line 19): expected text",
        ),
        (
            "medical_director: {expected: 2, description: ''}",
            "criteria[0].levels.medical_director.description (line 19): must not be empty",
        ),
        (
            "medical_director: [2, Words]",
            "criteria[0].levels.medical_director (line 19): expected a whole number, or a mapping of 'expected' "
            "and 'description'",
        ),
        (
            "registrar: {expected: 2, description: Words}",
            "criteria[0].levels.registrar (line 19): unknown field 'registrar'",
        ),
    ],
)
def test_a_bad_level_is_refused_with_its_path_and_line(entry: str, expected: str) -> None:
    assert faults_of(worded_levels(entry)) == [expected]


@pytest.mark.parametrize(
    ("descriptions", "expected"),
    [
        ("  registrar: Training.\n", "level_descriptions.registrar (line 12): unknown field 'registrar'"),
        ("  deputy_md: [a, b]\n", "level_descriptions.deputy_md (line 12): expected text"),
        ("  deputy_md:\n", "level_descriptions.deputy_md (line 12): expected text"),
    ],
)
def test_a_bad_level_description_is_refused_with_its_path_and_line(descriptions: str, expected: str) -> None:
    text = MINIMAL.replace("groups:\n", "level_descriptions:\n" + descriptions + "groups:\n")
    assert faults_of(text) == [expected]


def test_level_descriptions_must_be_a_mapping() -> None:
    text = MINIMAL.replace("groups:\n", "level_descriptions: [One service]\ngroups:\n")
    assert faults_of(text) == ["level_descriptions (line 11): expected a mapping of fields"]


@pytest.mark.parametrize("path", [PERSON_SPEC, SHIPPED / "mlcf-2010.yaml"], ids=lambda p: p.name)
def test_the_shipped_frameworks_describe_every_level(path: Path) -> None:
    spec = parse(path.read_text())
    assert [code for code, _ in spec.level_descriptions] == list(LEVELS)
    assert "Stepping Up's own words" in spec.licence


def test_the_person_specification_says_what_each_level_should_show_for_every_criterion() -> None:
    spec = parse(PERSON_SPEC.read_text())
    for criterion in spec.criteria:
        assert [code for code, _ in criterion.level_descriptions] == list(LEVELS), criterion.code
        words = [text for _, text in criterion.level_descriptions]
        assert len(set(words)) == 5, criterion.code  # each level in its own words
    first = dict(spec.criteria[0].level_descriptions)
    assert "own service" in first["clinical_lead"] and "whole organisation" in first["medical_director"]
