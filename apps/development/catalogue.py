"""Loading the opportunity catalogue (`stepping-up-opportunities/1`, YAML). Every entry is checked before
anything is written; criteria must exist in a loaded framework. Existing entries are left as administrators
edited them unless `update=True`."""

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction

from apps.competencies.models import Criterion

from .models import Opportunity, OpportunityCriterion, OpportunityKind, TimeBand

FORMAT = "stepping-up-opportunities/1"
SHIPPED = Path(__file__).resolve().parent / "catalogue" / "opportunities.yaml"
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
FIELDS = {
    "code",
    "title",
    "description",
    "kind",
    "typical_time",
    "time_band",
    "typical_cost",
    "providers",
    "source",
    "develops",
}
REQUIRED = FIELDS - {"providers", "time_band"}


class CatalogueError(Exception):
    """A catalogue file that cannot be loaded; nothing was written."""


@dataclass(frozen=True)
class CatalogueResult:
    created: int
    updated: int
    unchanged: int


def read_catalogue(text: str) -> list[dict[str, object]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"not valid YAML: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("opportunities"), list):
        raise CatalogueError(f"expected 'format: {FORMAT}' and a list of 'opportunities'")
    entries: list[dict[str, object]] = data["opportunities"]
    known = _known_criteria()
    faults = [fault for i, entry in enumerate(entries) for fault in _check(i, entry, known)]
    codes = [e.get("code") for e in entries if isinstance(e, dict)]
    faults += [f"the code '{c}' is used twice" for c in sorted({c for c in codes if codes.count(c) > 1})]  # type: ignore[type-var]
    if faults:
        raise CatalogueError("; ".join(faults[:20]))
    return entries


def _known_criteria() -> dict[str, set[str]]:
    known: dict[str, set[str]] = {}
    for slug, code in Criterion.objects.values_list("framework__slug", "code"):
        known.setdefault(slug, set()).add(code)
    return known


def _check(i: int, entry: object, known: dict[str, set[str]]) -> list[str]:
    where = f"opportunities[{i}]"
    if not isinstance(entry, dict):
        return [f"{where}: expected a mapping"]
    faults = [f"{where}: unknown field '{k}'" for k in entry if k not in FIELDS]
    faults += [f"{where}: missing field '{k}'" for k in sorted(REQUIRED - entry.keys())]
    if "code" in entry and not CODE.match(str(entry["code"])):
        faults.append(f"{where}.code: use lower-case letters, digits and hyphens")
    if "kind" in entry and entry["kind"] not in OpportunityKind.values:
        faults.append(f"{where}.kind: one of {', '.join(OpportunityKind.values)}")
    if "time_band" in entry and entry["time_band"] not in TimeBand.values:
        faults.append(f"{where}.time_band: one of {', '.join(TimeBand.values)}")
    develops = entry.get("develops", {})
    if not isinstance(develops, dict):
        return [*faults, f"{where}.develops: expected framework slugs with lists of criterion codes"]
    for slug, codes in develops.items():
        if slug not in known:
            faults.append(f"{where}.develops.{slug}: no framework '{slug}' is loaded")
        elif not isinstance(codes, list) or any(c not in known[slug] for c in codes):
            faults.append(
                f"{where}.develops.{slug}: unknown criterion code(s) {sorted(set(map(str, codes)) - known[slug])}"
            )
    return faults


@transaction.atomic
def catalogue_load(*, entries: list[dict[str, object]], update: bool) -> CatalogueResult:
    existing = {o.code: o for o in Opportunity.objects.all()}
    created = updated = unchanged = 0
    for entry in entries:
        fields = {k: entry.get(k, [] if k == "providers" else "") for k in FIELDS - {"code", "develops"}}
        opportunity = existing.get(str(entry["code"]))
        if opportunity is None:
            opportunity = Opportunity.objects.create(code=str(entry["code"]), **fields)
            created += 1
        elif update:
            for name, value in fields.items():
                setattr(opportunity, name, value)
            opportunity.full_clean()
            opportunity.save()
            opportunity.develops.all().delete()
            updated += 1
        else:
            unchanged += 1
            continue
        OpportunityCriterion.objects.bulk_create(
            OpportunityCriterion(opportunity=opportunity, framework_slug=slug, criterion_code=code)
            for slug, codes in entry["develops"].items()  # type: ignore[attr-defined]
            for code in codes
        )
    return CatalogueResult(created, updated, unchanged)
