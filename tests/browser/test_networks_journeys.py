"""A standing network as its people use it: an organiser starts a regional MD network and schedules a meeting; a
medical director joins, proposes a topic and votes for it; the organiser builds the agenda from the topics; the
member adds a note; someone outside the network is told the notes are not found. Every page is checked with
axe-core, and the network and notes pages on a 375 px phone."""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from apps.networks.models import MeetingNote, NetworkMeeting, TopicVote
from tests.factories import ProfileFactory
from tests.networks.support import md, network_organiser

from .conftest import assert_accessible, prepare
from .test_journeys import sign_in
from .test_phone_layouts import PHONE, assert_fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def member_page(browser: Browser, live_server: object) -> Iterator[Page]:
    context = prepare(browser.new_context(base_url=str(live_server), viewport=PHONE))
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def outsider_page(browser: Browser, live_server: object) -> Iterator[Page]:
    context = prepare(browser.new_context(base_url=str(live_server), viewport={"width": 1280, "height": 900}))
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_network_from_its_first_meeting_to_shared_notes(page: Page, member_page: Page, outsider_page: Page) -> None:
    organiser = network_organiser("priya.organiser@example.org")
    member = md("nadia.md@example.org", user__first_name="Nadia", user__last_name="Rahman")
    outsider = ProfileFactory(user__email="consultant@example.org").user
    day = timezone.localdate() + timedelta(days=30)

    # The organiser starts the network.
    sign_in(page, organiser.email)
    page.goto("/networks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Networks and forums")
    assert_accessible(page)
    page.get_by_role("link", name="Start a network or forum").click()
    page.get_by_label("Name").fill("North West medical directors' network")
    page.get_by_role("radio", name="Regional network").check()
    # A regional network needs its region: refused with what was typed kept.
    page.get_by_role("button", name="Start the network").click()
    expect(page.get_by_role("link", name="Choose the region of a regional network")).to_be_visible()
    expect(page.get_by_label("Name")).to_have_value("North West medical directors' network")
    assert_accessible(page)
    page.get_by_label("Region (for a regional network)").select_option(label="North West")
    page.get_by_label("What it is for (optional)").fill("Serving MDs of the North West, every other month.")
    page.get_by_role("button", name="Start the network").click()
    expect(page.get_by_text("North West medical directors' network is started. You are its organiser.")).to_be_visible()
    assert_accessible(page)

    # ... and schedules its first meeting.
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("End time").fill("16:00")
    page.get_by_label("Place (optional)").fill("Manchester Town Hall")
    assert_accessible(page)
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.get_by_text("The meeting is scheduled.")).to_be_visible()
    meeting = NetworkMeeting.objects.get()
    assert_accessible(page)

    # A medical director joins, proposes a topic and votes for it (on a phone).
    sign_in(member_page, member.email)
    member_page.goto("/networks/")
    member_page.get_by_role("link", name="North West medical directors' network").click()
    assert_accessible(member_page)
    member_page.get_by_role("button", name="Join this network").click()
    expect(member_page.get_by_text("You are now a member of North West medical directors' network.")).to_be_visible()
    expect(member_page.get_by_text("Manchester Town Hall")).to_be_visible()
    member_page.get_by_role("link", name="Propose a topic").click()
    member_page.get_by_label("Topic").fill("Sharing locum rates across the region")
    member_page.get_by_label("Why it matters (optional)").fill("We outbid each other every winter.")
    assert_accessible(member_page)
    member_page.get_by_role("button", name="Propose the topic").click()
    expect(member_page.get_by_text("Your topic is proposed.")).to_be_visible()
    member_page.get_by_role("button", name="Vote for Sharing locum rates across the region").click()
    expect(member_page.get_by_text("Your vote for “Sharing locum rates across the region” is counted.")).to_be_visible()
    expect(member_page.get_by_role("button", name=re.compile("Take back my vote"))).to_be_visible()
    assert TopicVote.objects.filter(voter=member).count() == 1
    assert_accessible(member_page)
    assert_fits_the_screen(member_page)

    # The organiser builds the agenda from the topics: the most voted is ticked already.
    page.goto(f"/networks/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Build the agenda from the topics").click()
    expect(page.get_by_label("Sharing locum rates across the region (1 vote)")).to_be_checked()
    page.get_by_label("Other items (optional)").fill("Minutes of the last meeting")
    assert_accessible(page)
    page.get_by_role("button", name="Set the agenda").click()
    expect(page.get_by_text("The agenda is set. Voting on this meeting's topics is closed.")).to_be_visible()
    agenda = page.locator("ol.nhsuk-list--number li")
    expect(agenda).to_have_text(["Sharing locum rates across the region", "Minutes of the last meeting"])
    assert_accessible(page)

    # The member adds a note to the meeting.
    member_page.goto(f"/networks/meetings/{meeting.pk}/")
    expect(member_page.get_by_text("The agenda is set, so voting is closed.")).to_be_visible()
    member_page.get_by_role("link", name="Read and add notes of this meeting").click()
    member_page.get_by_label("Note").fill("Agreed: each trust shares its locum rates by the end of the month.")
    member_page.get_by_role("button", name="Add the note").click()
    expect(member_page.get_by_text("Your note is added.")).to_be_visible()
    expect(member_page.get_by_text("Agreed: each trust shares its locum rates")).to_be_visible()
    assert MeetingNote.objects.count() == 1
    assert_accessible(member_page)
    assert_fits_the_screen(member_page)

    # Someone outside the network is told the notes are not found, and sees nothing of them.
    sign_in(outsider_page, outsider.email)
    response = outsider_page.goto(f"/networks/meetings/{meeting.pk}/notes/")
    assert response is not None and response.status == 404
    expect(outsider_page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(outsider_page.get_by_text("locum rates")).to_have_count(0)
    assert_accessible(outsider_page)
