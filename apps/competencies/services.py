"""Loading framework files into the database. A loaded version is never changed: a new version is new rows."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.audit.services import change_record

from .case import spec_to_case
from .fileformat import FrameworkSpec, parse
from .models import (
    CasePackage,
    CaseRecord,
    CaseRecordKind,
    Criterion,
    CriterionGroup,
    Framework,
    LevelExpectation,
    PromptQuestion,
    ScalePoint,
)
from .selectors import case_identifiers, framework_spec
from .vocabulary import LEVELS

SHIPPED = Path(__file__).resolve().parent / "frameworks"


class FrameworkError(Exception):
    """A framework that cannot be loaded as asked; nothing was written."""


@dataclass(frozen=True)
class LoadResult:
    framework: Framework
    created: bool  # False: this exact version was already loaded, and nothing changed


@transaction.atomic
def framework_load(*, spec: FrameworkSpec, case: Mapping[str, Any] | None = None) -> LoadResult:
    """Load one framework version. Loading the same version again with the same content changes nothing;
    with different content it is refused, because assessments may already point at the loaded one.

    `case` is the CASE package the spec was read from: it is kept whole, and a later package of a document already
    loaded (same identifier, later lastChangeDateTime) becomes a new version of that framework."""
    if case is not None:
        earlier = _earlier_package(case)
        if earlier is not None:
            if earlier.last_change == _last_change(case):
                if earlier.data != case:
                    raise FrameworkError(
                        "This CASE document is already loaded with the same lastChangeDateTime but other content. "
                        "A revised package needs a later lastChangeDateTime."
                    )
                return LoadResult(earlier.framework, created=False)
            spec = _next_version(spec, earlier, case)
    existing = Framework.objects.filter(slug=spec.slug, version=spec.version).first()
    if existing is not None:
        loaded = framework_spec(framework=existing)
        # Words for a version loaded without any are added, and so are the scale's and the framework's flags for
        # a version loaded before they existed; a CASE package, kept as it came, is never changed.
        kept_as_case = loaded != spec and CasePackage.objects.filter(framework=existing).exists()
        if loaded != spec and not kept_as_case and _words_added(loaded, spec):
            _add_words(existing, spec)
        elif loaded != spec and not kept_as_case and _flags_added(loaded, spec):
            _add_flags(existing, spec)
        elif loaded != spec:
            raise FrameworkError(
                f"{spec.name} version {spec.version} is already loaded with different content. "
                "Give the changed framework a new version: assessments made against this one keep it."
            )
        if not existing.case_records.exists():  # loaded before the CASE API: index it now
            _keep_case(existing, spec, None)
        return LoadResult(existing, created=False)
    framework = Framework.objects.create(
        slug=spec.slug,
        version=spec.version,
        name=spec.name,
        description=spec.description,
        source=spec.source,
        licence=spec.licence,
        level_descriptions=dict(spec.level_descriptions),
        repeat_every_months=spec.repeat_every_months,
    )
    ScalePoint.objects.bulk_create(
        ScalePoint(
            framework=framework, value=p.value, label=p.label, descriptor=p.descriptor, not_a_rating=p.not_a_rating
        )
        for p in spec.scale
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
        LevelExpectation(
            criterion=criterion,
            level=LEVELS[code],
            expected=expected,
            description=dict(c.level_descriptions).get(code, ""),
        )
        for criterion, c in zip(criteria, spec.criteria, strict=True)
        for code, expected in c.levels
    )
    _keep_case(framework, spec, case)
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


def _words_added(loaded: FrameworkSpec, spec: FrameworkSpec) -> bool:
    """True when `spec` is the loaded version with words for its levels added, and the loaded version has none: it
    was loaded before frameworks could say in words what each level expects (and the licence note may now say
    whose words they are). Every expected rating is the same, so every assessment means what it meant."""
    bare = _ratings_only(spec)
    return bare != spec and _ratings_only(loaded) == loaded and bare == replace(loaded, licence=spec.licence)


def _ratings_only(spec: FrameworkSpec) -> FrameworkSpec:
    return replace(
        spec, level_descriptions=(), criteria=tuple(replace(c, level_descriptions=()) for c in spec.criteria)
    )


def _flags_added(loaded: FrameworkSpec, spec: FrameworkSpec) -> bool:
    """True when `spec` is the loaded version with a point that is not a rating and/or a repeat interval added
    (and that point's descriptor reworded to say so), and the loaded version has neither: it was loaded before
    frameworks could say so. Every value and label on the scale is the same. This changes what existing ratings
    on that point mean for the figures, which is the point: they were never a judgement of the person."""
    if _flagless(loaded) != loaded or len(spec.scale) != len(loaded.scale):
        return False
    bare = _flagless(spec)
    descriptors = tuple(
        replace(point, descriptor=old.descriptor) for point, old in zip(bare.scale, loaded.scale, strict=True)
    )
    return bare != spec and replace(bare, scale=descriptors) == loaded


def _flagless(spec: FrameworkSpec) -> FrameworkSpec:
    return replace(spec, repeat_every_months=None, scale=tuple(replace(p, not_a_rating=False) for p in spec.scale))


def _add_flags(framework: Framework, spec: FrameworkSpec) -> None:
    """The flags added to a version loaded before it had any (`_flags_added`); nothing else changes."""
    framework.repeat_every_months = spec.repeat_every_months
    framework.save(update_fields=["repeat_every_months"])
    points = {p.value: p for p in ScalePoint.objects.filter(framework=framework)}
    for point in spec.scale:
        points[point.value].not_a_rating, points[point.value].descriptor = point.not_a_rating, point.descriptor
    ScalePoint.objects.bulk_update(list(points.values()), ["not_a_rating", "descriptor"])
    change_record(
        actor=None,
        capacity="administrator",
        action="marked a framework version's scale point that is not a rating, and how often to repeat it",
        target=f"{spec.name}, version {spec.version}",
        subjects=[],
        before={},
        after={
            "not a rating": [p.label for p in spec.scale if p.not_a_rating],
            "repeat every months": spec.repeat_every_months,
        },
        now=timezone.now(),
    )


def _add_words(framework: Framework, spec: FrameworkSpec) -> None:
    """The words added to a version loaded before it had any (`_words_added`); nothing else changes."""
    framework.level_descriptions = dict(spec.level_descriptions)
    framework.licence = spec.licence
    framework.save(update_fields=["level_descriptions", "licence"])
    expectations = {
        (e.criterion.code, e.level): e
        for e in LevelExpectation.objects.filter(criterion__framework=framework).select_related("criterion")
    }
    described = []
    for c in spec.criteria:
        for code, text in c.level_descriptions:
            expectation = expectations[(c.code, LEVELS[code])]
            expectation.description = text
            described.append(expectation)
    LevelExpectation.objects.bulk_update(described, ["description"])
    change_record(
        actor=None,
        capacity="administrator",
        action="added the words for each level to a framework version",
        target=f"{spec.name}, version {spec.version}",
        subjects=[],
        before={},
        after={"levels described": len(spec.level_descriptions), "expectations described": len(described)},
        now=timezone.now(),
    )


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


def _last_change(case: Mapping[str, Any]) -> str:
    return str(case["CFDocument"].get("lastChangeDateTime") or "")


def _earlier_package(case: Mapping[str, Any]) -> CasePackage | None:
    """The latest loaded package of the same CASE document, if any."""
    return (
        CasePackage.objects.filter(document_identifier=str(case["CFDocument"]["identifier"]))
        .select_related("framework")
        .order_by("-framework__loaded_at", "-pk")
        .first()
    )


def _moment(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _next_version(spec: FrameworkSpec, earlier: CasePackage, case: Mapping[str, Any]) -> FrameworkSpec:
    """A revised package: the same framework (slug) under a version that says when the publisher changed it."""
    then, now = _moment(earlier.last_change), _moment(_last_change(case))
    if then is not None and now is not None and now < then:
        raise FrameworkError(
            f"This package was last changed on {_last_change(case)}, before the loaded version "
            f"({earlier.last_change}). Only a later package of a document can be loaded as a new version."
        )
    slug = earlier.framework.slug
    version = spec.version
    if Framework.objects.filter(slug=slug, version=version).exists():
        version = f"{spec.version} ({_last_change(case)})"[:30]
    return replace(spec, slug=slug, version=version)


def _keep_case(framework: Framework, spec: FrameworkSpec, case: Mapping[str, Any] | None) -> None:
    """The package as given, or for a framework in our own format the one built from its rows, indexed by
    identifier for the CASE API."""
    if case is not None:
        CasePackage.objects.create(
            framework=framework,
            document_identifier=str(case["CFDocument"]["identifier"]),
            last_change=_last_change(case),
            data=dict(case),
        )
        package: Mapping[str, Any] = case
    else:
        package = spec_to_case(
            spec, identifiers=case_identifiers(framework=framework), base_uri="", now=framework.loaded_at
        )
    CaseRecord.objects.bulk_create(
        CaseRecord(framework=framework, kind=kind, identifier=identifier, position=position)
        for kind, identifier, position in case_records_of(package)
    )


_DEFINITIONS = {
    "CFItemTypes": CaseRecordKind.ITEM_TYPE,
    "CFConcepts": CaseRecordKind.CONCEPT,
    "CFSubjects": CaseRecordKind.SUBJECT,
    "CFLicenses": CaseRecordKind.LICENSE,
    "CFAssociationGroupings": CaseRecordKind.ASSOCIATION_GROUPING,
}


def case_records_of(package: Mapping[str, Any]) -> list[tuple[str, str, int]]:
    """(kind, identifier, position in its list) of every identified record in a checked package."""
    records = [(str(CaseRecordKind.DOCUMENT), str(package["CFDocument"]["identifier"]), 0)]
    lists: list[tuple[str, Any]] = [
        (CaseRecordKind.ITEM, package.get("CFItems")),
        (CaseRecordKind.ASSOCIATION, package.get("CFAssociations")),
        (CaseRecordKind.RUBRIC, package.get("CFRubrics")),
    ]
    definitions = package.get("CFDefinitions")
    if isinstance(definitions, Mapping):
        lists += [(kind, definitions.get(key)) for key, kind in _DEFINITIONS.items()]
    for kind, entries in lists:
        for position, entry in enumerate(entries if isinstance(entries, list) else []):
            if isinstance(entry, Mapping) and entry.get("identifier"):
                records.append((str(kind), str(entry["identifier"]), position))
    return records


def framework_load_file(*, path: Path) -> LoadResult:
    """Parse and load one file; FrameworkFileError (with the line of each fault) or FrameworkError on refusal."""
    return framework_load(spec=parse(path.read_text(encoding="utf-8")))


def shipped_framework_files() -> list[Path]:
    return sorted(SHIPPED.glob("*.yaml"))
