"""The Content-Security-Policy as Chromium applies it: inline code and styles are refused (and the refusal fails a
test, see conftest), nhsuk-frontend, htmx and Django's admin still work, the results chart still draws each bar
at its rating without style attributes, and a form refused by the CSRF check shows the portal's own page."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, UserFactory

from . import conftest
from .conftest import assert_accessible
from .test_assessment_journeys import completed_assessment
from .test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inline_code_and_styles_are_refused_and_reported(page: Page) -> None:
    page.goto("/account/login/")
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate("""() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.body.append(script);
        }""")
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate("""() => document.body.insertAdjacentHTML(
            "beforeend", '<p id="painted" style="color: rgb(255, 0, 0)">Painted</p>')""")
    assert page.evaluate("window.inlineRan") is None
    assert page.evaluate("getComputedStyle(document.getElementById('painted')).color") != "rgb(255, 0, 0)"
    # The check that fails every other test saw both refusals; this test expected them.
    assert len([line for line in conftest.reported if "Content Security Policy" in line]) == 2
    conftest.reported.clear()


def test_nhsuk_frontend_and_htmx_start_under_the_policy(page: Page) -> None:
    page.goto("/account/login/")
    classes = page.evaluate("document.body.className")
    assert "js-enabled" in classes and "nhsuk-frontend-supported" in classes
    assert page.evaluate("htmx.config.allowEval") is False
    # nhsuk-frontend marks each component it started.
    expect(page.locator("[data-nhsuk-skip-link-init], [data-nhsuk-header-init]").first).to_be_attached()


def test_the_results_chart_draws_each_bar_at_its_rating(page: Page) -> None:
    assessment = completed_assessment("chart@example.org", rating=3)
    sign_in(page, "chart@example.org")
    page.goto(f"/self-assessment/{assessment.pk}/results/")
    track = page.locator(".app-results-chart__track").first.bounding_box()
    bar = page.locator(".app-results-chart__bar").first.bounding_box()
    marker = page.locator(".app-results-chart__expected").first.bounding_box()
    assert track is not None and bar is not None and marker is not None
    # The scale runs to 4 and fills 90% of the track: a 3 reaches 68% (67.5 rounded), the medical director's
    # suggested 4 sits at 90%.
    assert abs(bar["width"] / track["width"] - 0.68) < 0.01
    assert abs((marker["x"] - track["x"]) / track["width"] - 0.90) < 0.01
    assert marker["height"] > bar["height"]  # the marker stands out above and below the bar
    assert_accessible(page)


def test_a_form_refused_by_the_csrf_check_says_what_to_do(page: Page) -> None:
    page.goto("/account/login/")
    page.context.clear_cookies()  # as if the browser had lost them since the page was opened
    page.get_by_label("Email").first.fill("someone@example.org")
    page.get_by_label("Password", exact=True).fill("not-checked-at-all")
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.get_by_role("button", name="Sign in").click()
    assert answer.value.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Your form was not sent")
    expect(page.get_by_text("Reload the page, then fill in the form and send it again.")).to_be_visible()
    assert_accessible(page)


def test_the_django_admin_works_under_the_policy(page: Page) -> None:
    UserFactory(email="staff@example.org", is_staff=True, is_superuser=True)
    page.goto("/django-admin/login/")
    page.get_by_label("E-mail address").fill("staff@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Site administration")
    links = page.locator("#content-main th[scope=row] a").evaluate_all("links => links.map(a => a.href)")
    assert len(links) > 5
    for link in links:  # every list page, with its filters, search and actions
        page.goto(link)
        expect(page.locator("#changelist")).to_be_attached()
