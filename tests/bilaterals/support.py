"""People and bilaterals for the bilaterals tests, made through the services as people make them.

The suite's clock stands at Monday 7 December 2026, 10:00 UTC (tests/conftest.py): a bilateral agreed then has
its first meeting due on Monday 21 December, and the portal proposes from Monday 14 December."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from apps.accounts.models import User
from apps.bilaterals.models import Bilateral, BilateralMeeting
from apps.bilaterals.services import availability_set, bilateral_accept, bilateral_propose, meeting_schedule
from apps.profiles.models import CareerRole
from tests.factories import ProfileFactory

LONDON = ZoneInfo("Europe/London")
# A Tuesday afternoon both can make in the tests: the first proposed is 15 December 2026 at 14:00.
SHARED_SLOT = "tue-14:00"
FIRST_OPTION = datetime(2026, 12, 15, 14, 0, tzinfo=LONDON)


def md(email: str, *, role: str = CareerRole.MEDICAL_DIRECTOR) -> User:
    """A person at medical director level (a medical director unless `role` says otherwise), with a name."""
    return ProfileFactory(user__email=email, career_role=role).user


def proposed(proposer: User, partner: User, *, cadence: int = 1) -> Bilateral:
    return bilateral_propose(
        proposer=proposer, partner_email=partner.email, cadence_months=cadence, message="", now=timezone.now()
    )


def agreed(proposer: User, partner: User, *, cadence: int = 1, slots: bool = True) -> Bilateral:
    bilateral = proposed(proposer, partner, cadence=cadence)
    bilateral = bilateral_accept(bilateral_id=bilateral.pk, partner=partner, now=timezone.now())
    if slots:
        availability_set(
            bilateral_id=bilateral.pk, person=proposer, slots=[SHARED_SLOT, "mon-10:00"], now=timezone.now()
        )
        bilateral = availability_set(
            bilateral_id=bilateral.pk, person=partner, slots=[SHARED_SLOT, "wed-08:00"], now=timezone.now()
        )
    return bilateral


def booked(bilateral: Bilateral, *, by: User | None = None, at: datetime = FIRST_OPTION) -> BilateralMeeting:
    return meeting_schedule(
        bilateral_id=bilateral.pk, person=by or bilateral.proposer, starts_at=at, now=timezone.now()
    )
