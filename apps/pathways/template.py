"""The first-year pathway's template, read from first_year.yaml and checked whole: the induction checklist in four
areas, the steps, and the months of the check-ins. Every fault names the place in the file ("areas[1].items[0].why:
expected text"), so a mistake in the data fails loudly at the first read instead of making an odd page.

The template is data because it rests on the source reports, and should change when the advice does, without a
migration: seed 002 found that "a high proportion of medical directors are new to the role, and they and their peers
would value more mentoring and induction, particularly on corporate responsibilities, adopting a strategic outlook
and growing personal resilience". A person's ticks are stored against an item's key, so keys are kept for ever.

Pure (no Django): which steps the code can check is `STEP_KEYS`; that each link is a page of the portal and each
opportunity is in the catalogue is tested beside the app (tests/pathways/test_template.py)."""

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

FILE = Path(__file__).with_name("first_year.yaml")
# The steps the pathway knows how to see done (selectors.steps_done): each must be in the file exactly once.
STEP_KEYS = ("scope", "buddy", "mentor", "shadowing", "learning_set")
KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
LINK = re.compile(r"^[a-z_]+:[a-z_]+$")
TITLE_MAX = 150
MONTHS = range(1, 25)


class TemplateFileError(ValueError):
    """The pathway file is wrong; the message says where."""


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title: str
    why: str
    opportunity: str  # a code in the development catalogue


@dataclass(frozen=True)
class ChecklistArea:
    key: str
    title: str
    why: str
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    why: str
    link: str  # a URL name, "app:name", of the page that does it
    action: str  # the link's words


@dataclass(frozen=True)
class PathwayTemplate:
    source: str
    areas: tuple[ChecklistArea, ...]
    steps: tuple[Step, ...]
    checkins: tuple[int, ...]  # months after the start in role

    @property
    def items(self) -> tuple[ChecklistItem, ...]:
        return tuple(item for area in self.areas for item in area.items)

    def area_of(self, item_key: str) -> ChecklistArea | None:
        return next((area for area in self.areas if any(i.key == item_key for i in area.items)), None)

    @property
    def item_keys(self) -> frozenset[str]:
        return frozenset(item.key for item in self.items)

    @property
    def opportunity_codes(self) -> frozenset[str]:
        return frozenset(item.opportunity for item in self.items)


def _text(value: Any, where: str, *, limit: int = 0) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TemplateFileError(f"{where}: expected text")
    text = " ".join(value.split())
    if limit and len(text) > limit:
        raise TemplateFileError(f"{where}: at most {limit} characters, not {len(text)}")
    return text


def _key(value: Any, where: str) -> str:
    if not isinstance(value, str) or not KEY.match(value):
        raise TemplateFileError(f"{where}: lower-case letters, digits, hyphens and underscores, not {value!r}")
    return value


def _mapping(value: Any, where: str, keys: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TemplateFileError(f"{where}: expected a mapping")
    unknown = set(value) - keys
    if unknown:
        raise TemplateFileError(f"{where}: unknown key {sorted(map(str, unknown))[0]!r}")
    missing = keys - set(value)
    if missing:
        raise TemplateFileError(f"{where}: missing {sorted(missing)[0]!r}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise TemplateFileError(f"{where}: expected a list")
    return value


def _once(keys: list[str], where: str) -> None:
    repeated = next((key for key in keys if keys.count(key) > 1), None)
    if repeated:
        raise TemplateFileError(f"{where}: the key {repeated!r} is used twice")


def _item(raw: Any, where: str) -> ChecklistItem:
    data = _mapping(raw, where, {"key", "title", "why", "opportunity"})
    return ChecklistItem(
        key=_key(data["key"], f"{where}.key"),
        title=_text(data["title"], f"{where}.title", limit=TITLE_MAX),
        why=_text(data["why"], f"{where}.why"),
        opportunity=_key(data["opportunity"], f"{where}.opportunity"),
    )


def _area(raw: Any, where: str) -> ChecklistArea:
    data = _mapping(raw, where, {"key", "title", "why", "items"})
    items = tuple(_item(item, f"{where}.items[{i}]") for i, item in enumerate(_list(data["items"], f"{where}.items")))
    return ChecklistArea(
        key=_key(data["key"], f"{where}.key"),
        title=_text(data["title"], f"{where}.title", limit=TITLE_MAX),
        why=_text(data["why"], f"{where}.why"),
        items=items,
    )


def _step(raw: Any, where: str) -> Step:
    data = _mapping(raw, where, {"key", "title", "why", "link", "action"})
    key = data["key"]
    if key not in STEP_KEYS:
        raise TemplateFileError(f"{where}.key: one of {', '.join(STEP_KEYS)}, not {key!r}")
    link = data["link"]
    if not isinstance(link, str) or not LINK.match(link):
        raise TemplateFileError(f"{where}.link: a page's name such as 'mentoring:home', not {link!r}")
    return Step(
        key=key,
        title=_text(data["title"], f"{where}.title", limit=TITLE_MAX),
        why=_text(data["why"], f"{where}.why"),
        link=link,
        action=_text(data["action"], f"{where}.action", limit=60),
    )


def _checkins(raw: Any) -> tuple[int, ...]:
    months = _list(raw, "checkins")
    for i, month in enumerate(months):
        if isinstance(month, bool) or not isinstance(month, int) or month not in MONTHS:
            raise TemplateFileError(f"checkins[{i}]: a whole number of months from 1 to 24, not {month!r}")
    if months != sorted(set(months)):
        raise TemplateFileError("checkins: each month once, earliest first")
    return tuple(months)


def parse(text: str) -> PathwayTemplate:
    """Read a pathway file's text; raises TemplateFileError saying where it is wrong."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TemplateFileError(f"not YAML: {exc}") from exc
    data = _mapping(raw, "the file", {"source", "areas", "steps", "checkins"})
    areas = tuple(_area(area, f"areas[{i}]") for i, area in enumerate(_list(data["areas"], "areas")))
    _once([area.key for area in areas], "areas")
    _once([item.key for area in areas for item in area.items], "areas[].items")
    steps = tuple(_step(step, f"steps[{i}]") for i, step in enumerate(_list(data["steps"], "steps")))
    keys = [step.key for step in steps]
    _once(keys, "steps")
    missing = [key for key in STEP_KEYS if key not in keys]
    if missing:
        raise TemplateFileError(f"steps: missing the step {missing[0]!r}")
    return PathwayTemplate(
        source=_text(data["source"], "source"), areas=areas, steps=steps, checkins=_checkins(data["checkins"])
    )


@cache
def shipped() -> PathwayTemplate:
    """The pathway the portal offers (read once per process)."""
    return parse(FILE.read_text(encoding="utf-8"))


def checkin_due_on(started_on: date, months: int) -> date:
    """The day a check-in falls due: the same day of the month `months` later, or that month's last day when it
    is shorter (started 31 August: the 6-month check-in is due on 28 or 29 February)."""
    index = started_on.month - 1 + months
    year, month = started_on.year + index // 12, index % 12 + 1
    return started_on.replace(year=year, month=month, day=min(started_on.day, monthrange(year, month)[1]))
