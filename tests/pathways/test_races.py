"""Double submits at the same moment on real PostgreSQL: joining twice, writing a check-in twice, setting up the same
cohort twice. One wins; the other gets the pathway's own refusal, never a 500 or a second row."""

from datetime import date

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.pathways.models import CheckIn, Cohort, Enrolment
from apps.pathways.selectors import CohortProgress
from apps.pathways.services import (
    PathwayError,
    checkin_complete,
    cohort_create,
    cohort_progress_current,
    enrolment_create,
)
from tests.factories import ProfileFactory
from tests.support.races import race

from .support import enrol, make_cohort

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _reference(reference_data: None) -> None:
    pass


def _one_refused(outcomes: list[object]) -> None:
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], PathwayError), outcomes


def test_joining_twice_at_once_makes_one_pathway(owner: User) -> None:
    def join() -> Enrolment:
        return enrolment_create(person=owner, started_on=date(2026, 11, 2), now=timezone.now())

    _one_refused(race(join, join))
    assert Enrolment.objects.filter(person=owner).count() == 1


def test_writing_a_check_in_twice_at_once_keeps_one(owner: User) -> None:
    enrolment = enrol(owner, started_on=date(2026, 8, 3))

    def write() -> CheckIn:
        return checkin_complete(enrolment=enrolment, months=3, going="Fine", support="", now=timezone.now())

    _one_refused(race(write, write))
    assert CheckIn.objects.count() == 1


def test_setting_up_the_same_cohort_twice_at_once_makes_one(organiser: User) -> None:
    def set_up() -> Cohort:
        return cohort_create(organiser=organiser, name="New MDs 2026/27", now=timezone.now())

    _one_refused(race(set_up, set_up))
    assert Cohort.objects.count() == 1


def test_two_organisers_viewing_at_once_store_one_table(organiser: User) -> None:
    """Review of issue 19: the cohort's counts are stored and renewed under a lock, so two views at once do not
    store two tables (nor fail)."""
    cohort = make_cohort(organiser)
    for i in range(5):
        enrol(ProfileFactory(user__email=f"racing.md{i}@example.org").user, started_on=date(2026, 8, 3), cohort=cohort)

    def view() -> CohortProgress:
        return cohort_progress_current(cohort=Cohort.objects.get(pk=cohort.pk), now=timezone.now())

    first, second = race(view, view)
    assert isinstance(first, CohortProgress) and first == second and first.enrolled == 5
    assert Cohort.objects.get(pk=cohort.pk).progress == first.to_json()
