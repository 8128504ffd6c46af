"""The demo's buddies: a published cohort of seven new medical directors (three pairs, one left over and told
why), the pathway's new MD among the paired, and the next cohort open; the same rows however often it runs."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.buddies.models import BuddyPair, Cohort, CohortMember, CohortStatus
from apps.buddies.selectors import buddy_for

pytestmark = pytest.mark.django_db


def rows() -> tuple[list[tuple], ...]:
    return (
        sorted(Cohort.objects.values_list("name", "status")),
        sorted(CohortMember.objects.values_list("cohort__name", "user_id", "left_out_reason")),
        sorted(BuddyPair.objects.values_list("first_id", "second_id", "score", "status")),
    )


def test_the_demo_is_there_once_however_often_it_runs() -> None:
    call_command("seed_demo", stdout=StringIO())
    first = rows()
    call_command("seed_demo", stdout=StringIO())
    assert rows() == first

    autumn = Cohort.objects.get(name="New medical directors, autumn 2026")
    assert autumn.status == CohortStatus.PUBLISHED and autumn.pairs.count() == 3
    [left] = autumn.members.exclude(left_out_reason="")
    assert left.left_out_reason.startswith("An odd number of people")
    assert Cohort.objects.get(name="New medical directors, spring 2027").status == CohortStatus.OPEN
    pair = buddy_for(user=User.objects.get(email="new.md@example.org"))
    assert pair is not None and pair.explanation.startswith("Same leadership level, different organisations")
