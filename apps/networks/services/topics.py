"""Topics members propose for a meeting and vote on, one vote per member per topic (a unique constraint, and a
lock so that a double submit is told, not failed). Voting closes when an organiser sets the meeting's agenda.

Proposing and voting lock the meeting's row, as `agenda_set` does, so no vote lands after the agenda was set, and
two votes from the same person at the same instant are counted once: the second sees the first and is refused."""

from datetime import datetime

from django.db import IntegrityError, transaction

from apps.accounts.models import User

from ..models import MembershipStatus, Network, NetworkMeeting, NetworkMembership, Topic, TopicVote
from . import NetworkError

TOPICS_PER_PERSON = 5  # per meeting: enough for what matters to one member, not enough to crowd out the rest


def _locked_meeting(meeting_id: int) -> NetworkMeeting:
    """The network's row, then the meeting's, as every other write takes them: a member removed at the same moment
    is then either still a member when the vote or topic lands, or already gone and refused."""
    network_id = NetworkMeeting.objects.values_list("network_id", flat=True).get(pk=meeting_id)
    Network.objects.select_for_update().filter(pk=network_id).first()
    return NetworkMeeting.objects.select_for_update(of=("self",)).select_related("network").get(pk=meeting_id)


def _require_member(meeting: NetworkMeeting, person: User) -> None:
    member = NetworkMembership.objects.filter(
        network=meeting.network_id, person=person.pk, status=MembershipStatus.MEMBER
    ).exists()
    if not member:
        raise NetworkError("Only the network's members can do that.")


def _voting_open(meeting: NetworkMeeting, now: datetime) -> None:
    if meeting.is_cancelled:
        raise NetworkError("This meeting is cancelled.")
    if meeting.agenda_set_at is not None:
        raise NetworkError("The agenda of this meeting is set, so its topics are closed to voting.")
    if meeting.starts_at <= now:
        raise NetworkError("This meeting has already started.")


@transaction.atomic
def topic_propose(*, meeting: NetworkMeeting, person: User, title: str, detail: str, now: datetime) -> Topic:
    locked = _locked_meeting(meeting.pk)
    _require_member(locked, person)
    _voting_open(locked, now)
    title = title.strip()
    if Topic.objects.filter(meeting=locked, title__iexact=title).exists():
        raise NetworkError(f"“{title}” is already proposed for this meeting: vote for it instead.")
    if Topic.objects.filter(meeting=locked, proposed_by=person).count() >= TOPICS_PER_PERSON:
        raise NetworkError(f"You have proposed {TOPICS_PER_PERSON} topics for this meeting, the most one member can.")
    topic = Topic(meeting=locked, proposed_by=person, title=title, detail=detail.strip(), proposed_at=now)
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def topic_vote(*, topic: Topic, voter: User, now: datetime) -> TopicVote:
    """One vote for the topic. Voting twice is refused with a message, and nothing changes."""
    locked = _locked_meeting(topic.meeting_id)
    _require_member(locked, voter)
    _voting_open(locked, now)
    if TopicVote.objects.filter(topic=topic.pk, voter=voter.pk).exists():
        raise NetworkError("You have already voted for this topic.")
    vote = TopicVote(topic_id=topic.pk, voter=voter, voted_at=now)
    try:
        # The constraint is the last word (the meeting lock already keeps two votes apart).
        with transaction.atomic():
            vote.save()
    except IntegrityError as exc:
        raise NetworkError("You have already voted for this topic.") from exc
    return vote


@transaction.atomic
def topic_unvote(*, topic: Topic, voter: User, now: datetime) -> None:
    """Take one's vote back, while voting is open."""
    locked = _locked_meeting(topic.meeting_id)
    _require_member(locked, voter)
    _voting_open(locked, now)
    if not TopicVote.objects.filter(topic=topic.pk, voter=voter.pk).delete()[0]:
        raise NetworkError("You have not voted for this topic.")
