"""People on the first-year pathway for the pathways tests, made through the services as people make them."""

from datetime import date, timedelta

from django.utils import timezone

from apps.accounts.models import User
from apps.pathways.models import Cohort, Enrolment, Invitation
from apps.pathways.services import cohort_create, enrolment_create, scope_record

# Strings planted in private entries: none may ever reach an organiser's page.
PLANTED_SCOPE = "SCOPE-PLANTED-Caldicott-4471"
PLANTED_OBJECTIVES = "OBJECTIVES-PLANTED-workforce-9912"
PLANTED_GOING = "GOING-PLANTED-lonely-at-times-5523"
PLANTED_SUPPORT = "SUPPORT-PLANTED-finance-coach-7781"


def enrol(person: User, *, started_on: date | None = None, cohort: Cohort | None = None) -> Enrolment:
    started_on = started_on or timezone.localdate() - timedelta(days=30)
    invitation = None
    if cohort is not None:
        invitation = Invitation.objects.create(cohort=cohort, person=person, invited_at=timezone.now())
    return enrolment_create(person=person, started_on=started_on, invitation=invitation, now=timezone.now())


def make_cohort(organiser: User, name: str = "New MDs 2026/27") -> Cohort:
    return cohort_create(organiser=organiser, name=name, now=timezone.now())


def with_scope(enrolment: Enrolment) -> Enrolment:
    return scope_record(
        enrolment=enrolment,
        scope=PLANTED_SCOPE,
        objectives=PLANTED_OBJECTIVES,
        agreed_on=enrolment.started_on + timedelta(days=1),
        now=timezone.now(),
    )
