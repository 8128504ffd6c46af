"""Checking a CASE package before it is read: every fault with its JSON path, real packages fault-free, and CASE told
from our own format by content.

Pure tests: no database. The real packages are read in place from ../shared/data/case (never copied here); each bad
package is a real one with one thing broken.
"""

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from apps.competencies import fileformat
from apps.competencies.case import CaseImportError, spec_to_case
from apps.competencies.case.check import LIMIT, looks_like_case, package_faults, read_json

FRAMEWORKS = Path(__file__).resolve().parents[2] / "apps" / "competencies" / "frameworks"
SHARED_CASE = Path(__file__).resolve().parents[3] / "shared" / "data" / "case"
ACT = "case_opensalt_ordering_act_math.json"  # 28 items under isChildOf only; LinkURIs as objects
WSCB = "case_opensalt_what_standards_could_be.json"  # five association types; links as strings; no time zones
OWN = sorted(path.name for path in FRAMEWORKS.glob("*.yaml"))

Package = dict[str, Any]


def real(name: str = ACT) -> Package:
    result: Package = json.loads((SHARED_CASE / name).read_text(encoding="utf-8"))
    return result


def link(record: Package) -> Package:
    return {"title": "Somewhere", "identifier": record["identifier"], "uri": record["uri"]}


def broken(name: str, breaks: Callable[[Package], Any]) -> list[str]:
    package = real(name)
    breaks(package)
    return package_faults(json.loads(json.dumps(package)))


# What passes.


@pytest.mark.parametrize("name", [ACT, WSCB])
def test_real_packages_have_no_faults(name: str) -> None:
    assert package_faults(read_json((SHARED_CASE / name).read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("name", OWN)
def test_our_own_exports_have_no_faults(name: str) -> None:
    spec = fileformat.parse((FRAMEWORKS / name).read_text(encoding="utf-8"))
    package = spec_to_case(spec, identifiers={}, base_uri="https://example.org", now=datetime(2026, 3, 4, tzinfo=UTC))
    assert package_faults(json.loads(json.dumps(package))) == []


@pytest.mark.parametrize(
    "breaks",
    [
        pytest.param(lambda p: [p.pop("CFItems"), p.pop("CFAssociations")], id="no items or associations"),
        pytest.param(lambda p: p.pop("CFDefinitions"), id="no definitions"),
        pytest.param(lambda p: p["CFAssociations"][1].update(sequenceNumber=3), id="integer sequence number"),
        pytest.param(lambda p: p["CFAssociations"][1].update(sequenceNumber=None), id="null sequence number"),
        pytest.param(lambda p: p["CFAssociations"][4].update(associationType="ext:isTaughtWith"), id="extension type"),
        pytest.param(
            lambda p: p["CFAssociations"][1].update(originNodeURI=p["CFItems"][1]["identifier"]),
            id="origin as a string",
        ),
        pytest.param(
            lambda p: p["CFAssociations"][1].update(originNodeURI={"uri": p["CFItems"][1]["uri"]}), id="origin by uri"
        ),
        pytest.param(
            lambda p: p["CFAssociations"][1].update(destinationNodeURI=p["CFDocument"]["uri"]),
            id="parent: the document",
        ),
        pytest.param(lambda p: p["CFDocument"].update(lastChangeDateTime="2017-10-18T15:02:46Z"), id="date with Z"),
        pytest.param(lambda p: p["CFItems"][0].update(lastChangeDateTime="2017-10-18T15:02:46.5+01:00"), id="date"),
        pytest.param(lambda p: p["CFDocument"].update(description="", notes=""), id="empty optional text"),
    ],
)
def test_what_case_allows_is_no_fault(breaks: Callable[[Package], Any]) -> None:
    assert broken(ACT, breaks) == []


# Detection by content, not position.


def test_a_package_with_a_byte_order_mark_and_its_document_after_the_items_is_case() -> None:
    package = real(ACT)
    reordered = {key: package[key] for key in ("CFItems", "CFAssociations", "CFDefinitions", "CFDocument")}
    text = "\ufeff\n  " + json.dumps(reordered, indent=2) + "\n"
    assert text.index('"CFDocument"') > 5_000
    assert looks_like_case(text)
    assert package_faults(read_json(text)) == []


@pytest.mark.parametrize("name", OWN)
def test_our_own_format_is_not_case(name: str) -> None:
    text = (FRAMEWORKS / name).read_text(encoding="utf-8")
    assert not looks_like_case(text)
    assert not looks_like_case(json.dumps(yaml.safe_load(text)))


@pytest.mark.parametrize(
    "text",
    [
        json.dumps({"format": fileformat.FORMAT, "framework": {"description": 'Not a "CFDocument": at all'}}),
        json.dumps({"wrapped": {"CFDocument": {}}}),
        json.dumps([{"CFDocument": {}}]),
        "CFDocument: {}",
        '{"CFDocument": {}',
        "",
    ],
    ids=["our JSON", "nested", "a list", "YAML", "broken JSON", "empty"],
)
def test_other_text_is_not_case(text: str) -> None:
    assert not looks_like_case(text)


@pytest.mark.parametrize("prefix", ["", "\ufeff"])
def test_broken_json_is_reported_by_line_and_column(prefix: str) -> None:
    text = prefix + '{\n  "CFDocument": {\n    "identifier": "x"\n    "uri": "y"\n  }\n}\n'
    with pytest.raises(CaseImportError) as caught:
        read_json(text)
    assert str(caught.value) == "line 4, column 5: Expecting ',' delimiter"


def test_json_constants_that_are_not_json_are_refused() -> None:
    with pytest.raises(CaseImportError, match="NaN is not a JSON value"):
        read_json('{"CFDocument": {"version": NaN}}')


# Each kind of fault, with its path.

ACT_IDS = [item["identifier"] for item in real(ACT)["CFItems"]]
ACT_DOCUMENT = real(ACT)["CFDocument"]["identifier"]
GM, PF, DFP = "H.A.MATH.GM", "H.A.MATH.GM.PF", "H.A.MATH.GM.PF.2DFP"  # CFItems[0..2], each the child of the one before


def test_the_first_items_are_a_chain() -> None:
    package = real(ACT)
    assert [item["humanCodingScheme"] for item in package["CFItems"][:3]] == [GM, PF, DFP]
    chain = [
        (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"]) for a in package["CFAssociations"]
    ]
    assert chain[:3] == [(ACT_IDS[0], ACT_DOCUMENT), (ACT_IDS[1], ACT_IDS[0]), (ACT_IDS[2], ACT_IDS[1])]


def _parent(p: Package, association: int, item: int) -> None:
    p["CFAssociations"][association]["destinationNodeURI"] = link(p["CFItems"][item])


FAULTS: list[tuple[str, str, Callable[[Package], Any], list[str]]] = [
    # the shape
    ("an empty object", ACT, lambda p: p.clear(), ["CFDocument: missing"]),
    (
        "document a list",
        ACT,
        lambda p: p.update(CFDocument=[], CFAssociations=[]),
        ["CFDocument: expected an object, not a list"],
    ),
    (
        "items an object",
        ACT,
        lambda p: p.update(CFItems={}, CFAssociations=[]),
        ["CFItems: expected a list, not an object"],
    ),
    (
        "an item a string",
        ACT,
        lambda p: p["CFItems"].append("x"),
        ["CFItems[28]: expected an object, not a string ('x')"],
    ),
    (
        "definitions a list",
        ACT,
        lambda p: p.update(CFDefinitions=[]),
        ["CFDefinitions: expected an object, not a list"],
    ),
    # required fields, per record type
    ("document creator", ACT, lambda p: p["CFDocument"].pop("creator"), ["CFDocument.creator: missing"]),
    ("document identifier", ACT, lambda p: p["CFDocument"].pop("identifier"), ["CFDocument.identifier: missing"]),
    (
        "document date",
        ACT,
        lambda p: p["CFDocument"].pop("lastChangeDateTime"),
        ["CFDocument.lastChangeDateTime: missing"],
    ),
    ("item statement", ACT, lambda p: p["CFItems"][3].pop("fullStatement"), ["CFItems[3].fullStatement: missing"]),
    ("item uri", ACT, lambda p: p["CFItems"][3].update(uri=None), ["CFItems[3].uri: missing"]),
    (
        "item date",
        WSCB,
        lambda p: p["CFItems"][9].pop("lastChangeDateTime"),
        ["CFItems[9].lastChangeDateTime: missing"],
    ),
    (
        "association type",
        ACT,
        lambda p: p["CFAssociations"][7].pop("associationType"),
        ["CFAssociations[7].associationType: missing"],
    ),
    (
        "association origin",
        ACT,
        lambda p: p["CFAssociations"][7].pop("originNodeURI"),
        ["CFAssociations[7].originNodeURI: missing"],
    ),
    (
        "association destination",
        WSCB,
        lambda p: p["CFAssociations"][0].pop("destinationNodeURI"),
        ["CFAssociations[0].destinationNodeURI: missing"],
    ),
    (
        "association identifier",
        WSCB,
        lambda p: p["CFAssociations"][38].pop("identifier"),
        ["CFAssociations[38].identifier: missing"],
    ),
    # empty and mistyped text
    ("empty title", ACT, lambda p: p["CFDocument"].update(title=""), ["CFDocument.title: empty"]),
    (
        "blank statement",
        ACT,
        lambda p: p["CFItems"][5].update(fullStatement="  \n"),
        ["CFItems[5].fullStatement: empty"],
    ),
    ("numeric uri", ACT, lambda p: p["CFItems"][2].update(uri=5), ["CFItems[2].uri: expected text, not a number (5)"]),
    # links
    (
        "a link without identifier or uri",
        WSCB,
        lambda p: p["CFItems"][0].update(CFItemTypeURI={"title": "Cluster"}),
        ["CFItems[0].CFItemTypeURI: a link with neither an identifier nor a uri"],
    ),
    (
        "a link that is a number",
        ACT,
        lambda p: p["CFAssociations"][2].update(CFDocumentURI=7),
        [
            "CFAssociations[2].CFDocumentURI: expected a link (an object with identifier and uri, or a URI), "
            "not a number (7)"
        ],
    ),
    ("an empty link", WSCB, lambda p: p["CFDocument"].update(CFPackageURI=""), ["CFDocument.CFPackageURI: empty"]),
    # association types
    (
        "unknown association type",
        ACT,
        lambda p: p["CFAssociations"][4].update(associationType="isParentOf"),
        ["CFAssociations[4].associationType: 'isParentOf' is not a CASE 1.0 association type"],
    ),
    (
        "association type in the wrong case",
        ACT,
        lambda p: p["CFAssociations"][4].update(associationType="ischildof"),
        ["CFAssociations[4].associationType: 'ischildof' is not a CASE 1.0 association type"],
    ),
    (
        "malformed extension type",
        ACT,
        lambda p: p["CFAssociations"][4].update(associationType="ext:"),
        ["CFAssociations[4].associationType: 'ext:' is not a CASE 1.0 association type"],
    ),
    # where associations point
    (
        "origin pointing nowhere",
        ACT,
        lambda p: p["CFAssociations"][7].update(
            originNodeURI={"identifier": "abc", "uri": "https://elsewhere.org/abc"}
        ),
        ["CFAssociations[7].originNodeURI: points to no item in the package (identifier 'abc')"],
    ),
    (
        "origin pointing nowhere, as a string",
        WSCB,
        lambda p: p["CFAssociations"][0].update(originNodeURI="https://elsewhere.org/abc"),
        ["CFAssociations[0].originNodeURI: points to no item in the package ('https://elsewhere.org/abc')"],
    ),
    (
        "isChildOf destination outside the package",
        ACT,
        lambda p: p["CFAssociations"][1].update(
            destinationNodeURI={"identifier": "x1", "uri": "https://elsewhere.org/x1"}
        ),
        ["CFAssociations[1].destinationNodeURI: isChildOf points to no item in the package (identifier 'x1')"],
    ),
    (
        "other destination outside the package with no uri",
        WSCB,
        lambda p: p["CFAssociations"][0].update(destinationNodeURI={"identifier": "x2", "title": "Elsewhere"}),
        ["CFAssociations[0].destinationNodeURI: points outside the package and gives no uri (identifier 'x2')"],
    ),
    # cycles
    (
        "cycle of two",
        ACT,
        lambda p: _parent(p, 0, 1),
        [f"CFAssociations: isChildOf forms a cycle: {GM} → {PF} → {GM}"],
    ),
    (
        "cycle of three",
        ACT,
        lambda p: _parent(p, 0, 2),
        [f"CFAssociations: isChildOf forms a cycle: {GM} → {DFP} → {PF} → {GM}"],
    ),
    ("cycle of one", ACT, lambda p: _parent(p, 1, 1), [f"CFAssociations: isChildOf forms a cycle: {PF} → {PF}"]),
    # duplicate identifiers
    (
        "duplicate across items",
        ACT,
        lambda p: p["CFItems"][5].update(identifier=ACT_IDS[2]),
        [f"CFItems[5].identifier: '{ACT_IDS[2]}' is also CFItems[2].identifier"],
    ),
    (
        "duplicate across an item and an association",
        ACT,
        lambda p: p["CFAssociations"][3].update(identifier=ACT_IDS[2]),
        [f"CFAssociations[3].identifier: '{ACT_IDS[2]}' is also CFItems[2].identifier"],
    ),
    (
        "duplicate of the document",
        ACT,
        lambda p: p["CFItems"][4].update(identifier=ACT_DOCUMENT),
        [f"CFItems[4].identifier: '{ACT_DOCUMENT}' is also CFDocument.identifier"],
    ),
    (
        "duplicate within a definitions list",
        WSCB,
        lambda p: p["CFDefinitions"]["CFItemTypes"][2].update(identifier="5b5f9983-eabb-4661-aca4-9e0c81046772"),
        [
            "CFDefinitions.CFItemTypes[2].identifier: '5b5f9983-eabb-4661-aca4-9e0c81046772' is also "
            "CFDefinitions.CFItemTypes[0].identifier"
        ],
    ),
    # sequence numbers
    (
        "a word as sequence number",
        WSCB,
        lambda p: p["CFAssociations"][15].update(sequenceNumber="first"),
        ["CFAssociations[15].sequenceNumber: expected a whole number, not a string ('first')"],
    ),
    (
        "a fraction as sequence number",
        ACT,
        lambda p: p["CFAssociations"][6].update(sequenceNumber=1.5),
        ["CFAssociations[6].sequenceNumber: expected a whole number, not a number (1.5)"],
    ),
    (
        "a boolean as sequence number",
        ACT,
        lambda p: p["CFAssociations"][6].update(sequenceNumber=True),
        ["CFAssociations[6].sequenceNumber: expected a whole number, not a boolean (true)"],
    ),
    # dates
    (
        "a date in another format",
        ACT,
        lambda p: p["CFItems"][3].update(lastChangeDateTime="18/10/2017"),
        ["CFItems[3].lastChangeDateTime: '18/10/2017' is not a date and time like 2017-10-18T15:02:46+00:00"],
    ),
    (
        "a date with no time",
        ACT,
        lambda p: p["CFDocument"].update(lastChangeDateTime="2017-10-18"),
        ["CFDocument.lastChangeDateTime: '2017-10-18' is not a date and time like 2017-10-18T15:02:46+00:00"],
    ),
    (
        "a day that does not exist",
        WSCB,
        lambda p: p["CFAssociations"][2].update(lastChangeDateTime="2017-02-30T10:00:00"),
        [
            "CFAssociations[2].lastChangeDateTime: '2017-02-30T10:00:00' is not a date and time like "
            "2017-10-18T15:02:46+00:00"
        ],
    ),
]


@pytest.mark.parametrize(("name", "breaks", "expected"), [f[1:] for f in FAULTS], ids=[f[0] for f in FAULTS])
def test_each_fault_is_named_with_its_path(name: str, breaks: Callable[[Package], Any], expected: list[str]) -> None:
    assert broken(name, breaks) == expected


@pytest.mark.parametrize(
    ("package", "expected"),
    [
        ([], "the package: expected a JSON object, not a list"),
        ("CASE", "the package: expected a JSON object, not a string ('CASE')"),
    ],
)
def test_a_package_that_is_not_an_object(package: object, expected: str) -> None:
    assert package_faults(package) == [expected]


# Every fault, in document order.


def test_a_missing_document_also_leaves_the_top_items_without_a_parent() -> None:
    assert broken(ACT, lambda p: p.pop("CFDocument")) == [
        "CFDocument: missing",
        "CFAssociations[0].destinationNodeURI: isChildOf points to no item in the package "
        f"(identifier '{ACT_DOCUMENT}')",
    ]


def test_every_fault_is_listed_in_document_order() -> None:
    def breaks(p: Package) -> None:
        p["CFDocument"].pop("creator")
        for item in p["CFItems"]:
            item["fullStatement"] = ""
        p["CFAssociations"][5]["associationType"] = "isParentOf"
        _parent(p, 0, 1)

    faults = broken(ACT, breaks)
    assert faults == [
        "CFDocument.creator: missing",
        *(f"CFItems[{i}].fullStatement: empty" for i in range(28)),
        "CFAssociations[5].associationType: 'isParentOf' is not a CASE 1.0 association type",
        f"CFAssociations: isChildOf forms a cycle: {GM} → {PF} → {GM}",
    ]
    assert len(faults) == 31


def test_a_long_list_of_faults_is_cut_short_with_a_count() -> None:
    def breaks(p: Package) -> None:
        for item in p["CFItems"]:
            item.pop("fullStatement")
            item["lastChangeDateTime"] = "soon"

    faults = broken(ACT, breaks)
    assert len(faults) == LIMIT + 1
    assert faults[:3] == [
        "CFItems[0].fullStatement: missing",
        "CFItems[0].lastChangeDateTime: 'soon' is not a date and time like 2017-10-18T15:02:46+00:00",
        "CFItems[1].fullStatement: missing",
    ]
    assert faults[-1] == f"… and {2 * 28 - LIMIT} more"
