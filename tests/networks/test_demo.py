"""The demo networks: made once however often the demo is loaded, with something for every networks page."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model

from apps.networks import demo
from apps.networks.models import MeetingNote, Network, NetworkMembership, Topic, TopicVote
from apps.networks.selectors import next_meeting_for
from apps.organisations import demo as organisations_demo
from apps.profiles import demo as profiles_demo

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Network, NetworkMembership, Topic, TopicVote, MeetingNote))


def test_the_demo_networks_are_made_once() -> None:
    organisations_demo.seed(scale="small", stdout=StringIO())
    profiles_demo.seed(scale="small", stdout=StringIO())
    demo.seed(scale="small", stdout=StringIO())
    first = counts()
    demo.seed(scale="small", stdout=StringIO())
    assert counts() == first
    assert set(Network.objects.values_list("name", flat=True)) == {demo.REGIONAL, demo.FORUM}
    organiser = get_user_model().objects.get(email=demo.ORGANISER)
    upcoming = next_meeting_for(user=organiser)
    assert upcoming is not None and upcoming.network.name == demo.REGIONAL
    assert first[4] == 1  # the note of the forum's meeting held last month
