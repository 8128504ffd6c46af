"""People for the buddies tests: medical directors in their own trusts, with sector, region and level set."""

from datetime import date

from apps.accounts.models import User
from apps.buddies.models import Cohort, CohortMember
from apps.organisations.models import Organisation, Region, Sector
from apps.profiles.models import CareerRole
from tests.factories import OrganisationFactory, ProfileFactory


def md(
    name: str,
    *,
    organisation: Organisation | None = None,
    role: str = CareerRole.MEDICAL_DIRECTOR,
    sector: str = "mental_health",
    region: str = "Y56",
) -> User:
    """A medical director called `name` (first name; e-mail `<name>@example.org`) in their own trust unless given."""
    profile = ProfileFactory(
        user__email=f"{name.lower()}@example.org",
        user__first_name=name,
        user__last_name="Doctor",
        career_role=role,
        organisation=organisation or OrganisationFactory(name=f"{name} NHS Foundation Trust"),
        sector=Sector.objects.get(code=sector),
        region=Region.objects.get(ods_code=region),
    )
    return profile.user


def join(cohort: Cohort, user: User, started: date = date(2026, 6, 1)) -> CohortMember:
    return CohortMember.objects.create(cohort=cohort, user=user, started_in_role=started, joined_at=cohort.created_at)
