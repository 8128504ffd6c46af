"""Demo learning sets: a programme run by the demo organiser with 24 applicants from 16 organisations, grouped and
published five weeks ago, so `make run` shows the organiser's review and report, the demo member's set, and a first
session that has already met (three weeks ago or less) with its attendance waiting for the facilitator, the next
one still ahead for apologies; and a second programme taking applications, so the demo member can try applying and
the organiser can close applications early.

The first programme is run through the real services with the clock of its own past (`now=` five weeks ago), so
sessions can lie in the past: publishing refuses first sessions that have passed. The reminders that would have
gone out before today for the sessions already held are cancelled rather than sent late; the facilitator's
reminder to record attendance stays, since that is still to do.

Dates are set from the day of the first seed; later seeds find the programmes by name and create nothing.
"""

from datetime import date, datetime, timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant, User
from apps.notifications.services import cancel_all
from apps.organisations.models import Organisation
from apps.profiles.demo import demo_person
from apps.profiles.models import CareerRole, Profile

from .models import Application, Audience, Programme, ProgrammeStatus, Session
from .services import LearningSetError
from .services.publishing import programme_publish
from .services.review import programme_group

PUBLISHED = "Midlands and London aspiring medical directors: learning sets 2027"
TAKING_APPLICATIONS = "Medical directors in their first years: peer sets"
ORGANISER = "organiser@example.org"
# The demo facilitator (profiles/demo.py) and two more: publishing needs one facilitator for each set.
FACILITATORS = [
    ("facilitator@example.org", "Helen", "Moss", "RRK"),
    ("demo.facilitator.2@example.org", "Kofi", "Mensah", "RJ1"),
    ("demo.facilitator.3@example.org", "Rachel", "Lewis", "RTH"),
]
APPLICANT_ORGANISATIONS = [
    "RXT", "RV5", "RWK", "RX4", "RX3", "RWX", "RX2", "RDY", "R0A", "RRK", "RJ1", "RTH", "RYX", "RY6", "RRU", "X0D2C",
]  # fmt: skip
FIRST = ["Aisha", "Ben", "Chloe", "David", "Emeka", "Fatima", "George", "Hannah", "Imran", "Julia", "Kwame", "Laura",
         "Mohammed", "Nia", "Oliver", "Priya", "Rhys", "Sarah", "Tom", "Uma", "Vikram", "Wendy", "Yusuf"]  # fmt: skip
LAST = ["Adeyemi", "Brown", "Chen", "Davies", "Evans", "Fernandes", "Green", "Hughes", "Iqbal", "Jones", "Khan",
        "Lewis", "Murphy", "Nowak", "O'Brien", "Patel", "Roberts", "Singh", "Taylor", "Williams", "Young", "Zhou",
        "Ahmed"]  # fmt: skip
# Applicants' current roles (their applications take the role from their profiles, as the form does).
ROLES = [CareerRole.CONSULTANT_GP, CareerRole.CLINICAL_LEAD, CareerRole.CLINICAL_DIRECTOR, CareerRole.ASSOCIATE_MD]
# The published programme's own past: when it was set up, took applications and was published, in days before the
# first seed. Its first sessions are from three weeks ago, so each set has met once and meets next in 1 to 2 weeks.
SET_UP, OPENED, CLOSED, PUBLISHED_DAYS_AGO, FIRST_SESSIONS = 84, 77, 42, 35, 21
# Three overlapping patterns of availability: every two of them share a time, so the sets can mix all three.
AVAILABILITY = [
    ["tue-14:00", "wed-10:00", "fri-08:00"],
    ["wed-10:00", "thu-14:00", "mon-16:00"],
    ["thu-14:00", "tue-14:00", "wed-16:00"],
]


def seed(*, scale: str, stdout: TextIO) -> None:
    _seed(stdout)


@transaction.atomic
def _seed(stdout: TextIO) -> None:
    organiser = User.objects.filter(email=ORGANISER).first()
    if organiser is None or Programme.objects.filter(name=PUBLISHED).exists():
        return
    now = timezone.now()
    today = timezone.localdate(now)
    then = now - timedelta(days=PUBLISHED_DAYS_AGO)
    facilitators = []
    for email, first, last, ods in FACILITATORS:
        facilitator = demo_person(email, first, last, CareerRole.ASSOCIATE_MD, ods)
        if not RoleGrant.objects.filter(user=facilitator, role=Role.FACILITATOR, revoked_at__isnull=True).exists():
            RoleGrant.objects.create(user=facilitator, role=Role.FACILITATOR, granted_at=now)
        facilitators.append(facilitator)
    programme = Programme.objects.create(
        name=PUBLISHED,
        audience=Audience.ASPIRING_MDS,
        description="Consultants, SAS doctors and clinical leaders from mental health, acute, community and primary "
        "care, meeting every four weeks to work on real problems from their own jobs.",
        set_size_min=6,
        set_size_max=8,
        sessions_count=6,
        cadence_weeks=4,
        session_minutes=120,
        applications_open_on=today - timedelta(days=OPENED),
        applications_close_on=today - timedelta(days=CLOSED),
        first_sessions_from=today - timedelta(days=FIRST_SESSIONS),
        status=ProgrammeStatus.OPEN,
        default_video_url="https://meet.example.org/stepping-up-sets",
        created_at=now - timedelta(days=SET_UP),
    )
    programme.organisers.add(organiser)
    programme.facilitators.set(facilitators)
    _applications(programme, now - timedelta(days=(OPENED + CLOSED) // 2))
    try:
        run = programme_group(programme=programme, actor=organiser, now=then)
        published = programme_publish(programme=programme, actor=organiser, now=then)
    except LearningSetError as exc:
        stdout.write(f"  learning sets: the demo programme is left as it was: {exc}\n")
    else:
        held = _sessions_held(programme, now)
        stdout.write(
            f"  learning sets: {run.sets} sets of {run.placed} people, {published.sessions} sessions published, "
            f"{held} already held and waiting for attendance\n"
        )
    _taking_applications(organiser, today, now)


def _sessions_held(programme: Programme, now: datetime) -> int:
    """The sessions before `now`: their members' reminders (a week and a day before) are cancelled, as they would
    have been sent long ago; the facilitator's reminder to record attendance stays due."""
    held = list(Session.objects.filter(learning_set__programme=programme, starts_at__lte=now))
    for session in held:
        for label in ("7d", "24h"):
            cancel_all(prefix=f"session:{session.pk}:{label}:")
    return len(held)


def _applications(programme: Programme, applied: datetime) -> None:
    # The demo member applies too, so that signing in as them shows a set.
    people = list(User.objects.filter(email="aspiring@example.org"))
    for n in range(24 - len(people)):
        role = ROLES[n % len(ROLES)]
        ods = APPLICANT_ORGANISATIONS[(n + 1) % len(APPLICANT_ORGANISATIONS)]
        email = f"demo.set.{n + 1:02d}@example.org"
        people.append(demo_person(email, FIRST[n % len(FIRST)], LAST[(n * 7) % len(LAST)], role, ods))
    profiles = {p.user_id: p for p in Profile.objects.filter(user__in=people).select_related("organisation")}
    for n, person in enumerate(people):
        profile = profiles[person.pk]
        organisation = profile.organisation or Organisation.objects.get(ods_code=APPLICANT_ORGANISATIONS[0])
        sector = profile.sector or organisation.sectors.first()
        if sector is None:
            continue
        Application.objects.get_or_create(
            programme=programme,
            person=person,
            defaults={
                "organisation": organisation,
                "sector": sector,
                "career_stage": profile.career_role or CareerRole.OTHER,
                "profession": "doctor",
                "slots": AVAILABILITY[n % len(AVAILABILITY)],
                "hopes": "To practise the conversations a medical director has with the board.",
                "created_at": applied,
                "updated_at": applied,
            },
        )


def _taking_applications(organiser: User, today: date, now: datetime) -> None:
    if Programme.objects.filter(name=TAKING_APPLICATIONS).exists():
        return
    programme = Programme.objects.create(
        name=TAKING_APPLICATIONS,
        audience=Audience.NEW_MDS,
        description="For medical directors and chief medical officers in their first two years in the role.",
        applications_open_on=today - timedelta(days=7),
        applications_close_on=today + timedelta(days=28),
        first_sessions_from=today + timedelta(days=49),
        status=ProgrammeStatus.OPEN,
        default_venue="NHS Confederation, 18 Smith Square, London",
        created_at=now,
    )
    programme.organisers.add(organiser)
