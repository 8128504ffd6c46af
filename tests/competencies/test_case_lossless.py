"""CASE in and out without loss, and served over the CASE 1.0 REST API.

A package goes in through `load_framework` and comes back out through `export_framework --format case` and the API
exactly as it went in, field by field: the two published OpenSALT packages in ../shared/data/case and a generated one
with every field, every association type, identifiers that are URIs and statements over 1,000 characters."""

import json
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from apps.competencies.models import CasePackage, Criterion, Framework

from .case_packages import LONG, every_field_package

pytestmark = pytest.mark.django_db

CASE_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "case"
PUBLISHED = ["case_opensalt_what_standards_could_be.json", "case_opensalt_ordering_act_math.json"]
API = "/ims/case/v1p0"


def _load(tmp_path: Path, package: dict[str, Any], name: str = "package.json", prefix: str = "") -> str:
    path = tmp_path / name
    path.write_text(prefix + json.dumps(package), encoding="utf-8")
    out = StringIO()
    call_command("load_framework", str(path), stdout=out)
    return out.getvalue()


def _export(slug: str) -> dict[str, Any]:
    out = StringIO()
    call_command("export_framework", slug, "--format", "case", stdout=out)
    return json.loads(out.getvalue())


def _api(client: Client, collection: str, identifier: str) -> Any:
    response = client.get(f"{API}/{collection}/{quote(identifier, safe='')}")
    assert response.status_code == 200, (collection, identifier, response.content[:300])
    assert response["Content-Type"] == "application/json"
    return response.json()


def _slug() -> str:
    return Framework.objects.get().slug


@pytest.mark.parametrize("name", PUBLISHED)
def test_a_published_package_comes_back_out_as_it_went_in(name: str) -> None:
    original = json.loads((CASE_DIR / name).read_text(encoding="utf-8"))
    call_command("load_framework", str(CASE_DIR / name), stdout=StringIO())
    exported = _export(_slug())
    assert exported.keys() == original.keys()
    assert exported["CFDocument"] == original["CFDocument"]
    for key in ("CFItems", "CFAssociations"):
        assert len(exported[key]) == len(original[key])
        for given, back in zip(original[key], exported[key], strict=True):
            assert back == given  # every field, identifiers and URIs included, in the same order
    assert exported == original


def test_a_package_with_every_field_comes_back_out_as_it_went_in(tmp_path: Path) -> None:
    original = every_field_package()
    _load(tmp_path, original)
    assert _export(_slug()) == original
    assert Criterion.objects.filter(title=LONG).exists()  # statements of any length


@pytest.mark.parametrize("name", PUBLISHED)
def test_every_record_of_a_published_package_is_served_by_identifier(name: str, client: Client) -> None:
    original = json.loads((CASE_DIR / name).read_text(encoding="utf-8"))
    call_command("load_framework", str(CASE_DIR / name), stdout=StringIO())
    document = original["CFDocument"]
    assert _api(client, "CFDocuments", document["identifier"]) == document
    assert _api(client, "CFPackages", document["identifier"]) == original
    for item in original["CFItems"]:
        assert _api(client, "CFItems", item["identifier"]) == item
    for association in original["CFAssociations"]:
        assert _api(client, "CFAssociations", association["identifier"]) == association
    for item_type in original["CFDefinitions"].get("CFItemTypes", []):
        assert _api(client, "CFItemTypes", item_type["identifier"]) == {"CFItemTypes": [item_type]}


def test_every_record_of_the_generated_package_is_served_including_uri_identifiers(
    tmp_path: Path, client: Client
) -> None:
    original = every_field_package()
    _load(tmp_path, original)
    for item in original["CFItems"]:
        assert _api(client, "CFItems", item["identifier"]) == item
    for association in original["CFAssociations"]:
        assert _api(client, "CFAssociations", association["identifier"]) == association
    definitions = original["CFDefinitions"]
    assert _api(client, "CFLicenses", definitions["CFLicenses"][0]["identifier"]) == definitions["CFLicenses"][0]
    assert _api(client, "CFConcepts", definitions["CFConcepts"][0]["identifier"]) == {
        "CFConcepts": definitions["CFConcepts"]
    }
    assert _api(client, "CFSubjects", definitions["CFSubjects"][0]["identifier"]) == {
        "CFSubjects": definitions["CFSubjects"]
    }
    grouping = definitions["CFAssociationGroupings"][0]
    assert _api(client, "CFAssociationGroupings", grouping["identifier"]) == grouping
    rubric = original["CFRubrics"][0]
    assert _api(client, "CFRubrics", rubric["identifier"]) == rubric


def test_item_associations_are_those_that_start_or_end_at_the_item(tmp_path: Path, client: Client) -> None:
    original = every_field_package()
    _load(tmp_path, original)
    first = original["CFItems"][0]
    body = _api(client, "CFItemAssociations", first["identifier"])
    assert body["CFItem"] == first
    expected = [
        a
        for a in original["CFAssociations"]
        if first["identifier"] in (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
    ]
    assert body["CFAssociations"] == expected and len(expected) >= 2


def test_the_document_list_pages_and_counts(tmp_path: Path, client: Client) -> None:
    call_command("load_framework", "--shipped", stdout=StringIO())
    _load(tmp_path, every_field_package())
    response = client.get(f"{API}/CFDocuments")
    assert response.status_code == 200
    documents = response.json()["CFDocuments"]
    total = int(response["X-Total-Count"])
    assert len(documents) == total == Framework.objects.count()
    assert every_field_package()["CFDocument"] in documents
    page = client.get(f"{API}/CFDocuments", {"limit": 1, "offset": 1, "sort": "title", "orderBy": "desc"}).json()
    titles = sorted((d["title"] for d in documents), reverse=True)
    assert [d["title"] for d in page["CFDocuments"]] == titles[1:2]
    only = client.get(f"{API}/CFDocuments", {"fields": "identifier,title"}).json()["CFDocuments"]
    assert all(set(d) == {"identifier", "title"} for d in only)


def _uris(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [u for key, v in value.items() for u in ([v] if key == "uri" else _uris(v))]
    if isinstance(value, list):
        return [u for v in value for u in _uris(v)]
    return []


def test_every_uri_of_our_own_framework_resolves_on_the_portal(client: Client) -> None:
    call_command("load_framework", "--shipped", stdout=StringIO())
    package = _export("md-person-spec")
    uris = set(_uris(package))
    assert uris and all(uri.startswith(settings.PORTAL_BASE_URL.rstrip("/") + API + "/") for uri in uris)
    for uri in sorted(uris):
        response = client.get(urlsplit(uri).path)
        assert response.status_code == 200, uri
        body = response.json()
        identifier = uri.rsplit("/", 1)[1]
        found = body.get("CFDocument", body) if "/CFPackages/" in uri else body
        for key in ("CFItemTypes", "CFConcepts", "CFSubjects"):
            if key in found:
                found = found[key][0]
        assert found["identifier"] == identifier, uri
    assert _api(client, "CFPackages", package["CFDocument"]["identifier"]) == package


@pytest.mark.parametrize(
    ("path", "status", "minor"),
    [
        ("CFItems/no-such-item", 404, "unknownobject"),
        ("CFDocuments/no-such-document", 404, "unknownobject"),
        ("CFPackages/00000000-0000-4000-8000-000000000000", 404, "unknownobject"),
        ("CFItemAssociations/nothing", 404, "unknownobject"),
        ("NoSuchEndpoint/x", 404, "unknownobject"),
        ("CFItems/a%00b", 404, "unknownobject"),
        ("CFItemAssociations/%00", 404, "unknownobject"),
        ("CFDocuments?limit=-1", 400, "invalid_selection_field"),
        ("CFDocuments?limit=%C2%B2", 400, "invalid_selection_field"),
        ("CFDocuments?offset=x", 400, "invalid_selection_field"),
        ("CFDocuments?orderBy=sideways", 400, "invalid_selection_field"),
        ("CFDocuments?filter=title%3D'x'", 400, "invalid_selection_field"),
    ],
)
def test_errors_have_the_status_and_body_the_specification_gives(
    client: Client, path: str, status: int, minor: str
) -> None:
    response = client.get(f"{API}/{path}")
    assert response.status_code == status
    body = response.json()
    assert body["imsx_codeMajor"] == "failure" and body["imsx_severity"] == "error"
    assert body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == minor
    assert body["imsx_description"]


def test_the_api_is_read_only(client: Client) -> None:
    call_command("load_framework", "--shipped", stdout=StringIO())
    identifier = str(Framework.objects.get(slug="md-person-spec").identifier)
    strict = Client(enforce_csrf_checks=True)  # as a CASE consumer calls it: no CSRF token
    for method in (strict.post, strict.put, strict.delete, strict.patch):
        response = method(f"{API}/CFDocuments/{identifier}")
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
        assert response.json()["imsx_codeMajor"] == "failure"
    assert Framework.objects.filter(slug="md-person-spec").count() == 1


def test_a_revised_package_loads_as_a_new_version_and_the_api_serves_the_latest(tmp_path: Path, client: Client) -> None:
    first = every_field_package()
    _load(tmp_path, first, "first.json")
    assert "unchanged" in _load(tmp_path, first, "again.json")
    revised = every_field_package(last_change="2025-03-01T12:00:00+00:00", title="Every field, revised")
    _load(tmp_path, revised, "revised.json")
    versions = list(Framework.objects.order_by("loaded_at", "pk"))
    assert len(versions) == 2 and versions[0].slug == versions[1].slug
    assert versions[1].version != versions[0].version
    assert _export(versions[0].slug) == revised  # the latest by default
    document = _api(client, "CFDocuments", first["CFDocument"]["identifier"])
    assert document["title"] == "Every field, revised"


def test_an_older_or_conflicting_package_of_a_loaded_document_is_refused(tmp_path: Path) -> None:
    _load(tmp_path, every_field_package(last_change="2025-03-01T12:00:00+00:00"))
    with pytest.raises(CommandError, match="before the loaded version"):
        _load(tmp_path, every_field_package(last_change="2024-01-01T00:00:00+00:00"), "older.json")
    with pytest.raises(CommandError, match="same lastChangeDateTime but other content"):
        _load(tmp_path, every_field_package(last_change="2025-03-01T12:00:00+00:00", title="Changed"), "same.json")
    assert Framework.objects.count() == CasePackage.objects.count() == 1


def test_a_package_with_a_byte_order_mark_and_its_document_last_is_read_as_case(tmp_path: Path) -> None:
    package = every_field_package()
    reordered = {"CFItems": package["CFItems"] * 1, "CFAssociations": package["CFAssociations"]}
    reordered.update({key: value for key, value in package.items() if key not in reordered})
    text = json.dumps(reordered)
    assert text.index('"CFDocument"') > 4000
    _load(tmp_path, reordered, prefix="\ufeff")
    assert _export(_slug()) == package


def _child(n: int, document: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    return {
        "identifier": f"{n:08d}-8888-4888-8888-888888888888",
        "uri": f"{document['uri']}/a{n}",
        "associationType": "isChildOf",
        "originNodeURI": {key: item[key] for key in ("identifier", "uri")} | {"title": item["humanCodingScheme"]},
        "destinationNodeURI": {key: document[key] for key in ("identifier", "uri", "title")},
        "lastChangeDateTime": document["lastChangeDateTime"],
    }


def test_a_large_package_with_long_statements_loads(tmp_path: Path) -> None:
    package = every_field_package()
    template, document = package["CFItems"][1], package["CFDocument"]
    items = [
        template
        | {
            "identifier": f"{n:08d}-9999-4999-8999-999999999999",
            "uri": f"{document['uri']}/{n}",
            "humanCodingScheme": f"X{n}",
            "fullStatement": LONG[: 400 + n],
        }
        for n in range(703)
    ]
    big = {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": [_child(n, document, item) for n, item in enumerate(items)],
    }
    _load(tmp_path, big)
    assert Criterion.objects.count() == 703
    assert _export(_slug()) == big


def test_a_faulty_package_is_refused_with_the_path_of_every_fault_and_nothing_is_written(tmp_path: Path) -> None:
    package = every_field_package()
    package["CFItems"][2]["identifier"] = package["CFItems"][0]["identifier"]
    del package["CFItems"][3]["fullStatement"]
    package["CFAssociations"][0]["originNodeURI"] = {"identifier": "nowhere", "uri": "https://example.org/nowhere"}
    with pytest.raises(CommandError) as refused:
        _load(tmp_path, package)
    message = str(refused.value)
    assert "CFItems[2].identifier:" in message
    assert "CFItems[3].fullStatement: missing" in message
    assert "CFAssociations[0].originNodeURI: points to no item in the package" in message
    assert not Framework.objects.exists() and not CasePackage.objects.exists()


def test_a_broken_package_is_refused_with_the_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('\ufeff{"CFDocument": {"identifier": "x",\n  "title": "T" "uri": "u"}}', encoding="utf-8")
    with pytest.raises(CommandError, match=r"line 2, column \d+"):
        call_command("load_framework", str(path), stdout=StringIO())
    assert not Framework.objects.exists()


def test_what_no_column_can_hold_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    package = every_field_package()
    package["CFItems"][1]["notes"] = "a\x00b"
    package["CFRubrics"].append(dict(package["CFRubrics"][0]))
    with pytest.raises(CommandError) as refused:
        _load(tmp_path, package)
    assert "CFItems[1].notes: contains the NUL character" in str(refused.value)
    assert "CFRubrics[1].identifier:" in str(refused.value)
    assert not Framework.objects.exists()


def test_the_document_list_is_the_documents_of_the_packages_in_three_queries(
    tmp_path: Path, client: Client, django_assert_num_queries: Any
) -> None:
    call_command("load_framework", "--shipped", stdout=StringIO())
    _load(tmp_path, every_field_package())
    # 1. the index of documents with their frameworks  2. the stored packages' documents  3. the other frameworks
    # with 4. their scales: the same four however many frameworks are loaded
    with django_assert_num_queries(4):
        response = client.get(f"{API}/CFDocuments")
    documents = response.json()["CFDocuments"]
    for framework in Framework.objects.all():
        assert _export_of(framework)["CFDocument"] in documents


def _export_of(framework: Framework) -> dict[str, Any]:
    out = StringIO()
    call_command(
        "export_framework", framework.slug, "--framework-version", framework.version, "--format", "case", stdout=out
    )
    return json.loads(out.getvalue())
