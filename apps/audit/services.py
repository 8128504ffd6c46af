"""The helpers every app calls: when someone other than the owner sees a private record, and when someone changes
something that touches other people (a pair, a set, a session)."""

from datetime import datetime

from apps.accounts.models import User

from .models import AccessEvent, ChangeEvent


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
        viewer_name=str(viewer)[:200],
        owner=owner,
        record_kind=record_kind,
        record_id=str(record_id),
        reason=reason,
        viewed_at=now,
        path=path[:300],
    )


def access_record_many(
    *,
    viewer: User,
    owner_ids: list[int],
    record_kind: str,
    reason: str,
    now: datetime,
    path: str = "",
) -> int:
    """`access_record` for many owners seen on one page at once (a grid of people), in one INSERT however many.
    The viewer's own row, if among them, is not logged. Returns how many were recorded."""
    events = [
        AccessEvent(
            viewer=viewer,
            viewer_name=str(viewer)[:200],
            owner_id=owner_id,
            record_kind=record_kind,
            record_id=str(owner_id),
            reason=reason,
            viewed_at=now,
            path=path[:300],
        )
        for owner_id in owner_ids
        if owner_id != viewer.pk
    ]
    return len(AccessEvent.objects.bulk_create(events)) if events else 0


def change_record(
    *,
    actor: User | None,
    capacity: str,
    action: str,
    target: str,
    subjects: list[User | None],
    before: dict[str, object],
    after: dict[str, object],
    now: datetime,
) -> list[ChangeEvent]:
    """Record a change `actor` made, once for each person it touched (or once, with no subject). Called inside the
    service's transaction, so a change that is rolled back leaves no record, and one that is made always has one.
    No actor: the portal's operator, at the command line (loading a framework)."""
    return ChangeEvent.objects.bulk_create(
        ChangeEvent(
            actor=actor,
            actor_name=str(actor)[:200] if actor else "the portal's operator",
            capacity=capacity,
            subject=subject,
            action=action[:120],
            target=target[:200],
            before=before,
            after=after,
            changed_at=now,
        )
        for subject in (subjects or [None])
    )
