"""The starting structures an organisation lead may begin their posts from (seed 001, appendix 1), read from
structures.yaml and checked whole: every fault names the example and the post, so a mistake in the data file fails
loudly at the first read instead of making odd posts. Pure (no Django): the levels are the ladder's numbers, 1 to 5,
which tests/succession/test_structures.py holds equal to profiles.models.LeadershipLevel."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

FILE = Path(__file__).with_name("structures.yaml")
LEVELS = range(1, 6)  # clinical lead … medical director
MAX_COUNT = 30
TITLE_MAX = 150  # Post.title
PORTFOLIO_MAX = 200  # Post.portfolio


class StructureFileError(ValueError):
    """The structures file is wrong; the message says where."""


@dataclass(frozen=True)
class StructurePost:
    count: int
    title: str
    level: int
    portfolios: tuple[str, ...]  # one per post, or one for all, or none
    note: str = ""

    def portfolio_of(self, index: int) -> str:
        """The portfolio of the index-th (from 0) of the `count` posts."""
        if len(self.portfolios) == self.count:
            return self.portfolios[index]
        return self.portfolios[0] if self.portfolios else ""

    def titles(self) -> list[str]:
        """The title of each of the `count` posts. Posts that only a number would tell apart (several with one
        title and no portfolio of their own) are numbered, "Clinical director (1 of 4)", so each stays one row a
        person can put themself forward for until the lead renames it; posts with their own portfolios keep the
        source's title."""
        if self.count == 1 or len(self.portfolios) == self.count:
            return [self.title] * self.count
        return [f"{self.title} ({n} of {self.count})" for n in range(1, self.count + 1)]


@dataclass(frozen=True)
class LeftOut:
    role: str
    why: str


@dataclass(frozen=True)
class Structure:
    slug: str
    name: str
    quote: str
    posts: tuple[StructurePost, ...]
    left_out: tuple[LeftOut, ...]

    @property
    def post_count(self) -> int:
        return sum(post.count for post in self.posts)

    @property
    def quote_lines(self) -> list[str]:
        return self.quote.splitlines()


@dataclass(frozen=True)
class Structures:
    source: str
    examples: tuple[Structure, ...]

    def get(self, slug: str) -> Structure | None:
        return next((example for example in self.examples if example.slug == slug), None)


def _text(value: Any, where: str, *, limit: int = 0, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise StructureFileError(f"{where}: expected text")
    text = " ".join(value.split()) if "\n" not in value.strip() else value.strip()
    if limit and len(text) > limit:
        raise StructureFileError(f"{where}: at most {limit} characters, not {len(text)}")
    return text


def _mapping(value: Any, where: str, keys: set[str], required: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise StructureFileError(f"{where}: expected a mapping")
    unknown = set(value) - keys
    if unknown:
        raise StructureFileError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    missing = required - set(value)
    if missing:
        raise StructureFileError(f"{where}: missing {sorted(missing)[0]!r}")
    return value


def _list(value: Any, where: str, *, required: bool = True) -> list[Any]:
    if value is None and not required:
        return []
    if not isinstance(value, list) or (required and not value):
        raise StructureFileError(f"{where}: expected a list")
    return value


def _post(raw: Any, where: str) -> StructurePost:
    keys = {"count", "title", "level", "portfolio", "portfolios", "note"}
    data = _mapping(raw, where, keys, {"count", "title", "level"})
    count, level = data["count"], data["level"]
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise StructureFileError(f"{where}.count: a whole number from 1 to {MAX_COUNT}, not {count!r}")
    if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
        raise StructureFileError(f"{where}.level: a level on the ladder, 1 to 5, not {level!r}")
    if "portfolio" in data and "portfolios" in data:
        raise StructureFileError(f"{where}: give a portfolio or portfolios, not both")
    if "portfolios" in data:
        items = _list(data["portfolios"], f"{where}.portfolios")
        portfolios = tuple(_text(item, f"{where}.portfolios[{i}]", limit=PORTFOLIO_MAX) for i, item in enumerate(items))
        if len(portfolios) != count:
            raise StructureFileError(f"{where}.portfolios: one for each of the {count} posts, not {len(portfolios)}")
    elif "portfolio" in data:
        portfolios = (_text(data["portfolio"], f"{where}.portfolio", limit=PORTFOLIO_MAX),)
    else:
        portfolios = ()
    title = _text(data["title"], f"{where}.title", limit=TITLE_MAX - len(f" ({MAX_COUNT} of {MAX_COUNT})"))
    note = _text(data.get("note"), f"{where}.note", required=False)
    return StructurePost(count=count, title=title, level=level, portfolios=portfolios, note=note)


def _example(raw: Any, where: str) -> Structure:
    keys = {"slug", "name", "quote", "posts", "left_out"}
    data = _mapping(raw, where, keys, {"slug", "name", "quote", "posts"})
    slug = _text(data["slug"], f"{where}.slug", limit=60)
    if not all(c.isascii() and (c.islower() or c.isdigit() or c == "-") for c in slug):
        raise StructureFileError(f"{where}.slug: lower-case letters, digits and hyphens, not {slug!r}")
    posts = tuple(_post(post, f"{where}.posts[{i}]") for i, post in enumerate(_list(data["posts"], f"{where}.posts")))
    left_out = []
    for i, item in enumerate(_list(data.get("left_out"), f"{where}.left_out", required=False)):
        entry = _mapping(item, f"{where}.left_out[{i}]", {"role", "why"}, {"role", "why"})
        left_out.append(
            LeftOut(
                role=_text(entry["role"], f"{where}.left_out[{i}].role"),
                why=_text(entry["why"], f"{where}.left_out[{i}].why"),
            )
        )
    return Structure(
        slug=slug,
        name=_text(data["name"], f"{where}.name", limit=200),
        quote=_text(data["quote"], f"{where}.quote"),
        posts=posts,
        left_out=tuple(left_out),
    )


def parse(text: str) -> Structures:
    """Read a structures file's text; raises StructureFileError saying where it is wrong."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise StructureFileError(f"not YAML: {exc}") from exc
    data = _mapping(raw, "the file", {"source", "examples"}, {"source", "examples"})
    examples = tuple(
        _example(example, f"examples[{i}]") for i, example in enumerate(_list(data["examples"], "examples"))
    )
    slugs = [example.slug for example in examples]
    repeated = next((slug for slug in slugs if slugs.count(slug) > 1), None)
    if repeated:
        raise StructureFileError(f"examples: the slug {repeated!r} is used twice")
    return Structures(source=_text(data["source"], "source"), examples=examples)


@cache
def shipped() -> Structures:
    """The structures the portal offers (read once per process)."""
    return parse(FILE.read_text(encoding="utf-8"))
