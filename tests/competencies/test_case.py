"""CASE export and lenient import: our frameworks go through CASE and come back equal; real packages import.

Pure tests: no database. The real packages are read in place from ../shared/data/case (never copied here).
"""

import json
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from apps.competencies import fileformat
from apps.competencies.case import CaseImportError, case_to_spec, spec_to_case
from apps.competencies.fileformat import CriterionSpec, FrameworkSpec, GroupSpec, ScalePointSpec

FRAMEWORKS = Path(__file__).resolve().parents[2] / "apps" / "competencies" / "frameworks"
SHARED_CASE = Path(__file__).resolve().parents[3] / "shared" / "data" / "case"
NOW = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
BASE = "https://stepping-up.example.nhs.uk"
SCALE = (ScalePointSpec(1, "Not yet"), ScalePointSpec(2, "Developing"), ScalePointSpec(3, "Established"))


def framework(name: str) -> FrameworkSpec:
    return fileformat.parse((FRAMEWORKS / name).read_text(encoding="utf-8"))


def through_json(package: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(package))
    return result


def shared(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((SHARED_CASE / name).read_text(encoding="utf-8"))
    return result


def survives_the_file_format(spec: FrameworkSpec) -> bool:
    return fileformat.parse(fileformat.dump(spec)) == spec


NESTED = FrameworkSpec(
    slug="nested-example",
    version="2.1",
    name="Nested example",
    source="Stepping Up (2026). An example written for the tests.",
    licence="MIT",
    scale=(ScalePointSpec(0, "None", "Nothing yet."), ScalePointSpec(5, "Plenty")),
    groups=(
        GroupSpec("A", "Group A", "About A"),
        GroupSpec("B", "Group B"),
        GroupSpec("A.1", "Subgroup of A", parent="A"),
        GroupSpec("B.1", "Subgroup of B", parent="B"),
        GroupSpec("EMPTY", "A group with nothing in it yet"),
    ),
    criteria=(
        CriterionSpec("b1-x", "B.1", "Listed first, nested deepest", prompts=("One?", "Two?", "Three?")),
        CriterionSpec("a-x", "A", "Directly in A", "Multi-line\ndescription", areas=("corporate",)),
        CriterionSpec("a1-x", "A.1", "In A.1", levels=(("clinical_lead", 0), ("medical_director", 5))),
        CriterionSpec("a-y", "A", "Back in A", areas=("medical_leadership", "corporate")),
    ),
)


# --- export and round trip ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["md-person-spec-2017.yaml", "mlcf-2010.yaml"])
def test_our_frameworks_go_through_case_and_come_back_equal(name: str) -> None:
    spec = framework(name)
    package = through_json(spec_to_case(spec, identifiers={}, base_uri=BASE, now=NOW))
    back, notes = case_to_spec(package, default_scale=SCALE)
    assert back == spec
    assert notes == []


def test_nested_groups_interleaved_criteria_and_empty_groups_round_trip_exactly() -> None:
    assert survives_the_file_format(NESTED)
    package = through_json(spec_to_case(NESTED, identifiers={}, base_uri=BASE, now=NOW))
    back, _ = case_to_spec(package, default_scale=SCALE)
    assert back == NESTED


def test_md_person_spec_exports_the_right_items_and_associations() -> None:
    spec = framework("md-person-spec-2017.yaml")
    package = spec_to_case(spec, identifiers={}, base_uri=BASE, now=NOW)
    assert Counter(item["CFItemType"] for item in package["CFItems"]) == {
        "Group": 4,
        "Criterion": 22,
        "Prompt question": 13,
    }
    associations = package["CFAssociations"]
    assert len(associations) == 4 + 22 + 13
    assert {a["associationType"] for a in associations} == {"isChildOf"}
    assert all(isinstance(a["sequenceNumber"], int) for a in associations)
    document = package["CFDocument"]
    top = [a for a in associations if a["destinationNodeURI"]["identifier"] == document["identifier"]]
    assert [a["originNodeURI"]["title"] for a in top] == ["EXP", "KNO", "SKI", "DES"]
    assert [a["sequenceNumber"] for a in top] == [1, 2, 3, 4]


def test_md_person_spec_uses_standard_case_fields_where_there_are_some() -> None:
    spec = framework("md-person-spec-2017.yaml")
    package = spec_to_case(spec, identifiers={}, base_uri=BASE, now=NOW)
    document = package["CFDocument"]
    assert document["title"] == spec.name
    assert document["version"] == "2017"
    assert document["creator"] == "Faculty of Medical Leadership and Management with NHS Improvement"
    assert document["notes"] == spec.source
    assert document["lastChangeDateTime"] == "2026-03-04T05:06:07Z"
    assert document["extensions"]["steppingUp"]["format"] == "stepping-up-framework/1"
    assert document["extensions"]["steppingUp"]["scale"][0] == {
        "value": 1,
        "label": "Not yet",
        "descriptor": "I have little or no experience of this yet.",
    }
    [licence] = package["CFDefinitions"]["CFLicenses"]
    assert licence["licenseText"] == spec.licence
    assert document["licenseURI"]["identifier"] == licence["identifier"]
    criterion = next(item for item in package["CFItems"] if item.get("humanCodingScheme") == "EXP-1")
    assert criterion["fullStatement"] == spec.criteria[0].title
    assert criterion["conceptKeywords"] == ["quality_value", "medical_leadership"]
    assert criterion["educationLevel"] == [
        "clinical_lead",
        "clinical_director",
        "associate_md",
        "deputy_md",
        "medical_director",
    ]
    assert criterion["extensions"]["steppingUp"]["levels"]["medical_director"] == 4
    type_ids = {t["identifier"] for t in package["CFDefinitions"]["CFItemTypes"]}
    assert {item["CFItemTypeURI"]["identifier"] for item in package["CFItems"]} == type_ids


def test_prompt_questions_hang_under_their_criterion_in_order() -> None:
    spec = framework("md-person-spec-2017.yaml")
    package = spec_to_case(spec, identifiers={}, base_uri=BASE, now=NOW)
    exp2 = next(item for item in package["CFItems"] if item.get("humanCodingScheme") == "EXP-2")
    under = [a for a in package["CFAssociations"] if a["destinationNodeURI"]["identifier"] == exp2["identifier"]]
    statements = {item["identifier"]: item["fullStatement"] for item in package["CFItems"]}
    assert [(a["sequenceNumber"], statements[a["originNodeURI"]["identifier"]]) for a in under] == [
        (1, spec.criteria[1].prompts[0]),
        (2, spec.criteria[1].prompts[1]),
    ]


def test_what_each_level_expects_in_words_travels_in_our_extension() -> None:
    spec = framework("md-person-spec-2017.yaml")
    package = spec_to_case(spec, identifiers={}, base_uri=BASE, now=NOW)
    assert package["CFDocument"]["extensions"]["steppingUp"]["levelDescriptions"] == dict(spec.level_descriptions)
    exp1 = next(item for item in package["CFItems"] if item.get("humanCodingScheme") == "EXP-1")
    assert exp1["extensions"]["steppingUp"]["levelDescriptions"] == dict(spec.criteria[0].level_descriptions)
    # Without words, the extensions are as they always were.
    nested = spec_to_case(NESTED, identifiers={}, base_uri=BASE, now=NOW)
    a1x = next(item for item in nested["CFItems"] if item.get("humanCodingScheme") == "a1-x")
    assert a1x["extensions"] == {"steppingUp": {"levels": {"clinical_lead": 0, "medical_director": 5}}}
    assert "levelDescriptions" not in nested["CFDocument"]["extensions"]["steppingUp"]


def test_words_that_do_not_fit_are_left_out_with_a_note() -> None:
    spec = framework("md-person-spec-2017.yaml")
    package = through_json(spec_to_case(spec, identifiers={}, base_uri=BASE, now=NOW))
    package["CFDocument"]["extensions"]["steppingUp"]["levelDescriptions"]["registrar"] = "Training."
    package["CFDocument"]["extensions"]["steppingUp"]["levelDescriptions"]["deputy_md"] = 3
    exp1 = next(item for item in package["CFItems"] if item.get("humanCodingScheme") == "EXP-1")
    exp1["extensions"]["steppingUp"]["levels"].pop("associate_md")  # words for a level with no expected rating
    exp2 = next(item for item in package["CFItems"] if item.get("humanCodingScheme") == "EXP-2")
    exp2["extensions"]["steppingUp"]["levelDescriptions"] = ["not", "a", "mapping"]
    back, notes = case_to_spec(package, default_scale=SCALE)
    assert [code for code, _ in back.level_descriptions] == [
        "clinical_lead",
        "clinical_director",
        "associate_md",
        "medical_director",
    ]
    assert "associate_md" not in dict(back.criteria[0].level_descriptions)
    assert back.criteria[1].level_descriptions == ()
    assert back.criteria[2] == spec.criteria[2]
    assert notes == [
        "EXP-1: the words for associate_md are not text for a level with an expected rating, and were ignored",
        "EXP-2: extensions.steppingUp.levelDescriptions is not a mapping of levels, and was ignored",
        "CFDocument: the description of deputy_md is not text for a leadership level, and was ignored",
        "CFDocument: the description of registrar is not text for a leadership level, and was ignored",
    ]


# --- identifiers ---------------------------------------------------------------------------------------------------


def test_the_same_identifiers_give_the_same_package() -> None:
    spec = framework("md-person-spec-2017.yaml")
    identifiers = {
        "document": "0b7f2a8e-1c3d-4e5f-8a9b-0c1d2e3f4a5b",
        "group:EXP": "11111111-2222-4333-8444-555555555555",
        "criterion:EXP-1": "66666666-7777-4888-8999-aaaaaaaaaaaa",
        "prompt:EXP-1:1": "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff",
    }
    first = spec_to_case(spec, identifiers=identifiers, base_uri=BASE, now=NOW)
    second = spec_to_case(spec, identifiers=dict(identifiers), base_uri=BASE, now=NOW)
    assert json.dumps(first) == json.dumps(second)
    assert first["CFDocument"]["identifier"] == identifiers["document"]
    assert first["CFDocument"]["uri"] == f"{BASE}/ims/case/v1p0/CFDocuments/{identifiers['document']}"
    by_code = {item.get("humanCodingScheme"): item for item in first["CFItems"]}
    assert by_code["EXP"]["identifier"] == identifiers["group:EXP"]
    assert by_code["EXP-1"]["uri"] == f"{BASE}/ims/case/v1p0/CFItems/{identifiers['criterion:EXP-1']}"
    prompt = next(item for item in first["CFItems"] if item["identifier"] == identifiers["prompt:EXP-1:1"])
    assert prompt["fullStatement"] == spec.criteria[0].prompts[0]


def test_missing_identifiers_are_derived_deterministically_from_the_document() -> None:
    spec = framework("md-person-spec-2017.yaml")
    one = {"document": "0b7f2a8e-1c3d-4e5f-8a9b-0c1d2e3f4a5b"}
    other = {"document": "9d6c5b4a-3f2e-4d1c-8b0a-f9e8d7c6b5a4"}
    first = spec_to_case(spec, identifiers=one, base_uri=BASE, now=NOW)
    again = spec_to_case(spec, identifiers=one, base_uri=BASE + "/", now=NOW)
    elsewhere = spec_to_case(spec, identifiers=other, base_uri=BASE, now=NOW)
    assert first == again
    ids = [item["identifier"] for item in first["CFItems"]] + [a["identifier"] for a in first["CFAssociations"]]
    assert len(set(ids)) == len(ids)
    assert not set(ids) & {item["identifier"] for item in elsewhere["CFItems"]}
    assert spec_to_case(spec, identifiers={}, base_uri=BASE, now=NOW) == spec_to_case(
        spec, identifiers={}, base_uri=BASE, now=NOW
    )


def test_a_timestamp_in_another_zone_is_written_in_utc() -> None:
    spec = framework("md-person-spec-2017.yaml")
    local = datetime(2026, 3, 4, 6, 6, 7, tzinfo=timezone(timedelta(hours=1)))
    package = spec_to_case(spec, identifiers={}, base_uri=BASE, now=local)
    assert package["CFItems"][0]["lastChangeDateTime"] == "2026-03-04T05:06:07Z"


# --- the real packages -----------------------------------------------------------------------------------------------


def test_the_2017_pre_1_0_package_imports() -> None:
    spec, notes = case_to_spec(shared("case_opensalt_what_standards_could_be.json"), default_scale=SCALE)
    assert len(spec.groups) + len(spec.criteria) == 16
    assert (len(spec.groups), len(spec.criteria)) == (4, 12)
    assert spec.name == "What Standards Could Be"
    assert spec.slug == "what-standards-could-be"
    assert spec.source == "Brandon Dorman"
    assert spec.licence == "See the source."
    assert spec.scale == SCALE
    groups = {g.code: g for g in spec.groups}
    assert groups["CCSS.Math.Content.6.RP.A.3"].parent == "CCSS.Math.Content.6.RP.A"
    assert [c.code for c in spec.criteria if c.group == "CCSS.Math.Content.6.RP.A.3"] == [
        "CCSS.Math.Content.6.RP.A.3a",
        "CCSS.Math.Content.6.RP.A.3b",
        "CCSS.Math.Content.6.RP.A.3c",
        "CCSS.Math.Content.6.RP.A.3d",
    ]
    assert all(c.levels == () and c.areas == () for c in spec.criteria)
    assert (
        "23 associations of types other than isChildOf were ignored: "
        "exactMatchOf (16), precedes (3), exemplar (2), isRelatedTo (2)"
    ) in notes
    assert any("educationLevel '06' is not a leadership level" in note for note in notes)
    assert survives_the_file_format(spec)


def test_the_near_1_0_package_imports_in_natural_order() -> None:
    spec, notes = case_to_spec(shared("case_opensalt_ordering_act_math.json"), default_scale=SCALE)
    assert len(spec.groups) + len(spec.criteria) == 28
    assert [g.code for g in spec.groups] == [
        "H.A.MATH.GM",
        "H.A.MATH.GM.PF",
        "H.A.MATH.GM.PF.2DFP",
        "H.A.MATH.GM.PF.2DFP.L1",
    ]
    assert [g.parent for g in spec.groups] == [None, "H.A.MATH.GM", "H.A.MATH.GM.PF", "H.A.MATH.GM.PF.2DFP"]
    assert [c.code for c in spec.criteria] == [f"H.A.MATH.GM.PF.2DFP.L1.{n}" for n in range(1, 25)]
    assert spec.source == "ACT, Inc."
    assert spec.version == "1"
    assert not any("other than isChildOf" in note for note in notes)
    assert survives_the_file_format(spec)


# --- leniency on a hand-made package ---------------------------------------------------------------------------------


def plain_package() -> dict[str, Any]:
    """Old-style references (plain strings), no sequence numbers on some, a criterion with no group."""
    doc = "http://example.org/uri/doc"

    def item(identifier: str, statement: str, **extra: Any) -> dict[str, Any]:
        return {
            "identifier": identifier,
            "uri": f"http://example.org/uri/{identifier}",
            **statement_of(statement),
            **extra,
        }

    def statement_of(text: str) -> dict[str, str]:
        return {"fullStatement": text} if text else {"abbreviatedStatement": "Short title only"}

    def child(origin: str, destination: str, sequence: int | None = None) -> dict[str, Any]:
        return {
            "identifier": f"a-{origin}",
            "associationType": "isChildOf",
            "originNodeURI": origin,
            "destinationNodeURI": destination,
            **({"sequenceNumber": sequence} if sequence is not None else {}),
        }

    return {
        "CFDocument": {
            "identifier": "doc",
            "uri": doc,
            "title": "A Plain CASE Framework, With Punctuation!",
            "creator": "Someone",
            "publisher": "A Publisher",
            "licenseURI": {"title": "CC BY 4.0", "identifier": "lic", "uri": "http://example.org/uri/lic"},
        },
        "CFItems": [
            item("g", "A group", humanCodingScheme="DUP"),
            item("c1", "", humanCodingScheme="DUP", conceptKeywords=["corporate", "algebra"]),
            item("c2", "Second", educationLevel=["K-12", "deputy_md"]),
            item("p2", "Second prompt", CFItemType="Prompt question"),
            item("p1", "First prompt", CFItemType="Prompt question"),
            item("loose", "Directly under the document", humanCodingScheme="has spaces"),
        ],
        "CFAssociations": [
            child("g", doc),
            child("http://example.org/uri/c2", "g", 2),
            child("c1", "http://example.org/uri/g", 1),
            child("p2", "c2", 2),
            child("p1", "c2", 1),
            child("loose", "doc"),
            {"associationType": "precedes", "originNodeURI": "c1", "destinationNodeURI": "c2"},
        ],
        "CFDefinitions": {
            "CFLicenses": [{"identifier": "lic", "uri": "http://example.org/uri/lic", "licenseText": "CC BY 4.0."}]
        },
    }


def test_a_plain_package_is_read_leniently() -> None:
    spec, notes = case_to_spec(plain_package(), default_scale=SCALE)
    assert spec.slug == "a-plain-case-framework-with-punctuation"
    assert spec.source == "Someone. A Publisher"
    assert spec.licence == "CC BY 4.0."
    assert [(g.code, g.title, g.parent) for g in spec.groups] == [
        ("G1", "A group", None),
        ("UNGROUPED", "Ungrouped", None),
    ]
    assert [(c.code, c.group, c.title) for c in spec.criteria] == [
        ("C1.1", "G1", "Short title only"),
        ("C1.2", "G1", "Second"),
        ("C2.1", "UNGROUPED", "Directly under the document"),
    ]
    assert spec.criteria[0].areas == ("corporate",)
    assert spec.criteria[1].prompts == ("First prompt", "Second prompt")
    assert spec.criteria[1].levels == ()
    assert "1 association of types other than isChildOf was ignored: precedes (1)" in notes
    assert any("educationLevel 'K-12' is not a leadership level and was ignored" in note for note in notes)
    assert any("conceptKeyword 'algebra'" in note for note in notes)
    assert any("'DUP' is used by 2 items" in note for note in notes)
    assert any("'has spaces' cannot be a code" in note for note in notes)
    assert any("'Ungrouped'" in note for note in notes)
    assert survives_the_file_format(spec)


def test_positional_codes_never_clash_with_real_ones() -> None:
    package = plain_package()
    package["CFItems"][2]["humanCodingScheme"] = "C1.1"
    spec, _ = case_to_spec(package, default_scale=SCALE)
    codes = [g.code for g in spec.groups] + [c.code for c in spec.criteria]
    assert len(set(codes)) == len(codes)
    assert "C1.1" in codes and "C1.1-2" in codes
    assert survives_the_file_format(spec)


# --- malformed packages ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("package", "message"),
    [
        ([], r"^the package: expected a JSON object"),
        ({"CFItems": []}, r"^CFDocument: missing"),
        ({"CFDocument": "x", "CFItems": []}, r"^CFDocument: expected an object"),
        ({"CFDocument": {"identifier": "d"}, "CFItems": {}}, r"^CFItems: expected a list"),
        ({"CFDocument": {"identifier": "d"}}, r"^CFItems: missing"),
        (
            {"CFDocument": {"identifier": "d"}, "CFItems": [{"identifier": "a"}, {"uri": "x"}]},
            r"^CFItems\[1\]: no identifier",
        ),
        ({"CFDocument": {"identifier": "d"}, "CFItems": ["a"]}, r"^CFItems\[0\]: expected an object"),
        (
            {"CFDocument": {"identifier": "d"}, "CFItems": [{"identifier": "a"}, {"identifier": "a"}]},
            r"^CFItems\[1\]: the identifier 'a' is also CFItems\[0\]",
        ),
        ({"CFDocument": {"identifier": "d"}, "CFItems": [], "CFAssociations": {}}, r"^CFAssociations: expected a list"),
    ],
)
def test_malformed_packages_are_refused_with_the_path(package: Any, message: str) -> None:
    with pytest.raises(CaseImportError, match=message):
        case_to_spec(package, default_scale=SCALE)


def test_an_is_child_of_cycle_is_refused_with_the_path() -> None:
    def child(origin: str, destination: str) -> dict[str, Any]:
        return {"associationType": "isChildOf", "originNodeURI": origin, "destinationNodeURI": destination}

    package = {
        "CFDocument": {"identifier": "d", "title": "Cycle"},
        "CFItems": [
            {"identifier": "a", "fullStatement": "A", "humanCodingScheme": "A"},
            {"identifier": "b", "fullStatement": "B", "humanCodingScheme": "B"},
            {"identifier": "c", "fullStatement": "C", "humanCodingScheme": "C"},
        ],
        "CFAssociations": [child("c", "d"), child("a", "b"), child("b", "a")],
    }
    with pytest.raises(CaseImportError, match=r"^CFAssociations\[\d\]: isChildOf forms a cycle: (A → B → A|B → A → B)"):
        case_to_spec(package, default_scale=SCALE)
