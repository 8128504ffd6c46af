"""Calendar links: one secret token per person, made when they ask for a link and replaced when they ask for a new
one, which kills the old at once. The feed itself is read in `apps/learning_sets/events.py`."""

import secrets
from datetime import datetime

from django.db import IntegrityError, transaction

from apps.accounts.models import User

from ..models import CalendarFeed


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def feed_token_get(*, person: User, now: datetime) -> CalendarFeed:
    """The person's feed, made on first use. The token is the only key: 256 random bits."""
    existing = CalendarFeed.objects.filter(person=person).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(person=person, token=_new_token(), created_at=now)
    except IntegrityError:  # made by a second request at the same moment: that one stands
        return CalendarFeed.objects.get(person=person)


@transaction.atomic
def feed_token_reset(*, person: User, now: datetime) -> CalendarFeed:
    """A new link; the old one stops working at once (someone may have seen it)."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        person=person, defaults={"token": _new_token(), "created_at": now}
    )
    if not created:
        feed.token, feed.created_at = _new_token(), now
        feed.save(update_fields=["token", "created_at"])
    return feed
