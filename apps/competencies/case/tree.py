"""The isChildOf tree of a CASE package: its items, who is whose child in what order, and which items are groups
and which criteria."""

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .common import GROUP, PROMPT, CaseImportError, count, were
from .values import integer, link_part, text_of

DOCUMENT = -1  # the CFDocument's place in the tree (items are numbered from 0)


@dataclass
class Item:
    index: int
    identifier: str
    data: Mapping[str, Any]
    kind: str = ""
    parent: int | None = None  # None: no usable isChildOf; DOCUMENT: top level
    sequence: int | None = None
    link: int | None = None  # the index of its isChildOf association
    children: list[int] = field(default_factory=list)

    @property
    def coding(self) -> str:
        return text_of(self.data.get("humanCodingScheme"))

    @property
    def is_prompt(self) -> bool:
        return self.kind.casefold() == PROMPT.casefold()


@dataclass
class Node:
    item: Item
    position: tuple[int, ...]
    parent: "Node | None" = None
    is_group: bool = False
    code: str = ""


def read_items(raw: Any) -> list[Item]:
    if not isinstance(raw, list):
        raise CaseImportError("CFItems: " + ("missing" if raw is None else "expected a list"))
    items: list[Item] = []
    seen: dict[str, int] = {}
    for i, data in enumerate(raw):
        if not isinstance(data, Mapping):
            raise CaseImportError(f"CFItems[{i}]: expected an object")
        identifier = text_of(data.get("identifier"))
        if not identifier:
            raise CaseImportError(f"CFItems[{i}]: no identifier")
        if identifier in seen:
            raise CaseImportError(f"CFItems[{i}]: the identifier '{identifier}' is also CFItems[{seen[identifier]}]")
        seen[identifier] = i
        items.append(Item(index=i, identifier=identifier, data=data, kind=_item_type(data)))
    return items


def _item_type(data: Mapping[str, Any]) -> str:
    kind = data.get("CFItemType")
    if isinstance(kind, Mapping):  # some exports give a LinkURI here
        kind = kind.get("title")
    if not text_of(kind) and isinstance(data.get("CFItemTypeURI"), Mapping):
        kind = data["CFItemTypeURI"].get("title")
    return text_of(kind)


def read_tree(document: Mapping[str, Any], items: list[Item], raw: Any, notes: list[str]) -> None:
    """Give every item its parent from isChildOf (origin = child, destination = parent) and sort the children."""
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise CaseImportError("CFAssociations: expected a list")
    lookup = _lookup(document, items)
    skipped = _Skipped()
    for k, association in enumerate(raw):
        if not isinstance(association, Mapping):
            raise CaseImportError(f"CFAssociations[{k}]: expected an object")
        _read_association(k, association, items, lookup, skipped)
    _check_cycles(items)
    _connect(items)
    _tree_notes(skipped, items, notes)


@dataclass
class _Skipped:
    """What `read_tree` could not use, for the notes."""

    other: Counter[str] = field(default_factory=Counter)  # associations of other types than isChildOf, by type
    unknown_child: int = 0
    second_parent: int = 0
    unknown_parent: int = 0  # the item is kept, at the top level


def _read_association(
    k: int, association: Mapping[str, Any], items: list[Item], lookup: Mapping[str, int], skipped: _Skipped
) -> None:
    """Association k: if it is a usable isChildOf, the child's parent, link and sequence number."""
    kind = text_of(association.get("associationType")) or "(no type)"
    if kind.casefold() != "ischildof":
        skipped.other[kind] += 1
        return
    child = _resolve(association.get("originNodeURI"), lookup)
    parent = _resolve(association.get("destinationNodeURI"), lookup)
    if child is None or child == DOCUMENT:
        skipped.unknown_child += 1
    elif items[child].link is not None:
        skipped.second_parent += 1
    else:
        item = items[child]
        item.parent, item.link = parent, k
        item.sequence = integer(association.get("sequenceNumber"))
        if parent is None:
            skipped.unknown_parent += 1


def _connect(items: list[Item]) -> None:
    """Items with no usable parent go to the top level; every parent gets its children, in order."""
    for item in items:
        if item.parent is None:
            item.parent = DOCUMENT
    for item in items:
        if item.parent is not None and item.parent != DOCUMENT:
            items[item.parent].children.append(item.index)
    for item in items:
        item.children.sort(key=lambda i: _sibling_key(items[i]))


def _tree_notes(skipped: _Skipped, items: list[Item], notes: list[str]) -> None:
    other = skipped.other
    if other:
        kinds = ", ".join(f"{kind} ({n})" for kind, n in sorted(other.items(), key=lambda kv: (-kv[1], kv[0])))
        total = other.total()
        notes.append(f"{count(total, 'association')} of types other than isChildOf {were(total)} ignored: {kinds}")
    if skipped.unknown_child:
        notes.append(
            f"{count(skipped.unknown_child, 'isChildOf association')} whose child is not an item in the package "
            f"{were(skipped.unknown_child)} ignored"
        )
    if skipped.second_parent:
        notes.append(
            f"{count(skipped.second_parent, 'isChildOf association')} placing an item under a second parent "
            f"{were(skipped.second_parent)} ignored (each item keeps its first place)"
        )
    if skipped.unknown_parent:
        notes.append(
            f"{count(skipped.unknown_parent, 'item')} whose parent is not in the package "
            f"{were(skipped.unknown_parent)} put at the top level"
        )
    orphans = sum(1 for item in items if item.link is None)
    if orphans and items:
        notes.append(f"{count(orphans, 'item')} with no isChildOf association {were(orphans)} put at the top level")


def _lookup(document: Mapping[str, Any], items: list[Item]) -> dict[str, int]:
    lookup: dict[str, int] = {}
    for key in (document.get("identifier"), document.get("uri"), link_part(document.get("CFPackageURI"), "uri")):
        if text_of(key):
            lookup[text_of(key)] = DOCUMENT
    for item in items:
        lookup[item.identifier] = item.index
    for item in items:
        uri = text_of(item.data.get("uri"))
        if uri:
            lookup.setdefault(uri, item.index)
    return lookup


def _resolve(reference: Any, lookup: Mapping[str, int]) -> int | None:
    """A LinkURI object (CASE 1.0) or a plain identifier or URI string (older exports)."""
    candidates = (
        [text_of(reference.get("identifier")), text_of(reference.get("uri"))]
        if isinstance(reference, Mapping)
        else [text_of(reference)]
    )
    return next((lookup[c] for c in candidates if c and c in lookup), None)


def _check_cycles(items: list[Item]) -> None:
    safe: set[int] = set()
    for item in items:
        chain: list[int] = []
        current: int | None = item.index
        while current is not None and current != DOCUMENT and current not in safe:
            if current in chain:
                loop = [*chain[chain.index(current) :], current]
                names = " → ".join(items[i].coding or items[i].identifier for i in loop)
                raise CaseImportError(f"CFAssociations[{items[current].link}]: isChildOf forms a cycle: {names}")
            chain.append(current)
            current = items[current].parent
        safe.update(chain)


def _sibling_key(item: Item) -> tuple[Any, ...]:
    """sequenceNumber first; without one, listEnumeration, then humanCodingScheme in natural order (1, 2, 10)."""
    return (
        item.sequence is None,
        item.sequence or 0,
        _natural(text_of(item.data.get("listEnumeration"))),
        _natural(item.coding),
        item.index,
    )


def in_sequence(nodes: list[Node]) -> list[Node]:
    def key(pair: tuple[int, Node]) -> tuple[bool, int, int]:
        sequence = pair[1].item.sequence
        return (sequence is None, sequence or 0, pair[0])

    return [node for _, node in sorted(enumerate(nodes), key=key)]


def _natural(text: str) -> tuple[Any, ...]:
    if not text:
        return (1,)
    return (0, *((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|\D+", text)))


def classify(items: list[Item], notes: list[str]) -> tuple[list[Node], list[Node]]:
    """Walk the tree from the top: items with children (or typed Group) are groups, other items criteria."""
    groups: list[Node] = []
    criteria: list[Node] = []
    stray_prompts = 0
    reached: set[int] = set()

    def walk(children: Iterable[int], parent: Node | None, prefix: tuple[int, ...]) -> None:
        nonlocal stray_prompts
        counts = Counter[str]()
        for index in children:
            item = items[index]
            reached.add(index)
            if item.is_prompt:
                stray_prompts += 1
            elif _is_group(item, items):
                counts["group"] += 1
                node = Node(item, (*prefix, counts["group"]), parent, is_group=True)
                groups.append(node)
                walk(item.children, node, node.position)
            else:
                counts["criterion"] += 1
                criteria.append(Node(item, (*prefix, counts["criterion"]), parent))
                reached.update(i for i in item.children)

    walk(sorted((i.index for i in items if i.parent == DOCUMENT), key=lambda i: _sibling_key(items[i])), None, ())
    top = sum(1 for node in groups if node.parent is None)
    for node in criteria:
        if node.parent is None:
            node.position = (top + 1, *node.position)
    if stray_prompts:
        notes.append(f"{count(stray_prompts, 'prompt question')} not under a criterion {were(stray_prompts)} ignored")
    unreached = len(items) - len(reached)
    if unreached:
        notes.append(f"{count(unreached, 'item')} below prompt questions {were(unreached)} ignored")
    return groups, criteria


def _is_group(item: Item, items: list[Item]) -> bool:
    return item.kind.casefold() == GROUP.casefold() or any(not items[i].is_prompt for i in item.children)
