"""Writes to profiles: completing and editing one's own profile, diversity answers, offering to mentor."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.accounts.models import Role, User
from apps.accounts.selectors import user_has_role
from apps.accounts.services import role_grant

from .models import DiversityInformation, Profile

# What a profile needs before the portal can match, group and report on it.
REQUIRED_FOR_COMPLETE = ("profession", "career_role", "organisation", "sector", "region", "career_aim")


class ProfileError(Exception):
    """A profile change that cannot be made; the message is shown to the person."""


def profile_get_or_create(*, user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(*, user: User, first_name: str, last_name: str, fields: dict[str, Any], now: datetime) -> Profile:
    """Save the person's own profile. It counts as complete once every field matching needs is filled."""
    profile = Profile.objects.select_for_update().get_or_create(user=user)[0]
    for name, value in fields.items():
        setattr(profile, name, value)
    _place_from_organisation(profile)
    profile.full_clean()
    if profile.completed_at is None and all(getattr(profile, f) for f in REQUIRED_FOR_COMPLETE):
        profile.completed_at = now
    profile.save()
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name"])
    return profile


def _place_from_organisation(profile: Profile) -> None:
    """A sector or region left blank is the organisation's: its region, and its sector when it works in only one
    (a trust running mental health and community services leaves the choice to the person). What the organisation
    cannot give, the person must: the errors name the field, for the form to show beside it."""
    organisation = profile.organisation
    if organisation is None:
        return
    errors = {}
    if profile.sector_id is None:
        sectors = list(organisation.sectors.all()[:2])
        if len(sectors) == 1:
            profile.sector = sectors[0]
        elif sectors:
            errors["sector"] = f"Choose your sector: {organisation} works in more than one"
        else:
            errors["sector"] = f"Choose your sector: we do not know the sector of {organisation}"
    if profile.region_id is None:
        if organisation.region_id is not None:
            profile.region_id = organisation.region_id
        else:
            errors["region"] = f"Choose your NHS region: we do not know the region of {organisation}"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def diversity_update(*, user: User, fields: dict[str, str]) -> DiversityInformation:
    info = DiversityInformation.objects.select_for_update().get_or_create(user=user)[0]
    for name, value in fields.items():
        setattr(info, name, value)
    info.full_clean()
    info.save()
    return info


@transaction.atomic
def diversity_clear(*, user: User) -> None:
    DiversityInformation.objects.filter(user=user).delete()


def mentor_offer_self_grant(*, user: User, now: datetime) -> None:
    """Anyone at MD level may offer to mentor without waiting for an administrator (PRODUCT.md, Profiles)."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None or not profile.is_md_level:
        raise ProfileError(
            "Offering to mentor without an invitation is open to deputy medical directors, medical directors "
            "and medical chief executives. Ask an administrator if you mentor in another capacity."
        )
    if user_has_role(user=user, role=Role.MENTOR):
        raise ProfileError("You already offer to mentor.")
    role_grant(user=user, role=Role.MENTOR, granted_by=user, now=now)
