"""Demo mentoring: a scheme run by the demo organiser, with mentors' offers and mentees' requests waiting for a
match round, so that `make run` shows the organiser's round and the mentee's proposal with real reasons; and one
mentee who asked directly and said yes, so the demo mentor has a proposal waiting for their answer."""

from typing import TextIO

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant, User
from apps.organisations.models import Sector
from apps.profiles.demo import demo_person
from apps.profiles.models import CareerRole

from .models import MentoringRequest, MentorOffer, Scheme
from .services.proposals import proposal_accept, proposal_make_best

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


# Asked outside the scheme, for the mentor's side of the handshake: (e-mail, first, last, role, ODS, focus codes).
WAITING_FOR_MENTOR = (
    "demo.mentee.5@example.org",
    "Sofia",
    "Marsh",
    CareerRole.ASSOCIATE_MD,
    "RRK",
    ["SKI-9", "SKI-10"],
)


def seed(*, scale: str, stdout: TextIO) -> None:
    _seed()
    _seed_waiting_for_mentor()


@transaction.atomic
def _seed_waiting_for_mentor() -> None:
    mentor = User.objects.filter(email="mentor@example.org").first()
    email, first, last, role, ods, focus = WAITING_FOR_MENTOR
    if mentor is None or MentoringRequest.objects.filter(mentee__email=email).exists():
        return
    now = timezone.now()
    mentee = demo_person(email, first, last, role, ods)
    request = MentoringRequest.objects.create(
        mentee=mentee,
        kind="mentor",
        focus=focus,
        focus_text="I step up to acting medical director next spring and want someone who has done it.",
        outside="required",
        sector_preference="either",
        modes=["video"],
        created_at=now,
    )
    proposal = proposal_make_best(request=request, now=now)
    if proposal.mentor_id == mentor.pk:
        proposal_accept(proposal_id=proposal.pk, person=mentee, now=now)


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
