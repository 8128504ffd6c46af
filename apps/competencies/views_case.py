"""The 1EdTech CASE 1.0 REST API, read-only: every loaded framework for any CASE consumer, at the paths and with the
status codes and error body (`imsx_StatusInfo`) the specification gives. Public, as the frameworks' sources are:
nothing here is about a person.

Records are looked up by identifier through `CaseRecord` (one indexed query), then read from the framework's package:
the one it was loaded from, as it came, or for our own frameworks one built from their rows.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .models import CaseRecordKind
from .selectors import case_documents, case_item_associations, case_package_for, case_record

# getAllCFDocuments: at most this many a page unless the consumer asks for fewer (`limit`).
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
# The record types CASE 1.0 returns wrapped in a set (CFItemTypeSet, CFConceptSet, CFSubjectSet).
SETS = {CaseRecordKind.ITEM_TYPE, CaseRecordKind.CONCEPT, CaseRecordKind.SUBJECT}


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> JsonResponse:
    return JsonResponse(data, status=status, headers=headers, json_dumps_params={"ensure_ascii": False})


def status_info(status: int, minor: str, description: str, field: str = "sourcedId") -> JsonResponse:
    """The CASE error body: imsx_StatusInfo with codeMajor/severity failure/error and the minor code."""
    return _json(
        {
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": description,
            "imsx_codeMinor": {
                "imsx_codeMinorField": [{"imsx_codeMinorFieldName": field, "imsx_codeMinorFieldValue": minor}]
            },
        },
        status=status,
    )


def require_GET(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
    """Read-only: any other method gets 405 with the Allow header and CASE's error body, not Django's empty one
    (nor a CSRF page: nothing here changes anything, so there is nothing to forge)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        if request.method not in ("GET", "HEAD"):
            response = status_info(405, "forbidden", "The CASE API here is read-only: use GET.", field="method")
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def _unknown(kind: str, identifier: str) -> JsonResponse:
    return status_info(404, "unknownobject", f"Unknown Object: no {kind[2:-1]} has the identifier '{identifier}'.")


def _bounded(request: HttpRequest, name: str, default: int, top: int) -> int | None:
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) > top:
        return None
    return int(raw)


@require_GET
def documents(request: HttpRequest) -> JsonResponse:
    """getAllCFDocuments, with `limit`, `offset`, `sort` and `orderBy`; the total in X-Total-Count."""
    limit = _bounded(request, "limit", DEFAULT_LIMIT, MAX_LIMIT)
    offset = _bounded(request, "offset", 0, 10**9)
    order = request.GET.get("orderBy", "asc")
    unsupported = sorted(set(request.GET) - {"limit", "offset", "sort", "orderBy", "fields"})
    if limit is None or offset is None or order not in ("asc", "desc") or unsupported:
        problem = f"'{unsupported[0]}' is not supported" if unsupported else "limit, offset or orderBy is not valid"
        return status_info(400, "invalid_selection_field", f"Invalid selection: {problem}.", field="selection")
    found = case_documents()
    if sort := request.GET.get("sort"):
        found.sort(key=lambda document: str(document.get(sort, "")), reverse=order == "desc")
    elif order == "desc":
        found.reverse()
    if fields := request.GET.get("fields"):
        wanted = set(fields.split(","))
        found = [{key: value for key, value in document.items() if key in wanted} for document in found]
    return _json({"CFDocuments": found[offset : offset + limit]}, headers={"X-Total-Count": str(len(found))})


def _one(kind: str) -> Callable[[HttpRequest, str], JsonResponse]:
    """getCFItem, getCFAssociation, getCFLicense…: one record by identifier (sets for the three set types)."""

    @require_GET
    def view(request: HttpRequest, identifier: str) -> JsonResponse:
        found = case_record(kind=kind, identifier=identifier)
        if found is None:
            return _unknown(kind, identifier)
        return _json({kind: [found[1]]} if kind in SETS else found[1])

    view.__name__ = f"case_{kind}"
    return view


def unknown_endpoint(request: HttpRequest) -> JsonResponse:
    return status_info(404, "unknownobject", "Unknown Object: CASE 1.0 has no such endpoint.", field="endpoint")


@require_GET
def package(request: HttpRequest, identifier: str) -> JsonResponse:
    """getCFPackage: the whole package of a document."""
    found = case_record(kind=CaseRecordKind.DOCUMENT, identifier=identifier)
    if found is None:
        return status_info(404, "unknownobject", f"Unknown Object: no package has the identifier '{identifier}'.")
    return _json(case_package_for(framework=found[0]))


@require_GET
def item_associations(request: HttpRequest, identifier: str) -> JsonResponse:
    """getCFItemAssociations: an item and every association that starts or ends at it."""
    found = case_item_associations(identifier=identifier)
    if found is None:
        return _unknown(CaseRecordKind.ITEM, identifier)
    item, associations = found
    return _json({"CFItem": item, "CFAssociations": associations})


document = _one(CaseRecordKind.DOCUMENT)
item = _one(CaseRecordKind.ITEM)
association = _one(CaseRecordKind.ASSOCIATION)
item_type = _one(CaseRecordKind.ITEM_TYPE)
concept = _one(CaseRecordKind.CONCEPT)
subject = _one(CaseRecordKind.SUBJECT)
licence = _one(CaseRecordKind.LICENSE)
association_grouping = _one(CaseRecordKind.ASSOCIATION_GROUPING)
rubric = _one(CaseRecordKind.RUBRIC)
