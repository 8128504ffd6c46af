"""The networks pages, as a member, an organiser, someone outside the network and an administrator who is not a
member: each sees what they may and no more (anything else is a 404 that names nothing), bad input is refused with
the reason and changes nothing, and a wrong method is a 405."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from apps.accounts.models import User
from apps.networks.models import (
    AgendaItem,
    MeetingNote,
    MeetingStatus,
    Network,
    NetworkMeeting,
    NetworkMembership,
    Topic,
    TopicVote,
)
from apps.networks.services.notes import note_add
from apps.networks.services.topics import topic_vote
from tests.conftest import signed_in

from .support import join, make_network, md, network_organiser, propose, schedule

pytestmark = pytest.mark.django_db

MEETING_FORM = {
    "day": "2027-02-11",
    "start": "14:00",
    "end": "16:30",
    "place": "Manchester Town Hall",
    "online_url": "https://meet.example.org/nw",
}


@pytest.fixture
def organiser() -> User:
    return network_organiser()


@pytest.fixture
def network(organiser: User) -> Network:
    return make_network(organiser)


@pytest.fixture
def member(network: Network) -> User:
    person = md("member@example.org")
    join(network, person)
    return person


@pytest.fixture
def meeting(network: Network, organiser: User, member: User) -> NetworkMeeting:
    return schedule(network, organiser)


def now() -> datetime:
    return timezone.now()


def url(name: str, *args: object) -> str:
    return reverse(f"networks:{name}", args=args)


# The list and the network page ---------------------------------------------------------------------------------------


def test_the_list_shows_my_networks_and_those_i_may_join(member: User, network: Network, organiser: User) -> None:
    other = make_network(organiser, name="National mental health MD forum", kind="national")
    page = signed_in(member).get(url("home"))
    assert page.status_code == 200
    mine, others = page.context["mine"], page.context["others"]
    assert [n.name for n in mine] == [network.name] and mine[0].member_total == 2
    assert [n.name for n in others] == [other.name]
    assert b"Start a network or forum" not in page.content  # a member without the organiser role
    assert b"Start a network or forum" in signed_in(organiser).get(url("home")).content


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_list_page_makes_the_same_queries_however_many_networks(member: User, organiser: User) -> None:
    client = signed_in(member)
    # session, user, roles (header), unread notifications (header), my networks with counts, the others with counts
    # and my request's status.
    before = _queries(client, url("home"))
    for n in range(6):
        joined = make_network(organiser, name=f"Network {n}")
        if n % 2:
            join(joined, member)
        join(joined, md(f"p{n}@example.org"))
    assert _queries(client, url("home")) == before
    assert before == EXPECTED_LIST_QUERIES


EXPECTED_LIST_QUERIES = 6


def test_the_network_page_makes_the_same_queries_however_much_is_in_it(
    network: Network, organiser: User, member: User, meeting: NetworkMeeting
) -> None:
    client = signed_in(member)
    path = url("network", network.pk)
    # session, user, roles, unread notifications; the network with its region, my membership, the next meeting,
    # its agenda (prefetch), its topics with votes and proposers, the other meetings, the member count, the learning
    # set programmes it opened.
    before = _queries(client, path)
    for n in range(5):
        person = md(f"voter{n}@example.org")
        join(network, person)
        topic = propose(meeting, person, f"Topic {n}")
        topic_vote(topic=topic, voter=member, now=now())
        schedule(network, organiser, days=30 + n)
    assert _queries(client, path) == before == 12


def test_the_network_page_shows_a_member_the_next_meeting_agenda_and_topics(
    network: Network, organiser: User, member: User, meeting: NetworkMeeting
) -> None:
    topic = propose(meeting, member, "Medical staffing of urgent care")
    topic_vote(topic=topic, voter=member, now=now())
    page = signed_in(member).get(url("network", network.pk))
    content = page.content.decode()
    assert "Medical staffing of urgent care" in content
    assert "Take back my vote" in content
    assert "Manchester Town Hall" in content
    assert url("meeting_ics", meeting.pk) in content
    assert url("members", network.pk) not in content  # members are for organisers
    assert url("members", network.pk) in signed_in(organiser).get(url("network", network.pk)).content.decode()


def test_a_non_member_sees_only_what_the_network_is(network: Network, meeting: NetworkMeeting, owner: User) -> None:
    propose(meeting, network.memberships.first().person, "Secret topic")  # type: ignore[union-attr]
    page = signed_in(owner).get(url("network", network.pk))
    assert page.status_code == 200
    content = page.content.decode()
    assert network.name in content and "Ask to join" in content
    assert "Secret topic" not in content and "Manchester Town Hall" not in content
    assert signed_in(owner).get(url("network", 99999)).status_code == 404


def test_join_and_leave(network: Network, owner: User) -> None:
    director = md("director@example.org")
    client = signed_in(director)
    response = client.post(url("join", network.pk), follow=True)
    assert "You are now a member" in response.content.decode()
    assert client.get(url("join", network.pk)).status_code == 405
    again = client.post(url("join", network.pk), follow=True)
    assert "already a member" in again.content.decode()
    assert NetworkMembership.objects.filter(person=director).count() == 1
    left = client.post(url("leave", network.pk), follow=True)
    assert "You have left" in left.content.decode()
    # The owner (a consultant) asks; a stranger cannot leave what they are not in.
    asked = signed_in(owner).post(url("join", network.pk), follow=True)
    assert "You have asked to join" in asked.content.decode()
    withdrawn = signed_in(owner).post(url("leave", network.pk), follow=True)
    assert "Your request to join North West MD network is withdrawn." in withdrawn.content.decode()
    assert not NetworkMembership.objects.filter(person=owner).exists()
    assert signed_in(md("x@example.org")).post(url("leave", network.pk)).status_code == 404
    assert signed_in(owner).post(url("join", 99999)).status_code == 404


# Starting a network --------------------------------------------------------------------------------------------------


def test_an_organiser_starts_a_network(organiser: User) -> None:
    client = signed_in(organiser)
    assert client.get(url("network_new")).status_code == 200
    data = {
        "name": "National mental health MD forum",
        "kind": "national",
        "region": "",
        "description": "",
        "join_rule": "approval",
    }
    response = client.post(url("network_new"), data)
    network = Network.objects.get(name="National mental health MD forum")
    assert response.status_code == 302 and response["Location"] == url("network", network.pk)
    assert client.delete(url("network_new")).status_code == 405


def test_starting_a_network_refuses_bad_input(organiser: User, network: Network, owner: User) -> None:
    client = signed_in(organiser)
    bad = [
        ({"name": "", "kind": "national", "join_rule": "open"}, "Enter the network&#x27;s name"),
        ({"name": "A", "kind": "regional", "region": "", "join_rule": "open"}, "Choose the region"),
        ({"name": "A", "kind": "galaxy", "join_rule": "open"}, "Choose a kind from the list"),
        ({"name": network.name, "kind": "national", "join_rule": "open"}, "already a network called"),
    ]
    for data, message in bad:
        response = client.post(url("network_new"), data)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert Network.objects.count() == 1
    assert signed_in(owner).get(url("network_new")).status_code == 403


# Members -------------------------------------------------------------------------------------------------------------


def test_organisers_manage_members(network: Network, organiser: User, member: User, owner: User) -> None:
    signed_in(owner).post(url("join", network.pk))
    request = NetworkMembership.objects.get(person=owner)
    client = signed_in(organiser)
    page = client.get(url("members", network.pk))
    assert page.status_code == 200 and owner.display_name in page.content.decode()
    client.post(url("member_action", network.pk, request.pk, "approve"))
    assert NetworkMembership.objects.get(pk=request.pk).status == "member"
    mine = NetworkMembership.objects.get(person=member)
    client.post(url("member_action", network.pk, mine.pk, "organiser"))
    assert NetworkMembership.objects.get(pk=mine.pk).is_organiser
    response = client.post(url("member_action", network.pk, request.pk, "remove"), follow=True)
    assert "is no longer in" in response.content.decode()
    assert not NetworkMembership.objects.filter(pk=request.pk).exists()
    # Bad input: an unknown action, someone from another network, a GET.
    assert client.post(url("member_action", network.pk, mine.pk, "promote")).status_code == 404
    elsewhere = make_network(organiser, name="Another")
    theirs = NetworkMembership.objects.get(network=elsewhere)
    refused = client.post(url("member_action", network.pk, theirs.pk, "remove"), follow=True)
    assert "not in this network" in refused.content.decode()
    assert NetworkMembership.objects.filter(pk=theirs.pk).exists()
    assert client.get(url("member_action", network.pk, mine.pk, "remove")).status_code == 405


def test_members_pages_are_for_the_networks_organisers_only(
    network: Network, member: User, administrator: User
) -> None:
    mine = NetworkMembership.objects.get(person=member)
    for person in (member, administrator):
        client = signed_in(person)
        assert client.get(url("members", network.pk)).status_code == 404
        assert client.post(url("member_action", network.pk, mine.pk, "remove")).status_code == 404
    assert NetworkMembership.objects.filter(pk=mine.pk).exists()


# Meetings ------------------------------------------------------------------------------------------------------------


def test_an_organiser_schedules_moves_and_cancels_a_meeting(network: Network, organiser: User, member: User) -> None:
    client = signed_in(organiser)
    assert client.get(url("meeting_new", network.pk)).status_code == 200
    response = client.post(url("meeting_new", network.pk), MEETING_FORM)
    meeting = NetworkMeeting.objects.get()
    assert response.status_code == 302 and response["Location"] == url("meeting", meeting.pk)
    assert client.get(url("meeting_edit", meeting.pk)).status_code == 200
    moved = client.post(url("meeting_edit", meeting.pk), {**MEETING_FORM, "day": "2027-02-18"})
    assert moved.status_code == 302
    meeting.refresh_from_db()
    assert meeting.sequence == 1 and timezone.localdate(meeting.starts_at).isoformat() == "2027-02-18"
    assert client.get(url("meeting_cancel", meeting.pk)).status_code == 200
    client.post(url("meeting_cancel", meeting.pk))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    again = client.post(url("meeting_cancel", meeting.pk), follow=True)
    assert "already cancelled" in again.content.decode()
    assert client.put(url("meeting_cancel", meeting.pk)).status_code == 405


def test_scheduling_refuses_bad_input(network: Network, organiser: User) -> None:
    client = signed_in(organiser)
    bad = [
        ({**MEETING_FORM, "day": "2027-02-31"}, "Enter a real date"),
        ({**MEETING_FORM, "end": "13:00"}, "must end after it starts"),
        ({**MEETING_FORM, "place": "", "online_url": ""}, "Give a place, an online link, or both"),
        ({**MEETING_FORM, "online_url": "not a link"}, "Enter a web address"),
        ({**MEETING_FORM, "day": "2026-01-01"}, "Choose a time in the future"),
        ({**MEETING_FORM, "start": "25:00"}, "Enter a time like 14:00"),
    ]
    for data, message in bad:
        response = client.post(url("meeting_new", network.pk), data)
        assert response.status_code == 400, data
        assert message in response.content.decode()
    assert not NetworkMeeting.objects.exists()


def test_meeting_pages_for_organisers_are_not_for_members_or_administrators(
    meeting: NetworkMeeting, network: Network, member: User, administrator: User
) -> None:
    for person in (member, administrator):
        client = signed_in(person)
        assert client.get(url("meeting_new", network.pk)).status_code == 404
        assert client.post(url("meeting_new", network.pk), MEETING_FORM).status_code == 404
        assert client.post(url("meeting_edit", meeting.pk), MEETING_FORM).status_code == 404
        assert client.post(url("meeting_cancel", meeting.pk)).status_code == 404
        assert client.post(url("agenda", meeting.pk), {"other_items": "Mine"}).status_code == 404
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence, meeting.agenda_set_at) == ("scheduled", 0, None)


def test_the_meeting_page_and_its_calendar_file(meeting: NetworkMeeting, member: User, owner: User) -> None:
    client = signed_in(member)
    assert client.get(url("meeting", meeting.pk)).status_code == 200
    response = client.get(url("meeting_ics", meeting.pk))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert str(event["UID"]).startswith(f"network-meeting-{meeting.pk}@")
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == meeting.starts_at
    assert "Manchester Town Hall" in str(event["LOCATION"])
    for path in (url("meeting", meeting.pk), url("meeting_ics", meeting.pk)):
        assert signed_in(owner).get(path).status_code == 404
    assert client.post(url("meeting_ics", meeting.pk)).status_code == 405


# Topics and votes ----------------------------------------------------------------------------------------------------


def test_a_member_proposes_a_topic(meeting: NetworkMeeting, member: User, owner: User) -> None:
    client = signed_in(member)
    assert client.get(url("topic_new", meeting.pk)).status_code == 200
    response = client.post(url("topic_new", meeting.pk), {"title": "Winter pressures", "detail": "Beds"})
    assert response.status_code == 302
    assert Topic.objects.get().title == "Winter pressures"
    empty = client.post(url("topic_new", meeting.pk), {"title": "  ", "detail": ""})
    assert empty.status_code == 400 and "Enter the topic" in empty.content.decode()
    twice = client.post(url("topic_new", meeting.pk), {"title": "winter pressures"})
    assert twice.status_code == 400 and "already proposed" in twice.content.decode()
    assert signed_in(owner).post(url("topic_new", meeting.pk), {"title": "Mine"}).status_code == 404
    assert Topic.objects.count() == 1


def test_voting_twice_says_so_and_changes_nothing(meeting: NetworkMeeting, member: User, organiser: User) -> None:
    topic = propose(meeting, organiser, "Winter pressures")
    client = signed_in(member)
    first = client.post(url("vote", topic.pk), follow=True)
    assert "Your vote for “Winter pressures” is counted." in first.content.decode()
    second = client.post(url("vote", topic.pk), follow=True)
    assert "You have already voted for this topic." in second.content.decode()
    assert TopicVote.objects.filter(topic=topic).count() == 1
    taken = client.post(url("unvote", topic.pk), follow=True)
    assert "is taken back" in taken.content.decode()
    assert not TopicVote.objects.exists()
    assert client.get(url("vote", topic.pk)).status_code == 405


def test_voting_in_place_with_htmx(meeting: NetworkMeeting, member: User, organiser: User) -> None:
    topic = propose(meeting, organiser, "Winter pressures")
    client = signed_in(member)
    response = client.post(url("vote", topic.pk), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.templates[0].name == "networks/_topics.html"
    content = response.content.decode()
    assert "is counted" in content and "Take back my vote" in content
    again = client.post(url("vote", topic.pk), headers={"HX-Request": "true"})
    assert "You have already voted" in again.content.decode() and "Nothing was changed" in again.content.decode()
    assert TopicVote.objects.count() == 1


def test_outsiders_cannot_vote(meeting: NetworkMeeting, organiser: User, owner: User, administrator: User) -> None:
    topic = propose(meeting, organiser, "Winter pressures")
    for person in (owner, administrator):
        assert signed_in(person).post(url("vote", topic.pk)).status_code == 404
        assert signed_in(person).post(url("unvote", topic.pk)).status_code == 404
    assert signed_in(organiser).post(url("vote", 99999)).status_code == 404
    assert not TopicVote.objects.exists()


def test_the_organiser_builds_the_agenda_from_the_topics(
    meeting: NetworkMeeting, member: User, organiser: User
) -> None:
    popular, quiet = propose(meeting, member, "Board assurance"), propose(meeting, member, "Job planning")
    topic_vote(topic=popular, voter=member, now=now())
    topic_vote(topic=popular, voter=organiser, now=now())
    client = signed_in(organiser)
    page = client.get(url("agenda", meeting.pk))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Board assurance (2 votes)" in content and "Job planning (0 votes)" in content
    data = {"topics": [str(quiet.pk), str(popular.pk)], "other_items": "Minutes of the last meeting\n"}
    assert client.post(url("agenda", meeting.pk), data).status_code == 302
    assert [i.title for i in AgendaItem.objects.filter(meeting=meeting)] == [
        "Board assurance",
        "Job planning",
        "Minutes of the last meeting",
    ]
    # Voting has closed: a member's vote is refused.
    refused = signed_in(member).post(url("vote", quiet.pk), follow=True)
    assert "closed to voting" in refused.content.decode()


def test_the_agenda_refuses_bad_input(meeting: NetworkMeeting, organiser: User) -> None:
    client = signed_in(organiser)
    for data, message in [
        ({"topics": ["99999"]}, "Choose topics from the list"),
        ({"other_items": ""}, "Choose at least one topic"),
        ({"other_items": "x" * 201}, "Keep each item to 200 characters"),
    ]:
        response = client.post(url("agenda", meeting.pk), data)
        assert response.status_code == 400 and message in response.content.decode()
    assert not AgendaItem.objects.exists()


# Notes ---------------------------------------------------------------------------------------------------------------


def test_members_read_and_add_notes(meeting: NetworkMeeting, member: User, organiser: User) -> None:
    note_add(meeting=meeting, author=organiser, text="Actions from last time", now=now())
    client = signed_in(member)
    page = client.get(url("notes", meeting.pk))
    assert page.status_code == 200 and "Actions from last time" in page.content.decode()
    assert client.post(url("notes", meeting.pk), {"text": "Agreed to pool locum rates"}).status_code == 302
    empty = client.post(url("notes", meeting.pk), {"text": ""})
    assert empty.status_code == 400 and "Enter your note" in empty.content.decode()
    assert MeetingNote.objects.count() == 2
    assert client.delete(url("notes", meeting.pk)).status_code == 405


def test_a_non_member_and_an_administrator_get_not_found_for_the_notes(
    meeting: NetworkMeeting, organiser: User, owner: User, administrator: User
) -> None:
    note = note_add(meeting=meeting, author=organiser, text="Confidential: the trust's CQC rating", now=now())
    for person in (owner, administrator):
        client = signed_in(person)
        response = client.get(url("notes", meeting.pk))
        assert response.status_code == 404
        assert b"Confidential" not in response.content
        assert client.post(url("notes", meeting.pk), {"text": "Sneaked in"}).status_code == 404
        assert client.get(url("note_edit", note.pk)).status_code == 404
        assert client.post(url("note_delete", note.pk)).status_code == 404
    assert list(MeetingNote.objects.values_list("text", flat=True)) == ["Confidential: the trust's CQC rating"]


def test_the_author_changes_or_deletes_their_note_and_no_one_else(
    meeting: NetworkMeeting, member: User, organiser: User
) -> None:
    note = note_add(meeting=meeting, author=member, text="First draft", now=now())
    other = signed_in(organiser)
    assert other.get(url("note_edit", note.pk)).status_code == 404
    assert other.post(url("note_delete", note.pk)).status_code == 404
    client = signed_in(member)
    assert client.get(url("note_edit", note.pk)).status_code == 200
    bad = client.post(url("note_edit", note.pk), {"text": ""})
    assert bad.status_code == 400
    assert client.post(url("note_edit", note.pk), {"text": "Second draft"}).status_code == 302
    note.refresh_from_db()
    assert note.text == "Second draft"
    assert client.get(url("note_delete", note.pk)).status_code == 200
    assert client.post(url("note_delete", note.pk)).status_code == 302
    assert not MeetingNote.objects.exists()
    assert client.put(url("note_edit", 1)).status_code == 405


def test_a_former_member_loses_the_notes_at_once(meeting: NetworkMeeting, member: User, network: Network) -> None:
    client = signed_in(member)
    assert client.get(url("notes", meeting.pk)).status_code == 200
    client.post(url("leave", network.pk))
    assert client.get(url("notes", meeting.pk)).status_code == 404
    assert client.get(url("meeting", meeting.pk)).status_code == 404


def test_past_meetings_cannot_be_moved(meeting: NetworkMeeting, organiser: User) -> None:
    import time_machine

    with time_machine.travel(meeting.starts_at + timedelta(minutes=5), tick=False):
        response = signed_in(organiser).post(url("meeting_edit", meeting.pk), MEETING_FORM)
        assert response.status_code == 400 and "already started" in response.content.decode()
        agenda = signed_in(organiser).post(url("agenda", meeting.pk), {"other_items": "Late"})
        assert agenda.status_code == 400
