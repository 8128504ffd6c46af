"""Reads that carry a self-assessment across the crosswalk (competencies.CriterionLink): how the ratings of one
framework fall into the parts of each framework it maps to, and which of the owner's evidence in another
framework's self-assessment also counts towards a criterion. Selectors only. Both read the owner's own records
and nothing else: a person a result is shared with sees the mapping of the shared assessment's own ratings."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q

from apps.competencies.models import Criterion, Framework
from apps.competencies.selectors_crosswalk import linked_codes, links_by_code

from .models import Assessment, Evidence
from .selectors import CriterionFigures, criterion_figures


@dataclass(frozen=True)
class MappedRating:
    """One criterion of the assessed framework that maps into a part of another framework."""

    code: str
    title: str
    rating: int | None
    expected: int | None  # what the target role is suggested to have, if the framework says
    to: tuple[str, ...]  # the codes it maps to in that part

    @property
    def meets(self) -> bool:
        return self.rating is not None and self.expected is not None and self.rating >= self.expected


@dataclass(frozen=True)
class MappedGroup:
    """A part (domain) of the other framework, with the person's criteria that map into it."""

    code: str
    title: str
    mapped: tuple[MappedRating, ...]

    @property
    def meeting(self) -> int:
        return sum(1 for m in self.mapped if m.meets)

    @property
    def rated(self) -> int:
        return sum(1 for m in self.mapped if m.rating is not None)


@dataclass(frozen=True)
class CrosswalkSection:
    """ "How this maps to <framework>": every part of the latest version of a framework the assessed one maps to."""

    framework: Framework
    groups: tuple[MappedGroup, ...]


def crosswalk_sections(
    *, assessment: Assessment, figures: Sequence[CriterionFigures] | None = None
) -> list[CrosswalkSection]:
    """The assessment's own ratings seen through each framework its framework maps to. Four queries however many
    criteria and frameworks (links, the assessment's figures, the latest versions, their criteria with their
    groups), three when the caller passes the figures it has already read (`criterion_figures`); one when nothing
    maps."""
    links = links_by_code(slug=assessment.framework.slug)
    if not links:
        return []
    if figures is None:
        figures = criterion_figures(assessment=assessment)
    # In the framework's order; "No chance to demonstrate" reads as None, as not rated does.
    ratings = {f.code: (f.title, f.rating) for f in figures}
    expected = {f.code: f.expected for f in figures if f.expected is not None}
    slugs = {slug for targets in links.values() for slug, _ in targets}
    # Only what the page shows of each framework (its name), and its criteria as plain values: model instances of
    # every criterion of every linked framework, with their groups, cost more to build than the rest of the page.
    latest = list(
        Framework.objects.filter(slug__in=slugs)
        .order_by("slug", "-loaded_at", "-pk")
        .distinct("slug")
        .only("pk", "slug", "name", "loaded_at")
    )
    theirs: dict[int, list[tuple[str, int, str, str]]] = {}  # framework → (code, group, group code, group title)
    for framework_id, code, group_id, group_code, group_title in (
        Criterion.objects.filter(framework__in=latest)
        .order_by("position")
        .values_list("framework_id", "code", "group_id", "group__code", "group__title")
    ):
        theirs.setdefault(framework_id, []).append((code, group_id, group_code, group_title))
    sections = []
    for framework in sorted(latest, key=lambda f: f.name):
        into: dict[str, set[str]] = {}  # their code → our codes that map to it
        for code, targets in links.items():
            for slug, target in targets:
                if slug == framework.slug and code in ratings:
                    into.setdefault(target, set()).add(code)
        groups: dict[int, tuple[str, str, dict[str, set[str]]]] = {}
        for their_code, group_id, group_code, group_title in theirs.get(framework.pk, []):
            _, _, ours = groups.setdefault(group_id, (group_code, group_title, {}))
            for code in into.get(their_code, ()):
                ours.setdefault(code, set()).add(their_code)
        sections.append(
            CrosswalkSection(
                framework=framework,
                groups=tuple(
                    MappedGroup(code=code, title=title, mapped=_mapped(ours, ratings, expected))
                    for code, title, ours in groups.values()
                ),
            )
        )
    return [s for s in sections if any(g.mapped for g in s.groups)]


def _mapped(
    ours: dict[str, set[str]], ratings: dict[str, tuple[str, int | None]], expected: dict[str, int]
) -> tuple[MappedRating, ...]:
    order = {code: position for position, code in enumerate(ratings)}  # the framework's order
    return tuple(
        MappedRating(
            code=code,
            title=ratings[code][0],
            rating=ratings[code][1],
            expected=expected.get(code),
            to=tuple(sorted(to)),
        )
        for code, to in sorted(ours.items(), key=lambda item: order[item[0]])
    )


@dataclass(frozen=True)
class LinkedEvidence:
    """A piece of the owner's evidence in another framework's self-assessment that also counts here."""

    evidence: Evidence
    framework_name: str
    criterion_code: str
    criterion_title: str


def evidence_also_counting(*, assessment: Assessment, criterion: Criterion) -> list[LinkedEvidence]:
    """The same owner's evidence, in their self-assessments against other frameworks, tagged to a criterion that
    maps to this one. Two queries (the links, the evidence). The owner is part of the query: nobody else's
    evidence can be found here, whoever asks."""
    targets = [
        (slug, code)
        for slug, code in linked_codes(slug=assessment.framework.slug, code=criterion.code)
        if slug != assessment.framework.slug
    ]
    if not targets:
        return []
    tagged = Q(pk__in=[])
    for slug, code in targets:
        tagged |= Q(assessment__framework__slug=slug, criterion__code=code)
    found = (
        Evidence.objects.filter(tagged, assessment__owner=assessment.owner_id)
        .select_related("assessment__framework", "criterion")
        .order_by("added_at", "pk")
    )
    return [
        LinkedEvidence(
            evidence=item,
            framework_name=item.assessment.framework.name,
            criterion_code=item.criterion.code,
            criterion_title=item.criterion.title,
        )
        for item in found
    ]
