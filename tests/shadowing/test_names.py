"""Who sees whose e-mail address. Sign-up asks only for an address, and `str(user)` falls back to it when there is
no name: so nobody without a name asks or offers, and the pages, messages and reminders of "talk to someone in the
role" name people through `display_name`, never `str(user)`. The address shows only on an accepted request."""

import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.models import Reminder
from apps.shadowing.models import ShadowingOffer, ShadowingRequest
from apps.shadowing.names import NEEDS_NAME, UNNAMED, display_name
from apps.shadowing.services import ShadowingError, request_accept, request_create
from tests.conftest import signed_in

from .support import WHY, ask, make_offer, person_in_role

pytestmark = pytest.mark.django_db

OFFER = {"kind": "shadowing", "per_year": "4", "setting": "in_person", "who_may_ask": "anyone", "note": "Board day."}
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def nameless(user: User) -> User:
    User.objects.filter(pk=user.pk).update(first_name="", last_name="")
    user.refresh_from_db()
    return user


def seen_by(viewer: User, client: Client, url: str) -> str:
    """The whole page `viewer` gets, less their own address (the header may show it to them) and the portal's
    (the footer's "Contact us")."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode().replace(viewer.email, "").replace(settings.PORTAL_CONTACT_EMAIL, "")


def test_display_name_is_the_name_or_a_member_of_the_portal_never_the_address() -> None:
    named = person_in_role("named@example.org")
    assert display_name(named) == named.full_name and "@" not in display_name(named)
    assert display_name(nameless(person_in_role("nobody@example.org"))) == UNNAMED == "A member of the portal"
    assert display_name(None) == UNNAMED


def test_someone_with_no_name_cannot_ask_and_nothing_is_written(owner: User) -> None:
    offer = make_offer(person_in_role("md@example.org"))
    asker = nameless(owner)
    with pytest.raises(ShadowingError) as refused:
        request_create(offer_id=offer.pk, requester=asker, why=WHY, suggested_on=None, now=timezone.now())
    assert str(refused.value) == NEEDS_NAME
    assert str(refused.value) == "Add your name to your profile first: the person you ask sees your name and role."
    assert not ShadowingRequest.objects.exists() and not Reminder.objects.exists()


def test_the_ask_page_sends_someone_with_no_name_to_their_profile(owner: User) -> None:
    offer = make_offer(person_in_role("md@example.org"))
    client = signed_in(nameless(owner))
    url = reverse("shadowing:request_new", args=[offer.pk])
    page = client.get(url).content.decode()
    assert NEEDS_NAME in page and f'href="{reverse("profiles:edit")}"' in page
    assert "Send your request" not in page
    response = client.post(url, {"why": WHY})
    assert response.status_code == 400
    assert NEEDS_NAME in response.content.decode() and reverse("profiles:edit") in response.content.decode()
    assert not ShadowingRequest.objects.exists() and not Reminder.objects.exists()


def test_someone_with_no_name_cannot_offer_and_nothing_is_written() -> None:
    md = nameless(person_in_role("md@example.org"))
    with pytest.raises(ShadowingError) as refused:
        make_offer(md)
    assert str(refused.value) == NEEDS_NAME
    client = signed_in(md)
    page = client.get(reverse("shadowing:offer_new")).content.decode()
    assert "Add your name to your profile first" in page and f'href="{reverse("profiles:edit")}"' in page
    response = client.post(reverse("shadowing:offer_new"), OFFER)
    assert response.status_code == 400 and reverse("profiles:edit") in response.content.decode()
    assert not ShadowingOffer.objects.exists()


def test_no_address_is_shown_or_sent_before_a_yes_and_the_other_address_is_after(owner: User) -> None:
    """People who asked or offered before they lost their name (an older account) are named, never addressed."""
    md = person_in_role("md@example.org")
    offer = make_offer(md)
    request = ask(offer, owner, suggested_on=timezone.localdate() + timedelta(days=7))
    md, owner = nameless(md), nameless(owner)
    offerer, requester = signed_in(md), signed_in(owner)
    request_page = reverse("shadowing:request", args=[request.pk])
    pages = [
        (owner, requester, reverse("shadowing:browse")),
        (owner, requester, reverse("shadowing:request_new", args=[offer.pk])),
        (owner, requester, reverse("shadowing:requests")),
        (owner, requester, request_page),
        (md, offerer, reverse("shadowing:offers")),
        (md, offerer, request_page),
    ]
    for viewer, client, url in pages:
        page = seen_by(viewer, client, url)
        assert "@" not in page, (url, ADDRESS.findall(page))
    assert "A member of the portal asks for a shadowing day" in seen_by(md, offerer, request_page)
    assert "@" not in json.dumps(list(Reminder.objects.values_list("context", flat=True)))

    day = timezone.localdate() + timedelta(days=7)
    request_accept(request_id=request.pk, offerer=md, agreed_on=day, message="Yes.", now=timezone.now())
    assert f'href="mailto:{owner.email}"' in seen_by(md, offerer, request_page)
    assert f'href="mailto:{md.email}"' in seen_by(owner, requester, request_page)
    named = Reminder.objects.exclude(kind="shadowing_request_received").values_list("kind", "context")
    assert {kind for kind, _ in named} == {
        "shadowing_request_accepted",
        "shadowing_day_before",
        "shadowing_how_did_it_go",
    }
    assert all(context["other_name"] == "A member of the portal" for _, context in named)
    assert "@" not in json.dumps(list(Reminder.objects.values_list("context", flat=True)))
    for viewer, client, url in pages:  # only the accepted request's page shows the other's address
        if url != request_page:
            assert "@" not in seen_by(viewer, client, url), url


def test_the_messages_after_an_answer_name_people_without_their_address(owner: User) -> None:
    md = person_in_role("md@example.org")
    request = ask(make_offer(md), owner)
    md, owner = nameless(md), nameless(owner)
    client = signed_in(md)
    response = client.post(reverse("shadowing:request_accept", args=[request.pk]), {"accept-message": "Yes"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "You said yes. A member of the portal is told" in page
