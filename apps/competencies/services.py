"""Loading framework files into the database. A loaded version is never changed: a new version is new rows."""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from apps.audit.services import change_record

from .fileformat import FrameworkSpec, parse
from .models import Criterion, CriterionGroup, Framework, LevelExpectation, PromptQuestion, ScalePoint
from .selectors import framework_spec
from .vocabulary import LEVELS

SHIPPED = Path(__file__).resolve().parent / "frameworks"


class FrameworkError(Exception):
    """A framework that cannot be loaded as asked; nothing was written."""


@dataclass(frozen=True)
class LoadResult:
    framework: Framework
    created: bool  # False: this exact version was already loaded, and nothing changed


@transaction.atomic
def framework_load(*, spec: FrameworkSpec) -> LoadResult:
    """Load one framework version. Loading the same version again with the same content changes nothing;
    with different content it is refused, because assessments may already point at the loaded one."""
    existing = Framework.objects.filter(slug=spec.slug, version=spec.version).first()
    if existing is not None:
        if framework_spec(framework=existing) != spec:
            raise FrameworkError(
                f"{spec.name} version {spec.version} is already loaded with different content. "
                "Give the changed framework a new version: assessments made against this one keep it."
            )
        return LoadResult(existing, created=False)
    framework = Framework.objects.create(
        slug=spec.slug,
        version=spec.version,
        name=spec.name,
        description=spec.description,
        source=spec.source,
        licence=spec.licence,
    )
    ScalePoint.objects.bulk_create(
        ScalePoint(framework=framework, value=p.value, label=p.label, descriptor=p.descriptor) for p in spec.scale
    )
    groups = _create_groups(framework, spec)
    criteria = Criterion.objects.bulk_create(
        Criterion(
            framework=framework,
            group=groups[c.group],
            code=c.code,
            title=c.title,
            description=c.description,
            areas=list(c.areas),
            position=position,
        )
        for position, c in enumerate(spec.criteria, start=1)
    )
    PromptQuestion.objects.bulk_create(
        PromptQuestion(criterion=criterion, text=text, position=position)
        for criterion, c in zip(criteria, spec.criteria, strict=True)
        for position, text in enumerate(c.prompts, start=1)
    )
    LevelExpectation.objects.bulk_create(
        LevelExpectation(criterion=criterion, level=LEVELS[code], expected=expected)
        for criterion, c in zip(criteria, spec.criteria, strict=True)
        for code, expected in c.levels
    )
    change_record(
        actor=None,
        capacity="administrator",
        action="loaded a new framework version",
        target=f"{spec.name}, version {spec.version}",
        subjects=[],
        before={},
        after={"criteria": len(spec.criteria), "source": spec.source[:120]},
        now=timezone.now(),
    )
    return LoadResult(framework, created=True)


def _create_groups(framework: Framework, spec: FrameworkSpec) -> dict[str, CriterionGroup]:
    """Groups in file order; parents are set once every group exists (a parent may come after its child)."""
    groups = {
        g.code: CriterionGroup.objects.create(
            framework=framework, code=g.code, title=g.title, description=g.description, position=position
        )
        for position, g in enumerate(spec.groups, start=1)
    }
    for g in spec.groups:
        if g.parent:
            groups[g.code].parent = groups[g.parent]
            groups[g.code].save(update_fields=["parent"])
    return groups


def framework_load_file(*, path: Path) -> LoadResult:
    """Parse and load one file; FrameworkFileError (with the line of each fault) or FrameworkError on refusal."""
    return framework_load(spec=parse(path.read_text(encoding="utf-8")))


def shipped_framework_files() -> list[Path]:
    return sorted(SHIPPED.glob("*.yaml"))
