"""Every read of the networks app. Permission is part of each query: a meeting, topic or note is reached only
through the networks the person is a member of (`_member_of`), and an organiser's pages only through those they
organise, so anyone else gets a 404 and learns nothing. A network's name, description and who may join are public
to signed-in people (they decide whether to join from them); its meetings, topics, members and notes are not."""

from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.learning_sets.models import Programme, ProgrammeStatus
from apps.profiles.models import Profile

from .models import (
    AgendaItem,
    JoinRule,
    MeetingNote,
    MeetingStatus,
    MembershipStatus,
    Network,
    NetworkMeeting,
    NetworkMembership,
    Topic,
    TopicVote,
)


def _member_of(user: User) -> Exists:
    return Exists(
        NetworkMembership.objects.filter(network=OuterRef("pk"), person=user.pk, status=MembershipStatus.MEMBER)
    )


def _organiser_of(user: User) -> Exists:
    return Exists(NetworkMembership.objects.filter(network=OuterRef("pk"), person=user.pk, is_organiser=True))


def networks_of(*, user: User) -> QuerySet[Network]:
    """The networks the person is a member of (organisers included), with the region."""
    return Network.objects.filter(_member_of(user)).select_related("region").order_by("name", "pk")


def networks_organised_by(*, user: User) -> QuerySet[Network]:
    return Network.objects.filter(_organiser_of(user)).select_related("region")


def networks_to_join(*, user: User) -> QuerySet[Network]:
    """The networks the person is not a member of, each with `my_status` ("requested" when they have asked)."""
    mine = NetworkMembership.objects.filter(network=OuterRef("pk"), person=user.pk)
    return (
        Network.objects.exclude(_member_of(user))
        .annotate(my_status=mine.values("status")[:1])
        .select_related("region")
        .order_by("name", "pk")
    )


def network_public(*, network_id: int) -> Network | None:
    """What anyone signed in may read of a network: name, kind, region, description, who may join."""
    return Network.objects.select_related("region").filter(pk=network_id).first()


def joins_at_once(*, user: User, network: Network) -> bool:
    """An open network takes medical directors and deputies (an MD-level role on their profile) straight away;
    anyone else asks, and an organiser decides."""
    if network.join_rule != JoinRule.OPEN:
        return False
    profile = Profile.objects.filter(user=user.pk).first()
    return profile is not None and profile.is_md_level


def membership_of(*, user: User, network: Network) -> NetworkMembership | None:
    return NetworkMembership.objects.filter(network=network, person=user.pk).first()


def member_network(*, user: User, network_id: int) -> Network | None:
    return networks_of(user=user).filter(pk=network_id).first()


def organised_network(*, user: User, network_id: int) -> Network | None:
    return networks_organised_by(user=user).filter(pk=network_id).first()


def meetings_for(*, user: User) -> QuerySet[NetworkMeeting]:
    """Meetings of the networks the person is a member of."""
    return NetworkMeeting.objects.filter(network__in=networks_of(user=user)).select_related("network")


def meetings_organised_by(*, user: User) -> QuerySet[NetworkMeeting]:
    return NetworkMeeting.objects.filter(network__in=networks_organised_by(user=user)).select_related("network")


def meeting_for_member(*, user: User, meeting_id: int) -> NetworkMeeting | None:
    return meetings_for(user=user).filter(pk=meeting_id).first()


def meeting_for_organiser(*, user: User, meeting_id: int) -> NetworkMeeting | None:
    return meetings_organised_by(user=user).filter(pk=meeting_id).first()


def upcoming_meetings_for(*, user: User, now: datetime) -> QuerySet[NetworkMeeting]:
    """The person's network meetings that are not cancelled and have not ended, soonest first, with the network."""
    return meetings_for(user=user).filter(status=MeetingStatus.SCHEDULED, ends_at__gt=now).order_by("starts_at", "pk")


def next_meeting_for(*, user: User, now: datetime | None = None) -> NetworkMeeting | None:
    """The person's next network meeting (`upcoming_meetings_for`), for the dashboard; None when they have none."""
    return upcoming_meetings_for(user=user, now=now or timezone.now()).first()


def next_meeting_of(*, network: Network, now: datetime) -> NetworkMeeting | None:
    """The network's next meeting (not cancelled, not ended), with its agenda. Call only with a network already
    fetched through a member's or organiser's selector."""
    return (
        NetworkMeeting.objects.filter(network=network, status=MeetingStatus.SCHEDULED, ends_at__gt=now)
        .select_related("network")
        .prefetch_related(Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position")))
        .order_by("starts_at", "pk")
        .first()
    )


def meetings_of(*, network: Network) -> QuerySet[NetworkMeeting]:
    """All the network's meetings, latest first (for its members and organisers)."""
    return NetworkMeeting.objects.filter(network=network).select_related("network").order_by("-starts_at", "-pk")


def topics_for(*, meeting: NetworkMeeting, user: User) -> QuerySet[Topic]:
    """A meeting's topics, most votes first and, on a tie, the one proposed first; each with `vote_count`, `mine`
    (the person voted for it) and the proposer. Call with a meeting fetched through a member's selector."""
    return (
        Topic.objects.filter(meeting=meeting)
        .annotate(
            vote_count=Count("votes"),
            mine=Exists(TopicVote.objects.filter(topic=OuterRef("pk"), voter=user.pk)),
        )
        .select_related("proposed_by")
        .order_by("-vote_count", "proposed_at", "pk")
    )


def topic_for_member(*, user: User, topic_id: int) -> Topic | None:
    return (
        Topic.objects.filter(pk=topic_id, meeting__in=meetings_for(user=user))
        .select_related("meeting__network")
        .first()
    )


def members_of(*, network: Network) -> QuerySet[NetworkMembership]:
    """Members and people asking to join, with their profile's organisation. For a network's organisers only."""
    return (
        NetworkMembership.objects.filter(network=network)
        .select_related("person__profile__organisation")
        .order_by("-is_organiser", "status", "person__last_name", "person__first_name", "pk")
    )


def member_count(*, network: Network) -> int:
    return NetworkMembership.objects.filter(network=network, status=MembershipStatus.MEMBER).count()


def notes_for(*, user: User, meeting_id: int) -> QuerySet[MeetingNote]:
    return (
        MeetingNote.objects.filter(meeting__in=meetings_for(user=user), meeting=meeting_id)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def note_by_author(*, user: User, note_id: int) -> MeetingNote | None:
    """A note its author may change: theirs, in a network they are still a member of."""
    return (
        MeetingNote.objects.filter(pk=note_id, author=user.pk, meeting__in=meetings_for(user=user))
        .select_related("meeting__network")
        .first()
    )


def network_members(*, network: Network) -> list[User]:
    return [
        m.person
        for m in NetworkMembership.objects.filter(network=network, status=MembershipStatus.MEMBER).select_related(
            "person"
        )
    ]


def upcoming_meetings_of(*, network: Network, now: datetime) -> list[NetworkMeeting]:
    return list(
        NetworkMeeting.objects.filter(network=network, status=MeetingStatus.SCHEDULED, starts_at__gt=now)
        .select_related("network")
        .order_by("starts_at")
    )


def programmes_of(*, network: Network) -> QuerySet[Programme]:
    """The learning set programmes the network opened, except those still being set up (for its members)."""
    return Programme.objects.filter(network_link__network=network).exclude(status=ProgrammeStatus.DRAFT)


def programmes_opened_by(*, network: Network) -> QuerySet[Programme]:
    """Every programme the network opened, drafts included (for its organisers)."""
    return Programme.objects.filter(network_link__network=network)
