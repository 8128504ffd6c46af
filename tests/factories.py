"""factory_boy factories shared by the whole suite."""

from typing import Any

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from apps.accounts.models import RoleGrant, User
from apps.development.models import Plan
from apps.organisations.models import Organisation, OrganisationKind, Region, Sector
from apps.profiles.models import CareerAim, CareerRole, Profession, Profile

PASSWORD = "correct-horse-battery-42"
FIRST_NAMES = ["Amara", "Tom", "Priya", "Kwame", "Julia", "Imran", "Grace", "Sofia", "Owen", "Hannah", "Ravi", "Chloe"]
LAST_NAMES = ["Okafor", "Baker", "Shah", "Evans", "Nowak", "Iqbal", "Adeyemi", "Marsh", "Hughes", "Patel", "Lewis"]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    # Fixed lists, not Faker: the same names every run, none that change under HTML escaping ("O'Connor").
    first_name = factory.Sequence(lambda n: FIRST_NAMES[n % len(FIRST_NAMES)])
    last_name = factory.Sequence(lambda n: LAST_NAMES[(n * 7) % len(LAST_NAMES)])

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        """Every factory user has a verified primary address unless verified=False is passed."""
        if create:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=extracted is not False)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    ods_code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"Test NHS Foundation Trust {n}")
    kind = OrganisationKind.FOUNDATION_TRUST
    region = factory.LazyFunction(lambda: Region.objects.get(ods_code="Y56"))

    @factory.post_generation
    def sectors(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if create:
            self.sectors.set(Sector.objects.filter(code__in=extracted or ["mental_health"]))


class ProfileFactory(factory.django.DjangoModelFactory):
    """A complete profile of a consultant aiming for MD."""

    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    profession = Profession.DOCTOR
    career_role = CareerRole.CONSULTANT_GP
    organisation = factory.SubFactory(OrganisationFactory)
    sector = factory.LazyFunction(lambda: Sector.objects.get(code="mental_health"))
    region = factory.LazyFunction(lambda: Region.objects.get(ods_code="Y56"))
    career_aim = CareerAim.MEDICAL_DIRECTOR
    completed_at = factory.LazyFunction(timezone.now)


def grant(user: User, role: str) -> RoleGrant:
    return RoleGrant.objects.create(user=user, role=role, granted_at=timezone.now())


def year_plan(owner: User, *, title: str = "Towards MD", target_level: int = 5) -> Plan:
    """A development plan from today for a year, made through the service as a person would."""
    from datetime import timedelta

    from apps.development.services import plan_create

    today = timezone.localdate()
    return plan_create(
        owner=owner,
        title=title,
        target_level=target_level,
        starts_on=today,
        ends_on=today + timedelta(days=365),
        now=timezone.now(),
    )
