"""Imports point down the layers of docs/ARCHITECTURE.md, and the pure algorithm modules stay free of Django.

The order is LOCAL_APPS in config/settings/base.py, and the docs must spell out the same order, so the rule, the
settings and the docs cannot drift apart. Every module under apps/ is read with `ast`, never imported: an import
inside a function counts as much as one at the top, and a relative import counts against the app it reaches.
Migrations and management commands are modules of their app like any other.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "apps"
SETTINGS = ROOT / "config" / "settings" / "base.py"
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"

# Plain helpers below every app: not an installed app (no models), so not in LOCAL_APPS; it may import no app.
HELPERS = "common"

# Plain data in, plain data out: no Django, nothing of the project but each other. A name is a module (`name.py`)
# or a package (`name/`, meaning every module in it), so a module that grows into a package keeps its entry.
PURE = [
    "apps.competencies.vocabulary",  # the areas and levels a framework file may name: plain data
    "apps.competencies.fileformat",
    "apps.competencies.crosswalkfile",
    "apps.competencies.case",
    "apps.assessments.anonymity",
    "apps.assessments.results",
    "apps.development.suggest",
    "apps.mentoring.scoring",
    "apps.mentoring.solver",
    "apps.mentoring.solver_file",  # a problem file read and checked in bulk (msgspec, numpy)
    "apps.core.loadbench",  # the load benchmark's HTTP client (asyncio, aiohttp)
    "apps.learning_sets.slots",  # the weekly meeting times grouping speaks in: plain data
    "apps.learning_sets.grouping",
    "apps.careers.datafiles",
    "apps.careers.routes",
    "apps.succession.structures",  # the starting structures of seed 001, read from YAML
    "apps.succession.diversity",
    "apps.pathways.template",  # the first-year pathway of seed 002, read from YAML
    "apps.buddies.pairing",  # buddy pairing as a maximum-weight matching on one group (rustworkx)
    "apps.bilaterals.planning",  # when a bilateral is due and the times proposed for it
]


@dataclass(frozen=True)
class Import:
    path: Path  # the importing file
    line: int
    target: str  # the imported module, absolute ("apps.mentoring.selectors", "django.db")

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line} imports {self.target}"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(dotted: str) -> bool:
    """Whether a dotted name under apps/ is a module or package of ours (rather than a name inside one)."""
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _from_base(node: ast.ImportFrom, *, module: str, is_package: bool) -> str:
    """The absolute module a `from … import` reads from, relative forms (`from . import x`) resolved."""
    if node.level == 0:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(path: Path) -> Iterator[Import]:
    return imports_in(path.read_text(), path=path)


def imports_in(source: str, *, path: Path) -> Iterator[Import]:
    """Every import in a module's source, at any depth (inside functions, `if TYPE_CHECKING:` blocks and all)."""
    module, is_package = _module_name(path), path.name == "__init__.py"
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(path, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = _from_base(node, module=module, is_package=is_package)
            # `from apps.learning_sets import grouping` imports the module grouping, not the package.
            submodules = (f"{base}.{alias.name}" for alias in node.names)
            for target in dict.fromkeys(name if _is_module(name) else base for name in submodules):
                yield Import(path, node.lineno, target)


def app_modules() -> list[Path]:
    return sorted(path for path in APPS.rglob("*.py") if path != APPS / "__init__.py")


def _app_of(dotted: str) -> str | None:
    parts = dotted.split(".")
    return parts[1] if parts[0] == "apps" and len(parts) > 1 else None


@cache
def _literal(name: str) -> list[str]:
    """A list assigned in config/settings/base.py, read without importing the settings."""
    for node in ast.parse(SETTINGS.read_text()).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return list(ast.literal_eval(node.value))
    raise AssertionError(f"{name} is not in {SETTINGS.relative_to(ROOT)}")


def layer_order() -> list[str]:
    """The apps bottom to top: the plain helpers, then LOCAL_APPS in order."""
    return [HELPERS, *(app.removeprefix("apps.") for app in _literal("LOCAL_APPS"))]


def points_up(found: Import) -> bool:
    rank = {app: i for i, app in enumerate(layer_order())}
    importer, target = _app_of(_module_name(found.path)), _app_of(found.target)
    return importer is not None and target is not None and rank[target] > rank[importer]


def breaks_purity(found: Import) -> bool:
    """An import a pure module may not make: Django, or anything of the project but another pure module."""
    ours = found.target.split(".")[0] in {"apps", "config", "tests"}
    return _needs_django(found.target) or (ours and not _is_pure(found.target))


def _is_pure(dotted: str) -> bool:
    return any(dotted == name or dotted.startswith(f"{name}.") for name in PURE)


def _needs_django(target: str) -> bool:
    root = target.split(".")[0]
    installed = {app.split(".")[0] for app in _literal("THIRD_PARTY_APPS")}  # allauth, crispy_forms, …
    return root == "django" or root.startswith("django_") or root in installed


def test_the_docs_list_the_layers_in_the_order_of_local_apps() -> None:
    # The sentence "Imports point down only: `common` (plain helpers) → `organisations` → … → `exports` (…)."
    section = ARCHITECTURE.read_text().split("\n## Layers\n", 1)[1].split("\n## ", 1)[0]
    chain = " ".join(section.split()).split("Imports point down only:", 1)[1]
    depth, end = 0, len(chain)
    for i, char in enumerate(chain):  # the chain ends at the first full stop outside its parentheses
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "." and depth == 0 and chain[i + 1 : i + 2] in (" ", ""):
            end = i
            break
    documented = [step.split("`")[1] for step in chain[:end].split("→")]
    assert documented == layer_order()


def test_every_app_has_a_place_in_the_layers() -> None:
    packages = {path.parent.name for path in APPS.glob("*/__init__.py")}
    assert packages == set(layer_order())


def test_imports_point_down_the_layers() -> None:
    upward = [str(found) for path in app_modules() for found in imports_of(path) if points_up(found)]
    assert not upward, "Imports that point up the layers (docs/ARCHITECTURE.md, Layers):\n" + "\n".join(upward)


def test_every_pure_name_is_a_module() -> None:
    assert [name for name in PURE if not _is_module(name)] == []


def test_pure_modules_import_no_django_and_nothing_else_of_the_project() -> None:
    impure = [
        str(found)
        for path in app_modules()
        if _is_pure(_module_name(path))
        for found in imports_of(path)
        if breaks_purity(found)
    ]
    assert not impure, "Pure modules that import Django or the rest of the project:\n" + "\n".join(impure)


def test_the_walk_sees_nested_and_relative_imports() -> None:
    # The rules are only as good as the walk: these are the forms an upward import could hide in.
    source = """
from . import forms
from .models import Plan
from .. import core
def view():
    from apps.learning_sets.selectors import sets_for
    import apps.exports.services
"""
    path = APPS / "development" / "views.py"
    assert [(found.line, found.target, points_up(found)) for found in imports_in(source, path=path)] == [
        (2, "apps.development.forms", False),
        (3, "apps.development.models", False),
        (4, "apps.core", True),
        (6, "apps.learning_sets.selectors", True),
        (7, "apps.exports.services", True),
    ]


def test_a_pure_module_may_import_another_pure_one_and_nothing_else_of_ours() -> None:
    source = """
import numpy as np
from ..slots import ALL_SLOTS
from .problem import Problem
from django.utils import timezone
from crispy_forms.layout import Layout
from apps.learning_sets.models import Session
"""
    inside_a_package = APPS / "learning_sets" / "grouping" / "search.py"
    assert [(found.target, breaks_purity(found)) for found in imports_in(source, path=inside_a_package)] == [
        ("numpy", False),
        ("apps.learning_sets.slots", False),
        ("apps.learning_sets.grouping.problem", False),
        ("django.utils", True),
        ("crispy_forms.layout", True),
        ("apps.learning_sets.models", True),
    ]
