"""Role profiles: loading the shipped data file, and administrators' edits, each a new version."""

from dataclasses import asdict, dataclass
from datetime import datetime

from django.db import transaction

from apps.accounts.models import User
from apps.audit.services import change_record

from ..datafiles import RoleSpec
from ..models import RoleProfile
from . import CareersError, StaleVersion

# What an administrator may change; the slug, group and place in the list stay as the data file has them.
EDITABLE = (
    "title",
    "level",
    "summary",
    "responsibilities",
    "portfolio",
    "typical_pas",
    "reports_to",
    "hardest",
    "job_description",
    "person_specification",
    "sources",
)


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def _fields(profile: RoleProfile) -> dict[str, object]:
    return {name: getattr(profile, name) for name in EDITABLE}


def _new_version(
    *, current: RoleProfile | None, values: dict[str, object], actor: User | None, now: datetime
) -> RoleProfile:
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current"])
    profile = RoleProfile(
        version=current.version + 1 if current else 1, is_current=True, edited_by=actor, created_at=now, **values
    )
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def role_profiles_load(*, specs: list[RoleSpec], update: bool, now: datetime) -> LoadResult:
    """Idempotent: a role already loaded is left as administrators edited it, unless `update`, which adds a new
    version only where the file says something different."""
    current = {p.slug: p for p in RoleProfile.objects.select_for_update().filter(is_current=True)}
    created = updated = 0
    for spec in specs:
        values = asdict(spec)
        existing = current.get(spec.slug)
        if existing is None:
            _new_version(current=None, values=values, actor=None, now=now)
            created += 1
        elif update and any(getattr(existing, key) != value for key, value in values.items()):
            _new_version(current=existing, values=values, actor=None, now=now)
            updated += 1
    return LoadResult(created=created, updated=updated, unchanged=len(specs) - created - updated)


STALE = (
    "Someone else saved a new version while you were editing: here is theirs; make your change again. "
    "Nothing of yours was saved."
)


@transaction.atomic
def role_profile_revise(
    *, profile: RoleProfile, based_on: int, actor: User, changes: dict[str, object], now: datetime
) -> RoleProfile:
    """Saves an administrator's edit as a new version, keeping the history, with a change record. `based_on` is the
    version the administrator opened (the edit form carries it): if it is no longer the current one, another
    administrator saved theirs meanwhile, and this edit is refused rather than laid over theirs unseen."""
    current = RoleProfile.objects.select_for_update().filter(slug=profile.slug, is_current=True).first()
    if current is None or current.version != based_on:
        raise StaleVersion(STALE)
    before = _fields(current)
    after = {**before, **{key: changes[key] for key in EDITABLE if key in changes}}
    if after == before:
        raise CareersError("Nothing was changed: the profile is as it was.")
    identity = {"slug": current.slug, "group": current.group, "position": current.position}
    revised = _new_version(
        current=current,
        values={**identity, "person_spec_framework": current.person_spec_framework, **after},
        actor=actor,
        now=now,
    )
    changed = [key for key in EDITABLE if before[key] != after[key]]
    change_record(
        actor=actor,
        capacity="administrator",
        action=f"edited the role profile (version {revised.version})",
        target=revised.title,
        subjects=[],
        before={key: before[key] for key in changed},
        after={key: after[key] for key in changed},
        now=now,
    )
    return revised
