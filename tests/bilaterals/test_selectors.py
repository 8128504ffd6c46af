"""The dashboard's selector: a person's next bilateral meeting, with both people, in one query."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.bilaterals.selectors import next_bilateral_for
from apps.bilaterals.services import bilateral_end, meeting_cancel

from .support import FIRST_OPTION, agreed, booked, md

pytestmark = pytest.mark.django_db


def test_the_next_meeting_of_an_agreed_bilateral_comes_with_both_people(django_assert_num_queries: object) -> None:
    alice, bola, carol = md("alice@example.org"), md("bola@example.org"), md("carol@example.org")
    later = booked(agreed(alice, carol), at=FIRST_OPTION + timedelta(days=7))
    sooner = booked(agreed(bola, alice))
    with django_assert_num_queries(1):  # type: ignore[operator]
        found = next_bilateral_for(user=alice)
        assert found is not None
        assert found.bilateral.other(alice.pk).display_name == bola.display_name
    assert found == sooner
    assert next_bilateral_for(user=carol) == later
    assert next_bilateral_for(user=md("dana@example.org")) is None
    # Held, cancelled or ended: no longer next.
    assert next_bilateral_for(user=alice, now=sooner.ends_at) == later
    meeting_cancel(meeting_id=sooner.pk, person=bola, now=timezone.now())
    assert next_bilateral_for(user=alice) == later
    bilateral_end(bilateral_id=later.bilateral_id, person=carol, now=timezone.now())
    assert next_bilateral_for(user=alice) is None


def test_nobody_else_gets_the_meeting(owner: User) -> None:
    booked(agreed(md("alice@example.org"), md("bola@example.org")))
    assert next_bilateral_for(user=owner) is None
