"""The crosswalk file format (`stepping-up-crosswalk/1`, YAML or JSON) read into plain data.

Pure: no Django. Read from YAML's node tree, as framework files are (`fileformat.py`), so that every fault names its
path and line ("criteria[3].mlcf[1] (line 42): 'XX-9' is not a code"). A file with any fault is refused whole.
Whether the codes exist in a loaded framework is for the service to say: this module knows no database.
See docs/FRAMEWORKS.md, "Crosswalks".
"""

from dataclasses import dataclass, field

import yaml

from .fileformat import CODE, SLUG, Fault, FrameworkFileError, _Reader

FORMAT = "stepping-up-crosswalk/1"


@dataclass(frozen=True)
class LinkSpec:
    """That `from_slug:from_code` corresponds to `to_slug:to_code`; `where` says where the file says so."""

    from_slug: str
    from_code: str
    to_slug: str
    to_code: str
    where: str = field(default="", compare=False)


@dataclass(frozen=True)
class CrosswalkSpec:
    from_slug: str
    to_slugs: tuple[str, ...]  # the frameworks it maps to: loading replaces the links between these pairs
    source: str
    licence: str
    links: tuple[LinkSpec, ...] = ()

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple((self.from_slug, to) for to in self.to_slugs)


class CrosswalkFileError(FrameworkFileError):
    """A crosswalk file with faults, each with its path and line."""


def parse_crosswalk(text: str) -> CrosswalkSpec:
    """Read a crosswalk file. Raises CrosswalkFileError listing every fault, with its path and line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise CrosswalkFileError([Fault("", line, f"not valid YAML or JSON: {exc.problem}")]) from None
    except yaml.YAMLError as exc:
        raise CrosswalkFileError([Fault("", None, f"not valid YAML or JSON: {exc}")]) from None
    if root is None:
        raise CrosswalkFileError([Fault("", None, "the file is empty")])
    reader = _Reader()
    top = reader.mapping(root, "", required={"format", "crosswalk", "criteria"}, optional=set())
    if "format" in top and reader.text(top, "format", "") not in ("", FORMAT):
        reader.fault("format", top["format"], f"expected '{FORMAT}'")
    from_slug, to_slugs, source, licence = _about(reader, top.get("crosswalk"))
    links = _links(reader, top.get("criteria"), from_slug=from_slug, to_slugs=to_slugs)
    if reader.faults:
        raise CrosswalkFileError(reader.faults)
    return CrosswalkSpec(from_slug, tuple(to_slugs), source, licence, tuple(links))


def _about(reader: _Reader, node: yaml.Node | None) -> tuple[str, list[str], str, str]:
    if node is None:
        return "", [], "", ""
    fields = reader.mapping(node, "crosswalk", required={"from", "to", "source", "licence"}, optional=set())
    from_slug = _slug(reader, fields, "from", "crosswalk")
    to_slugs: list[str] = []
    for i, item in enumerate(reader.sequence(fields.get("to"), "crosswalk.to")):
        value = str(item.value) if isinstance(item, yaml.ScalarNode) else ""
        path = f"crosswalk.to[{i}]"
        if not SLUG.match(value):
            reader.fault(path, item, "expected a framework's slug (lower-case letters, digits and hyphens)")
        elif value == from_slug:
            reader.fault(path, item, f"a crosswalk maps '{from_slug}' to other frameworks, not to itself")
        elif value in to_slugs:
            reader.fault(path, item, f"'{value}' is given twice")
        else:
            to_slugs.append(value)
    if "to" in fields and not to_slugs and not reader.faults:
        reader.fault("crosswalk.to", fields["to"], "name at least one framework to map to")
    return from_slug, to_slugs, reader.text(fields, "source", "crosswalk"), reader.text(fields, "licence", "crosswalk")


def _slug(reader: _Reader, fields: dict[str, yaml.Node], key: str, path: str) -> str:
    value = reader.text(fields, key, path)
    if value and not SLUG.match(value):
        reader.fault(
            f"{path}.{key}", fields[key], "expected a framework's slug (lower-case letters, digits and hyphens)"
        )
        return ""
    return value


def _links(reader: _Reader, node: yaml.Node | None, *, from_slug: str, to_slugs: list[str]) -> list[LinkSpec]:
    """Each criterion of the `from` framework with the codes it maps to in each `to` framework (an empty list, or
    leaving a framework out, says it maps to nothing there)."""
    links: list[LinkSpec] = []
    seen: dict[str, str] = {}
    for i, item in enumerate(reader.sequence(node, "criteria")):
        path = f"criteria[{i}]"
        fields = reader.mapping(item, path, required={"code"}, optional=set(to_slugs))
        code = reader.text(fields, "code", path)
        if code and not CODE.match(code):
            reader.fault(f"{path}.code", fields["code"], f"'{code}' is not a code")
        elif code in seen:
            reader.fault(f"{path}.code", fields["code"], f"'{code}' is given twice (also {seen[code]})")
        seen.setdefault(code, path)
        for to_slug in to_slugs:
            given: set[str] = set()
            for j, target in enumerate(reader.sequence(fields.get(to_slug), f"{path}.{to_slug}")):
                where = f"{path}.{to_slug}[{j}]"
                value = str(target.value) if isinstance(target, yaml.ScalarNode) else ""
                if not CODE.match(value):
                    reader.fault(where, target, f"'{value}' is not a code")
                elif value in given:
                    reader.fault(where, target, f"'{value}' is given twice")
                else:
                    given.add(value)
                    line = target.start_mark.line + 1
                    links.append(LinkSpec(from_slug, code, to_slug, value, where=f"{where} (line {line})"))
    return links
