"""Demo bilaterals: the demo medical director (Richard Hale) and the demo medical chief executive (Ruth Lewis)
meet every two months: proposed, agreed, both gave their weekly times, and the first meeting is booked at the
first time the portal proposes, so that `make run` shows an agreed bilateral with its calendar download.
Idempotent: when the two already have a bilateral, nothing is done."""

from typing import TextIO

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import User
from apps.profiles.demo import demo_person
from apps.profiles.models import CareerRole

from .models import Bilateral
from .selectors import proposed_times
from .services import availability_set, bilateral_accept, bilateral_propose, meeting_schedule

PROPOSER = ("mentor@example.org", "Richard", "Hale", CareerRole.MEDICAL_DIRECTOR, "RV5")
PARTNER = ("demo.ceo@example.org", "Ruth", "Lewis", CareerRole.MEDICAL_CEO, "RRK")
PROPOSER_SLOTS = ["tue-08:00", "thu-08:00", "fri-16:00"]
PARTNER_SLOTS = ["mon-18:00", "thu-08:00", "fri-16:00"]


def seed(*, scale: str, stdout: TextIO) -> None:
    _seed()


def _person(spec: tuple[str, str, str, str, str]) -> User:
    email, first, last, role, ods = spec
    return User.objects.filter(email=email).first() or demo_person(email, first, last, role, ods)


@transaction.atomic
def _seed() -> None:
    now = timezone.now()
    proposer, partner = _person(PROPOSER), _person(PARTNER)
    pair = Q(proposer=proposer, partner=partner) | Q(proposer=partner, partner=proposer)
    if Bilateral.objects.filter(pair).exists():
        return
    bilateral = bilateral_propose(
        proposer=proposer,
        partner_email=partner.email,
        cadence_months=2,
        message="Shall we keep our catch-ups going? Every couple of months suits me.",
        now=now,
    )
    bilateral_accept(bilateral_id=bilateral.pk, partner=partner, now=now)
    availability_set(bilateral_id=bilateral.pk, person=proposer, slots=PROPOSER_SLOTS, now=now)
    bilateral = availability_set(bilateral_id=bilateral.pk, person=partner, slots=PARTNER_SLOTS, now=now)
    options = proposed_times(bilateral=bilateral, now=now)
    if options:
        meeting_schedule(bilateral_id=bilateral.pk, person=partner, starts_at=options[0].starts_at, now=now)
