"""Demo first-year pathway: a cohort "New MDs 2026/27" run by the demo organiser, and a new medical director on it
four months into the role, with some of the induction checklist ticked, the scope and objectives agreed with their
chief executive and the 3-month check-in written, so that `make run` shows both the person's page and the
organiser's (whose counts stay hidden: one person is fewer than five). Idempotent: what is there is left alone."""

from datetime import timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.profiles.demo import demo_person
from apps.profiles.models import CareerRole

from .models import CheckIn, Cohort, Enrolment, Invitation, TickState
from .services import checkin_complete, cohort_create, enrolment_create, scope_record, tick_set

ORGANISER = "organiser@example.org"
NEW_MD = "new.md@example.org"
COHORT = "New MDs 2026/27"


def seed(*, scale: str, stdout: TextIO) -> None:
    _seed()


@transaction.atomic
def _seed() -> None:
    now = timezone.now()
    organiser = User.objects.filter(email=ORGANISER).first()
    if organiser is None:
        return
    cohort = Cohort.objects.filter(name=COHORT).first() or cohort_create(organiser=organiser, name=COHORT, now=now)
    person = User.objects.filter(email=NEW_MD).first() or demo_person(
        NEW_MD, "Nadia", "Rahman", CareerRole.MEDICAL_DIRECTOR, "RRK"
    )
    if Enrolment.objects.filter(person=person).exists():
        return
    invitation = Invitation.objects.create(cohort=cohort, person=person, invited_by=organiser, invited_at=now)
    started_on = timezone.localdate() - timedelta(days=125)
    enrolment = enrolment_create(person=person, started_on=started_on, invitation=invitation, now=now)
    for key in ("board-and-committees", "induction-plan", "responsible-officer"):
        tick_set(enrolment=enrolment, item_key=key, state=TickState.DONE, now=now)
    tick_set(enrolment=enrolment, item_key="value-course", state=TickState.NOT_APPLICABLE, now=now)
    scope_record(
        enrolment=enrolment,
        scope="Responsible officer; Caldicott guardian; medical workforce; research and innovation.",
        objectives="Agree a medical workforce plan with the divisions by March; a new job planning policy.",
        agreed_on=started_on + timedelta(days=20),
        now=now,
    )
    if not CheckIn.objects.filter(enrolment=enrolment).exists():
        checkin_complete(
            enrolment=enrolment,
            months=3,
            going="Busier than I expected; the board is supportive.",
            support="Someone outside the trust to talk to about the finance side.",
            now=now,
        )
