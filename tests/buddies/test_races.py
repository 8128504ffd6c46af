"""Two organisers at once on one draft, against real PostgreSQL: the cohort's row lock makes them queue, so a
person is never put in two pairs, and a cohort is published (and its people told) once."""

import pytest
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.buddies.models import BuddyPair, Cohort
from apps.buddies.services import BuddiesError, cohort_create, cohort_pair, cohort_publish, pair_make
from apps.notifications.models import Reminder
from tests.buddies.factories import join, md
from tests.factories import grant
from tests.support.races import race


def _draft() -> tuple[Cohort, User, dict[str, User]]:
    organiser = md("Olive")
    grant(organiser, Role.ORGANISER)
    cohort = cohort_create(name="Winter", actor=organiser, now=timezone.now())
    people = {name: md(name) for name in ("Ann", "Bob", "Cat")}
    for person in people.values():
        join(cohort, person)
    cohort_pair(cohort=cohort, actor=organiser, now=timezone.now())
    cohort.pairs.all().delete()  # all three unpaired
    return cohort, organiser, people


@pytest.mark.django_db(transaction=True)
def test_one_person_paired_twice_at_once_ends_in_one_pair(reference_data: None) -> None:
    cohort, organiser, people = _draft()
    ann, bob, cat = people["Ann"], people["Bob"], people["Cat"]

    outcomes = race(
        lambda: pair_make(
            cohort=cohort, first_user_id=ann.pk, second_user_id=bob.pk, actor=organiser, now=timezone.now()
        ),
        lambda: pair_make(
            cohort=cohort, first_user_id=cat.pk, second_user_id=ann.pk, actor=organiser, now=timezone.now()
        ),
    )

    assert sum(isinstance(o, BuddyPair) for o in outcomes) == 1
    [refusal] = [o for o in outcomes if isinstance(o, BuddiesError)]
    assert "Ann Doctor is already paired" in str(refusal)
    assert BuddyPair.objects.filter(cohort=cohort).count() == 1


@pytest.mark.django_db(transaction=True)
def test_publishing_twice_at_once_publishes_and_tells_once(reference_data: None) -> None:
    cohort, organiser, people = _draft()
    pair_make(
        cohort=cohort,
        first_user_id=people["Ann"].pk,
        second_user_id=people["Bob"].pk,
        actor=organiser,
        now=timezone.now(),
    )

    outcomes = race(
        lambda: cohort_publish(cohort=cohort, actor=organiser, now=timezone.now()),
        lambda: cohort_publish(cohort=cohort, actor=organiser, now=timezone.now()),
    )

    assert sum(isinstance(o, BuddiesError) for o in outcomes) == 1
    assert Reminder.objects.filter(kind="buddy_paired").count() == 2
    assert Reminder.objects.filter(kind="buddy_left_out").count() == 1
