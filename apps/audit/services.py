"""The one helper every app calls when someone other than the owner sees a private record."""

from datetime import datetime

from apps.accounts.models import User

from .models import AccessEvent


def access_record(
    *,
    viewer: User,
    owner: User,
    record_kind: str,
    record_id: object,
    reason: str,
    now: datetime,
    path: str = "",
) -> AccessEvent | None:
    """Record that `viewer` saw `owner`'s private record. An owner seeing their own record is not logged."""
    if viewer.pk == owner.pk:
        return None
    return AccessEvent.objects.create(
        viewer=viewer,
        owner=owner,
        record_kind=record_kind,
        record_id=str(record_id),
        reason=reason,
        viewed_at=now,
        path=path[:300],
    )
