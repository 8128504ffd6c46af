"""Reads of the access audit log and the record of changes."""

from django.db.models import QuerySet

from apps.accounts.models import RoleGrant, User

from .models import AccessEvent, ChangeEvent


def access_events_for_owner(*, owner: User) -> QuerySet[AccessEvent]:
    """Who has seen this person's records: the person may always see this about themself."""
    return AccessEvent.objects.filter(owner=owner).select_related("viewer")


def changes_touching(*, person: User) -> QuerySet[ChangeEvent]:
    """Changes others made that touched this person: theirs to read, always."""
    return ChangeEvent.objects.filter(subject=person).exclude(actor=person)


def role_changes_for(*, person: User) -> QuerySet[RoleGrant]:
    """The person's roles as granted and removed by others (the grant rows keep who and when)."""
    return RoleGrant.objects.filter(user=person).select_related("granted_by", "revoked_by").order_by("-granted_at")


def changes_for_administrator() -> QuerySet[ChangeEvent]:
    return ChangeEvent.objects.select_related("subject")


def role_changes_for_administrator() -> QuerySet[RoleGrant]:
    return RoleGrant.objects.select_related("user", "granted_by", "revoked_by").order_by("-granted_at")
