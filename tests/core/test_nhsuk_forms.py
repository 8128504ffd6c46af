"""The nhsuk crispy-forms pack (templates/nhsuk/) and the NHS.UK allauth templates (templates/allauth/)."""

import re
from typing import Any, cast

import pytest
from django import forms
from django.core.cache import cache
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from tests.factories import PASSWORD, UserFactory


class ExampleForm(forms.Form):
    name = forms.CharField(label="Full name", widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label="Email address", required=False, help_text="We only use it to reply to you.")
    contact = forms.ChoiceField(
        label="How should we contact you?",
        choices=[("email", "Email"), ("phone", "Phone")],
        widget=forms.RadioSelect,
        help_text="Select one option.",
    )
    days = forms.MultipleChoiceField(
        label="Which days suit you?",
        choices=[("mon", "Monday"), ("tue", "Tuesday"), ("wed", "Wednesday")],
        widget=forms.CheckboxSelectMultiple,
    )
    agree = forms.BooleanField(label="I agree to the terms")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    region = forms.ChoiceField(label="Region", choices=[("", "Choose a region"), ("lon", "London")])
    code = forms.CharField(label="Code", widget=forms.TextInput(attrs={"inputmode": "numeric"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("notes") == "conflict":
            raise forms.ValidationError("These answers cannot be used together.")
        return cleaned


def render_crispy(form: forms.Form) -> str:
    return Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))


def tag_with_id(html: str, element_id: str) -> str:
    """The opening tag of the element with this id."""
    match = re.search(rf'<[a-z]+\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert match, f"no element with id {element_id}"
    return match.group(0)


def attribute(tag: str, name: str) -> str:
    match = re.search(rf'\b{name}="([^"]*)"', tag)
    return match.group(1) if match else ""


BAD_DATA = {
    "name": "",
    "email": "not-an-address",
    "days": ["tue"],
    "notes": "conflict",
    "code": "12345",
}


@pytest.fixture
def unbound_html() -> str:
    return render_crispy(ExampleForm())


@pytest.fixture
def bound_html() -> str:
    form = ExampleForm(data=BAD_DATA)
    assert not form.is_valid()
    return render_crispy(form)


# --- crispy pack, unbound -----------------------------------------------------------------------------------


def test_unbound_form_has_no_error_summary_or_error_classes(unbound_html: str) -> None:
    assert "nhsuk-error-summary" not in unbound_html
    assert "nhsuk-form-group--error" not in unbound_html
    assert "nhsuk-error-message" not in unbound_html
    assert unbound_html.count('class="nhsuk-form-group"') == 8


def test_each_widget_gets_its_nhsuk_component(unbound_html: str) -> None:
    assert "nhsuk-input" in attribute(tag_with_id(unbound_html, "id_name"), "class")
    assert "nhsuk-textarea" in attribute(tag_with_id(unbound_html, "id_notes"), "class")
    assert "nhsuk-select" in attribute(tag_with_id(unbound_html, "id_region"), "class")
    assert 'class="nhsuk-radios" data-module="nhsuk-radios"' in unbound_html
    assert "nhsuk-radios__input" in attribute(tag_with_id(unbound_html, "id_contact_0"), "class")
    assert '<label class="nhsuk-label nhsuk-radios__label" for="id_contact_1">Phone</label>' in unbound_html
    assert 'class="nhsuk-checkboxes" data-module="nhsuk-checkboxes"' in unbound_html
    assert "nhsuk-checkboxes__input" in attribute(tag_with_id(unbound_html, "id_days_2"), "class")
    # The single BooleanField is one checkbox with its label beside it, not a fieldset.
    assert "nhsuk-checkboxes__input" in attribute(tag_with_id(unbound_html, "id_agree"), "class")
    assert '<label class="nhsuk-label nhsuk-checkboxes__label" for="id_agree">I agree to the terms</label>' in (
        unbound_html
    )
    # Radios and checkboxes sit in a fieldset whose legend asks the question.
    assert '<legend class="nhsuk-fieldset__legend">How should we contact you?</legend>' in unbound_html
    assert '<legend class="nhsuk-fieldset__legend">Which days suit you?</legend>' in unbound_html


def test_optional_fields_say_so_and_required_fields_have_no_asterisk(unbound_html: str) -> None:
    assert '<label class="nhsuk-label" for="id_email">Email address (optional)</label>' in unbound_html
    assert '<label class="nhsuk-label" for="id_notes">Notes (optional)</label>' in unbound_html
    assert '<label class="nhsuk-label" for="id_name">Full name</label>' in unbound_html
    assert "*" not in unbound_html


def test_hint_has_an_id_that_the_input_points_to(unbound_html: str) -> None:
    assert '<div class="nhsuk-hint" id="id_email-hint">We only use it to reply to you.</div>' in unbound_html
    assert attribute(tag_with_id(unbound_html, "id_email"), "aria-describedby") == "id_email-hint"
    # For radios the fieldset is described by the hint.
    assert '<fieldset class="nhsuk-fieldset" aria-describedby="id_contact-hint">' in unbound_html


def test_widget_attributes_set_by_the_form_survive(unbound_html: str) -> None:
    assert attribute(tag_with_id(unbound_html, "id_name"), "autocomplete") == "name"
    assert attribute(tag_with_id(unbound_html, "id_code"), "inputmode") == "numeric"
    assert attribute(tag_with_id(unbound_html, "id_email"), "type") == "email"


# --- crispy pack, bound with errors -------------------------------------------------------------------------


def test_error_summary_at_the_top_links_each_error_to_its_field(bound_html: str) -> None:
    assert bound_html.lstrip().startswith('<div class="nhsuk-error-summary"')
    summary = bound_html[: bound_html.index("</ul>")]
    assert '<div role="alert">' in summary
    assert '<h2 class="nhsuk-error-summary__heading">There is a problem</h2>' in summary
    # Django's own messages do not say which field: away from the field, the summary names it.
    assert '<a href="#id_name">Full name: this field is required.</a>' in summary
    assert '<a href="#id_email">Email address: enter a valid email address.</a>' in summary
    # Radios link to the first option; the single checkbox to itself.
    assert '<a href="#id_contact_0">How should we contact you: this field is required.</a>' in summary
    assert '<a href="#id_agree">I agree to the terms: this field is required.</a>' in summary
    assert '<a href="#id_region">Region: this field is required.</a>' in summary
    # A non-field error is listed first, without a link.
    assert "<li>These answers cannot be used together.</li>" in summary
    assert summary.index("These answers cannot") < summary.index('href="#id_name"')
    # Fields without errors are not listed.
    assert "#id_days" not in summary
    assert "#id_notes" not in summary


def test_fields_in_error_are_marked_up_as_errors(bound_html: str) -> None:
    assert bound_html.count("nhsuk-form-group nhsuk-form-group--error") == 5
    assert (
        '<span class="nhsuk-error-message" id="id_name-error"><span class="nhsuk-u-visually-hidden">Error: </span>'
        "This field is required.</span>"
    ) in bound_html
    assert "nhsuk-input--error" in attribute(tag_with_id(bound_html, "id_name"), "class")
    assert "nhsuk-input--error" in attribute(tag_with_id(bound_html, "id_email"), "class")
    assert "nhsuk-select--error" in attribute(tag_with_id(bound_html, "id_region"), "class")
    assert "nhsuk-input--error" not in attribute(tag_with_id(bound_html, "id_code"), "class")
    assert 'id="id_contact-error"' in bound_html
    assert 'id="id_agree-error"' in bound_html


def test_aria_describedby_lists_hint_then_error(bound_html: str) -> None:
    assert attribute(tag_with_id(bound_html, "id_email"), "aria-describedby") == "id_email-hint id_email-error"
    assert attribute(tag_with_id(bound_html, "id_name"), "aria-describedby") == "id_name-error"
    assert '<fieldset class="nhsuk-fieldset" aria-describedby="id_contact-hint id_contact-error">' in bound_html
    assert "aria-describedby" not in tag_with_id(bound_html, "id_code")


def test_typed_values_are_kept(bound_html: str) -> None:
    assert attribute(tag_with_id(bound_html, "id_email"), "value") == "not-an-address"
    assert attribute(tag_with_id(bound_html, "id_code"), "value") == "12345"
    assert re.search(r'<textarea [^>]*id="id_notes"[^>]*>\s*conflict</textarea>', bound_html)
    assert " checked" in tag_with_id(bound_html, "id_days_1")
    assert " checked" not in tag_with_id(bound_html, "id_days_0")
    assert attribute(tag_with_id(bound_html, "id_name"), "autocomplete") == "name"


def test_crispy_tag_with_a_helper_wraps_the_form_and_renders_buttons() -> None:
    from crispy_forms.helper import FormHelper
    from crispy_forms.layout import Fieldset, Layout, Submit

    form = ExampleForm(data=BAD_DATA)
    helper = FormHelper()
    helper.layout = Layout(Fieldset("About you", "name", "email"), "contact")
    helper.add_input(Submit("save", "Save and continue"))
    html = Template("{% load crispy_forms_tags %}{% crispy form helper %}").render(
        Context({"form": form, "helper": helper})
    )

    assert re.search(r'<form method="post" novalidate>', html)
    assert html.index("nhsuk-error-summary") < html.index("<fieldset")
    assert '<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">About you</legend>' in html
    assert re.search(r'<button class="nhsuk-button" data-module="nhsuk-button"[^>]*type="submit"', html)
    assert ">Save and continue</button>" in html


# --- allauth pages ------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


@pytest.mark.django_db
def test_sign_in_page_is_nhsuk(client: Client) -> None:
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Sign in" in html
    assert '<h1 class="nhsuk-heading-l">' in html
    assert "nhsuk-input" in attribute(tag_with_id(html, "id_login"), "class")
    assert attribute(tag_with_id(html, "id_login"), "autocomplete") == "email"
    assert attribute(tag_with_id(html, "id_password"), "autocomplete") == "current-password"
    assert 'data-module="nhsuk-password-input"' in html
    assert re.search(r'<button class="nhsuk-button" data-module="nhsuk-button"[^>]*type="submit"', html)
    assert "nhsuk-error-summary" not in html


@pytest.mark.django_db
def test_failed_sign_in_shows_the_error_summary(client: Client) -> None:
    UserFactory(email="doctor@example.org")
    response = client.post(reverse("account_login"), {"login": "doctor@example.org", "password": "wrong-one"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="nhsuk-error-summary"' in html
    assert "There is a problem" in html
    assert attribute(tag_with_id(html, "id_login"), "value") == "doctor@example.org"


@pytest.mark.django_db
def test_sign_up_with_mismatched_passwords_shows_the_error_summary(client: Client) -> None:
    response = client.post(
        reverse("account_signup"),
        {"email": "new.doctor@example.org", "password1": "a-long-and-unusual-pass-1", "password2": "different-2"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="nhsuk-error-summary"' in html
    assert '<h2 class="nhsuk-error-summary__heading">There is a problem</h2>' in html
    assert '<a href="#id_password2">' in html
    assert "nhsuk-form-group nhsuk-password-input nhsuk-form-group--error" in html
    assert "nhsuk-input--error" in attribute(tag_with_id(html, "id_password2"), "class")
    assert "id_password2-error" in attribute(tag_with_id(html, "id_password2"), "aria-describedby")
    # The e-mail address typed is kept; passwords are never sent back.
    assert attribute(tag_with_id(html, "id_email"), "value") == "new.doctor@example.org"
    assert 'value="different-2"' not in html
    assert '<h1 class="nhsuk-heading-l">' in html


@pytest.mark.django_db
def test_sign_up_page_shows_password_rules_as_a_hint(client: Client) -> None:
    html = client.get(reverse("account_signup")).content.decode()
    assert '<div class="nhsuk-hint" id="id_password1-hint">' in html
    assert attribute(tag_with_id(html, "id_password1"), "aria-describedby") == "id_password1-hint"
    assert attribute(tag_with_id(html, "id_password1"), "autocomplete") == "new-password"


@pytest.fixture
def fresh_client(db: None) -> tuple[Client, User]:
    """Signed in and just reauthenticated, so allauth lets the member change MFA settings."""
    user = cast(User, UserFactory(email="member@example.org"))
    client = Client()
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client, user


@pytest.mark.django_db
def test_reauthentication_page_is_nhsuk() -> None:
    client = Client()
    client.force_login(cast(User, UserFactory(email="member@example.org")))
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    html = response.content.decode()
    assert '<h1 class="nhsuk-heading-l">' in html
    assert "nhsuk-password-input__input" in attribute(tag_with_id(html, "id_password"), "class")

    response = client.post(reverse("account_reauthenticate"), {"password": "not-my-password"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_password">' in html


def test_totp_activation_page_shows_the_qr_code_and_secret(fresh_client: tuple[Client, User]) -> None:
    client, _ = fresh_client
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="QR code[^"]+">', html)
    secret = tag_with_id(html, "authenticator_secret")
    assert attribute(secret, "value")
    assert "readonly" in secret
    assert '<div class="nhsuk-hint" id="authenticator_secret-hint">' in html
    assert "nhsuk-input" in attribute(tag_with_id(html, "id_code"), "class")
    assert attribute(tag_with_id(html, "id_code"), "autocomplete") == "one-time-code"


def test_wrong_totp_code_shows_the_error_summary(fresh_client: tuple[Client, User]) -> None:
    client, _ = fresh_client
    client.get(reverse("mfa_activate_totp"))
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="#id_code">' in html
    assert "nhsuk-input--error" in attribute(tag_with_id(html, "id_code"), "class")


@pytest.mark.parametrize(
    "url_name",
    ["account_email", "account_change_password", "mfa_index", "usersessions_list", "account_reset_password"],
)
def test_account_management_pages_are_nhsuk(fresh_client: tuple[Client, User], url_name: str) -> None:
    client, _ = fresh_client
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="nhsuk-heading-l">' in html
    assert "nhsuk-button" in html


@pytest.mark.django_db
def test_sessions_page_lists_sessions_in_an_nhsuk_table() -> None:
    UserFactory(email="member@example.org")
    client = Client()
    # Signing in through the form records the session that the page lists.
    client.post(reverse("account_login"), {"login": "member@example.org", "password": PASSWORD})
    html = client.get(reverse("usersessions_list")).content.decode()
    assert '<table class="nhsuk-table">' in html
    assert '<th class="nhsuk-table__header" scope="col">' in html
    assert "nhsuk-tag" in html  # the "Current" badge
    # Every column has a header cell, including the badge column allauth leaves without one.
    head = html[html.index("<thead") : html.index("</thead>")]
    first_row = html[html.index("<tbody") : html.index("</tr>", html.index("<tbody"))]
    assert head.count("<th ") == first_row.count("<td ") == 4
    assert '<span class="nhsuk-u-visually-hidden">Status</span></th>' in head


def test_mfa_overview_uses_cards(fresh_client: tuple[Client, User]) -> None:
    client, _ = fresh_client
    html = client.get(reverse("mfa_index")).content.decode()
    assert html.count('<section class="nhsuk-card">') == 2
    assert re.search(r'<a class="nhsuk-button" data-module="nhsuk-button" href="[^"]+totp/activate', html)
