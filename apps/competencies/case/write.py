"""Export (`spec_to_case`): a framework as a CASE 1.0 CFPackage, everything CASE has a field for in that field.

Groups, criteria and prompt questions become CFItems joined to their parents by isChildOf associations; what CASE
has no field for (the rating scale, what each level's scope looks like, each criterion's expected ratings and the
words for them) goes in `extensions.steppingUp`. Same
arguments, same output: identifiers the caller lacks are uuid5s of the document identifier.
"""

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..fileformat import FORMAT, CriterionSpec, FrameworkSpec, GroupSpec, ScalePointSpec
from .common import CRITERION, EXTENSION, GROUP, ITEM_TYPES, PROMPT, shorten

Link = dict[str, str]  # a LinkURI: title, identifier, uri


def spec_to_case(spec: FrameworkSpec, *, identifiers: Mapping[str, str], base_uri: str, now: datetime) -> dict:
    """A CASE 1.0 CFPackage for the framework, as a JSON-ready dict. Same arguments, same output.

    `identifiers` holds the UUIDs already given out: "document", "group:<code>", "criterion:<code>",
    "prompt:<criterion code>:<n>" (n from 1), and if wanted "licence", "itemtype:<type>" and "association:<item key>".
    A key it lacks gets a uuid5 of the document identifier and the key, so a re-export without it is stable too.
    """
    package = _Package(spec, identifiers, base_uri, now)
    group_nodes = _add_groups(package, spec)
    _add_criteria(package, spec, group_nodes)
    return {
        "CFDocument": _document(package, spec),
        "CFItems": package.items,
        "CFAssociations": package.associations,
        "CFDefinitions": _definitions(package, spec),
    }


class _Package:
    """The package being written: links to its document, licence and item types, and the items and isChildOf
    associations added so far."""

    def __init__(self, spec: FrameworkSpec, identifiers: Mapping[str, str], base_uri: str, now: datetime) -> None:
        self.ids = _Identifiers(identifiers, spec)
        self.stamp = _timestamp(now)
        self.base = base_uri.rstrip("/")
        self.document = self.link("document", spec.name)
        self.licence = self.link("licence", f"Licence: {spec.name}")
        self.types = {name: self.link(f"itemtype:{name}", name) for name in ITEM_TYPES}
        self.items: list[dict[str, Any]] = []
        self.associations: list[dict[str, Any]] = []

    def link(self, key: str, title: str, collection: str | None = None) -> Link:
        """A LinkURI whose `uri` is where the portal's CASE API serves the record."""
        identifier = self.ids[key]
        return {
            "title": title,
            "identifier": identifier,
            "uri": api_uri(self.base, collection or _collection(key), identifier),
        }

    def add(self, key: str, kind: str, fields: dict[str, Any], parent: Link, sequence: int) -> Link:
        """Adds an item of type `kind` as the `sequence`th child of `parent`; its link."""
        node = self.link(key, fields.get("humanCodingScheme") or shorten(fields["fullStatement"], 60))
        self.items.append(
            {
                "identifier": node["identifier"],
                "uri": node["uri"],
                "CFDocumentURI": self.document,
                **_drop_empty(fields),
                "CFItemType": kind,
                "CFItemTypeURI": self.types[kind],
                "lastChangeDateTime": self.stamp,
            }
        )
        self.associations.append(
            {
                **_uri_fields(self.link(f"association:{key}", "isChildOf")),
                "CFDocumentURI": self.document,
                "associationType": "isChildOf",
                "sequenceNumber": sequence,
                "originNodeURI": node,
                "destinationNodeURI": parent,
                "lastChangeDateTime": self.stamp,
            }
        )
        return node


API_PATH = "/ims/case/v1p0"
_COLLECTIONS = {
    "document": "CFDocuments",
    "licence": "CFLicenses",
    "itemtype": "CFItemTypes",
    "association": "CFAssociations",
}


def api_uri(base: str, collection: str, identifier: str) -> str:
    """The address of a record in the CASE 1.0 REST API (`<base>/ims/case/v1p0/CFItems/<identifier>`)."""
    return f"{base.rstrip('/')}{API_PATH}/{collection}/{identifier}"


def _collection(key: str) -> str:
    return _COLLECTIONS.get(key.split(":", 1)[0], "CFItems")


def _add_groups(package: _Package, spec: FrameworkSpec) -> dict[str, Link]:
    """Each group under its parent (or the document), numbered in file order; their links by code."""
    group_nodes: dict[str, Link] = {}
    for group in _parents_first(spec.groups):
        parent = group_nodes.get(group.parent, package.document) if group.parent else package.document
        about = {"fullStatement": group.title, "humanCodingScheme": group.code, "notes": group.description}
        group_nodes[group.code] = package.add(f"group:{group.code}", GROUP, about, parent, spec.groups.index(group) + 1)
    return group_nodes


def _add_criteria(package: _Package, spec: FrameworkSpec, group_nodes: Mapping[str, Link]) -> None:
    """Each criterion under its group, numbered on from the groups, followed by its prompt questions."""
    for j, criterion in enumerate(spec.criteria):
        sequence = len(spec.groups) + j + 1
        parent = group_nodes.get(criterion.group, package.document)
        node = package.add(f"criterion:{criterion.code}", CRITERION, _criterion_fields(criterion), parent, sequence)
        for n, prompt in enumerate(criterion.prompts, start=1):
            package.add(f"prompt:{criterion.code}:{n}", PROMPT, {"fullStatement": prompt}, node, n)


def _criterion_fields(criterion: CriterionSpec) -> dict[str, Any]:
    return {
        "fullStatement": criterion.title,
        "humanCodingScheme": criterion.code,
        "notes": criterion.description,
        "conceptKeywords": list(criterion.areas),
        "educationLevel": [code for code, _ in criterion.levels],
        "extensions": {EXTENSION: {"levels": dict(criterion.levels), **_described(criterion.level_descriptions)}},
    }


def _described(level_descriptions: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """`levelDescriptions` (level code → words) where there are words; nothing where there are none, so that a
    framework without them exports exactly as it did before frameworks could have them."""
    return {"levelDescriptions": dict(level_descriptions)} if level_descriptions else {}


def _document(package: _Package, spec: FrameworkSpec) -> dict[str, Any]:
    """The CFDocument: name, version, description, source and licence, and our extension with the scale."""
    return _drop_empty(
        {
            **_uri_fields(package.document),
            "CFPackageURI": package.link("document", spec.name, "CFPackages"),
            "title": spec.name,
            "creator": shorten(_first_clause(spec.source), 120),
            "version": spec.version,
            "description": spec.description,
            "notes": spec.source,
            "licenseURI": package.licence,
            "language": "en",
            "lastChangeDateTime": package.stamp,
            "extensions": {
                EXTENSION: {
                    "format": FORMAT,
                    "slug": spec.slug,
                    "version": spec.version,
                    "scale": [_drop_empty(_point_fields(p)) for p in spec.scale],
                    **_described(spec.level_descriptions),
                    **({"repeatEveryMonths": spec.repeat_every_months} if spec.repeat_every_months else {}),
                }
            },
        }
    )


def _definitions(package: _Package, spec: FrameworkSpec) -> dict[str, Any]:
    """CFDefinitions: the licence and the three item types (the other lists are empty)."""
    licence = package.licence
    return {
        "CFConcepts": [],
        "CFSubjects": [],
        "CFLicenses": [
            {
                **_uri_fields(licence),
                "title": licence["title"],
                "licenseText": spec.licence,
                "lastChangeDateTime": package.stamp,
            }
        ],
        "CFItemTypes": [
            _item_type(package, level, name, description)
            for level, (name, description) in enumerate(ITEM_TYPES.items(), start=1)
        ],
        "CFAssociationGroupings": [],
    }


def _item_type(package: _Package, level: int, name: str, description: str) -> dict[str, Any]:
    return {
        **_uri_fields(package.types[name]),
        "title": name,
        "description": description,
        "hierarchyCode": str(level),
        "typeCode": name,
        "lastChangeDateTime": package.stamp,
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
    # `notARating` only where it is true, so a scale without such a point exports exactly as before.
    return {
        "value": point.value,
        "label": point.label,
        "descriptor": point.descriptor,
        **({"notARating": True} if point.not_a_rating else {}),
    }


def _first_clause(text: str) -> str:
    """'Faculty of Medical Leadership and Management with NHS Improvement (2017). The …' → the name before '('."""
    head = re.split(r"\s\(|\.\s|:\s|\n", text.strip(), maxsplit=1)[0].strip()
    return head or text.strip()


def _drop_empty(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value not in ("", None, [], {})}
