"""Reads of the crosswalk between frameworks. A `CriterionLink` is stored once and read both ways: a link from
A:c to B:d is also one from B:d to A:c. Links name criteria by framework slug and code, so they hold across
versions; where a page needs the criterion itself, it is the latest loaded version's."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import Criterion, CriterionLink, Framework

Code = tuple[str, str]  # (framework slug, criterion code)


def linked_codes(*, slug: str, code: str) -> list[Code]:
    """Every (framework slug, code) the criterion `slug:code` maps to, in order. One query."""
    return links_by_code(slug=slug, codes=[code]).get(code, [])


def links_by_code(*, slug: str, codes: Collection[str] | None = None) -> dict[str, list[Code]]:
    """Code → what it maps to, for a whole framework (or the `codes` given): one query, however many."""
    outgoing = Q(from_slug=slug) & (Q(from_code__in=codes) if codes is not None else Q())
    incoming = Q(to_slug=slug) & (Q(to_code__in=codes) if codes is not None else Q())
    found: dict[str, set[Code]] = {}
    rows = CriterionLink.objects.filter(outgoing | incoming).values_list("from_slug", "from_code", "to_slug", "to_code")
    for from_slug, from_code, to_slug, to_code in rows:
        if from_slug == slug:
            found.setdefault(from_code, set()).add((to_slug, to_code))
        else:
            found.setdefault(to_code, set()).add((from_slug, from_code))
    return {code: sorted(targets) for code, targets in found.items()}


def latest_frameworks() -> list[Framework]:
    """The latest loaded version of every framework, by name: what the crosswalk is drawn between. One query."""
    latest = Framework.objects.order_by("slug", "-loaded_at", "-pk").distinct("slug")
    return sorted(latest, key=lambda f: (f.name, f.slug))


def latest_framework(*, slug: str) -> Framework | None:
    if "\x00" in slug:  # PostgreSQL refuses a NUL in a query (a 500): no slug has one
        return None
    return Framework.objects.filter(slug=slug).order_by("-loaded_at", "-pk").first()


def criteria_of(*, framework: Framework) -> QuerySet[Criterion]:
    return Criterion.objects.filter(framework=framework).select_related("group").order_by("position")


def criterion_of(*, framework: Framework, code: str) -> Criterion | None:
    if "\x00" in code:
        return None
    return criteria_of(framework=framework).filter(code=code).first()


def codes_known(*, codes: Iterable[Code]) -> set[Code]:
    """Which of `codes` some loaded version of its framework has. One query."""
    wanted = set(codes)
    if not wanted:
        return set()
    query = Q()
    for slug, code in wanted:
        query |= Q(framework__slug=slug, code=code)
    return set(Criterion.objects.filter(query).values_list("framework__slug", "code").distinct()) & wanted


@dataclass(frozen=True)
class CrosswalkRow:
    """One criterion of the first framework with the criteria of the second it maps to."""

    criterion: Criterion
    linked: list[Criterion]


def crosswalk_rows(*, first: Framework, second: Framework) -> list[CrosswalkRow]:
    """Every criterion of `first` with what it maps to in `second`: three queries (the first's criteria with their
    groups, the second's criteria, the links)."""
    theirs = {c.code: c for c in criteria_of(framework=second)}
    links = links_by_code(slug=first.slug)
    return [
        CrosswalkRow(
            criterion=criterion,
            linked=[
                theirs[code] for slug, code in links.get(criterion.code, []) if slug == second.slug and code in theirs
            ],
        )
        for criterion in criteria_of(framework=first)
    ]
