"""Writing the crosswalk between frameworks: loading a crosswalk file, and an administrator's edit of one
criterion's links. Each pair of criteria is one row, written with the framework whose slug sorts first as `from`
(the selectors read it both ways), and every change is in the audit log."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from apps.accounts.models import User
from apps.audit.services import change_record

from .crosswalkfile import CrosswalkSpec, LinkSpec
from .models import Criterion, CriterionLink, Framework
from .selectors_crosswalk import Code, codes_known, links_by_code

SHIPPED_CROSSWALKS = Path(__file__).resolve().parent / "crosswalks"

Pair = tuple[str, str, str, str]  # (from slug, from code, to slug, to code), `from` sorting first


class CrosswalkError(Exception):
    """A crosswalk change that cannot be made as asked; nothing was written. `faults` lists each one."""

    def __init__(self, faults: list[str]) -> None:
        self.faults = faults
        super().__init__("; ".join(faults[:20]) + (" …" if len(faults) > 20 else ""))


@dataclass(frozen=True)
class CrosswalkLoadResult:
    added: int
    removed: int
    kept: tuple[tuple[str, str], ...] = ()  # pairs of frameworks left as they were (keep_existing)


def shipped_crosswalk_files() -> list[Path]:
    return sorted(SHIPPED_CROSSWALKS.glob("*.yaml"))


def _canonical(from_slug: str, from_code: str, to_slug: str, to_code: str) -> Pair:
    if (from_slug, from_code) <= (to_slug, to_code):
        return from_slug, from_code, to_slug, to_code
    return to_slug, to_code, from_slug, from_code


def _between(pairs: Collection[tuple[str, str]]) -> Q:
    """Links between any of these pairs of frameworks, whichever way round they are stored."""
    query = Q(pk__in=[])
    for one, other in pairs:
        query |= Q(from_slug=one, to_slug=other) | Q(from_slug=other, to_slug=one)
    return query


@transaction.atomic
def crosswalk_load(
    *, crosswalk: CrosswalkSpec, actor: User | None = None, now: datetime, keep_existing: bool = False
) -> CrosswalkLoadResult:
    """Make the links between the frameworks the crosswalk covers exactly its links. Loading it again changes
    nothing (and logs nothing). A link naming a code that no loaded version of its framework has refuses the whole
    file, with where the file names it. With `keep_existing`, a pair of frameworks that already has links is left
    as it is: administrators may have edited it since it was first loaded."""
    links = crosswalk.links
    known = codes_known(codes=[(link.from_slug, link.from_code) for link in links] + [_target(link) for link in links])
    unknown: dict[Code, str] = {}  # each unknown code once, where the file first names it
    for link in links:
        for named in ((link.from_slug, link.from_code), _target(link)):
            if named not in known:
                unknown.setdefault(named, link.where)
    faults = [
        f"{where}: no loaded framework '{slug}' has a criterion '{code}'" for (slug, code), where in unknown.items()
    ]
    if faults:
        raise CrosswalkError(faults)
    pairs = list(crosswalk.pairs)
    if keep_existing:
        filled = {
            tuple(sorted(p)) for p in CriterionLink.objects.filter(_between(pairs)).values_list("from_slug", "to_slug")
        }
        kept = tuple(p for p in pairs if tuple(sorted(p)) in filled)
        pairs = [p for p in pairs if p not in kept]
    else:
        kept = ()
    wanted = {
        _canonical(link.from_slug, link.from_code, *_target(link))
        for link in links
        if (link.from_slug, link.to_slug) in pairs
    }
    stored = {
        _canonical(*row): pk
        for *row, pk in CriterionLink.objects.filter(_between(pairs)).values_list(
            "from_slug", "from_code", "to_slug", "to_code", "pk"
        )
    }
    removed = [pk for pair, pk in stored.items() if pair not in wanted]
    added = sorted(wanted - stored.keys())
    CriterionLink.objects.filter(pk__in=removed).delete()
    CriterionLink.objects.bulk_create(
        CriterionLink(from_slug=a, from_code=b, to_slug=c, to_code=d) for a, b, c, d in added
    )
    if added or removed:
        change_record(
            actor=actor,
            capacity="administrator",
            action="loaded a crosswalk between frameworks",
            target=", ".join(f"{one} and {other}" for one, other in pairs),
            subjects=[],
            before={"links": len(stored)},
            after={"links": len(wanted), "added": len(added), "removed": len(removed)},
            now=now,
        )
    return CrosswalkLoadResult(added=len(added), removed=len(removed), kept=kept)


def _target(link: LinkSpec) -> Code:
    return link.to_slug, link.to_code


@transaction.atomic
def criterion_links_set(
    *, criterion: Criterion, other: Framework, codes: Collection[str], actor: User, now: datetime
) -> tuple[list[str], list[str]]:
    """Make what `criterion` maps to in `other` exactly `codes` (criteria of `other`'s latest loaded version).
    Returns (added, removed) codes. Refused whole, naming each fault, when a code is not one of `other`'s or the two
    are the same framework."""
    slug = criterion.framework.slug
    if other.slug == slug:
        raise CrosswalkError(
            [f"{criterion.code} is in {other.name}: a crosswalk links criteria of two different frameworks."]
        )
    # Two saves of the same pair (a double click, or the same link edited from the other framework's side) queue
    # here: every version of both frameworks is locked in one order, and each then reads what the other wrote.
    list(Framework.objects.select_for_update().filter(slug__in=[slug, other.slug]).order_by("pk").values_list("pk"))
    theirs = set(Criterion.objects.filter(framework=other).values_list("code", flat=True))
    unknown = sorted(set(codes) - theirs)
    if unknown:
        raise CrosswalkError([f"{other.name} has no criterion “{code}”." for code in unknown])
    before = {
        code for s, code in links_by_code(slug=slug, codes=[criterion.code]).get(criterion.code, []) if s == other.slug
    }
    added, removed = sorted(set(codes) - before), sorted(before - set(codes))
    for code in removed:
        a, b, c, d = _canonical(slug, criterion.code, other.slug, code)
        CriterionLink.objects.filter(from_slug=a, from_code=b, to_slug=c, to_code=d).delete()
    CriterionLink.objects.bulk_create(
        (
            CriterionLink(from_slug=a, from_code=b, to_slug=c, to_code=d)
            for a, b, c, d in (_canonical(slug, criterion.code, other.slug, code) for code in added)
        ),
        ignore_conflicts=True,  # a last guard: a link already there is what was asked for, never a 500
    )
    if added or removed:
        change_record(
            actor=actor,
            capacity="administrator",
            action="changed a criterion's links in the crosswalk",
            target=f"{criterion.code} ({criterion.framework.name}) to {other.name}",
            subjects=[],
            before={"links": sorted(before)},
            after={"links": sorted(codes), "added": added, "removed": removed},
            now=now,
        )
    return added, removed
