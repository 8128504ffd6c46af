"""Demo succession: an organisation lead (the medical director) at East London NHS Foundation Trust, a mental health
and community trust, with its posts started from example one of seed 001's appendix 1; three people standing
forward there with different readiness and choices of what to show, one of them the demo aspiring leader, with
whom the lead has had a talent conversation; a deputy's post falling vacant in four months with no one ready now,
so the dashboard and the daily reminder have something to say. Idempotent: what is there is left as it is."""

from datetime import date, datetime, timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant, User
from apps.accounts.services import role_grant
from apps.organisations.models import Organisation
from apps.profiles.demo import demo_person
from apps.profiles.models import CareerAimWhen, CareerRole, LeadershipLevel

from .models import Candidacy, Post, Readiness, ShowChoice, TalentConversation
from .services.conversations import conversation_create
from .services.posts import structure_apply
from .structures import shipped

LEAD = ("lead@example.org", "Grace", "Adeyemi", CareerRole.MEDICAL_DIRECTOR)
ODS = "RWK"  # East London NHS Foundation Trust: mental health and community, as example one
STRUCTURE = "mental-health-and-community-trust"
ASPIRING = "aspiring@example.org"
# (e-mail, first, last, role, ODS, post title or None for a level, level, readiness, show, emergency cover, aim)
STANDING_FORWARD = [
    (
        "demo.candidate.1@example.org",
        "Daniel",
        "Price",
        CareerRole.DEPUTY_MD,
        ODS,
        "Medical director",
        LeadershipLevel.MEDICAL_DIRECTOR,
        Readiness.READY_NOW,
        ShowChoice.NAME_ONLY,
        True,
        "To follow Grace as medical director when she retires.",
    ),
    (
        ASPIRING,
        "Amara",
        "Okafor",
        CareerRole.CLINICAL_DIRECTOR,
        "RXT",
        None,
        LeadershipLevel.DEPUTY_MD,
        Readiness.ONE_TO_TWO_YEARS,
        ShowChoice.SUMMARY,
        False,
        "A deputy medical director's post in a mental health trust, with a community portfolio.",
    ),
    (
        "demo.candidate.2@example.org",
        "Leah",
        "Morgan",
        CareerRole.CLINICAL_DIRECTOR,
        ODS,
        None,
        LeadershipLevel.ASSOCIATE_MD,
        Readiness.THREE_TO_FIVE_YEARS,
        ShowChoice.SUMMARY,
        False,
        "An associate medical director's post for education, once my training programme is running.",
    ),
]


def seed(*, scale: str, stdout: TextIO) -> None:
    _seed(stdout)


@transaction.atomic
def _seed(stdout: TextIO) -> None:
    now = timezone.now()
    organisation = Organisation.objects.filter(ods_code=ODS).first()
    if organisation is None:  # the organisations' demo data is missing: nothing to lead
        return
    lead = _lead(organisation, now)
    if not Post.objects.filter(organisation=organisation).exists():
        structure = shipped().get(STRUCTURE)
        if structure is not None:
            structure_apply(organisation=organisation, actor=lead, structure=structure, now=now)
            _fill(organisation, lead, timezone.localdate(now))
    for entry in STANDING_FORWARD:
        _stand_forward(organisation, entry, now)
    _conversation(organisation, lead, now)
    stdout.write(f"  succession: {Post.objects.filter(organisation=organisation).count()} posts at {organisation.name}")


def _lead(organisation: Organisation, now: datetime) -> User:
    email, first, last, role = LEAD
    lead = User.objects.filter(email=email).first() or demo_person(email, first, last, role, ODS)
    if not RoleGrant.objects.filter(user=lead, role=Role.ORGANISATION_LEAD, revoked_at__isnull=True).exists():
        role_grant(user=lead, role=Role.ORGANISATION_LEAD, granted_by=None, now=now, organisation=organisation)
    return lead


def _fill(organisation: Organisation, lead: User, today: date) -> None:
    """The lead holds the medical director's post; the first deputy's falls vacant in four months (no one stands
    forward for it ready now), the medical director's in a year and a half."""
    posts = Post.objects.filter(organisation=organisation)
    posts.filter(level=LeadershipLevel.MEDICAL_DIRECTOR).update(
        holder=lead, expected_vacancy=today + timedelta(days=540)
    )
    deputy = posts.filter(level=LeadershipLevel.DEPUTY_MD).order_by("pk").first()
    if deputy is not None:
        posts.filter(pk=deputy.pk).update(holder_name="Dr Tom Reid", expected_vacancy=today + timedelta(days=120))


def _stand_forward(organisation: Organisation, entry: tuple, now: datetime) -> None:
    email, first, last, role, ods, post_title, level, readiness, show, cover, aim = entry
    person = User.objects.filter(email=email).first() or demo_person(email, first, last, role, ods)
    post = Post.objects.filter(organisation=organisation, title=post_title).first() if post_title else None
    if Candidacy.objects.filter(person=person, organisation=organisation).exists():
        return
    Candidacy.objects.create(
        person=person,
        organisation=organisation,
        post=post,
        level=post.level if post else level,
        aim=aim,
        timescale=CareerAimWhen.WITHIN_1_YEAR if readiness == Readiness.READY_NOW else CareerAimWhen.ONE_TO_2_YEARS,
        readiness=readiness,
        emergency_cover=cover,
        show=show,
        created_at=now,
        reviewed_at=now,
    )


def _conversation(organisation: Organisation, lead: User, now: datetime) -> None:
    candidacy = Candidacy.objects.filter(person__email=ASPIRING, organisation=organisation).first()
    if candidacy is None or TalentConversation.objects.filter(person=candidacy.person, lead=lead).exists():
        return
    today = timezone.localdate(now)
    conversation_create(
        lead=lead,
        candidacy_id=candidacy.pk,
        held_on=today - timedelta(days=21),
        aspiration="A deputy medical director's post within two years, ideally with the community portfolio.",
        strengths="Runs adult community services well; trusted by consultants; calm in a crisis.",
        to_develop="Board-level finance and governance; experience beyond one directorate.",
        next_steps="Act up for the deputy medical director for two weeks this spring\n"
        "Join the trust's quality committee as a member\n"
        "Shadow a board day with the medical director",
        meet_again_on=today + timedelta(days=60),
        now=now,
    )
