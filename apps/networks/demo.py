"""Demo networks: a regional medical directors' network for London and a national mental health medical directors'
forum (seed 002's "MD network", and the forum of seed 001 whose meetings build in key topics), both run by the
demo organiser. Each has members, a meeting next month with topics members proposed and voted for; the forum also
has a meeting held last month, with its agenda and a shared note. Made through the services, with `now=` in the
past where the story needs it. Idempotent: a network that is already there is left as it is."""

from datetime import datetime, time, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.services import cancel_all
from apps.organisations.models import Region
from apps.profiles.demo import demo_person
from apps.profiles.models import CareerRole

from .models import JoinRule, Network, NetworkKind, NetworkMeeting
from .services.meetings import agenda_set, meeting_schedule
from .services.membership import membership_approve, network_create, network_join
from .services.notes import note_add
from .services.topics import topic_propose, topic_vote

LONDON = ZoneInfo("Europe/London")
ORGANISER = "organiser@example.org"
# (e-mail, first, last, ODS code): serving medical directors who are members.
DIRECTORS = [
    ("mentor@example.org", "Richard", "Hale", "RV5"),
    ("demo.md.guys@example.org", "Nadia", "Rahman", "RJ1"),
    ("demo.md.northlondon@example.org", "Peter", "Walsh", "G6V2S"),
    ("demo.md.gmmh@example.org", "Fiona", "Gallagher", "RXV"),
    ("demo.md.cntw@example.org", "Owen", "Pritchard", "RX4"),
    ("demo.md.mersey@example.org", "Aisha", "Bello", "RW4"),
]
REGIONAL = "London medical directors' network"
FORUM = "National mental health medical directors' forum"


def seed(*, scale: str, stdout: TextIO) -> None:
    _seed(stdout)


def _at(day: datetime, hour: int) -> datetime:
    return datetime.combine(timezone.localdate(day, LONDON), time(hour, 0), tzinfo=LONDON)


@transaction.atomic
def _seed(stdout: TextIO) -> None:
    organiser = User.objects.filter(email=ORGANISER).first()
    if organiser is None:  # the profiles' demo data is missing: nobody to run a network
        return
    now = timezone.now()
    people = {
        email: User.objects.filter(email=email).first()
        or demo_person(email, first, last, CareerRole.MEDICAL_DIRECTOR, ods)
        for email, first, last, ods in DIRECTORS
    }
    if not Network.objects.filter(name=REGIONAL).exists():
        _regional(organiser, [people[e] for e, *_ in DIRECTORS[:3]], now)
    if not Network.objects.filter(name=FORUM).exists():
        _forum(organiser, [people[e] for e, *_ in DIRECTORS if e != "demo.md.guys@example.org"], now)
    stdout.write(f"  networks: {Network.objects.count()} networks and forums")


def _regional(organiser: User, members: list[User], now: datetime) -> None:
    made = now - timedelta(days=40)
    network = network_create(
        actor=organiser,
        name=REGIONAL,
        kind=NetworkKind.REGIONAL,
        region=Region.objects.filter(ods_code="Y56").first(),
        description="Medical directors and deputies of London's trusts, meeting every other month to share what "
        "works and to take a few key topics further together.",
        join_rule=JoinRule.OPEN,
        now=made,
    )
    for person in members:
        network_join(network=network, person=person, now=made)
    meeting = meeting_schedule(
        network=network,
        actor=organiser,
        starts_at=_at(now + timedelta(days=30), 14),
        ends_at=_at(now + timedelta(days=30), 16),
        place="The King's Fund, 11–13 Cavendish Square, London",
        online_url="https://meet.example.org/london-md-network",
        now=now,
    )
    topics = [
        topic_propose(
            meeting=meeting,
            person=members[0],
            title="Medical workforce: sharing locum rates",
            detail="Agreeing a London-wide cap.",
            now=now,
        ),
        topic_propose(
            meeting=meeting,
            person=members[1],
            title="Board assurance on revalidation",
            detail="",
            now=now + timedelta(minutes=1),
        ),
        topic_propose(
            meeting=meeting,
            person=members[2],
            title="Resilience in the first year as MD",
            detail="What helped, what we wish we had known.",
            now=now + timedelta(minutes=2),
        ),
    ]
    for voter in [organiser, *members]:
        topic_vote(topic=topics[0], voter=voter, now=now)
    topic_vote(topic=topics[2], voter=members[0], now=now)


def _forum(organiser: User, members: list[User], now: datetime) -> None:
    made = now - timedelta(days=60)
    network = network_create(
        actor=organiser,
        name=FORUM,
        kind=NetworkKind.NATIONAL,
        region=None,
        description="Medical directors of mental health trusts across England. Members propose the key topics for "
        "each meeting and vote on them; the organisers build the agenda from the most-voted.",
        join_rule=JoinRule.APPROVAL,
        now=made,
    )
    for person in members:
        asked = network_join(network=network, person=person, now=made)
        membership_approve(network=network, membership_id=asked.pk, actor=organiser, now=made)
    held = meeting_schedule(
        network=network,
        actor=organiser,
        starts_at=_at(now - timedelta(days=25), 10),
        ends_at=_at(now - timedelta(days=25), 13),
        place="",
        online_url="https://meet.example.org/mh-md-forum",
        now=made,
    )
    past_topic = topic_propose(meeting=held, person=members[1], title="Out-of-area placements", detail="", now=made)
    topic_vote(topic=past_topic, voter=members[2], now=made)
    agenda_set(
        meeting=held,
        actor=organiser,
        topic_ids=[past_topic.pk],
        other_items=["Updates from NHS England"],
        now=made + timedelta(days=20),
    )
    note_add(
        meeting=_refetched(held),
        author=members[1],
        text="Agreed to share our bed management dashboards before the next meeting.",
        now=now - timedelta(days=24),
    )
    # What the meeting held sent is history: its reminders would only arrive late.
    cancel_all(prefix=f"netmeeting:{held.pk}:")
    upcoming = meeting_schedule(
        network=network,
        actor=organiser,
        starts_at=_at(now + timedelta(days=35), 10),
        ends_at=_at(now + timedelta(days=35), 13),
        place="",
        online_url="https://meet.example.org/mh-md-forum",
        now=now,
    )
    topic = topic_propose(
        meeting=upcoming,
        person=members[0],
        title="The Mental Health Act reforms",
        detail="What the new Act asks of medical directors.",
        now=now,
    )
    for voter in members[:3]:
        topic_vote(topic=topic, voter=voter, now=now)


def _refetched(meeting: NetworkMeeting) -> NetworkMeeting:
    return NetworkMeeting.objects.select_related("network").get(pk=meeting.pk)
