"""A member double-clicking "Vote" (or two tabs at once): one vote is counted, the other request is told so. A
member removed while another organiser schedules a meeting is not invited to it."""

import threading
import time

import pytest
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.networks.models import Network, NetworkMembership, Topic, TopicVote
from apps.networks.services import NetworkError
from apps.networks.services.meetings import meeting_schedule
from apps.networks.services.membership import membership_remove
from apps.networks.services.topics import topic_vote
from apps.notifications.models import Reminder, ReminderStatus
from tests.support.races import race

from .support import MEETING_ENDS, MEETING_STARTS, join, make_network, md, network_organiser, propose, schedule


def _vote(topic_id: int, voter_id: int) -> object:
    # Each thread fetches its own rows, as two requests would.
    return topic_vote(topic=Topic.objects.get(pk=topic_id), voter=User.objects.get(pk=voter_id), now=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_two_votes_at_once_count_once_and_the_other_is_told(reference_data: None) -> None:
    organiser = network_organiser()
    network = make_network(organiser)
    member = md("racer@example.org")
    join(network, member)
    topic = propose(schedule(network, organiser), member, "Winter pressures")
    outcomes = race(*[(lambda: _vote(topic.pk, member.pk)) for _ in range(3)])
    refused = [o for o in outcomes if isinstance(o, NetworkError)]
    assert len(refused) == 2 and all("already voted" in str(o) for o in refused)
    assert TopicVote.objects.filter(topic=topic).count() == 1


def _remove_slowly(network_id: int, membership_id: int, actor_id: int, removed: threading.Event) -> object:
    """An organiser's removal that has done its work but not yet committed when the other request runs."""
    with transaction.atomic():
        person = membership_remove(
            network=Network.objects.get(pk=network_id),
            membership_id=membership_id,
            actor=User.objects.get(pk=actor_id),
            now=timezone.now(),
        )
        removed.set()
        time.sleep(1)
    return person


def _schedule_after(network_id: int, actor_id: int, removed: threading.Event) -> object:
    removed.wait(timeout=10)
    return meeting_schedule(
        network=Network.objects.get(pk=network_id),
        actor=User.objects.get(pk=actor_id),
        starts_at=MEETING_STARTS,
        ends_at=MEETING_ENDS,
        place="Manchester Town Hall",
        online_url="",
        now=timezone.now(),
    )


@pytest.mark.django_db(transaction=True)
def test_a_member_removed_while_a_meeting_is_scheduled_is_not_invited_to_it(reference_data: None) -> None:
    organiser = network_organiser()
    co = network_organiser("co.organiser@example.org")
    network = make_network(organiser)
    join(network, co)
    NetworkMembership.objects.filter(network=network, person=co).update(is_organiser=True)
    member = md("removed@example.org")
    join(network, member)
    membership = NetworkMembership.objects.get(network=network, person=member)
    removed = threading.Event()
    outcomes = race(
        lambda: _remove_slowly(network.pk, membership.pk, organiser.pk, removed),
        lambda: _schedule_after(network.pk, co.pk, removed),
    )
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert not NetworkMembership.objects.filter(person=member).exists()
    # Nothing of the meeting (its place, its link, its date) goes to the person who is no longer a member.
    assert (
        not Reminder.objects.filter(recipient=member, dedupe_key__startswith="netmeeting:")
        .exclude(status=ReminderStatus.CANCELLED)
        .exists()
    )
