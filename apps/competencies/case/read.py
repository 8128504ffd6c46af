"""Import (`case_to_spec`): a framework from a CASE package, read leniently, with notes on what was left out.

The document gives the framework's name, source and licence; our own extension, when present, the scale, slug,
version and what each level's scope looks like; the isChildOf tree (`tree`) the groups and criteria (`items`).
"""

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..fileformat import FORMAT, SLUG, FrameworkSpec, GroupSpec, ScalePointSpec
from .common import EXTENSION, CaseImportError, count
from .items import (
    assign_codes,
    criterion_spec,
    group_spec,
    ignored_fields,
    level_descriptions,
    level_notes,
    unique,
)
from .tree import classify, in_sequence, read_items, read_tree
from .values import link_part, text_of

DEFAULT_LICENCE = "See the source."
UNGROUPED = "Ungrouped"


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
    items = read_items(package.get("CFItems"))
    read_tree(document, items, package.get("CFAssociations"), notes)
    groups, criteria = classify(items, notes)
    if ours:  # our export numbers groups and criteria through the whole framework: restore the file's order
        groups = in_sequence(groups)
        criteria = in_sequence(criteria)
    assign_codes([*groups, *criteria], notes)
    scale = _scale(ours, default_scale, notes)
    group_specs = [group_spec(node) for node in groups]
    ungrouped = [node for node in criteria if node.parent is None]
    if ungrouped:
        code = unique("UNGROUPED", {node.code for node in [*groups, *criteria]})
        group_specs.append(GroupSpec(code=code, title=UNGROUPED))
        notes.append(
            f"{count(len(ungrouped), 'criterion', 'criteria')} directly under the document went into "
            f"the group '{UNGROUPED}'"
        )
    else:
        code = ""
    criterion_specs = [criterion_spec(node, code, items, scale, ours is not None, notes) for node in criteria]
    level_notes(groups, criteria, ours is not None, notes)
    ignored_fields(items, notes)
    spec = FrameworkSpec(
        **_about(document, package.get("CFDefinitions"), ours, notes),
        scale=tuple(scale),
        repeat_every_months=_repeat(ours, notes),
        level_descriptions=level_descriptions(ours, notes) if ours else (),
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


def _repeat(ours: Mapping[str, Any] | None, notes: list[str]) -> int | None:
    """`repeatEveryMonths` of our extension: how often the framework's self-assessment is meant to be repeated."""
    raw = ours.get("repeatEveryMonths") if ours else None
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 60:
        notes.append(f"CFDocument.extensions.{EXTENSION}.repeatEveryMonths is not 1 to 60 months, and was ignored")
        return None
    return raw


def _scale_points(raw: Any) -> list[ScalePointSpec] | None:
    if not isinstance(raw, list) or len(raw) < 2:
        return None
    points: list[ScalePointSpec] = []
    for point in raw:
        if not isinstance(point, Mapping):
            return None
        value, label = point.get("value"), text_of(point.get("label"))
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10 or not label:
            return None
        if any(p.value == value for p in points):
            return None
        not_a_rating = point.get("notARating", False)
        if not isinstance(not_a_rating, bool) or (not_a_rating and any(p.not_a_rating for p in points)):
            return None
        points.append(ScalePointSpec(value, label, text_of(point.get("descriptor")), not_a_rating=not_a_rating))
    if sum(1 for p in points if not p.not_a_rating) < 2:
        return None
    return points


def _about(
    document: Mapping[str, Any], definitions: Any, ours: Mapping[str, Any] | None, notes: list[str]
) -> dict[str, str]:
    name = text_of(document.get("title"))
    if not name:
        name = "Untitled framework"
        notes.append(f"CFDocument has no title; it was called '{name}'")
    slug = text_of(ours.get("slug")) if ours else ""
    if not SLUG.match(slug):
        slug = _slugify(name)
    version = (text_of(ours.get("version")) if ours else "") or text_of(document.get("version")) or "1"
    return {
        "slug": slug,
        "version": version,
        "name": name,
        "source": _source(document, ours is not None),
        "licence": _licence(document, definitions, notes),
        "description": text_of(document.get("description")),
    }


def _slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:60].strip("-")
    return slug if SLUG.match(slug) else "framework"


def _source(document: Mapping[str, Any], ours: bool) -> str:
    if ours and text_of(document.get("notes")):
        return text_of(document["notes"])
    parts: list[str] = []
    for key in ("creator", "publisher", "officialSourceURL"):
        value = text_of(document.get(key))
        if value and value not in parts:
            parts.append(value)
    if parts:
        return ". ".join(parts)
    return f"CASE package {text_of(document.get('uri')) or text_of(document.get('identifier')) or 'with no source'}"


def _licence(document: Mapping[str, Any], definitions: Any, notes: list[str]) -> str:
    link = document.get("licenseURI")
    licences = definitions.get("CFLicenses") if isinstance(definitions, Mapping) else None
    licences = [x for x in licences if isinstance(x, Mapping)] if isinstance(licences, list) else []
    wanted = {link_part(link, "identifier"), link_part(link, "uri")} - {""}
    found = [x for x in licences if wanted & {text_of(x.get("identifier")), text_of(x.get("uri"))}]
    if not found and not wanted and len(licences) == 1:
        found = licences
    for licence in found:
        text = (
            text_of(licence.get("licenseText")) or text_of(licence.get("description")) or text_of(licence.get("title"))
        )
        if text:
            return text
    if wanted:
        named = " ".join(part for part in (link_part(link, "title"), link_part(link, "uri")) if part)
        return f"{named}. See the source."
    notes.append(f"The package gives no licence; the licence reads '{DEFAULT_LICENCE}'")
    return DEFAULT_LICENCE
