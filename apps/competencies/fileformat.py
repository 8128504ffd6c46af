"""The framework file format (`stepping-up-framework/1`, YAML or JSON) read into plain data, and written back.

Pure: no Django. Reading walks the YAML node tree rather than loaded Python objects, so that every fault names
both its path in the document and its line ("criteria[3].areas[1] (line 42): unknown area 'finance'"). A file
with any fault is refused whole. JSON files are read by the same code: JSON is YAML as far as this is concerned.
See docs/FRAMEWORKS.md for the format.
"""

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .vocabulary import AREAS, LEVELS

FORMAT = "stepping-up-framework/1"
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


@dataclass(frozen=True)
class ScalePointSpec:
    value: int
    label: str
    descriptor: str = ""
    # An answer that is not a rating ("No chance to demonstrate"): chosen like any point, counted in no figure.
    not_a_rating: bool = False


@dataclass(frozen=True)
class GroupSpec:
    code: str
    title: str
    description: str = ""
    parent: str | None = None


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    group: str
    title: str
    description: str = ""
    prompts: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    levels: tuple[tuple[str, int], ...] = ()  # (level code, expected rating), in ladder order
    # (level code, what someone at that level should be able to show), in ladder order: only levels that have
    # words, and only levels that also have an expected rating.
    level_descriptions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FrameworkSpec:
    slug: str
    version: str
    name: str
    source: str
    licence: str
    description: str = ""
    scale: tuple[ScalePointSpec, ...] = ()
    # (level code, what that rung's scope looks like in this framework), in ladder order.
    level_descriptions: tuple[tuple[str, str], ...] = ()
    groups: tuple[GroupSpec, ...] = ()
    criteria: tuple[CriterionSpec, ...] = ()
    # Months between self-assessments the framework is meant to be repeated at (12: yearly), or None.
    repeat_every_months: int | None = None


@dataclass(frozen=True)
class Fault:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path} (line {self.line})" if self.line else self.path or "the file"
        return f"{where}: {self.message}"


class FrameworkFileError(Exception):
    def __init__(self, faults: list[Fault]) -> None:
        self.faults = faults
        super().__init__("; ".join(str(f) for f in faults[:20]) + (" …" if len(faults) > 20 else ""))


@dataclass
class _Reader:
    faults: list[Fault] = field(default_factory=list)

    def fault(self, path: str, node: yaml.Node | None, message: str) -> None:
        self.faults.append(Fault(path, node.start_mark.line + 1 if node is not None else None, message))

    def mapping(self, node: yaml.Node, path: str, *, required: set[str], optional: set[str]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.fault(path, node, "expected a mapping of fields")
            return {}
        fields: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None or key not in required | optional:
                self.fault(f"{path}.{key}" if path else str(key), key_node, f"unknown field '{key}'")
            elif key in fields:
                self.fault(f"{path}.{key}" if path else key, key_node, f"the field '{key}' is given twice")
            else:
                fields[key] = value_node
        for missing in sorted(required - fields.keys()):
            self.fault(path or "the file", node, f"missing field '{missing}'")
        return fields

    def text(self, fields: dict[str, yaml.Node], key: str, path: str, *, required: bool = True) -> str:
        node = fields.get(key)
        if node is None:
            return ""
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
            if required or not node.tag.endswith(":null"):
                self.fault(f"{path}.{key}", node, "expected text")
            return ""
        value = str(node.value).strip()
        if required and not value:
            self.fault(f"{path}.{key}", node, "must not be empty")
        return value

    def integer(self, node: yaml.Node, path: str) -> int | None:
        if isinstance(node, yaml.ScalarNode) and re.fullmatch(r"-?\d+", str(node.value)):
            return int(node.value)
        self.fault(path, node, "expected a whole number")
        return None

    def flag(self, fields: dict[str, yaml.Node], key: str, path: str) -> bool:
        node = fields.get(key)
        if node is None:
            return False
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:bool":
            self.fault(f"{path}.{key}", node, "expected true or false")
            return False
        return str(node.value).lower() in ("true", "yes", "on")

    def sequence(self, node: yaml.Node | None, path: str) -> list[yaml.Node]:
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.fault(path, node, "expected a list")
            return []
        return list(node.value)


def parse(text: str) -> FrameworkSpec:
    """Read a framework file. Raises FrameworkFileError listing every fault, with its path and line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise FrameworkFileError([Fault("", line, f"not valid YAML or JSON: {exc.problem}")]) from None
    except yaml.YAMLError as exc:
        raise FrameworkFileError([Fault("", None, f"not valid YAML or JSON: {exc}")]) from None
    if root is None:
        raise FrameworkFileError([Fault("", None, "the file is empty")])
    reader = _Reader()
    top = reader.mapping(
        root, "", required={"format", "framework", "scale", "groups", "criteria"}, optional={"level_descriptions"}
    )
    if "format" in top and reader.text(top, "format", "") not in ("", FORMAT):
        reader.fault("format", top["format"], f"expected '{FORMAT}'")
    about = _framework(reader, top.get("framework"))
    scale = _scale(reader, top.get("scale"))
    level_descriptions = _level_descriptions(reader, top.get("level_descriptions"))
    groups = _groups(reader, top.get("groups"))
    # An expectation is a rating, so it may not be the point that is not one.
    ratings = {p.value for p in scale if not p.not_a_rating}
    criteria = _criteria(reader, top.get("criteria"), groups={g.code for g in groups}, scale=ratings)
    _check_codes_and_cycles(reader, groups, criteria, top)
    if reader.faults:
        raise FrameworkFileError(reader.faults)
    return FrameworkSpec(
        **about,
        scale=tuple(scale),
        level_descriptions=level_descriptions,
        groups=tuple(groups),
        criteria=tuple(criteria),
    )


def _framework(reader: _Reader, node: yaml.Node | None) -> dict[str, Any]:
    if node is None:
        return {}
    fields = reader.mapping(
        node,
        "framework",
        required={"slug", "version", "name", "source", "licence"},
        optional={"description", "repeat_every_months"},
    )
    about: dict[str, Any] = {
        key: reader.text(fields, key, "framework") for key in ("slug", "version", "name", "source", "licence")
    }
    about["description"] = reader.text(fields, "description", "framework", required=False)
    if about["slug"] and not SLUG.match(about["slug"]):
        reader.fault("framework.slug", fields["slug"], "use lower-case letters, digits and hyphens")
    if "repeat_every_months" in fields:
        months = reader.integer(fields["repeat_every_months"], "framework.repeat_every_months")
        if months is not None and not 1 <= months <= 60:
            reader.fault("framework.repeat_every_months", fields["repeat_every_months"], "give 1 to 60 months")
        about["repeat_every_months"] = months if months is not None and 1 <= months <= 60 else None
    return about


def _scale(reader: _Reader, node: yaml.Node | None) -> list[ScalePointSpec]:
    points: list[ScalePointSpec] = []
    items = reader.sequence(node, "scale")
    for i, item in enumerate(items):
        path = f"scale[{i}]"
        fields = reader.mapping(item, path, required={"value", "label"}, optional={"descriptor", "not_a_rating"})
        value = reader.integer(fields["value"], f"{path}.value") if "value" in fields else None
        if value is not None and not 0 <= value <= 10:
            reader.fault(f"{path}.value", fields["value"], "scale values run from 0 to 10")
        if value is not None and any(p.value == value for p in points):
            reader.fault(f"{path}.value", fields["value"], f"the value {value} is on the scale twice")
        label = reader.text(fields, "label", path)
        not_a_rating = reader.flag(fields, "not_a_rating", path)
        if not_a_rating and any(p.not_a_rating for p in points):
            reader.fault(f"{path}.not_a_rating", fields["not_a_rating"], "only one point may be not a rating")
        if value is not None:
            descriptor = reader.text(fields, "descriptor", path, required=False)
            points.append(ScalePointSpec(value, label, descriptor, not_a_rating=not_a_rating))
    if node is not None and len(items) < 2:
        reader.fault("scale", node, "a rating scale needs at least two points")
    elif node is not None and sum(1 for p in points if not p.not_a_rating) < 2:
        # A point that is not a rating is an answer beside the scale, so the scale itself still needs two.
        reader.fault("scale", node, "a rating scale needs at least two points that are ratings")
    return points


def _level_descriptions(reader: _Reader, node: yaml.Node | None) -> tuple[tuple[str, str], ...]:
    """What each rung's scope looks like: level code → one or two sentences, in ladder order."""
    if node is None:
        return ()
    fields = reader.mapping(node, "level_descriptions", required=set(), optional=set(LEVELS))
    described = (
        (code, reader.text(fields, code, "level_descriptions")) for code in sorted(fields, key=LEVELS.__getitem__)
    )
    return tuple((code, text) for code, text in described if text)


def _groups(reader: _Reader, node: yaml.Node | None) -> list[GroupSpec]:
    groups = []
    for i, item in enumerate(reader.sequence(node, "groups")):
        path = f"groups[{i}]"
        fields = reader.mapping(item, path, required={"code", "title"}, optional={"description", "parent"})
        parent = reader.text(fields, "parent", path, required=False) or None
        groups.append(
            GroupSpec(
                code=reader.text(fields, "code", path),
                title=reader.text(fields, "title", path),
                description=reader.text(fields, "description", path, required=False),
                parent=parent,
            )
        )
        reader_line = fields.get("code")
        if groups[-1].code and not CODE.match(groups[-1].code):
            reader.fault(f"{path}.code", reader_line, "a code is letters, digits, '.', '_' or '-' (up to 40)")
    return groups


def _criteria(reader: _Reader, node: yaml.Node | None, *, groups: set[str], scale: set[int]) -> list[CriterionSpec]:
    criteria = []
    for i, item in enumerate(reader.sequence(node, "criteria")):
        path = f"criteria[{i}]"
        fields = reader.mapping(
            item, path, required={"code", "group", "title"}, optional={"description", "prompts", "areas", "levels"}
        )
        code, group = reader.text(fields, "code", path), reader.text(fields, "group", path)
        if code and not CODE.match(code):
            reader.fault(f"{path}.code", fields.get("code"), "a code is letters, digits, '.', '_' or '-' (up to 40)")
        if group and group not in groups:
            reader.fault(f"{path}.group", fields["group"], f"no group has the code '{group}'")
        prompts = []
        for j, prompt in enumerate(reader.sequence(fields.get("prompts"), f"{path}.prompts")):
            if not isinstance(prompt, yaml.ScalarNode) or not str(prompt.value).strip():
                reader.fault(f"{path}.prompts[{j}]", prompt, "expected the text of a question")
            else:
                prompts.append(str(prompt.value).strip())
        areas = []
        for j, area in enumerate(reader.sequence(fields.get("areas"), f"{path}.areas")):
            value = str(area.value) if isinstance(area, yaml.ScalarNode) else ""
            if value not in AREAS:
                reader.fault(f"{path}.areas[{j}]", area, f"unknown area '{value}' (known: {', '.join(AREAS)})")
            elif value in areas:
                reader.fault(f"{path}.areas[{j}]", area, f"the area '{value}' is given twice")
            else:
                areas.append(value)
        levels, level_descriptions = _levels(reader, fields.get("levels"), f"{path}.levels", scale=scale)
        criteria.append(
            CriterionSpec(
                code=code,
                group=group,
                title=reader.text(fields, "title", path),
                description=reader.text(fields, "description", path, required=False),
                prompts=tuple(prompts),
                areas=tuple(areas),
                levels=levels,
                level_descriptions=level_descriptions,
            )
        )
    return criteria


def _levels(
    reader: _Reader, node: yaml.Node | None, path: str, *, scale: set[int]
) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[str, str], ...]]:
    """Each level's expected rating, given as a number or as `{expected: 3, description: …}`; and the words."""
    if node is None:
        return (), ()
    fields = reader.mapping(node, path, required=set(), optional=set(LEVELS))
    levels, descriptions = [], []
    for code in sorted(fields, key=LEVELS.__getitem__):
        expected, description = _level(reader, fields[code], f"{path}.{code}", scale=scale)
        if expected is not None:
            levels.append((code, expected))
            if description:
                descriptions.append((code, description))
    return tuple(levels), tuple(descriptions)


def _level(reader: _Reader, node: yaml.Node, path: str, *, scale: set[int]) -> tuple[int | None, str]:
    """One level's expected rating (None after a fault) and its words ("" when it has none)."""
    description = ""
    if isinstance(node, yaml.MappingNode):
        fields = reader.mapping(node, path, required={"expected"}, optional={"description"})
        if "description" in fields:  # present but empty is a slip (the words left out), so it is a fault
            description = reader.text(fields, "description", path)
        if "expected" not in fields:
            return None, description
        node, path = fields["expected"], f"{path}.expected"
    elif not isinstance(node, yaml.ScalarNode):
        reader.fault(path, node, "expected a whole number, or a mapping of 'expected' and 'description'")
        return None, ""
    expected = reader.integer(node, path)
    if expected is not None and scale and expected not in scale:
        reader.fault(path, node, f"{expected} is not a value on the rating scale")
    return expected, description


def _check_codes_and_cycles(
    reader: _Reader, groups: list[GroupSpec], criteria: list[CriterionSpec], top: dict[str, yaml.Node]
) -> None:
    group_nodes = (
        reader.sequence(top.get("groups"), "groups") if isinstance(top.get("groups"), yaml.SequenceNode) else []
    )
    seen: dict[str, str] = {}
    for i, group in enumerate(groups):
        node = group_nodes[i] if i < len(group_nodes) else None
        if group.code in seen:
            reader.fault(f"groups[{i}].code", node, f"duplicate code '{group.code}' (also {seen[group.code]})")
        seen.setdefault(group.code, f"groups[{i}]")
        if group.parent and group.parent not in {g.code for g in groups}:
            reader.fault(f"groups[{i}].parent", node, f"no group has the code '{group.parent}'")
    criterion_nodes = (
        reader.sequence(top.get("criteria"), "criteria") if isinstance(top.get("criteria"), yaml.SequenceNode) else []
    )
    for i, criterion in enumerate(criteria):
        node = criterion_nodes[i] if i < len(criterion_nodes) else None
        if criterion.code in seen:
            reader.fault(
                f"criteria[{i}].code", node, f"duplicate code '{criterion.code}' (also {seen[criterion.code]})"
            )
        seen.setdefault(criterion.code, f"criteria[{i}]")
    parents = {g.code: g.parent for g in groups}
    for i, group in enumerate(groups):
        chain, current = [group.code], group.parent
        while current is not None and current in parents:
            if current in chain:
                node = group_nodes[i] if i < len(group_nodes) else None
                reader.fault(f"groups[{i}].parent", node, "groups form a cycle: " + " → ".join([*chain, current]))
                break
            chain.append(current)
            current = parents[current]


def dump(spec: FrameworkSpec) -> str:
    """Write a framework in the same format; parse(dump(spec)) == spec."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "framework": {
            "slug": spec.slug,
            "version": spec.version,
            "name": spec.name,
            **({"description": spec.description} if spec.description else {}),
            "source": spec.source,
            "licence": spec.licence,
            **({"repeat_every_months": spec.repeat_every_months} if spec.repeat_every_months else {}),
        },
        "scale": [
            _drop_empty(
                {
                    "value": p.value,
                    "label": p.label,
                    "descriptor": p.descriptor,
                    "not_a_rating": p.not_a_rating or None,
                }
            )
            for p in spec.scale
        ],
        **({"level_descriptions": dict(spec.level_descriptions)} if spec.level_descriptions else {}),
        "groups": [
            _drop_empty({"code": g.code, "title": g.title, "description": g.description, "parent": g.parent})
            for g in spec.groups
        ],
        "criteria": [
            _drop_empty(
                {
                    "code": c.code,
                    "group": c.group,
                    "title": c.title,
                    "description": c.description,
                    "prompts": list(c.prompts),
                    "areas": list(c.areas),
                    "levels": _dumped_levels(c),
                }
            )
            for c in spec.criteria
        ],
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)


def _dumped_levels(criterion: CriterionSpec) -> dict[str, Any]:
    """A number for a level without words (as files have always said it), `{expected, description}` for one with."""
    words = dict(criterion.level_descriptions)
    return {
        code: {"expected": expected, "description": words[code]} if code in words else expected
        for code, expected in criterion.levels
    }


def _drop_empty(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value not in ("", None, [], {})}
