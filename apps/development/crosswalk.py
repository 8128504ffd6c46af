"""What a plan's evidence and reflections also count towards, through the crosswalk between frameworks
(competencies.CriterionLink): a record tagged to a criterion counts for the criteria it maps to in other
frameworks. Selectors only, reading from what the plan page has already counted for its owner."""

from dataclasses import dataclass

from apps.competencies.models import Criterion, Framework
from apps.competencies.selectors_crosswalk import links_by_code


@dataclass(frozen=True)
class AlsoCounts:
    """A criterion of another framework, and how many of the plan's records count towards it, through which."""

    framework_name: str
    code: str
    title: str
    records: int
    through: tuple[str, ...]  # the plan's criteria that map to it


def also_counting(*, by_criterion: list[tuple[Criterion, int]]) -> list[AlsoCounts]:
    """From `development.selectors.evidence_by_criterion`: one query for the frameworks' slugs, one per framework
    the plan's criteria come from (almost always one) for the links, one for the criteria they map to."""
    if not by_criterion:
        return []
    slugs = dict(Framework.objects.filter(pk__in={c.framework_id for c, _ in by_criterion}).values_list("pk", "slug"))
    reached: dict[tuple[str, str], tuple[int, set[str]]] = {}
    for slug in sorted(set(slugs.values())):
        ours = [(c, n) for c, n in by_criterion if slugs[c.framework_id] == slug]
        links = links_by_code(slug=slug, codes=[c.code for c, _ in ours])
        for criterion, count in ours:
            for target in links.get(criterion.code, []):
                records, through = reached.get(target, (0, set()))
                reached[target] = (records + count, through | {criterion.code})
    if not reached:
        return []
    found = (
        Criterion.objects.filter(framework__slug__in={slug for slug, _ in reached}, code__in={c for _, c in reached})
        .select_related("framework")
        .order_by("framework__slug", "-framework__loaded_at", "position")
    )
    latest: dict[tuple[str, str], Criterion] = {}
    for criterion in found:
        latest.setdefault((criterion.framework.slug, criterion.code), criterion)
    return [
        AlsoCounts(
            framework_name=criterion.framework.name,
            code=criterion.code,
            title=criterion.title,
            records=reached[key][0],
            through=tuple(sorted(reached[key][1])),
        )
        for key, criterion in latest.items()
        if key in reached
    ]
