"""Action learning sets in headless Chromium, on the demo data `make run` loads: a member applies with the
availability grid by keyboard, sees their set and a session; the organiser reviews a draft grouping (with the live
move check) and reads the report; the facilitator sees their set. Every page is checked with axe-core."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from apps.learning_sets.models import Application, LearningSet, Programme, Session
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
    page.get_by_role("button", name="Send your application").click()
    assert_accessible(page)
    assert Application.objects.filter(programme=taking, person__email="aspiring@example.org").exists()

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
