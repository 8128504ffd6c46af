"""How the portal names one person to another: by their name, never their address, whatever `str(user)` falls back
to (sign-up asks only for an e-mail address, so a person may have no name yet)."""

import pytest
from django.template import Context, Template

from apps.accounts.models import FORMER_MEMBER, UNNAMED_MEMBER
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_person_without_a_name_is_a_member_of_the_portal_never_their_address() -> None:
    nameless = UserFactory(email="secret.address@example.org", first_name="", last_name="")
    assert str(nameless) == "secret.address@example.org"  # what admin pages and logs see
    assert nameless.display_name == UNNAMED_MEMBER
    page = Template("{% load people %}{{ person|member_name }}").render(Context({"person": nameless}))
    assert page == UNNAMED_MEMBER and "@" not in page


def test_a_named_person_and_a_former_member() -> None:
    named = UserFactory(email="ruth@example.org", first_name="Ruth", last_name="Adeyemi")
    assert named.display_name == "Ruth Adeyemi"
    template = Template("{% load people %}{{ a|member_name }}; {{ b|member_name }}")
    assert template.render(Context({"a": named, "b": None})) == f"Ruth Adeyemi; {FORMER_MEMBER}"
