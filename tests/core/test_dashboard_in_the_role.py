"""The dashboard's "In the role" section (issue 19): a serving medical director sees their first-year pathway, their
buddy, their next bilateral, bilaterals waiting for their answer and their next network meeting, each linked; a
medical director with none of these is pointed to them; nobody sees another person's; the section costs the same
queries however much each part holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.buddies.models import Cohort
from apps.buddies.services import cohort_create, cohort_pair, cohort_publish
from tests.bilaterals.support import agreed, booked, proposed
from tests.buddies.factories import join as cohort_join
from tests.buddies.factories import md
from tests.conftest import signed_in
from tests.factories import ProfileFactory, grant
from tests.networks.support import join as network_join
from tests.networks.support import make_network, network_organiser, schedule
from tests.pathways.support import enrol

pytestmark = pytest.mark.django_db


def buddies(organiser: User, first: User, second: User, name: str = "New MDs 2026") -> Cohort:
    cohort = cohort_create(name=name, actor=organiser, now=timezone.now())
    for person in (first, second):
        cohort_join(cohort, person)
    cohort_pair(cohort=cohort, actor=organiser, now=timezone.now())
    cohort_publish(cohort=cohort, actor=organiser, now=timezone.now())
    return cohort


@pytest.fixture
def organiser() -> User:
    user = ProfileFactory(user__email="cohort.organiser@example.org").user
    grant(user, Role.ORGANISER)
    return user


def dashboard(user: User) -> str:
    return signed_in(user).get(reverse("core:dashboard")).content.decode()


def test_a_serving_md_sees_their_support_in_the_role(organiser: User) -> None:
    ann, bob, cat = md("Ann"), md("Bob"), md("Cat")
    enrol(ann)
    buddies(organiser, ann, bob)
    meeting = booked(agreed(ann, cat))
    proposed(md("Dan"), ann)
    net_organiser = network_organiser()
    network = make_network(net_organiser)
    network_join(network, ann)
    network_meeting = schedule(network, net_organiser)

    page = dashboard(ann)
    assert "In the role" in page
    assert reverse("pathways:home") in page and "Your first-year pathway: " in page
    assert "Your buddy: Bob Doctor</a>, Bob NHS Foundation Trust" in page
    assert reverse("bilaterals:meeting", args=[meeting.pk]) in page and "with Cat Doctor" in page
    assert "1 bilateral proposed to you, waiting for your answer" in page
    assert reverse("networks:meeting", args=[network_meeting.pk]) in page and network.name in page


def test_nobody_sees_anyone_elses(organiser: User) -> None:
    ann, bob, cat = md("Ann"), md("Bob"), md("Cat")
    enrol(ann)
    buddies(organiser, ann, bob)
    booked(agreed(ann, bob))
    page = dashboard(cat)
    assert "Bob Doctor" not in page and "Ann Doctor" not in page
    assert "Your first-year pathway:" not in page and "Your buddy" not in page and "Your next bilateral" not in page
    # A medical director with none of it is pointed to each part.
    assert "New to the role? Follow the first-year pathway" in page
    assert "Meet another medical director regularly" in page


def test_someone_below_md_level_with_nothing_here_sees_no_section(owner: User) -> None:
    assert "In the role" not in dashboard(owner)


def _queries(user: User) -> int:
    client = signed_in(user)
    client.get(reverse("core:dashboard"))  # the first request of a session records it
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("core:dashboard"))
    return len(captured)


def test_the_section_costs_the_same_however_much_it_holds(organiser: User) -> None:
    ann, bob = md("Ann"), md("Bob")
    enrol(ann)
    buddies(organiser, ann, bob)
    booked(agreed(ann, bob))
    net_organiser = network_organiser()
    network = make_network(net_organiser, name="Network")
    network_join(network, ann)
    schedule(network, net_organiser, days=5)
    before = _queries(ann)
    for n in range(3):
        network = make_network(net_organiser, name=f"Network {n}")
        network_join(network, ann)
        schedule(network, net_organiser, days=n)
        proposed(md(f"Eve{n}"), ann)
    buddies(organiser, ann, md("Fay"), name="Another cohort")
    assert _queries(ann) == before


def test_a_part_with_nothing_to_show_costs_no_query(organiser: User) -> None:
    """Which parts hold anything is asked in the dashboard's one query of what waits: an MD on none of it pays a
    query for none of them, and each part that holds something costs its reads (the pathway six, the rest one)."""
    ann, bob = md("Ann"), md("Bob")
    nothing = _queries(ann)
    booked(agreed(ann, bob))
    assert _queries(ann) == nothing + 1
    enrol(ann)
    assert _queries(ann) == nothing + 1 + 6
    buddies(organiser, ann, bob)
    assert _queries(ann) == nothing + 1 + 6 + 1
