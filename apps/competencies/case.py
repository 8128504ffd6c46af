"""Frameworks to and from 1EdTech CASE (Competencies and Academic Standards Exchange) packages.

Why: CASE is the standard way competency frameworks move between systems, so a framework written here can be
published as a CASE 1.0 CFPackage, and a framework published elsewhere can be brought in as a starting point.

Pure: no Django, no database. Plain data in, plain data out, so both directions are tested on real files.

Export (`spec_to_case`) puts everything CASE has a field for in that field: the framework's name, version and
description on the CFDocument; a short form of the source as its `creator` and the full source in its `notes`; the
licence as a CFLicense (`licenseText`) in CFDefinitions, linked from the document's `licenseURI`; groups, criteria
and prompt questions as CFItems of the types "Group", "Criterion" and "Prompt question", joined by isChildOf
associations; area codes as `conceptKeywords`, level codes as `educationLevel`. What CASE has no field for, the
rating scale and each criterion's expected rating per level, goes in `extensions.steppingUp`. The isChildOf
sequence numbers of groups and criteria count through the whole framework (siblings stay in order for any
reader) so that our own lists come back in exactly their order.

Import (`case_to_spec`) is lenient: real packages predate CASE 1.0, carry extra keys, use strings where 1.0 has
LinkURI objects and relate items in many ways. It keeps the isChildOf tree and what maps onto a framework, and
returns notes on what it left out. Only a package that cannot be read as a tree at all raises CaseImportError.
When the package carries our own extensions, an export comes back equal to the framework it was made from.
"""

import re
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .fileformat import CODE, FORMAT, SLUG, CriterionSpec, FrameworkSpec, GroupSpec, ScalePointSpec
from .vocabulary import AREAS, LEVELS

EXTENSION = "steppingUp"
GROUP, CRITERION, PROMPT = "Group", "Criterion", "Prompt question"
ITEM_TYPES = {GROUP: "Groups of criteria", CRITERION: "What is assessed", PROMPT: "A question to reflect on"}
DEFAULT_LICENCE = "See the source."
UNGROUPED = "Ungrouped"


class CaseImportError(Exception):
    """The package cannot be read as a CASE framework at all; the message names the JSON path."""


# --- export ---------------------------------------------------------------------------------------------------


def spec_to_case(spec: FrameworkSpec, *, identifiers: Mapping[str, str], base_uri: str, now: datetime) -> dict:
    """A CASE 1.0 CFPackage for the framework, as a JSON-ready dict. Same arguments, same output.

    `identifiers` holds the UUIDs already given out: "document", "group:<code>", "criterion:<code>",
    "prompt:<criterion code>:<n>" (n from 1), and if wanted "licence", "itemtype:<type>" and "association:<item key>".
    A key it lacks gets a uuid5 of the document identifier and the key, so a re-export without it is stable too.
    """
    ids = _Identifiers(identifiers, spec)
    stamp = _timestamp(now)
    base = base_uri.rstrip("/")

    def link(key: str, title: str) -> dict[str, str]:
        return {"title": title, "identifier": ids[key], "uri": f"{base}/case/{ids[key]}"}

    document = link("document", spec.name)
    licence = link("licence", f"Licence: {spec.name}")
    types = {name: link(f"itemtype:{name}", name) for name in ITEM_TYPES}
    items: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []

    def add(key: str, kind: str, fields: dict[str, Any], parent: dict[str, str], sequence: int) -> dict[str, str]:
        node = link(key, fields.get("humanCodingScheme") or _shorten(fields["fullStatement"], 60))
        items.append(
            {
                "identifier": node["identifier"],
                "uri": node["uri"],
                "CFDocumentURI": document,
                **_drop_empty(fields),
                "CFItemType": kind,
                "CFItemTypeURI": types[kind],
                "lastChangeDateTime": stamp,
            }
        )
        associations.append(
            {
                **_uri_fields(link(f"association:{key}", "isChildOf")),
                "CFDocumentURI": document,
                "associationType": "isChildOf",
                "sequenceNumber": sequence,
                "originNodeURI": node,
                "destinationNodeURI": parent,
                "lastChangeDateTime": stamp,
            }
        )
        return node

    group_nodes: dict[str, dict[str, str]] = {}
    for group in _parents_first(spec.groups):
        parent = group_nodes.get(group.parent, document) if group.parent else document
        about = {"fullStatement": group.title, "humanCodingScheme": group.code, "notes": group.description}
        group_nodes[group.code] = add(f"group:{group.code}", GROUP, about, parent, spec.groups.index(group) + 1)
    for j, criterion in enumerate(spec.criteria):
        fields: dict[str, Any] = {
            "fullStatement": criterion.title,
            "humanCodingScheme": criterion.code,
            "notes": criterion.description,
            "conceptKeywords": list(criterion.areas),
            "educationLevel": [code for code, _ in criterion.levels],
            "extensions": {EXTENSION: {"levels": dict(criterion.levels)}},
        }
        sequence = len(spec.groups) + j + 1
        parent = group_nodes.get(criterion.group, document)
        node = add(f"criterion:{criterion.code}", CRITERION, fields, parent, sequence)
        for n, prompt in enumerate(criterion.prompts, start=1):
            add(f"prompt:{criterion.code}:{n}", PROMPT, {"fullStatement": prompt}, node, n)

    return {
        "CFDocument": _drop_empty(
            {
                **_uri_fields(document),
                "CFPackageURI": document,
                "title": spec.name,
                "creator": _shorten(_first_clause(spec.source), 120),
                "version": spec.version,
                "description": spec.description,
                "notes": spec.source,
                "licenseURI": licence,
                "language": "en",
                "lastChangeDateTime": stamp,
                "extensions": {
                    EXTENSION: {
                        "format": FORMAT,
                        "slug": spec.slug,
                        "version": spec.version,
                        "scale": [_drop_empty(_point_fields(p)) for p in spec.scale],
                    }
                },
            }
        ),
        "CFItems": items,
        "CFAssociations": associations,
        "CFDefinitions": {
            "CFConcepts": [],
            "CFSubjects": [],
            "CFLicenses": [
                {
                    **_uri_fields(licence),
                    "title": licence["title"],
                    "licenseText": spec.licence,
                    "lastChangeDateTime": stamp,
                }
            ],
            "CFItemTypes": [
                {
                    **_uri_fields(types[name]),
                    "title": name,
                    "description": description,
                    "hierarchyCode": str(level),
                    "typeCode": name,
                    "lastChangeDateTime": stamp,
                }
                for level, (name, description) in enumerate(ITEM_TYPES.items(), start=1)
            ],
            "CFAssociationGroupings": [],
        },
    }


@dataclass
class _Identifiers:
    """The caller's identifiers, and for any key it lacks a uuid5 from the document identifier and the key."""

    given: Mapping[str, str]
    spec: FrameworkSpec

    def __getitem__(self, key: str) -> str:
        if key in self.given:
            return str(self.given[key])
        if key == "document":
            return str(uuid.uuid5(uuid.NAMESPACE_URL, f"stepping-up:framework:{self.spec.slug}:{self.spec.version}"))
        return str(uuid.uuid5(_namespace(self["document"]), key))


def _namespace(identifier: str) -> uuid.UUID:
    try:
        return uuid.UUID(identifier)
    except ValueError:
        return uuid.uuid5(uuid.NAMESPACE_URL, identifier)


def _timestamp(now: datetime) -> str:
    moment = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _parents_first(groups: Sequence[GroupSpec]) -> list[GroupSpec]:
    """Groups in file order, except that a parent always comes before its children (a file may list it later)."""
    placed: list[GroupSpec] = []
    done: set[str] = set()
    pending = list(groups)
    while pending:
        ready = [g for g in pending if g.parent is None or g.parent in done]
        for group in ready or pending:  # a broken file (unknown parent, cycle) keeps its order
            placed.append(group)
            done.add(group.code)
        pending = [g for g in pending if g.code not in done]
    return placed


def _uri_fields(node: Mapping[str, str]) -> dict[str, str]:
    return {"identifier": node["identifier"], "uri": node["uri"]}


def _point_fields(point: ScalePointSpec) -> dict[str, Any]:
    return {"value": point.value, "label": point.label, "descriptor": point.descriptor}


def _first_clause(text: str) -> str:
    """'Faculty of Medical Leadership and Management with NHS Improvement (2017). The …' → the name before '('."""
    head = re.split(r"\s\(|\.\s|:\s|\n", text.strip(), maxsplit=1)[0].strip()
    return head or text.strip()


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def _drop_empty(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value not in ("", None, [], {})}


# --- import ---------------------------------------------------------------------------------------------------

_DOCUMENT = -1  # the CFDocument's place in the tree (items are numbered from 0)


@dataclass
class _Item:
    index: int
    identifier: str
    data: Mapping[str, Any]
    kind: str = ""
    parent: int | None = None  # None: no usable isChildOf; _DOCUMENT: top level
    sequence: int | None = None
    link: int | None = None  # the index of its isChildOf association
    children: list[int] = field(default_factory=list)

    @property
    def coding(self) -> str:
        return _text(self.data.get("humanCodingScheme"))

    @property
    def is_prompt(self) -> bool:
        return self.kind.casefold() == PROMPT.casefold()


@dataclass
class _Node:
    item: _Item
    position: tuple[int, ...]
    parent: "_Node | None" = None
    is_group: bool = False
    code: str = ""


def case_to_spec(
    package: Mapping[str, Any], *, default_scale: Sequence[ScalePointSpec]
) -> tuple[FrameworkSpec, list[str]]:
    """Read a CASE package leniently. Returns the framework and notes on what was left out or made up."""
    if not isinstance(package, Mapping):
        raise CaseImportError("the package: expected a JSON object")
    document = package.get("CFDocument")
    if not isinstance(document, Mapping):
        raise CaseImportError("CFDocument: " + ("missing" if document is None else "expected an object"))
    notes: list[str] = []
    ours = _our_extension(document, notes)
    items = _read_items(package.get("CFItems"))
    _read_tree(document, items, package.get("CFAssociations"), notes)
    groups, criteria = _classify(items, notes)
    if ours:  # our export numbers groups and criteria through the whole framework: restore the file's order
        groups = _in_sequence(groups)
        criteria = _in_sequence(criteria)
    _assign_codes([*groups, *criteria], notes)
    scale = _scale(ours, default_scale, notes)
    group_specs = [_group_spec(node) for node in groups]
    ungrouped = [node for node in criteria if node.parent is None]
    if ungrouped:
        code = _unique("UNGROUPED", {node.code for node in [*groups, *criteria]})
        group_specs.append(GroupSpec(code=code, title=UNGROUPED))
        notes.append(
            f"{_count(len(ungrouped), 'criterion', 'criteria')} directly under the document went into "
            f"the group '{UNGROUPED}'"
        )
    else:
        code = ""
    criterion_specs = [_criterion_spec(node, code, items, scale, ours is not None, notes) for node in criteria]
    _level_notes(groups, criteria, ours is not None, notes)
    _ignored_fields(items, notes)
    spec = FrameworkSpec(
        **_about(document, package.get("CFDefinitions"), ours, notes),
        scale=tuple(scale),
        groups=tuple(group_specs),
        criteria=tuple(criterion_specs),
    )
    return spec, notes


def _our_extension(document: Mapping[str, Any], notes: list[str]) -> dict[str, Any] | None:
    extensions = document.get("extensions")
    ours = extensions.get(EXTENSION) if isinstance(extensions, Mapping) else None
    if ours is None:
        return None
    if not isinstance(ours, Mapping) or ours.get("format") != FORMAT:
        notes.append(f"CFDocument.extensions.{EXTENSION} is not in the format '{FORMAT}' and was ignored")
        return None
    return dict(ours)


def _read_items(raw: Any) -> list[_Item]:
    if not isinstance(raw, list):
        raise CaseImportError("CFItems: " + ("missing" if raw is None else "expected a list"))
    items: list[_Item] = []
    seen: dict[str, int] = {}
    for i, data in enumerate(raw):
        if not isinstance(data, Mapping):
            raise CaseImportError(f"CFItems[{i}]: expected an object")
        identifier = _text(data.get("identifier"))
        if not identifier:
            raise CaseImportError(f"CFItems[{i}]: no identifier")
        if identifier in seen:
            raise CaseImportError(f"CFItems[{i}]: the identifier '{identifier}' is also CFItems[{seen[identifier]}]")
        seen[identifier] = i
        items.append(_Item(index=i, identifier=identifier, data=data, kind=_item_type(data)))
    return items


def _item_type(data: Mapping[str, Any]) -> str:
    kind = data.get("CFItemType")
    if isinstance(kind, Mapping):  # some exports give a LinkURI here
        kind = kind.get("title")
    if not _text(kind) and isinstance(data.get("CFItemTypeURI"), Mapping):
        kind = data["CFItemTypeURI"].get("title")
    return _text(kind)


def _read_tree(document: Mapping[str, Any], items: list[_Item], raw: Any, notes: list[str]) -> None:
    """Give every item its parent from isChildOf (origin = child, destination = parent) and sort the children."""
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise CaseImportError("CFAssociations: expected a list")
    lookup = _lookup(document, items)
    other: Counter[str] = Counter()
    unknown_child = unknown_parent = second_parent = 0
    for k, association in enumerate(raw):
        if not isinstance(association, Mapping):
            raise CaseImportError(f"CFAssociations[{k}]: expected an object")
        kind = _text(association.get("associationType")) or "(no type)"
        if kind.casefold() != "ischildof":
            other[kind] += 1
            continue
        child = _resolve(association.get("originNodeURI"), lookup)
        parent = _resolve(association.get("destinationNodeURI"), lookup)
        if child is None or child == _DOCUMENT:
            unknown_child += 1
        elif items[child].link is not None:
            second_parent += 1
        else:
            item = items[child]
            item.parent, item.link = parent, k
            item.sequence = _integer(association.get("sequenceNumber"))
            if parent is None:
                unknown_parent += 1
    _check_cycles(items)
    for item in items:
        if item.parent is None:
            item.parent = _DOCUMENT
    for item in items:
        if item.parent is not None and item.parent != _DOCUMENT:
            items[item.parent].children.append(item.index)
    for item in items:
        item.children.sort(key=lambda i: _sibling_key(items[i]))
    if other:
        kinds = ", ".join(f"{kind} ({n})" for kind, n in sorted(other.items(), key=lambda kv: (-kv[1], kv[0])))
        total = other.total()
        notes.append(f"{_count(total, 'association')} of types other than isChildOf {_were(total)} ignored: {kinds}")
    if unknown_child:
        notes.append(
            f"{_count(unknown_child, 'isChildOf association')} whose child is not an item in the package "
            f"{_were(unknown_child)} ignored"
        )
    if second_parent:
        notes.append(
            f"{_count(second_parent, 'isChildOf association')} placing an item under a second parent "
            f"{_were(second_parent)} ignored (each item keeps its first place)"
        )
    if unknown_parent:
        notes.append(
            f"{_count(unknown_parent, 'item')} whose parent is not in the package "
            f"{_were(unknown_parent)} put at the top level"
        )
    orphans = sum(1 for item in items if item.link is None)
    if orphans and items:
        notes.append(f"{_count(orphans, 'item')} with no isChildOf association {_were(orphans)} put at the top level")


def _lookup(document: Mapping[str, Any], items: list[_Item]) -> dict[str, int]:
    lookup: dict[str, int] = {}
    for key in (document.get("identifier"), document.get("uri"), _link_part(document.get("CFPackageURI"), "uri")):
        if _text(key):
            lookup[_text(key)] = _DOCUMENT
    for item in items:
        lookup[item.identifier] = item.index
    for item in items:
        uri = _text(item.data.get("uri"))
        if uri:
            lookup.setdefault(uri, item.index)
    return lookup


def _resolve(reference: Any, lookup: Mapping[str, int]) -> int | None:
    """A LinkURI object (CASE 1.0) or a plain identifier or URI string (older exports)."""
    candidates = (
        [_text(reference.get("identifier")), _text(reference.get("uri"))]
        if isinstance(reference, Mapping)
        else [_text(reference)]
    )
    return next((lookup[c] for c in candidates if c and c in lookup), None)


def _check_cycles(items: list[_Item]) -> None:
    safe: set[int] = set()
    for item in items:
        chain: list[int] = []
        current: int | None = item.index
        while current is not None and current != _DOCUMENT and current not in safe:
            if current in chain:
                loop = [*chain[chain.index(current) :], current]
                names = " → ".join(items[i].coding or items[i].identifier for i in loop)
                raise CaseImportError(f"CFAssociations[{items[current].link}]: isChildOf forms a cycle: {names}")
            chain.append(current)
            current = items[current].parent
        safe.update(chain)


def _sibling_key(item: _Item) -> tuple[Any, ...]:
    """sequenceNumber first; without one, listEnumeration, then humanCodingScheme in natural order (1, 2, 10)."""
    return (
        item.sequence is None,
        item.sequence or 0,
        _natural(_text(item.data.get("listEnumeration"))),
        _natural(item.coding),
        item.index,
    )


def _in_sequence(nodes: list[_Node]) -> list[_Node]:
    def key(pair: tuple[int, _Node]) -> tuple[bool, int, int]:
        sequence = pair[1].item.sequence
        return (sequence is None, sequence or 0, pair[0])

    return [node for _, node in sorted(enumerate(nodes), key=key)]


def _natural(text: str) -> tuple[Any, ...]:
    if not text:
        return (1,)
    return (0, *((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|\D+", text)))


def _classify(items: list[_Item], notes: list[str]) -> tuple[list[_Node], list[_Node]]:
    """Walk the tree from the top: items with children (or typed Group) are groups, other items criteria."""
    groups: list[_Node] = []
    criteria: list[_Node] = []
    stray_prompts = 0
    reached: set[int] = set()

    def walk(children: Iterable[int], parent: _Node | None, prefix: tuple[int, ...]) -> None:
        nonlocal stray_prompts
        counts = Counter[str]()
        for index in children:
            item = items[index]
            reached.add(index)
            if item.is_prompt:
                stray_prompts += 1
            elif _is_group(item, items):
                counts["group"] += 1
                node = _Node(item, (*prefix, counts["group"]), parent, is_group=True)
                groups.append(node)
                walk(item.children, node, node.position)
            else:
                counts["criterion"] += 1
                criteria.append(_Node(item, (*prefix, counts["criterion"]), parent))
                reached.update(i for i in item.children)

    walk(sorted((i.index for i in items if i.parent == _DOCUMENT), key=lambda i: _sibling_key(items[i])), None, ())
    top = sum(1 for node in groups if node.parent is None)
    for node in criteria:
        if node.parent is None:
            node.position = (top + 1, *node.position)
    if stray_prompts:
        notes.append(f"{_count(stray_prompts, 'prompt question')} not under a criterion {_were(stray_prompts)} ignored")
    unreached = len(items) - len(reached)
    if unreached:
        notes.append(f"{_count(unreached, 'item')} below prompt questions {_were(unreached)} ignored")
    return groups, criteria


def _is_group(item: _Item, items: list[_Item]) -> bool:
    return item.kind.casefold() == GROUP.casefold() or any(not items[i].is_prompt for i in item.children)


def _assign_codes(nodes: list[_Node], notes: list[str]) -> None:
    """humanCodingScheme where it is a valid code used once; otherwise G1.2 / C3.2 from the item's place."""
    counts = Counter(node.item.coding for node in nodes)
    used = {code for code, n in counts.items() if code and n == 1 and CODE.match(code)}
    missing: list[str] = []
    duplicate: set[str] = set()
    invalid: list[str] = []
    for node in nodes:
        coding = node.item.coding
        if coding in used:
            node.code = coding
            continue
        prefix = "G" if node.is_group else "C"
        position = prefix + ".".join(str(n) for n in node.position)
        node.code = _unique(position if CODE.match(position) else f"{prefix}{node.item.index + 1}", used)
        used.add(node.code)
        if not coding:
            missing.append(node.code)
        elif counts[coding] > 1:
            duplicate.add(coding)
        else:
            invalid.append(coding)
    if missing:
        notes.append(
            f"{_count(len(missing), 'item')} without a humanCodingScheme got codes from their place: "
            + _examples(missing)
        )
    for coding in sorted(duplicate):
        notes.append(f"humanCodingScheme '{coding}' is used by {counts[coding]} items; they got codes from their place")
    for coding in invalid:
        notes.append(
            f"humanCodingScheme '{_shorten(coding, 60)}' cannot be a code (letters, digits, '.', '_' or '-', "
            "up to 40); the item got a code from its place"
        )


def _unique(code: str, used: set[str]) -> str:
    candidate, n = code, 1
    while candidate in used:
        n += 1
        candidate = f"{code}-{n}"
    return candidate


def _group_spec(node: _Node) -> GroupSpec:
    return GroupSpec(
        code=node.code,
        title=_title(node.item),
        description=_text(node.item.data.get("notes")),
        parent=node.parent.code if node.parent else None,
    )


def _criterion_spec(
    node: _Node, ungrouped: str, items: list[_Item], scale: Sequence[ScalePointSpec], ours: bool, notes: list[str]
) -> CriterionSpec:
    data = node.item.data
    prompts = [_statement(items[i]) for i in node.item.children if items[i].is_prompt]
    return CriterionSpec(
        code=node.code,
        group=node.parent.code if node.parent else ungrouped,
        title=_title(node.item),
        description=_text(data.get("notes")),
        prompts=tuple(p for p in prompts if p),
        areas=_areas(data.get("conceptKeywords"), node.code, notes),
        levels=_expected_levels(data, node.code, scale, notes) if ours else (),
    )


def _statement(item: _Item) -> str:
    return _text(item.data.get("fullStatement")) or _text(item.data.get("abbreviatedStatement"))


def _title(item: _Item) -> str:
    return _statement(item) or item.coding or f"Item {item.identifier}"


def _areas(raw: Any, code: str, notes: list[str]) -> tuple[str, ...]:
    areas: list[str] = []
    for keyword in _strings(raw):
        if keyword in AREAS:
            if keyword not in areas:
                areas.append(keyword)
        else:
            notes.append(
                f"{code}: conceptKeyword '{_shorten(keyword, 60)}' is not an area of responsibility and was ignored"
            )
    return tuple(areas)


def _expected_levels(
    data: Mapping[str, Any], code: str, scale: Sequence[ScalePointSpec], notes: list[str]
) -> tuple[tuple[str, int], ...]:
    extensions = data.get("extensions")
    ours = extensions.get(EXTENSION) if isinstance(extensions, Mapping) else None
    raw = ours.get("levels") if isinstance(ours, Mapping) else None
    if not isinstance(raw, Mapping):
        return ()
    values = {p.value for p in scale}
    levels: list[tuple[str, int]] = []
    for level, expected in raw.items():
        value = _integer(expected)
        if level not in LEVELS or value is None or value not in values:
            notes.append(
                f"{code}: the expectation {level}: {expected!r} is not a level and a value on the scale, "
                "and was ignored"
            )
        else:
            levels.append((level, value))
    return tuple(sorted(levels, key=lambda pair: LEVELS[pair[0]]))


def _level_notes(groups: list[_Node], criteria: list[_Node], ours: bool, notes: list[str]) -> None:
    """educationLevel (or the pre-1.0 educationalLevel) only ever names levels; the expectations are ours alone."""
    foreign: Counter[str] = Counter()
    named = 0
    for node in [*groups, *criteria]:
        data = node.item.data
        codes = _strings(data.get("educationLevel", data.get("educationalLevel")))
        foreign.update(code for code in codes if code not in LEVELS)
        named += bool(not ours and not node.is_group and any(code in LEVELS for code in codes))
    for code, n in sorted(foreign.items()):
        notes.append(f"educationLevel '{code}' is not a leadership level and was ignored ({_count(n, 'item')})")
    if named:
        notes.append(
            f"{_count(named, 'criterion', 'criteria')} name leadership levels in educationLevel, but plain CASE gives "
            "no expected rating: their levels were left empty"
        )


_USED_ITEM_FIELDS = {
    "identifier", "uri", "CFDocumentURI", "fullStatement", "abbreviatedStatement", "humanCodingScheme", "notes",
    "CFItemType", "CFItemTypeURI", "conceptKeywords", "educationLevel", "educationalLevel", "listEnumeration",
    "lastChangeDateTime", "extensions",
}  # fmt: skip


def _ignored_fields(items: list[_Item], notes: list[str]) -> None:
    ignored: Counter[str] = Counter()
    for item in items:
        ignored.update(key for key, value in item.data.items() if key not in _USED_ITEM_FIELDS and _present(value))
        if _text(item.data.get("fullStatement")) and _text(item.data.get("abbreviatedStatement")):
            ignored["abbreviatedStatement"] += 1
    if ignored:
        fields = ", ".join(f"{key} ({n})" for key, n in sorted(ignored.items()))
        notes.append(f"Item fields with no place in a framework were ignored: {fields}")


def _present(value: Any) -> bool:
    return value not in (None, "", [], {})


def _scale(ours: Mapping[str, Any] | None, default: Sequence[ScalePointSpec], notes: list[str]) -> list[ScalePointSpec]:
    raw = ours.get("scale") if ours else None
    if raw is not None:
        points = _scale_points(raw)
        if points:
            return points
        notes.append(f"CFDocument.extensions.{EXTENSION}.scale is not a usable rating scale; the default was used")
    else:
        notes.append("CASE has no rating scale; the default scale was used")
    return list(default)


def _scale_points(raw: Any) -> list[ScalePointSpec] | None:
    if not isinstance(raw, list) or len(raw) < 2:
        return None
    points: list[ScalePointSpec] = []
    for point in raw:
        if not isinstance(point, Mapping):
            return None
        value, label = point.get("value"), _text(point.get("label"))
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10 or not label:
            return None
        if any(p.value == value for p in points):
            return None
        points.append(ScalePointSpec(value, label, _text(point.get("descriptor"))))
    return points


def _about(
    document: Mapping[str, Any], definitions: Any, ours: Mapping[str, Any] | None, notes: list[str]
) -> dict[str, str]:
    name = _text(document.get("title"))
    if not name:
        name = "Untitled framework"
        notes.append(f"CFDocument has no title; it was called '{name}'")
    slug = _text(ours.get("slug")) if ours else ""
    if not SLUG.match(slug):
        slug = _slugify(name)
    version = (_text(ours.get("version")) if ours else "") or _text(document.get("version")) or "1"
    return {
        "slug": slug,
        "version": version,
        "name": name,
        "source": _source(document, ours is not None),
        "licence": _licence(document, definitions, notes),
        "description": _text(document.get("description")),
    }


def _slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:60].strip("-")
    return slug if SLUG.match(slug) else "framework"


def _source(document: Mapping[str, Any], ours: bool) -> str:
    if ours and _text(document.get("notes")):
        return _text(document["notes"])
    parts: list[str] = []
    for key in ("creator", "publisher", "officialSourceURL"):
        value = _text(document.get(key))
        if value and value not in parts:
            parts.append(value)
    if parts:
        return ". ".join(parts)
    return f"CASE package {_text(document.get('uri')) or _text(document.get('identifier')) or 'with no source'}"


def _licence(document: Mapping[str, Any], definitions: Any, notes: list[str]) -> str:
    link = document.get("licenseURI")
    licences = definitions.get("CFLicenses") if isinstance(definitions, Mapping) else None
    licences = [x for x in licences if isinstance(x, Mapping)] if isinstance(licences, list) else []
    wanted = {_link_part(link, "identifier"), _link_part(link, "uri")} - {""}
    found = [x for x in licences if wanted & {_text(x.get("identifier")), _text(x.get("uri"))}]
    if not found and not wanted and len(licences) == 1:
        found = licences
    for licence in found:
        text = _text(licence.get("licenseText")) or _text(licence.get("description")) or _text(licence.get("title"))
        if text:
            return text
    if wanted:
        named = " ".join(part for part in (_link_part(link, "title"), _link_part(link, "uri")) if part)
        return f"{named}. See the source."
    notes.append(f"The package gives no licence; the licence reads '{DEFAULT_LICENCE}'")
    return DEFAULT_LICENCE


# --- small helpers ----------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """Text from a JSON value: strings stripped, numbers as written, anything else empty."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _link_part(link: Any, key: str) -> str:
    if isinstance(link, Mapping):
        return _text(link.get(key))
    return _text(link) if key == "uri" else ""


def _strings(raw: Any) -> list[str]:
    """A list of strings (CASE 1.0) or one string, perhaps comma-separated (older exports)."""
    values = raw if isinstance(raw, list) else re.split(r"[,;]", raw) if isinstance(raw, str) else []
    return [text for text in (_text(v) for v in values) if text]


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    return None


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def _were(n: int) -> str:
    return "was" if n == 1 else "were"


def _examples(codes: Sequence[str]) -> str:
    return ", ".join(codes[:5]) + (", …" if len(codes) > 5 else "")
