"""Action learning sets in headless Chromium, on the demo data `make run` loads: a member applies with the
availability grid by keyboard, sees their set and a session; the organiser reviews a draft grouping (with the live
move check) and reads the report; the facilitator sees their set. Then a programme from start to finish: the
organiser closes applications early, forms the sets, swaps two people and publishes; the facilitator records
attendance for a session already held; a member sends apologies for the next one. Every page is checked with
axe-core."""

import re
from datetime import UTC, timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from apps.accounts.models import User
from apps.learning_sets.models import (
    Apology,
    Application,
    Attendance,
    LearningSet,
    Membership,
    Programme,
    ProgrammeStatus,
    Session,
)
from apps.learning_sets.selectors import applications_closed
from tests.factories import OrganisationFactory
from tests.learning_sets.test_programmes import applicant, draft, make_programme

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO_PASSWORD = "stepping-up-demo"  # apps/profiles/demo.py


def sign_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/account/login/")
    page.get_by_label("Email").first.fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def visit(page: Page, path: str) -> None:
    page.goto(path)
    assert page.url.endswith(path), page.url
    assert_accessible(page)


def test_learning_sets_pages_for_members_facilitators_and_organisers(page: Page) -> None:
    call_command("seed_demo", stdout=StringIO())
    running = Programme.objects.get(status="running")
    taking = Programme.objects.get(status="open")
    member_set = LearningSet.objects.get(programme=running, memberships__member__email="aspiring@example.org")
    session = Session.objects.filter(learning_set=member_set).order_by("number").first()
    assert session is not None

    # A member: their sets, a set, a session, a reflection; then applying with the grid, by keyboard.
    sign_in(page, "aspiring@example.org")
    for path in (
        "/learning-sets/",
        _url("learning_sets:set", member_set.pk),
        _url("learning_sets:session", session.pk),
        _url("learning_sets:reflection_new", member_set.pk),
        _url("learning_sets:programmes"),
    ):
        visit(page, path)
    visit(page, _url("learning_sets:apply", taking.pk))
    tuesday = page.get_by_role("group", name=re.compile("Tuesday"))
    tuesday.get_by_label("14:00 to 16:00").focus()
    page.keyboard.press("Space")
    expect(tuesday.get_by_label("14:00 to 16:00")).to_be_checked()
    # The current role is the profile's list, filled in from the profile; a consultant finds theirs.
    expect(page.get_by_label("Your current role")).to_have_value("clinical_director")
    page.get_by_label("Your current role").select_option(label="Consultant or GP")
    page.get_by_role("button", name="Send your application").click()
    expect(page.get_by_text(f"Your application to “{taking.name}” is sent.")).to_be_visible()
    assert_accessible(page)
    sent = Application.objects.get(programme=taking, person__email="aspiring@example.org")
    assert sent.career_stage == "consultant_gp"

    # The facilitator of that set.
    sign_in(page, "facilitator@example.org")
    facilitated = LearningSet.objects.filter(facilitator__email="facilitator@example.org").first()
    assert facilitated is not None
    visit(page, _url("learning_sets:set", facilitated.pk))
    first = Session.objects.filter(learning_set=facilitated).order_by("number").first()
    assert first is not None
    visit(page, _url("learning_sets:session", first.pk))
    visit(page, _url("learning_sets:session_reschedule", first.pk))

    # The organiser: programmes, the published one's report, and a draft grouping with the live move check.
    sign_in(page, "organiser@example.org")
    organiser = running.organisers.get()
    grouping = make_programme(organiser, name="Draft grouping for review")
    people = [applicant(grouping, slots=("tue-14:00", "wed-10:00")) for _ in range(13)]
    draft(grouping, [("tue-14:00", people[:6]), ("wed-10:00", people[6:12])])
    for path in (
        _url("learning_sets:organise"),
        _url("learning_sets:programme_new"),
        _url("learning_sets:programme", running.pk),
        _url("learning_sets:report", running.pk),
        _url("learning_sets:programme", grouping.pk),
    ):
        visit(page, path)
    visit(page, _url("learning_sets:review", grouping.pk))
    move = page.get_by_label(re.compile("Move")).first
    move.select_option(index=1)
    expect(page.get_by_text(re.compile("Allowed|Not allowed")).first).to_be_visible()
    assert_accessible(page)


def _url(name: str, *args: object) -> str:
    return reverse(name, args=args)


def test_a_programme_from_an_early_close_to_attendance_and_apologies(page: Page) -> None:
    call_command("seed_demo", stdout=StringIO())
    organiser = User.objects.get(email="organiser@example.org")
    today = timezone.localdate()
    programme = make_programme(
        organiser,
        name="Leadership faculty peer sets",
        applications_open_on=today - timedelta(days=7),
        applications_close_on=today + timedelta(days=28),
        first_sessions_from=today + timedelta(days=49),
        set_size_min=3,
        set_size_max=4,
    )
    programme.facilitators.set(User.objects.filter(email__startswith="demo.facilitator."))
    for _ in range(8):
        applicant(programme, organisation=OrganisationFactory(), slots=("tue-14:00", "wed-10:00"))

    # The organiser closes applications early, after confirming, and forms the sets at once.
    sign_in(page, "organiser@example.org")
    visit(page, _url("learning_sets:programme", programme.pk))
    page.get_by_role("link", name="Close applications now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close applications now?")
    assert_accessible(page)
    page.get_by_role("button", name="Yes, close applications now").click()
    expect(
        page.get_by_text(f"Applications for “{programme.name}” are closed. You can form the sets now.")
    ).to_be_visible()
    assert_accessible(page)
    programme.refresh_from_db()
    assert applications_closed(programme, today=today) and programme.applications_close_on == today
    page.get_by_role("button", name="Form the sets").click()
    expect(page.get_by_text("2 sets formed with 8 people; 0 not placed.")).to_be_visible()
    assert_accessible(page)

    # A swap that breaks a rule is refused with the reason, live and on sending; then one that keeps them all.
    one, two = (
        [m.application for m in Membership.objects.filter(learning_set__programme=programme, learning_set__number=n)
         .select_related("application__person", "application__organisation").order_by("pk")]
        for n in (1, 2)
    )  # fmt: skip
    before = sorted(Membership.objects.values_list("learning_set__number", "application_id"))
    page.get_by_text("Swap two people between sets").click()
    swap_this = page.get_by_label("Swap this person")
    with_this = page.get_by_label("with this person in another set")
    swap_this.select_option(label=_choice(one[0], 1))
    with_this.select_option(label=_choice(one[1], 1))
    expect(page.get_by_text("Not allowed: they are both in set 1.")).to_be_visible()
    page.get_by_role("button", name="Swap them").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was changed")
    expect(page.get_by_role("alert")).to_contain_text("they are both in set 1")
    assert_accessible(page)
    assert sorted(Membership.objects.values_list("learning_set__number", "application_id")) == before
    expect(page.get_by_label("Swap this person")).to_have_value(str(one[0].pk))  # the choice is kept
    page.get_by_label("with this person in another set").select_option(label=_choice(two[0], 2))
    expect(page.get_by_text("Allowed", exact=True)).to_be_visible()
    page.get_by_role("button", name="Swap them").click()
    expect(page.get_by_text(f"{one[0].person} is now in set 2 and {two[0].person} in set 1.")).to_be_visible()
    assert_accessible(page)
    assert Membership.objects.get(application=one[0]).learning_set.number == 2
    assert Membership.objects.get(application=two[0]).learning_set.number == 1

    page.get_by_role("button", name="Publish the sets: make the sessions and invite the members").click()
    expect(
        page.get_by_text(re.compile(r"Published: 2 sets, \d+ sessions\. 8 members have their invitations"))
    ).to_be_visible()
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.RUNNING

    # The demo facilitator records attendance for their set's first session, held before today.
    sign_in(page, "facilitator@example.org")
    facilitated = LearningSet.objects.get(facilitator__email="facilitator@example.org")
    held = Session.objects.get(learning_set=facilitated, number=1)
    assert held.starts_at < timezone.now() and held.attendance_recorded_at is None
    visit(page, _url("learning_sets:set", facilitated.pk))
    page.get_by_role("link", name="Record attendance for session 1").click()
    members = [m.member for m in Membership.objects.filter(learning_set=facilitated).select_related("member")]
    for index, member in enumerate(members):
        question = page.get_by_role("group", name=f"Was {member} there?")
        question.get_by_label("Absent" if index == 0 else "Present").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance is recorded.")).to_be_visible()
    expect(page.get_by_text(re.compile("Recorded on"))).to_be_visible()
    assert_accessible(page)
    assert Attendance.objects.filter(session=held, present=True).count() == len(members) - 1
    assert Attendance.objects.get(session=held, present=False).member == members[0]

    # A member sends apologies for their set's next session.
    sign_in(page, "aspiring@example.org")
    member_set = LearningSet.objects.get(
        programme__name="Midlands and London aspiring medical directors: learning sets 2027",
        memberships__member__email="aspiring@example.org",
    )
    coming = Session.objects.filter(learning_set=member_set, starts_at__gt=timezone.now()).order_by("number").first()
    assert coming is not None
    visit(page, _url("learning_sets:set", member_set.pk))
    page.get_by_role("link", name=f"Session {coming.number}", exact=True).click()
    page.get_by_label("Anything you want your facilitator to know").fill("On call for the trust that day.")
    page.get_by_role("button", name="Send apologies").click()
    expect(page.get_by_text("Your apologies are sent. We will not remind you about this session.")).to_be_visible()
    expect(page.get_by_text("“On call for the trust that day.”", exact=False)).to_be_visible()
    assert_accessible(page)
    apology = Apology.objects.get(session=coming)
    assert apology.member.email == "aspiring@example.org" and apology.message == "On call for the trust that day."

    # Their private calendar link, as a calendar app would fetch it: every session of their set, parsed.
    visit(page, _url("learning_sets:home"))
    page.get_by_role("button", name="Get your calendar link").click()
    feed_url = urlsplit(page.get_by_label("Your private calendar link").input_value())
    assert feed_url.path.endswith(".ics")
    # The link names the portal's public address; here the portal is the test server, so fetch the same path there.
    here = urlsplit(page.url)
    feed = page.request.get(f"{here.scheme}://{here.netloc}{feed_url.path}")
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(feed.body())
    events = [e for e in calendar.walk("VEVENT")]
    live = Session.objects.filter(learning_set=member_set, cancelled_at__isnull=True)
    assert len(events) == live.count()
    starts = {e.decoded("DTSTART").astimezone(UTC) for e in events}
    assert coming.starts_at.astimezone(UTC) in starts

    # The facilitator calls off the last session of their set; it leaves the members' calendars.
    sign_in(page, "facilitator@example.org")
    last = Session.objects.filter(learning_set=facilitated).order_by("-number").first()
    assert last is not None and last.starts_at > timezone.now()
    visit(page, _url("learning_sets:session", last.pk))
    page.get_by_role("link", name=f"cancel session {last.number}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Cancel session {last.number}?")
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel the session").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cancelled")
    last.refresh_from_db()
    assert last.is_cancelled


def _choice(application: Application, number: int) -> str:
    return f"{application.person}, {application.organisation.name} (set {number})"
