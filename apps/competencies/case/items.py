"""Groups and criteria from the tree's nodes: their codes, titles, prompts, areas and expected levels, and notes
on what had no place in a framework."""

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from ..fileformat import CODE, CriterionSpec, GroupSpec, ScalePointSpec
from ..vocabulary import AREAS, LEVELS
from .common import EXTENSION, count, examples, shorten
from .tree import Item, Node
from .values import integer, strings, text_of


def assign_codes(nodes: list[Node], notes: list[str]) -> None:
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
        node.code = unique(position if CODE.match(position) else f"{prefix}{node.item.index + 1}", used)
        used.add(node.code)
        if not coding:
            missing.append(node.code)
        elif counts[coding] > 1:
            duplicate.add(coding)
        else:
            invalid.append(coding)
    if missing:
        notes.append(
            f"{count(len(missing), 'item')} without a humanCodingScheme got codes from their place: "
            + examples(missing)
        )
    for coding in sorted(duplicate):
        notes.append(f"humanCodingScheme '{coding}' is used by {counts[coding]} items; they got codes from their place")
    for coding in invalid:
        notes.append(
            f"humanCodingScheme '{shorten(coding, 60)}' cannot be a code (letters, digits, '.', '_' or '-', "
            "up to 40); the item got a code from its place"
        )


def unique(code: str, used: set[str]) -> str:
    candidate, n = code, 1
    while candidate in used:
        n += 1
        candidate = f"{code}-{n}"
    return candidate


def group_spec(node: Node) -> GroupSpec:
    return GroupSpec(
        code=node.code,
        title=_title(node.item),
        description=text_of(node.item.data.get("notes")),
        parent=node.parent.code if node.parent else None,
    )


def criterion_spec(
    node: Node, ungrouped: str, items: list[Item], scale: Sequence[ScalePointSpec], ours: bool, notes: list[str]
) -> CriterionSpec:
    data = node.item.data
    prompts = [_statement(items[i]) for i in node.item.children if items[i].is_prompt]
    levels = _expected_levels(data, node.code, scale, notes) if ours else ()
    return CriterionSpec(
        code=node.code,
        group=node.parent.code if node.parent else ungrouped,
        title=_title(node.item),
        description=text_of(data.get("notes")),
        prompts=tuple(p for p in prompts if p),
        areas=_areas(data.get("conceptKeywords"), node.code, notes),
        levels=levels,
        level_descriptions=_level_words(data, node.code, {code for code, _ in levels}, notes) if ours else (),
    )


def _statement(item: Item) -> str:
    return text_of(item.data.get("fullStatement")) or text_of(item.data.get("abbreviatedStatement"))


def _title(item: Item) -> str:
    return _statement(item) or item.coding or f"Item {item.identifier}"


def _areas(raw: Any, code: str, notes: list[str]) -> tuple[str, ...]:
    areas: list[str] = []
    for keyword in strings(raw):
        if keyword in AREAS:
            if keyword not in areas:
                areas.append(keyword)
        else:
            notes.append(
                f"{code}: conceptKeyword '{shorten(keyword, 60)}' is not an area of responsibility and was ignored"
            )
    return tuple(areas)


def _ours(data: Mapping[str, Any], key: str) -> Any:
    """`extensions.steppingUp.<key>` of an item, or None."""
    extensions = data.get("extensions")
    ours = extensions.get(EXTENSION) if isinstance(extensions, Mapping) else None
    return ours.get(key) if isinstance(ours, Mapping) else None


def _expected_levels(
    data: Mapping[str, Any], code: str, scale: Sequence[ScalePointSpec], notes: list[str]
) -> tuple[tuple[str, int], ...]:
    raw = _ours(data, "levels")
    if not isinstance(raw, Mapping):
        return ()
    values = {p.value for p in scale if not p.not_a_rating}  # an expectation is a rating
    levels: list[tuple[str, int]] = []
    for level, expected in raw.items():
        value = integer(expected)
        if level not in LEVELS or value is None or value not in values:
            notes.append(
                f"{code}: the expectation {level}: {expected!r} is not a level and a value on the scale, "
                "and was ignored"
            )
        else:
            levels.append((level, value))
    return tuple(sorted(levels, key=lambda pair: LEVELS[pair[0]]))


def _level_words(data: Mapping[str, Any], code: str, levels: set[str], notes: list[str]) -> tuple[tuple[str, str], ...]:
    """The words for each level that has an expected rating, in ladder order; anything else is noted and left out."""
    raw = _ours(data, "levelDescriptions")
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        notes.append(f"{code}: extensions.{EXTENSION}.levelDescriptions is not a mapping of levels, and was ignored")
        return ()
    words: list[tuple[str, str]] = []
    for level, text in raw.items():
        if level in levels and isinstance(text, str) and text.strip():
            words.append((level, text.strip()))
        else:
            notes.append(
                f"{code}: the words for {shorten(str(level), 40)} are not text for a level with an expected rating, "
                "and were ignored"
            )
    return tuple(sorted(words, key=lambda pair: LEVELS[pair[0]]))


def level_descriptions(ours: Mapping[str, Any], notes: list[str]) -> tuple[tuple[str, str], ...]:
    """What each rung's scope looks like, from our extension on the document, in ladder order."""
    raw = ours.get("levelDescriptions")
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        notes.append(f"CFDocument.extensions.{EXTENSION}.levelDescriptions is not a mapping of levels, and was ignored")
        return ()
    described: list[tuple[str, str]] = []
    for level, text in raw.items():
        if level in LEVELS and isinstance(text, str) and text.strip():
            described.append((level, text.strip()))
        else:
            notes.append(
                f"CFDocument: the description of {shorten(str(level), 40)} is not text for a leadership level, "
                "and was ignored"
            )
    return tuple(sorted(described, key=lambda pair: LEVELS[pair[0]]))


def level_notes(groups: list[Node], criteria: list[Node], ours: bool, notes: list[str]) -> None:
    """educationLevel (or the pre-1.0 educationalLevel) only ever names levels; the expectations are ours alone."""
    foreign: Counter[str] = Counter()
    named = 0
    for node in [*groups, *criteria]:
        data = node.item.data
        codes = strings(data.get("educationLevel", data.get("educationalLevel")))
        foreign.update(code for code in codes if code not in LEVELS)
        named += bool(not ours and not node.is_group and any(code in LEVELS for code in codes))
    for code, n in sorted(foreign.items()):
        notes.append(f"educationLevel '{code}' is not a leadership level and was ignored ({count(n, 'item')})")
    if named:
        notes.append(
            f"{count(named, 'criterion', 'criteria')} name leadership levels in educationLevel, but plain CASE gives "
            "no expected rating: their levels were left empty"
        )


_USED_ITEM_FIELDS = {
    "identifier", "uri", "CFDocumentURI", "fullStatement", "abbreviatedStatement", "humanCodingScheme", "notes",
    "CFItemType", "CFItemTypeURI", "conceptKeywords", "educationLevel", "educationalLevel", "listEnumeration",
    "lastChangeDateTime", "extensions",
}  # fmt: skip


def ignored_fields(items: list[Item], notes: list[str]) -> None:
    ignored: Counter[str] = Counter()
    for item in items:
        ignored.update(key for key, value in item.data.items() if key not in _USED_ITEM_FIELDS and _present(value))
        if text_of(item.data.get("fullStatement")) and text_of(item.data.get("abbreviatedStatement")):
            ignored["abbreviatedStatement"] += 1
    if ignored:
        fields = ", ".join(f"{key} ({n})" for key, n in sorted(ignored.items()))
        notes.append(f"Item fields with no place in a framework were ignored: {fields}")


def _present(value: Any) -> bool:
    return value not in (None, "", [], {})
