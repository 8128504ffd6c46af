"""Demo people: one per role for trying the portal, and (scale=large) tens of thousands of synthetic members."""

import random
from decimal import Decimal
from typing import TextIO

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant, User
from apps.organisations.models import Organisation, Region, Sector

from .models import CareerAim, CareerAimWhen, CareerRole, Profession, Profile, Specialty, WorkingPattern

DEMO_PASSWORD = "stepping-up-demo"  # noqa: S105 - printed by `make run` for the demo sign-ins
LARGE_SCALE_PEOPLE = 20_000

# (e-mail, first, last, role on the ladder, job title, organisation ODS code, specialty code, aim, roles granted)
DEMO_PEOPLE = [
    (
        "aspiring@example.org",
        "Amara",
        "Okafor",
        CareerRole.CLINICAL_DIRECTOR,
        "Clinical Director, Adult Community Services",
        "RXT",
        "710",
        CareerAim.MEDICAL_DIRECTOR,
        [],
    ),
    (
        "mentor@example.org",
        "Richard",
        "Hale",
        CareerRole.MEDICAL_DIRECTOR,
        "Medical Director",
        "RV5",
        "715",
        CareerAim.RETIREMENT,
        [Role.MENTOR],
    ),
    (
        "organiser@example.org",
        "Priya",
        "Raman",
        CareerRole.DEPUTY_MD,
        "Deputy Medical Director, Leadership Faculty Lead",
        "RWK",
        "711",
        CareerAim.MEDICAL_DIRECTOR,
        [Role.ORGANISER],
    ),
    (
        "facilitator@example.org",
        "Helen",
        "Moss",
        CareerRole.ASSOCIATE_MD,
        "Associate Medical Director for Education",
        "RRK",
        "430",
        CareerAim.DEPUTY_MD,
        [Role.FACILITATOR],
    ),
    (
        "admin@example.org",
        "Sam",
        "Carter",
        CareerRole.OTHER,
        "Portal administrator",
        "R0A",
        None,
        CareerAim.UNDECIDED,
        [Role.ADMINISTRATOR],
    ),
]


def demo_person(email: str, first: str, last: str, role: str, ods: str) -> User:
    """A demo member with a verified address and a profile at the organisation with this ODS code (other apps'
    demo data uses it for their extra people). Creates only what is missing."""
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"primary": True, "verified": True})
    organisation = Organisation.objects.filter(ods_code=ods).first()
    Profile.objects.get_or_create(
        user=user,
        defaults={
            "career_role": role,
            "organisation": organisation,
            "sector": organisation.sectors.first() if organisation else None,
            "region": organisation.region if organisation else None,
            "completed_at": timezone.now() if organisation else None,
        },
    )
    return user


def seed(*, scale: str, stdout: TextIO) -> None:
    _seed_demo_people()
    if scale == "large":
        _seed_synthetic_people(count=LARGE_SCALE_PEOPLE, stdout=stdout)


@transaction.atomic
def _seed_demo_people() -> None:
    now = timezone.now()
    organisations = {o.ods_code: o for o in Organisation.objects.filter(ods_code__in=[p[5] for p in DEMO_PEOPLE])}
    for email, first, last, role, title, ods, specialty_code, aim, grants in DEMO_PEOPLE:
        user, created = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last})
        if created:
            user.set_password(DEMO_PASSWORD)
            if Role.ADMINISTRATOR in grants:
                user.is_staff = user.is_superuser = True
            user.save()
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"primary": True, "verified": True})
        organisation = organisations.get(ods)
        Profile.objects.get_or_create(
            user=user,
            defaults={
                "career_role": role,
                "job_title": title,
                "organisation": organisation,
                "sector": organisation.sectors.first() if organisation else None,
                "region": organisation.region if organisation else None,
                "specialty": Specialty.objects.filter(code=specialty_code).first(),
                "years_in_leadership": 6,
                "clinical_pas": Decimal("6.0"),
                "leadership_pas": Decimal("4.0"),
                "working_pattern": WorkingPattern.FULL_TIME,
                "career_aim": aim,
                "career_aim_when": CareerAimWhen.ONE_TO_2_YEARS,
                "completed_at": now if organisation else None,
            },
        )
        for grant in grants:
            if not RoleGrant.objects.filter(user=user, role=grant, revoked_at__isnull=True).exists():
                RoleGrant.objects.create(user=user, role=grant, granted_at=now)


# Roughly the shape of the people the portal serves: mostly consultants and clinical leads, fewer at the top.
_ROLE_WEIGHTS = [
    (CareerRole.SAS, 8),
    (CareerRole.CONSULTANT_GP, 40),
    (CareerRole.CLINICAL_LEAD, 18),
    (CareerRole.CLINICAL_DIRECTOR, 14),
    (CareerRole.DIVISIONAL_MD, 4),
    (CareerRole.DME, 3),
    (CareerRole.ASSOCIATE_MD, 6),
    (CareerRole.DEPUTY_MD, 3),
    (CareerRole.MEDICAL_DIRECTOR, 3),
    (CareerRole.MEDICAL_CEO, 1),
]
_FIRST = [
    "Aisha",
    "Ben",
    "Chloe",
    "David",
    "Emeka",
    "Fatima",
    "George",
    "Hannah",
    "Imran",
    "Julia",
    "Kwame",
    "Laura",
    "Mohammed",
    "Nia",
    "Oliver",
    "Priya",
    "Rhys",
    "Sarah",
    "Tom",
    "Uma",
    "Vikram",
    "Wendy",
]
_LAST = [
    "Adeyemi",
    "Brown",
    "Chen",
    "Davies",
    "Evans",
    "Fernandes",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Murphy",
    "Nowak",
    "O'Brien",
    "Patel",
    "Roberts",
    "Singh",
    "Taylor",
    "Williams",
]


@transaction.atomic
def _seed_synthetic_people(*, count: int, stdout: TextIO) -> None:
    """Bulk-creates synthetic members with complete profiles. Seeded, so every run makes the same people."""
    rng = random.Random(20261123)
    emails = [f"synthetic-{i:05d}@example.org" for i in range(count)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    missing = [e for e in emails if e not in existing]
    if not missing:
        return
    organisations = list(Organisation.objects.filter(closed_on__isnull=True).prefetch_related("sectors"))
    regions = list(Region.objects.all())
    sectors = list(Sector.objects.all())
    specialties = list(Specialty.objects.all())
    roles, weights = zip(*_ROLE_WEIGHTS, strict=True)
    password = make_password(DEMO_PASSWORD)  # one hash for all: hashing 20,000 times would take minutes
    now = timezone.now()
    users = User.objects.bulk_create(
        [User(email=e, first_name=rng.choice(_FIRST), last_name=rng.choice(_LAST), password=password) for e in missing],
        batch_size=2000,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, primary=True, verified=True) for u in users], batch_size=2000
    )
    profiles = []
    for user in users:
        organisation = rng.choice(organisations) if organisations else None
        org_sectors = list(organisation.sectors.all()) if organisation else []
        profiles.append(
            Profile(
                user=user,
                profession=Profession.DOCTOR if rng.random() < 0.9 else rng.choice(list(Profession)),
                career_role=rng.choices(roles, weights)[0],
                organisation=organisation,
                sector=rng.choice(org_sectors or sectors),
                region=(organisation.region if organisation and organisation.region else rng.choice(regions)),
                specialty=rng.choice(specialties),
                years_in_leadership=rng.randint(0, 20),
                clinical_pas=Decimal(rng.choice(["4.0", "5.0", "6.0", "7.0", "8.0"])),
                leadership_pas=Decimal(rng.choice(["1.0", "2.0", "3.0", "4.0"])),
                working_pattern=WorkingPattern.FULL_TIME if rng.random() < 0.8 else WorkingPattern.PART_TIME,
                career_aim=rng.choice(list(CareerAim)),
                career_aim_when=rng.choice(list(CareerAimWhen)),
                completed_at=now,
            )
        )
    Profile.objects.bulk_create(profiles, batch_size=2000)
    stdout.write(f"  created {len(users)} synthetic people")
