"""The pages people open on a phone, at 375 CSS pixels wide (an iPhone SE to 13 mini), with realistic data:
nothing may be wider than the screen (no sideways scrolling), the results chart says what its bar and marker
mean, criterion codes stay whole, and the results page is a fraction of its desktop length. Each page is checked
with axe-core as it looks on the phone."""

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import cycle

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from apps.accounts.models import Role, User
from apps.assessments.feedback import (
    feedback_round_close,
    feedback_round_open,
    rater_invite,
    rater_link_mint,
    rater_respond,
)
from apps.assessments.models import Assessment, RaterCategory
from apps.assessments.services import assessment_save_group, assessment_start, assessment_submit
from apps.competencies.fileformat import parse
from apps.competencies.models import Framework
from apps.competencies.services import framework_load
from apps.learning_sets.models import Programme
from apps.learning_sets.services import LearningSetError
from apps.learning_sets.services.publishing import programme_publish
from apps.learning_sets.services.sessions import session_cancel, session_reschedule
from tests.factories import OrganisationFactory, ProfileFactory, UserFactory, grant
from tests.learning_sets.sets_support import add_set, make_facilitator, make_programme, sessions_of

from ..assessments.conftest import PERSON_SPEC
from .conftest import assert_accessible, prepare
from .test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
# A desktop context with a phone-sized viewport rather than Chromium's mobile emulation: an emulated phone
# zooms out to fit a page that is too wide, which would hide the very overflow these tests look for.


@pytest.fixture
def phone(browser: Browser, live_server: object) -> Iterator[Page]:
    context = prepare(browser.new_context(base_url=str(live_server), viewport=PHONE))
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def overflowing(page: Page) -> list[str]:
    """The elements that reach past the right edge of the screen, for the failure message."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && e.getClientRects().length)
            .slice(0, 8)
            .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}: ${Math.round(
                e.getBoundingClientRect().right)}px «${(e.textContent || '').trim().slice(0, 40)}»`)"""
    )


def assert_fits_the_screen(page: Page) -> None:
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner + 1, f"{page.url} is {width}px wide on a {inner}px screen:\n" + "\n".join(overflowing(page))


def page_height(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollHeight"))


# The self-assessment results.


def _rated(owner: User, framework: Framework, ratings: list[int], *, on: datetime) -> Assessment:
    assessment = assessment_start(owner=owner, framework=framework, target_level=5, now=on)
    criteria = cycle(ratings)
    for group in framework.groups.order_by("pk"):
        values = {c.pk: next(criteria) for c in framework.criteria.filter(group=group).order_by("pk")}
        assessment_save_group(assessment=assessment, group=group, ratings=values, notes={}, answers={})
    return assessment_submit(assessment=assessment, now=on)


def _token(invitation_pk: int) -> str:
    """The rater's link, minted as their e-mail would carry it."""
    link = rater_link_mint(invitation_id=invitation_pk, now=timezone.now())
    assert link is not None
    return link.rstrip("/").rsplit("/", 1)[1]


def results_with_360(owner_email: str) -> Assessment:
    """A consultant's second self-assessment against the MD person specification (22 criteria), ratings from 1
    to 5, compared with the first, and 360 feedback from three peers and three direct reports with comments."""
    owner = ProfileFactory(user__email=owner_email, user__first_name="Amara", user__last_name="Okafor").user
    framework = framework_load(spec=parse(PERSON_SPEC.read_text())).framework
    now = timezone.now()
    _rated(owner, framework, [2, 3, 1, 2, 3, 2, 1], on=now - timedelta(days=200))
    assessment = _rated(owner, framework, [3, 4, 2, 4, 3, 1], on=now - timedelta(days=1))
    feedback_round = feedback_round_open(
        assessment=assessment, closes_on=timezone.localdate() + timedelta(days=14), message="", now=now
    )
    criteria = list(framework.criteria.order_by("pk").values_list("pk", flat=True))
    comments = [
        "Chairs the mortality review well and brings the surgeons with her.",
        "Could delegate more of the job planning to the clinical leads.",
        "Calm in the winter escalation meetings; the operational team trusts her.",
    ]
    for n, category in enumerate([RaterCategory.PEER] * 3 + [RaterCategory.DIRECT_REPORT] * 3):
        invitation = rater_invite(
            feedback_round=feedback_round, email=f"rater{n}@example.nhs.uk", category=category, now=now
        )
        rater_respond(
            token=_token(invitation.pk),
            ratings={pk: (i + n) % 4 + 1 for i, pk in enumerate(criteria)},
            comments={criteria[n]: comments[n % 3], criteria[n + 6]: comments[(n + 1) % 3], None: comments[n % 3]},
            now=now,
        )
    feedback_round_close(feedback_round=feedback_round, now=now)  # scores show once feedback has closed
    return assessment


def test_the_results_page_on_a_phone(phone: Page, page: Page) -> None:
    assessment = results_with_360("amara.okafor@example.org")
    path = reverse("assessments:results", args=[assessment.pk])
    sign_in(phone, "amara.okafor@example.org")
    phone.goto(path)
    assert_fits_the_screen(phone)

    # The chart says what its bar and its marker mean, in words a person can see.
    legend = phone.locator(".app-results-chart__legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("Your rating, out of 4")
    expect(legend).to_contain_text("Suggested level for medical director")

    # Codes stay whole: each is one line high, in the chart, the table and the comments' headings.
    codes = phone.locator(".app-results-chart__label, .app-criterion-code").all()
    assert len(codes) > 44
    for code in codes:
        box = code.bounding_box()
        assert box is not None and box["height"] < 30, code.text_content()

    # Each criterion is a compact block: about 460px each before (a full-width line per figure).
    rows = phone.locator(".app-results-table tbody tr").all()
    heights = [box["height"] for row in rows if (box := row.bounding_box())]
    assert len(heights) == 22 and sum(heights) / len(heights) < 250, heights
    phone_height = page_height(phone)
    assert_accessible(phone)

    sign_in(page, "amara.okafor@example.org")
    page.goto(path)
    # 14,400px on a phone against 8,260px on a desktop before (1.74 times); 8,608px against 7,289px now.
    assert phone_height < 1.4 * page_height(page)


# A learning set's sessions.


def test_a_learning_sets_page_on_a_phone(phone: Page) -> None:
    organiser = ProfileFactory(user__email="lead@example.org").user
    grant(organiser, Role.ORGANISER)
    member = ProfileFactory(
        user__email="consultant.psychiatrist@example.org", user__first_name="Oluwaseun", user__last_name="Adebayo-Smith"
    ).user
    others = [ProfileFactory().user for _ in range(5)]
    facilitator = make_facilitator("facilitator@example.org")
    today = timezone.localdate()
    programme: Programme = make_programme(
        organiser,
        name="East of England aspiring medical directors 2026 to 2027",
        sessions_count=6,
        applications_open_on=today - timedelta(days=60),
        applications_close_on=today - timedelta(days=30),
        first_sessions_from=today + timedelta(days=21),
        # As organisers type it: a room, and a dial-in link pasted whole.
        default_venue="Boardroom, Trust HQ, dial-in https://nhs.webex.com/meet/eoe.aspiring.mds.learning.set.one",
        created_at=timezone.now(),
    )
    learning_set = add_set(
        programme,
        number=1,
        slot="tue-14:00",
        facilitator=facilitator,
        members=[member, *others],
        video_url="https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjM2ZTk4YzEtZGE1Ny00N2FjLWI2OTktZTQ1ZjMxMGI3%40thread.v2/0",
    )
    now = timezone.now()
    programme_publish(programme=programme, actor=organiser, now=now)
    sessions = sessions_of(learning_set)
    for days in (1, 2, 3):  # the day after, unless that is a bank holiday
        try:
            session_reschedule(
                session=sessions[1], starts_at=sessions[1].starts_at + timedelta(days=days), actor=facilitator, now=now
            )
            break
        except LearningSetError:
            continue
    session_cancel(session=sessions[2], actor=facilitator, now=now)

    sign_in(phone, "consultant.psychiatrist@example.org")
    phone.goto(reverse("learning_sets:set", args=[learning_set.pk]))
    expect(phone.get_by_role("heading", name="Sessions")).to_be_visible()
    assert_fits_the_screen(phone)
    assert_accessible(phone)
    phone.goto(reverse("learning_sets:session", args=[sessions[2].pk]))
    assert_fits_the_screen(phone)
    assert_accessible(phone)


# People and roles.


def test_people_and_roles_on_a_phone(phone: Page) -> None:
    administrator = ProfileFactory(user__email="administrator@example.org").user
    grant(administrator, Role.ADMINISTRATOR)
    for n in range(12):
        person = UserFactory(email=f"oluwaseun.adebayosmith{n}@birminghamwomensandchildrens.nhs.uk")
        if n % 3 == 0:
            grant(person, Role.ORGANISER)
            grant(person, Role.FACILITATOR)
    OrganisationFactory()

    sign_in(phone, "administrator@example.org")
    phone.goto(reverse("accounts:people"))
    expect(phone.get_by_role("heading", name="People and roles")).to_be_visible()
    assert_fits_the_screen(phone)
    assert_accessible(phone)
    # Changing a role still works from the phone.
    phone.get_by_label("Role for oluwaseun.adebayosmith1@birminghamwomensandchildrens.nhs.uk").select_option(
        label="Organiser"
    )
    phone.get_by_role(
        "button", name="Grant role to oluwaseun.adebayosmith1@birminghamwomensandchildrens.nhs.uk"
    ).click()
    expect(phone.get_by_text(re.compile("is now organiser"))).to_be_visible()
    assert_fits_the_screen(phone)
