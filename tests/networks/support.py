"""People, networks and meetings for the networks tests, made through the services as people would make them."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from apps.accounts.models import Role, User
from apps.networks.models import JoinRule, Network, NetworkKind, NetworkMeeting, Topic
from apps.networks.services.meetings import meeting_schedule
from apps.networks.services.membership import network_create, network_join
from apps.networks.services.topics import topic_propose
from apps.organisations.models import Region
from apps.profiles.models import CareerRole
from tests.factories import ProfileFactory, grant

LONDON = ZoneInfo("Europe/London")
# The suite's fixed day is 7 December 2026: the meeting is five weeks on, an afternoon in January.
MEETING_STARTS = datetime(2027, 1, 14, 14, 0, tzinfo=LONDON)
MEETING_ENDS = datetime(2027, 1, 14, 16, 0, tzinfo=LONDON)


def md(email: str, **fields: object) -> User:
    """A serving medical director: may join an open network straight away."""
    return ProfileFactory(user__email=email, career_role=CareerRole.MEDICAL_DIRECTOR, **fields).user


def network_organiser(email: str = "net.organiser@example.org") -> User:
    user = md(email)
    grant(user, Role.ORGANISER)
    return user


def make_network(
    organiser: User, *, name: str = "North West MD network", join_rule: str = JoinRule.OPEN, **fields: object
) -> Network:
    return network_create(
        actor=organiser,
        name=name,
        kind=str(fields.get("kind", NetworkKind.REGIONAL)),
        region=Region.objects.get(ods_code="Y62") if fields.get("kind", NetworkKind.REGIONAL) == "regional" else None,
        description=str(fields.get("description", "Serving medical directors of the North West.")),
        join_rule=join_rule,
        now=timezone.now(),
    )


def join(network: Network, person: User) -> None:
    network_join(network=network, person=person, now=timezone.now())


def schedule(
    network: Network, organiser: User, *, days: int = 0, place: str = "Manchester Town Hall"
) -> NetworkMeeting:
    return meeting_schedule(
        network=network,
        actor=organiser,
        starts_at=MEETING_STARTS + timedelta(days=days),
        ends_at=MEETING_ENDS + timedelta(days=days),
        place=place,
        online_url="https://meet.example.org/nw-md",
        now=timezone.now(),
    )


def propose(meeting: NetworkMeeting, person: User, title: str) -> Topic:
    return topic_propose(meeting=meeting, person=person, title=title, detail="", now=timezone.now())
