"""Reading the explorer's data files: role profiles (`stepping-up-roles/1`) and directorate models
(`stepping-up-directorates/1`). Plain data in, frozen dataclasses out; every fault names the entry and the field,
so a broken file says where. No Django: the service that writes profiles calls this."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROLES_FORMAT = "stepping-up-roles/1"
DIRECTORATES_FORMAT = "stepping-up-directorates/1"
FOLDER = Path(__file__).resolve().parent / "roles"
SHIPPED_ROLES = FOLDER / "roles.yaml"
SHIPPED_DIRECTORATES = FOLDER / "directorates.yaml"
GROUPS = ("ladder", "system")
LEVELS = (1, 2, 3, 4, 5)
TEXT_FIELDS = ("title", "summary", "typical_pas", "reports_to", "job_description")
LIST_FIELDS = ("responsibilities", "hardest", "person_specification", "sources")


class DataFileError(Exception):
    """A data file that cannot be read; nothing was written."""


@dataclass(frozen=True)
class RoleSpec:
    slug: str
    group: str
    position: int
    title: str
    level: int | None
    summary: str
    responsibilities: str
    portfolio: str
    typical_pas: str
    reports_to: str
    hardest: str
    job_description: str
    person_specification: str
    person_spec_framework: str
    sources: str


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(f"{where}: '{key}' must be some text")
    return " ".join(value.split())


def _lines(entry: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = entry.get(key, [] if not required else None)
    if not isinstance(value, list) or (required and not value) or not all(isinstance(v, str) for v in value):
        raise DataFileError(f"{where}: '{key}' must be a list of lines of text")
    return "\n".join(" ".join(v.split()) for v in value)


def _role(entry: object, position: int) -> RoleSpec:
    where = f"roles[{position}]"
    if not isinstance(entry, dict):
        raise DataFileError(f"{where}: each role is a mapping")
    slug = entry.get("slug")
    if not isinstance(slug, str) or not slug.replace("-", "").isalnum():
        raise DataFileError(f"{where}: 'slug' must be letters, digits and hyphens")
    where = f"roles[{position}] ({slug})"
    if entry.get("group") not in GROUPS:
        raise DataFileError(f"{where}: 'group' must be one of {', '.join(GROUPS)}")
    level = entry.get("level")
    if level is not None and level not in LEVELS:
        raise DataFileError(f"{where}: 'level' must be 1 to 5 or null")
    texts = {key: _text(entry, key, where) for key in TEXT_FIELDS}
    lists = {key: _lines(entry, key, where) for key in LIST_FIELDS}
    return RoleSpec(
        slug=slug,
        group=entry["group"],
        position=position,
        level=level,
        portfolio=_lines(entry, "portfolio", where, required=False),
        person_spec_framework=str(entry.get("person_spec_framework") or ""),
        **texts,
        **lists,
    )


def read_roles(text: str) -> list[RoleSpec]:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataFileError(f"Not YAML: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != ROLES_FORMAT:
        raise DataFileError(f"The file must say 'format: {ROLES_FORMAT}'")
    entries = document.get("roles")
    if not isinstance(entries, list) or not entries:
        raise DataFileError("'roles' must be a list of roles")
    specs = [_role(entry, i) for i, entry in enumerate(entries)]
    slugs = [s.slug for s in specs]
    if duplicates := sorted({s for s in slugs if slugs.count(s) > 1}):
        raise DataFileError(f"Each slug once: {', '.join(duplicates)} appear more than once")
    return specs


@dataclass(frozen=True)
class Post:
    count: int | None
    post: str
    level: int | None
    role: str | None  # the slug of the role profile it maps to


@dataclass(frozen=True)
class DirectorateModel:
    slug: str
    title: str
    clinical: tuple[Post, ...]
    non_clinical: tuple[str, ...]


@dataclass(frozen=True)
class Directorates:
    introduction: str
    source: str
    models: tuple[DirectorateModel, ...]


@cache
def shipped_directorates() -> Directorates:
    """Read once per process: the file ships with the code and only changes with it."""
    document = yaml.safe_load(SHIPPED_DIRECTORATES.read_text(encoding="utf-8"))
    if document.get("format") != DIRECTORATES_FORMAT:
        raise DataFileError(f"The file must say 'format: {DIRECTORATES_FORMAT}'")
    return Directorates(
        introduction=" ".join(document["introduction"].split()),
        source=" ".join(document["source"].split()),
        models=tuple(
            DirectorateModel(
                slug=m["slug"],
                title=m["title"],
                clinical=tuple(Post(p["count"], p["post"], p["level"], p["role"]) for p in m["clinical"]),
                non_clinical=tuple(m["non_clinical"]),
            )
            for m in document["models"]
        ),
    )
