"""Reads of frameworks: the list, one framework with everything it holds, and a framework as a file spec."""

from django.db.models import Prefetch, QuerySet

from .fileformat import CriterionSpec, FrameworkSpec, GroupSpec, ScalePointSpec
from .models import Criterion, Framework, LevelExpectation
from .vocabulary import LEVELS

LEVEL_CODE = {value: code for code, value in LEVELS.items()}


def frameworks() -> QuerySet[Framework]:
    return Framework.objects.order_by("name", "-loaded_at")


def framework_with_content(*, framework_id: int) -> Framework | None:
    """One framework with its scale, groups, criteria, prompts and expectations: five queries in all."""
    return (
        Framework.objects.filter(pk=framework_id)
        .prefetch_related(
            "scale",
            "groups",
            Prefetch(
                "criteria",
                queryset=Criterion.objects.order_by("position").prefetch_related(
                    "prompts", Prefetch("expectations", queryset=LevelExpectation.objects.order_by("level"))
                ),
            ),
        )
        .first()
    )


def framework_spec(*, framework: Framework) -> FrameworkSpec:
    """The framework as file data: what `export_framework` writes and `framework_load` compares against."""
    loaded = framework_with_content(framework_id=framework.pk)
    assert loaded is not None
    groups = sorted(loaded.groups.all(), key=lambda g: g.position)
    codes = {g.pk: g.code for g in groups}
    return FrameworkSpec(
        slug=loaded.slug,
        version=loaded.version,
        name=loaded.name,
        description=loaded.description,
        source=loaded.source,
        licence=loaded.licence,
        scale=tuple(ScalePointSpec(p.value, p.label, p.descriptor) for p in loaded.scale.all()),
        groups=tuple(
            GroupSpec(g.code, g.title, g.description, codes.get(g.parent_id) if g.parent_id else None) for g in groups
        ),
        criteria=tuple(
            CriterionSpec(
                code=c.code,
                group=codes[c.group_id],
                title=c.title,
                description=c.description,
                prompts=tuple(p.text for p in c.prompts.all()),
                areas=tuple(c.areas),
                levels=tuple((LEVEL_CODE[e.level], e.expected) for e in c.expectations.all()),
            )
            for c in loaded.criteria.all()
        ),
    )
