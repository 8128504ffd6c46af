"""Writes to accounts: granting and revoking roles."""

from datetime import datetime

from django.db import IntegrityError, transaction

from apps.organisations.models import Organisation

from .models import Role, RoleGrant, User


class RoleError(Exception):
    """A role change that cannot be made; the message is shown to the person who asked for it."""


@transaction.atomic
def role_grant(
    *, user: User, role: str, granted_by: User | None, now: datetime, organisation: Organisation | None = None
) -> RoleGrant:
    """Grant a role. An organisation lead is granted for one organisation, which must be open; no other role has
    one."""
    if role not in Role.values:
        raise RoleError(f"“{role}” is not a role.")
    if role == Role.ORGANISATION_LEAD:
        if organisation is None:
            raise RoleError("Choose the organisation they are to lead.")
        if not organisation.is_open:
            raise RoleError(f"{organisation.name} has closed; choose an open organisation.")
        if not user.full_name:
            # People standing forward see their leads by name (in their records, their talent conversations); a
            # lead without one would be shown by address.
            raise RoleError("They need their name on their profile before they can lead an organisation.")
    elif organisation is not None:
        raise RoleError(f"Only an organisation lead is granted for an organisation, not {Role(role).label.lower()}.")
    if RoleGrant.objects.filter(user=user, role=role, revoked_at__isnull=True).exists():
        raise RoleError(f"{user} already holds the role {Role(role).label.lower()}.")
    grant = RoleGrant(user=user, role=role, granted_by=granted_by, granted_at=now, organisation=organisation)
    grant.full_clean()
    try:
        with transaction.atomic():
            grant.save()
    except IntegrityError as exc:  # a concurrent grant of the same role won the race
        raise RoleError(f"{user} already holds the role {Role(role).label.lower()}.") from exc
    return grant


@transaction.atomic
def role_revoke(*, user: User, role: str, revoked_by: User | None, now: datetime) -> RoleGrant:
    grant = RoleGrant.objects.select_for_update().filter(user=user, role=role, revoked_at__isnull=True).first()
    if grant is None:
        raise RoleError(f"{user} does not hold that role.")
    if role == Role.ADMINISTRATOR and revoked_by == user:
        raise RoleError("You cannot remove your own administrator role; ask another administrator.")
    grant.revoked_at = now
    grant.revoked_by = revoked_by
    grant.save(update_fields=["revoked_at", "revoked_by"])
    return grant
