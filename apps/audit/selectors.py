"""Reads of the access audit log."""

from django.db.models import QuerySet

from apps.accounts.models import User

from .models import AccessEvent


def access_events_for_owner(*, owner: User) -> QuerySet[AccessEvent]:
    """Who has seen this person's records: the person may always see this about themself."""
    return AccessEvent.objects.filter(owner=owner).select_related("viewer")


def access_events_for_administrator() -> QuerySet[AccessEvent]:
    return AccessEvent.objects.select_related("viewer", "owner")
