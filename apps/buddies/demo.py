"""Demo buddies: a published cohort of seven medical directors new to the role (one left over, told why and
offered the next cohort), among them the demo new medical director of the first-year pathway, who sees their buddy
on /buddies/ and the dashboard; and the next cohort, open for joining, run by the demo organiser. Idempotent: what
is there is left as it is."""

from datetime import timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.profiles.demo import demo_person
from apps.profiles.models import CareerRole

from .models import Cohort, CohortMember
from .services import BuddiesError, cohort_create, cohort_pair, cohort_publish

ORGANISER = "organiser@example.org"
PUBLISHED = "New medical directors, autumn 2026"
OPEN = "New medical directors, spring 2027"
# The pathway's demo new MD (apps/pathways/demo.py makes them too, with the same details, if this runs first).
NEW_MD = ("new.md@example.org", "Nadia", "Rahman", "RRK", 3)
# (e-mail, first, last, ODS code, months in the role)
NEW_MDS = [
    NEW_MD,
    ("demo.newmd.1@example.org", "Tom", "Ashworth", "R0A", 9),
    ("demo.newmd.2@example.org", "Priya", "Nair", "RXT", 2),
    ("demo.newmd.3@example.org", "Gareth", "Jones", "RVN", 14),
    ("demo.newmd.4@example.org", "Louise", "Clarke", "RW4", 5),
    ("demo.newmd.5@example.org", "Samir", "Haddad", "RTD", 20),
    ("demo.newmd.6@example.org", "Eilidh", "Fraser", "RHA", 1),
]
JOINING_NEXT = [("demo.newmd.7@example.org", "Marcus", "Bell", "RGT", 1)]


def seed(*, scale: str, stdout: TextIO) -> None:
    _seed(stdout)


@transaction.atomic
def _seed(stdout: TextIO) -> None:
    organiser = User.objects.filter(email=ORGANISER).first()
    if organiser is None or Cohort.objects.filter(name=PUBLISHED).exists():
        return
    now = timezone.now()
    autumn = cohort_create(name=PUBLISHED, actor=organiser, now=now - timedelta(days=30))
    _members(autumn, NEW_MDS)
    try:
        paired = cohort_pair(cohort=autumn, actor=organiser, now=now - timedelta(days=20))
        cohort_publish(cohort=autumn, actor=organiser, now=now - timedelta(days=20))
    except BuddiesError as exc:
        stdout.write(f"  buddies: the demo cohort is left unpaired: {exc}\n")
        return
    spring = cohort_create(name=OPEN, actor=organiser, now=now)
    _members(spring, JOINING_NEXT)
    stdout.write(f"  buddies: {paired.pairs} pairs published, {paired.left_out} left over; one cohort open\n")


def _members(cohort: Cohort, people: list[tuple[str, str, str, str, int]]) -> None:
    for email, first, last, ods, months in people:
        person = demo_person(email, first, last, CareerRole.MEDICAL_DIRECTOR, ods)
        CohortMember.objects.create(
            cohort=cohort,
            user=person,
            started_in_role=timezone.localdate() - timedelta(days=30 * months + 15),
            added_by=cohort.created_by,
            joined_at=cohort.created_at,
        )
