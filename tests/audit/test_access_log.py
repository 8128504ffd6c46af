"""The one helper every app calls when someone other than the owner sees a private record."""

from datetime import UTC, datetime

import pytest

from apps.accounts.models import User
from apps.audit.models import AccessEvent
from apps.audit.selectors import access_events_for_owner
from apps.audit.services import access_record

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def test_a_view_by_someone_else_is_recorded(owner: User, colleague: User) -> None:
    event = access_record(
        viewer=colleague,
        owner=owner,
        record_kind="development plan",
        record_id=42,
        reason="shared with mentor",
        now=NOW,
        path="/plans/42/",
    )
    assert event is not None
    assert list(access_events_for_owner(owner=owner)) == [event]
    assert event.viewer == colleague and event.record_id == "42" and event.viewed_at == NOW


def test_the_owner_seeing_their_own_record_is_not_recorded(owner: User) -> None:
    assert (
        access_record(viewer=owner, owner=owner, record_kind="development plan", record_id=1, reason="owner", now=NOW)
        is None
    )
    assert not AccessEvent.objects.exists()


def test_an_owner_sees_only_events_about_themself(owner: User, colleague: User, outsider: User) -> None:
    access_record(
        viewer=outsider,
        owner=colleague,
        record_kind="self-assessment",
        record_id=1,
        reason="shared with organiser",
        now=NOW,
    )
    assert not access_events_for_owner(owner=owner).exists()
