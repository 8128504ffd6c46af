"""Every response carries the Content-Security-Policy and the Permissions-Policy, whoever asks and whatever kind of
page it is; a form refused by the CSRF check gets an NHS.UK page that says what to do. The browser suite
(tests/browser) is the proof that the pages work under the policy: it fails on any violation Chromium reports."""

import logging

import pytest
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.services import assessment_start
from apps.competencies.models import Criterion, Framework
from tests.assessments.conftest import person_spec  # noqa: F401 (fixture)
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def directives(response: HttpResponseBase) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: sources}."""
    parts = [part.split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: sources for name, *sources in parts}


def assert_both_policies(response: HttpResponseBase) -> None:
    assert directives(response)["script-src"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/account/login/",
        "/account/signup/",
        "/feedback/a-link-that-was-never-sent/",  # the rater's page, reached without an account
        "/a-page-that-does-not-exist/",
        "/static/css/app.css",
    ],
)
def test_pages_anyone_can_open_send_both_policies(client: Client, path: str) -> None:
    assert_both_policies(client.get(path))


def test_signed_in_pages_send_both_policies(owner: User) -> None:
    client = signed_in(owner)
    for name in ("core:dashboard", "core:account", "profiles:detail", "assessments:list"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert_both_policies(response)


def test_an_htmx_partial_sends_both_policies(owner: User, person_spec: Framework) -> None:  # noqa: F811
    assessment = assessment_start(owner=owner, framework=person_spec, target_level=5, now=timezone.now())
    first = Criterion.objects.get(framework=person_spec, code="EXP-1")
    response = signed_in(owner).post(
        reverse("assessments:group", args=[assessment.pk, "EXP"]), {f"rating_{first.pk}": "4"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and response.content.decode().startswith("Saved at")
    assert_both_policies(response)


def test_the_policy_allows_only_the_portals_own_code_and_styles(client: Client) -> None:
    policy = directives(client.get(reverse("account_login")))
    assert policy == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],  # no inline script, no eval
        "style-src": ["'self'"],  # no <style>, no style="" attribute
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "https://assets.nhs.uk"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }


def test_the_permissions_policy_turns_off_what_the_portal_never_uses(client: Client) -> None:
    features = dict(item.split("=") for item in client.get("/")["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert features[feature] == "()", feature
    # Copying recovery codes to the clipboard must keep working.
    assert "clipboard-write" not in features


def test_a_form_sent_without_its_check_gets_a_page_that_says_what_to_do(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = client.post(reverse("account_login"), {"login": "owner@example.org", "password": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "nhsuk-header" in body  # the portal's own layout
    assert '<h1 class="nhsuk-heading-l">Your form was not sent</h1>' in body
    assert "Nothing from this form has been saved" in body
    assert "Reload the page, then fill in the form and send it again." in body
    assert "support@stepping-up.example" in body
    # The technical reason goes to the log, not to the person.
    assert "CSRF cookie not set" not in body
    assert any("CSRF cookie not set" in record.getMessage() for record in caplog.records)
    assert_both_policies(response)


def test_a_signed_in_form_refused_by_the_check_gets_the_same_page(owner: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    client.get(reverse("core:account"))  # sets the CSRF cookie; the form below still carries no token
    response = client.post(reverse("account_logout"))
    assert response.status_code == 403
    assert "Your form was not sent" in response.content.decode()


def test_an_autosave_refused_by_the_check_gets_a_status_line(owner: User, person_spec: Framework) -> None:  # noqa: F811
    assessment = assessment_start(owner=owner, framework=person_spec, target_level=5, now=timezone.now())
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    url = reverse("assessments:group", args=[assessment.pk, "EXP"])
    response = client.post(url, {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    body = response.content.decode()
    assert body.startswith("Not saved: this page needs reloading.") and "<html" not in body
