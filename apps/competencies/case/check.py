"""Every fault in a CASE package, each with its JSON path, before anything is read from it; and CASE told from our
own format by content.

Why: import (`read`) is lenient and keeps what it can use, but a package that breaks CASE 1.0 (a required field
missing, an association pointing nowhere, isChildOf going round in a circle, one identifier used twice) cannot come
back out as it went in. The loader refuses such a package and names every fault at once, so that whoever publishes it
can fix them all in one go rather than one per attempt; nothing is written.

What CASE 1.0 requires of a record inside a CFPackage (CFPckgDocument, CFPckgItem, CFPckgAssociation in the CASE 1.0
REST/JSON binding and its OpenAPI/JSON schema): the document's identifier, uri, creator, title and
lastChangeDateTime; an item's identifier, uri, fullStatement and lastChangeDateTime; an association's identifier,
uri, associationType, originNodeURI, destinationNodeURI and lastChangeDateTime. CFDocumentURI is not a field of a
record inside a package, so it is not required (real exports carry it anyway). The association types are CASE 1.0's
nine, or an extension type written "ext:name" (the pattern the CASE JSON schemas give extensions); CASE 1.1's
isTranslationOf is not one of them.

Where real packages (the OpenSALT exports in ../shared/data/case) differ from the letter of CASE 1.0, the real
packages win, because refusing them would refuse the frameworks people actually publish:
- a link (originNodeURI, CFDocumentURI, CFItemTypeURI, licenseURI…) may be a LinkURI object or a plain URI string;
- sequenceNumber may be a string of digits ("1");
- lastChangeDateTime may leave out the time zone ("2017-05-25T18:05:33");
- optional fields may be empty (`"description": ""`); only required text must be non-empty.

`read_json` is the one way a loader turns text into JSON (the byte-order mark stripped, a broken file reported by
line and column); `looks_like_case` says whether the text is a CASE package at all, whatever the size of what
comes before "CFDocument".
"""

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeGuard

from .common import CaseImportError, shorten
from .values import integer

LIMIT = 50  # faults listed; the rest are counted
BOM = "\ufeff"
DOCUMENT = -1  # the CFDocument's place among the nodes (items are numbered from 0)

ASSOCIATION_TYPES = frozenset(
    {
        "isChildOf",
        "isPeerOf",
        "isPartOf",
        "exactMatchOf",
        "precedes",
        "isRelatedTo",
        "replacedBy",
        "exemplar",
        "hasSkillLevel",
    }
)
EXTENSION_TYPE = re.compile(r"ext:[A-Za-z0-9._-]+")
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")
DATE_TIME_EXAMPLE = "2017-10-18T15:02:46+00:00"

NODE_LINKS = ("originNodeURI", "destinationNodeURI")
DATES = ("lastChangeDateTime",)
DOCUMENT_FIELDS = ("identifier", "uri", "creator", "title", "lastChangeDateTime")
ITEM_FIELDS = ("identifier", "uri", "fullStatement", "lastChangeDateTime")
ASSOCIATION_FIELDS = ("identifier", "uri", "associationType", *NODE_LINKS, "lastChangeDateTime")
DOCUMENT_LINKS = ("CFPackageURI", "licenseURI", "subjectURI")
ITEM_LINKS = ("CFDocumentURI", "CFItemTypeURI", "licenseURI", "conceptKeywordsURI", "CFItemAssociationURI")
ASSOCIATION_LINKS = ("CFDocumentURI", "CFAssociationGroupingURI")
DEFINITIONS = ("CFConcepts", "CFSubjects", "CFLicenses", "CFItemTypes", "CFAssociationGroupings", "CFRubrics")


@dataclass(frozen=True)
class _Record:
    path: str  # "CFItems[3]"
    data: Mapping[str, Any]


def read_json(text: str) -> object:
    """JSON from text, with a UTF-8 byte-order mark stripped; CaseImportError says where broken JSON breaks."""
    try:
        return json.loads(text.removeprefix(BOM), parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise CaseImportError(f"line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise CaseImportError("the JSON is nested too deeply to read") from None


def _no_constant(name: str) -> object:
    raise CaseImportError(f"{name} is not a JSON value")


def looks_like_case(text: str) -> bool:
    """Whether text is a CASE package: a JSON object with a CFDocument, wherever in the object it comes."""
    try:
        data = read_json(text.strip())
    except CaseImportError:
        return False
    return isinstance(data, Mapping) and "CFDocument" in data


def package_faults(package: object) -> list[str]:
    """Every fault in a CASE package, in document order, each starting with its JSON path. Empty: no faults."""
    if not isinstance(package, Mapping):
        return [f"the package: expected a JSON object, not {describe(package)}"]
    faults: list[str] = []
    document = _document(package.get("CFDocument"), faults)
    items, associations = _entries(package, "CFItems"), _entries(package, "CFAssociations")
    lookup = _lookup(document, _objects(items))
    seen: dict[str, str] = {}  # identifier: the path where it first came
    if document:
        faults += _record_faults(document, DOCUMENT_FIELDS, DOCUMENT_LINKS, seen)
    faults += _list_faults(items, ITEM_FIELDS, ITEM_LINKS, seen)
    faults += _list_faults(
        associations, ASSOCIATION_FIELDS, ASSOCIATION_LINKS, seen, also=lambda a: _association_faults(a, lookup)
    )
    faults += _cycle_faults(_objects(items), _objects(associations), lookup)
    faults += _definition_faults(package.get("CFDefinitions"))
    faults += _definition_list_faults("CFRubrics", package.get("CFRubrics"))  # a CFPackage holds them at the top
    faults += _unstorable(package, "")
    return _capped(faults)


# What no database column can hold: the NUL character (PostgreSQL refuses it in text and JSON), and an identifier
# longer than the portal indexes.
IDENTIFIER_LIMIT = 1000


def _unstorable(value: Any, path: str) -> list[str]:
    if isinstance(value, str):
        return [f"{path or 'the package'}: contains the NUL character (\\u0000)"] if "\x00" in value else []
    if isinstance(value, Mapping):
        found = (
            [f"{path or 'the package'}: a key contains the NUL character"] if any("\x00" in k for k in value) else []
        )
        for key, entry in value.items():
            found += _unstorable(entry, f"{path}.{key}" if path else str(key))
            if key == "identifier" and isinstance(entry, str) and len(entry) > IDENTIFIER_LIMIT:
                found.append(f"{path}.identifier: longer than {IDENTIFIER_LIMIT} characters")
        return found
    if isinstance(value, list):
        return [fault for i, entry in enumerate(value) for fault in _unstorable(entry, f"{path}[{i}]")]
    return []


def _capped(faults: list[str]) -> list[str]:
    if len(faults) <= LIMIT:
        return faults
    return [*faults[:LIMIT], f"… and {len(faults) - LIMIT} more"]


# The shape: a document object, lists of objects.


def _document(raw: Any, faults: list[str]) -> _Record | None:
    if isinstance(raw, Mapping):
        return _Record("CFDocument", raw)
    faults.append("CFDocument: " + ("missing" if raw is None else f"expected an object, not {describe(raw)}"))
    return None


def _entries(package: Mapping[str, Any], key: str) -> list[_Record | str]:
    """The objects of a list (missing: none), in order, with a fault in place of the list or of any entry that is
    not an object."""
    raw = package.get(key)
    if raw is None:
        return []
    if not isinstance(raw, list):
        return [f"{key}: expected a list, not {describe(raw)}"]
    return [
        _Record(f"{key}[{i}]", data)
        if isinstance(data, Mapping)
        else f"{key}[{i}]: expected an object, not {describe(data)}"
        for i, data in enumerate(raw)
    ]


def _objects(entries: Sequence[_Record | str]) -> list[_Record]:
    return [entry for entry in entries if isinstance(entry, _Record)]


# One record: required fields, identifiers, links.


def _list_faults(
    entries: Sequence[_Record | str],
    required: Sequence[str],
    links: Sequence[str],
    seen: dict[str, str],
    also: Callable[[_Record], list[str]] = lambda record: [],
) -> list[str]:
    faults: list[str] = []
    for entry in entries:
        if isinstance(entry, _Record):
            faults += _record_faults(entry, required, links, seen) + also(entry)
        else:
            faults.append(entry)
    return faults


def _record_faults(record: _Record, required: Sequence[str], links: Sequence[str], seen: dict[str, str]) -> list[str]:
    faults: list[str] = []
    for name in required:
        value = record.data.get(name)
        fault = _field_fault(name, value)
        if fault:
            faults.append(f"{record.path}.{name}: {fault}")
        elif name == "identifier":
            faults += _duplicate(f"{record.path}.identifier", str(value), seen)
    for name in links:
        faults += _link_faults(f"{record.path}.{name}", record.data.get(name))
    return faults


def _field_fault(name: str, value: Any) -> str | None:
    if name in NODE_LINKS:
        return "missing" if value is None else _link_fault(value)
    fault = _text_fault(value)
    if fault is None and name in DATES and not _is_date_time(value):
        return f"{quoted(value)} is not a date and time like {DATE_TIME_EXAMPLE}"
    return fault


def _text_fault(value: Any) -> str | None:
    if value is None:
        return "missing"
    if not isinstance(value, str):
        return f"expected text, not {describe(value)}"
    return None if value.strip() else "empty"


def _is_date_time(text: str) -> bool:
    if not DATE_TIME.fullmatch(text):
        return False
    try:
        datetime.fromisoformat(text)
    except ValueError:  # the right shape, but no such day or time (2017-02-30, 25:00)
        return False
    return True


def _duplicate(path: str, identifier: str, seen: dict[str, str]) -> list[str]:
    if identifier in seen:
        return [f"{path}: {quoted(identifier)} is also {seen[identifier]}"]
    seen[identifier] = path
    return []


def _link_faults(path: str, value: Any) -> list[str]:
    """An optional link: absent, one link, or (subjectURI) a list of links."""
    if value is None:
        return []
    if isinstance(value, list):
        return [f"{path}[{i}]: {fault}" for i, link in enumerate(value) if (fault := _link_fault(link))]
    fault = _link_fault(value)
    return [f"{path}: {fault}"] if fault else []


def _link_fault(value: Any) -> str | None:
    """A LinkURI object (CASE 1.0) or a plain URI string (older exports)."""
    if isinstance(value, str):
        return None if value.strip() else "empty"
    if isinstance(value, Mapping):
        if _text(value.get("identifier")) or _text(value.get("uri")):
            return None
        return "a link with neither an identifier nor a uri"
    return f"expected a link (an object with identifier and uri, or a URI), not {describe(value)}"


# Associations: their type, where they point, their order.


def _association_faults(association: _Record, lookup: Mapping[str, int]) -> list[str]:
    data, path = association.data, association.path
    kind = data.get("associationType")
    faults: list[str] = []
    if _text(kind) and kind not in ASSOCIATION_TYPES and not EXTENSION_TYPE.fullmatch(kind):
        faults.append(f"{path}.associationType: {quoted(kind)} is not a CASE 1.0 association type")
    origin, destination = data.get("originNodeURI"), data.get("destinationNodeURI")
    if _usable(origin) and _find(origin, lookup) is None:
        faults.append(f"{path}.originNodeURI: points to no item in the package ({_named(origin)})")
    if _usable(destination) and _find(destination, lookup) is None:
        if kind == "isChildOf":
            faults.append(
                f"{path}.destinationNodeURI: isChildOf points to no item in the package ({_named(destination)})"
            )
        elif not _link_uri(destination):
            faults.append(
                f"{path}.destinationNodeURI: points outside the package and gives no uri ({_named(destination)})"
            )
    sequence = data.get("sequenceNumber")
    if sequence is not None and integer(sequence) is None:
        faults.append(f"{path}.sequenceNumber: expected a whole number, not {describe(sequence)}")
    return faults


def _usable(link: Any) -> bool:
    return link is not None and _link_fault(link) is None


def _lookup(document: _Record | None, items: Sequence[_Record]) -> dict[str, int]:
    """Identifiers and URIs of the document and the items, to the node they name (DOCUMENT, or an item's place)."""
    lookup: dict[str, int] = {}
    if document:
        package = document.data.get("CFPackageURI")
        for key in (document.data.get("identifier"), document.data.get("uri"), _link_uri(package)):
            if _text(key):
                lookup[key] = DOCUMENT
    for index, item in enumerate(items):
        if _text(item.data.get("identifier")):
            lookup.setdefault(item.data["identifier"], index)
    for index, item in enumerate(items):
        if _text(item.data.get("uri")):
            lookup.setdefault(item.data["uri"], index)
    return lookup


def _find(link: Any, lookup: Mapping[str, int]) -> int | None:
    candidates = [link.get("identifier"), link.get("uri")] if isinstance(link, Mapping) else [link]
    return next((lookup[c] for c in candidates if _text(c) and c in lookup), None)


def _link_uri(link: Any) -> str:
    value = link.get("uri") if isinstance(link, Mapping) else link
    return value if _text(value) else ""


def _named(link: Any) -> str:
    if not isinstance(link, Mapping):
        return quoted(link)
    if _text(link.get("identifier")):
        return f"identifier {quoted(link['identifier'])}"
    return f"uri {quoted(link['uri'])}"


# The isChildOf tree has no cycle.


def _cycle_faults(items: Sequence[_Record], associations: Sequence[_Record], lookup: Mapping[str, int]) -> list[str]:
    parents: list[dict[int, None]] = [{} for _ in items]  # ordered sets: each item's parents, in document order
    for association in associations:
        if association.data.get("associationType") != "isChildOf":
            continue
        child = _find(association.data.get("originNodeURI"), lookup)
        parent = _find(association.data.get("destinationNodeURI"), lookup)
        if child is not None and parent is not None and child != DOCUMENT and parent != DOCUMENT:
            parents[child][parent] = None
    return [
        "CFAssociations: isChildOf forms a cycle: " + " → ".join(_name(items[i]) for i in cycle)
        for cycle in _cycles([list(p) for p in parents])
    ]


def _cycles(parents: Sequence[Sequence[int]]) -> list[list[int]]:
    """Each cycle closed by a back edge of a depth-first walk from every item in turn, as [a, b, …, a]."""
    state = [0] * len(parents)  # 0 not reached, 1 on the current path, 2 done
    cycles: list[list[int]] = []
    for start in range(len(parents)):
        if state[start]:
            continue
        path, pending = [start], [iter(parents[start])]
        state[start] = 1
        while pending:
            step = next(pending[-1], None)
            if step is None:
                state[path.pop()] = 2
                pending.pop()
            elif state[step] == 1:
                cycles.append([*path[path.index(step) :], step])
            elif state[step] == 0:
                state[step] = 1
                path.append(step)
                pending.append(iter(parents[step]))
    return cycles


def _name(item: _Record) -> str:
    coding = item.data.get("humanCodingScheme")
    return coding.strip() if _text(coding) else str(item.data.get("identifier"))


# CFDefinitions: lists of objects, each with an identifier of its own in its list.


def _definition_faults(raw: Any) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, Mapping):
        return [f"CFDefinitions: expected an object, not {describe(raw)}"]
    faults: list[str] = []
    for key in DEFINITIONS:
        faults += _definition_list_faults(f"CFDefinitions.{key}", raw.get(key))
    return faults


def _definition_list_faults(path: str, raw: Any) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        return [f"{path}: expected a list, not {describe(raw)}"]
    faults: list[str] = []
    seen: dict[str, str] = {}
    for i, entry in enumerate(raw):
        if not isinstance(entry, Mapping):
            faults.append(f"{path}[{i}]: expected an object, not {describe(entry)}")
            continue
        identifier = entry.get("identifier")
        fault = _text_fault(identifier)
        if fault:
            faults.append(f"{path}[{i}].identifier: {fault}")
        else:
            faults += _duplicate(f"{path}[{i}].identifier", str(identifier), seen)
    return faults


# Wording.


def _text(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value.strip())


def quoted(value: Any) -> str:
    return "'" + shorten(str(value), 80) + "'"


def describe(value: Any) -> str:
    """A JSON value in words, for 'expected …, not …'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({'true' if value else 'false'})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({quoted(value)})" if value.strip() else "an empty string"
    if isinstance(value, Mapping):
        return "an object"
    return "a list" if isinstance(value, list) else type(value).__name__
