"""Demo mentoring: a scheme run by the demo organiser, with mentors' offers and mentees' requests waiting for a
match round, so that `make run` shows the organiser's round and the mentee's proposal with real reasons."""

from typing import TextIO

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant, User
from apps.organisations.models import Sector
from apps.profiles.demo import demo_person
from apps.profiles.models import CareerRole

from .models import MentoringRequest, MentorOffer, Scheme

SCHEME = "Midlands aspiring medical directors 2027"
# (e-mail, first, last, role, ODS code, expertise codes, capacity)
MENTORS = [
    ("mentor@example.org", "Richard", "Hale", CareerRole.MEDICAL_DIRECTOR, "RV5", ["SKI-8", "SKI-9", "SKI-10"], 2),
    ("demo.mentor.2@example.org", "Grace", "Adeyemi", CareerRole.MEDICAL_DIRECTOR, "RRK", ["SKI-1", "SKI-8"], 1),
    ("demo.mentor.3@example.org", "Tom", "Hughes", CareerRole.DEPUTY_MD, "RWK", ["SKI-2", "SKI-9"], 2),
]
# (e-mail, first, last, role, ODS code, focus codes)
MENTEES = [
    ("aspiring@example.org", "Amara", "Okafor", CareerRole.CLINICAL_DIRECTOR, "RXT", ["SKI-8", "SKI-9"]),
    ("demo.mentee.2@example.org", "Imran", "Iqbal", CareerRole.CLINICAL_LEAD, "RRK", ["SKI-1"]),
    ("demo.mentee.3@example.org", "Julia", "Nowak", CareerRole.ASSOCIATE_MD, "RV5", ["SKI-2", "SKI-10"]),
    ("demo.mentee.4@example.org", "Kwame", "Evans", CareerRole.CLINICAL_DIRECTOR, "RWK", ["SKI-8"]),
]


def seed(*, scale: str, stdout: TextIO) -> None:
    _seed()


@transaction.atomic
def _seed() -> None:
    organiser = User.objects.filter(email="organiser@example.org").first()
    if organiser is None or Scheme.objects.filter(name=SCHEME).exists():
        return
    now = timezone.now()
    scheme = Scheme.objects.create(
        name=SCHEME,
        description="Medical directors from across the Midlands mentor clinical directors who aim for the role.",
        created_at=now,
    )
    scheme.organisers.add(organiser)
    for email, first, last, role, ods, expertise, capacity in MENTORS:
        mentor = demo_person(email, first, last, role, ods)
        if not RoleGrant.objects.filter(user=mentor, role=Role.MENTOR, revoked_at__isnull=True).exists():
            RoleGrant.objects.create(user=mentor, role=Role.MENTOR, granted_at=now)
        offer, _ = MentorOffer.objects.get_or_create(
            mentor=mentor,
            defaults={"capacity": capacity, "kind": "both", "expertise": expertise, "modes": ["video", "in_person"]},
        )
        offer.sectors.set(Sector.objects.all()[:3])
        offer.schemes.add(scheme)
    for email, first, last, role, ods, focus in MENTEES:
        mentee = demo_person(email, first, last, role, ods)
        if not MentoringRequest.objects.filter(mentee=mentee, status="open").exists():
            MentoringRequest.objects.create(
                mentee=mentee,
                kind="mentor",
                focus=focus,
                focus_text="Preparing for a medical director interview within two years.",
                outside="preferred",
                sector_preference="either",
                modes=["video"],
                scheme=scheme,
                created_at=now,
            )
