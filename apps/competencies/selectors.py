"""Reads of frameworks: the list, one framework with everything it holds, and a framework as a file spec."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from .case import spec_to_case
from .fileformat import CriterionSpec, FrameworkSpec, GroupSpec, ScalePointSpec
from .models import CasePackage, CaseRecord, CaseRecordKind, Criterion, Framework, LevelExpectation
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
        scale=tuple(ScalePointSpec(p.value, p.label, p.descriptor, p.not_a_rating) for p in loaded.scale.all()),
        level_descriptions=level_descriptions(framework=loaded),
        groups=tuple(
            GroupSpec(g.code, g.title, g.description, codes.get(g.parent_id) if g.parent_id else None) for g in groups
        ),
        repeat_every_months=loaded.repeat_every_months,
        criteria=tuple(
            CriterionSpec(
                code=c.code,
                group=codes[c.group_id],
                title=c.title,
                description=c.description,
                prompts=tuple(p.text for p in c.prompts.all()),
                areas=tuple(c.areas),
                levels=tuple((LEVEL_CODE[e.level], e.expected) for e in c.expectations.all()),
                level_descriptions=tuple(
                    (LEVEL_CODE[e.level], e.description) for e in c.expectations.all() if e.description
                ),
            )
            for c in loaded.criteria.all()
        ),
    )


def level_descriptions(*, framework: Framework) -> tuple[tuple[str, str], ...]:
    """(level code, what that rung's scope looks like) in ladder order: no query, they are on the framework's row."""
    stored = framework.level_descriptions
    return tuple((code, str(stored[code])) for code in LEVELS if stored.get(code))


def case_identifiers(*, framework: Framework) -> dict[str, str]:
    """The stored identifiers of a framework in our own format, so that every CASE package built of a version names
    its document, groups, criteria and prompts the same way (the rest are uuid5s of the document's)."""
    identifiers = {"document": str(framework.identifier)}
    identifiers.update({f"group:{g.code}": str(g.identifier) for g in framework.groups.all()})
    for criterion in framework.criteria.prefetch_related("prompts"):
        identifiers[f"criterion:{criterion.code}"] = str(criterion.identifier)
        for prompt in criterion.prompts.all():
            identifiers[f"prompt:{criterion.code}:{prompt.position}"] = str(prompt.identifier)
    return identifiers


def case_package_for(*, framework: Framework) -> dict[str, Any]:
    """The framework as a CASE package: the one it was loaded from, as it came, or for a framework in our own format
    one built from its rows, its URIs pointing at this portal's CASE API."""
    stored = CasePackage.objects.filter(framework=framework).values_list("data", flat=True).first()
    if stored is not None:
        return dict(stored)
    return spec_to_case(
        framework_spec(framework=framework),
        identifiers=case_identifiers(framework=framework),
        base_uri=settings.PORTAL_BASE_URL,
        now=framework.loaded_at,
    )


def _entry(package: Mapping[str, Any], kind: str, position: int) -> dict[str, Any]:
    if kind == CaseRecordKind.DOCUMENT:
        return dict(package["CFDocument"])
    if kind in (CaseRecordKind.ITEM, CaseRecordKind.ASSOCIATION, CaseRecordKind.RUBRIC):
        return dict(package[kind][position])
    return dict(package["CFDefinitions"][kind][position])


def case_record(*, kind: str, identifier: str) -> tuple[Framework, dict[str, Any]] | None:
    """One record by its CASE identifier, from the latest loaded version that holds it, with that version."""
    if "\x00" in identifier:  # no stored identifier holds one, and PostgreSQL refuses it in a query
        return None
    record = (
        CaseRecord.objects.filter(kind=kind, identifier=identifier)
        .select_related("framework")
        .order_by("-framework__loaded_at", "-framework_id")
        .first()
    )
    if record is None:
        return None
    return record.framework, _entry(case_package_for(framework=record.framework), kind, record.position)


def case_documents() -> list[dict[str, Any]]:
    """Every CASE document the portal serves: the latest loaded version of each, in the order they were loaded.
    Four queries however many there are: the index with its frameworks, the stored documents, the other
    frameworks and their scales."""
    records = (
        CaseRecord.objects.filter(kind=CaseRecordKind.DOCUMENT)
        .select_related("framework")
        .order_by("-framework__loaded_at", "-framework_id")
    )
    latest: dict[str, Framework] = {}
    for record in records:
        latest.setdefault(record.identifier, record.framework)
    chosen = sorted(latest.values(), key=lambda f: (f.loaded_at, f.pk))
    stored = dict(CasePackage.objects.filter(framework__in=chosen).values_list("framework_id", "data__CFDocument"))
    built = {
        framework.pk: _built_document(framework)
        for framework in Framework.objects.filter(pk__in=[f.pk for f in chosen if f.pk not in stored]).prefetch_related(
            "scale"
        )
    }
    return [stored[f.pk] if f.pk in stored else built[f.pk] for f in chosen]


def _built_document(framework: Framework) -> dict[str, Any]:
    """The CFDocument of a framework in our own format: it depends on the framework and its scale alone."""
    spec = FrameworkSpec(
        slug=framework.slug,
        version=framework.version,
        name=framework.name,
        description=framework.description,
        source=framework.source,
        licence=framework.licence,
        scale=tuple(ScalePointSpec(p.value, p.label, p.descriptor, p.not_a_rating) for p in framework.scale.all()),
        level_descriptions=level_descriptions(framework=framework),
        repeat_every_months=framework.repeat_every_months,
        groups=(),
        criteria=(),
    )
    identifiers = {"document": str(framework.identifier)}
    return spec_to_case(spec, identifiers=identifiers, base_uri=settings.PORTAL_BASE_URL, now=framework.loaded_at)[
        "CFDocument"
    ]


def case_item_associations(*, identifier: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """An item and every association of its package that starts or ends at it."""
    found = case_record(kind=CaseRecordKind.ITEM, identifier=identifier)
    if found is None:
        return None
    framework, item = found
    package = case_package_for(framework=framework)
    ends = {identifier, str(item.get("uri") or "")} - {""}
    associations = [
        association
        for association in package.get("CFAssociations") or []
        if ends & (_link_ends(association.get("originNodeURI")) | _link_ends(association.get("destinationNodeURI")))
    ]
    return item, associations


def _link_ends(link: Any) -> set[str]:
    """The identifier and URI a LinkURI names; real packages give either an object or a plain URI string."""
    if isinstance(link, Mapping):
        return {str(link.get("identifier") or ""), str(link.get("uri") or "")} - {""}
    return {link} if isinstance(link, str) and link else set()
