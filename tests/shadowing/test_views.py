"""The pages as the offerer, the requester, another member and someone signed out: another person's request is a
404 whatever they try, contact details appear only once a request is accepted, and bad input is a clear message
that changes nothing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.shadowing.models import RequestStatus, ShadowingOffer, ShadowingReflection, ShadowingRequest
from tests.conftest import signed_in
from tests.factories import year_plan
from tests.support.outbox import send_outbox

from .support import WHY, accepted, ask, make_offer, person_in_role

pytestmark = pytest.mark.django_db

OFFER = {"kind": "shadowing", "per_year": "4", "setting": "in_person", "who_may_ask": "anyone", "note": "Board day."}


@pytest.fixture
def md() -> User:
    return person_in_role("md@example.org")


@pytest.fixture
def offer(md: User) -> ShadowingOffer:
    return make_offer(md)


@pytest.fixture
def request_(offer: ShadowingOffer, owner: User) -> ShadowingRequest:
    return ask(offer, owner)


def request_urls(request: ShadowingRequest) -> dict[str, str]:
    return {
        name: reverse(f"shadowing:{name}", args=[request.pk])
        for name in ("request", "request_accept", "request_decline", "request_date", "request_withdraw", "reflection")
    }


# --- Offers ---------------------------------------------------------------------------------------------------------


def test_making_an_offer_through_the_form(md: User) -> None:
    client = signed_in(md)
    assert client.get(reverse("shadowing:offer_new")).status_code == 200
    response = client.post(reverse("shadowing:offer_new"), OFFER)
    assert response.status_code == 302 and response["Location"] == reverse("shadowing:offers")
    offer = ShadowingOffer.objects.get(person=md)
    assert (offer.kind, offer.per_year, offer.role_title) == ("shadowing", 4, "Medical Director")
    page = client.get(reverse("shadowing:offers")).content.decode()
    assert "A shadowing day" in page and "Open to requests" in page


@pytest.mark.parametrize(
    ("per_year", "message"), [("0", "Offer at least 1 a year"), ("500", "Offer no more than 50 a year")]
)
def test_an_offer_of_0_or_500_a_year_says_why_and_writes_nothing(md: User, per_year: str, message: str) -> None:
    response = signed_in(md).post(reverse("shadowing:offer_new"), {**OFFER, "per_year": per_year})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page and 'value="Board day."' not in page
    assert "Board day." in page  # what was typed is kept
    assert not ShadowingOffer.objects.exists()


def test_a_second_offer_of_the_same_kind_is_refused_on_the_page(md: User, offer: ShadowingOffer) -> None:
    response = signed_in(md).post(reverse("shadowing:offer_new"), OFFER)
    assert response.status_code == 400 and "You already offer a shadowing day" in response.content.decode()
    assert ShadowingOffer.objects.count() == 1


def test_pause_resume_withdraw_only_ones_own_offer(md: User, offer: ShadowingOffer, owner: User) -> None:
    for action in ("offer_pause", "offer_resume", "offer_withdraw", "offer_edit"):
        assert signed_in(owner).post(reverse(f"shadowing:{action}", args=[offer.pk]), OFFER).status_code == 404
    client = signed_in(md)
    client.post(reverse("shadowing:offer_pause", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.status == "paused"
    assert signed_in(owner).get(reverse("shadowing:request_new", args=[offer.pk])).status_code == 404
    client.post(reverse("shadowing:offer_resume", args=[offer.pk]))
    client.post(reverse("shadowing:offer_edit", args=[offer.pk]), {**OFFER, "per_year": "9"})
    client.post(reverse("shadowing:offer_withdraw", args=[offer.pk]))
    offer.refresh_from_db()
    assert (offer.status, offer.per_year) == ("withdrawn", 9)


# --- Browsing and asking ----------------------------------------------------------------------------------------------


def test_the_list_shows_live_offers_by_name_never_an_address(md: User, offer: ShadowingOffer, owner: User) -> None:
    paused = make_offer(person_in_role("paused@example.org"))
    paused.status = "paused"
    paused.save()
    make_offer(person_in_role("insider@example.org"), who_may_ask="inside")
    page = signed_in(owner).get(reverse("shadowing:browse")).content.decode()
    assert f"A shadowing day with {md}" in page and "1 offer" in page
    assert "@example.org" not in page.replace(owner.email, "")
    own = signed_in(md).get(reverse("shadowing:browse")).content.decode()
    assert f"with {md}" not in own  # not one's own


def test_filters_by_level_kind_and_region(offer: ShadowingOffer, owner: User) -> None:
    make_offer(
        person_in_role("cd@example.org", role="clinical_director", title="Clinical Director"), kind="conversation"
    )
    client = signed_in(owner)
    assert "Clinical Director" not in client.get(reverse("shadowing:browse"), {"level": "5"}).content.decode()
    page = client.get(reverse("shadowing:browse"), {"kind": "conversation"}).content.decode()
    assert "Clinical Director" in page and "Medical Director" not in page
    nonsense = client.get(reverse("shadowing:browse"), {"level": "99", "region": "x\x00"})
    assert nonsense.status_code == 200


def test_asking_through_the_form_tells_the_offerer_by_email(offer: ShadowingOffer, md: User, owner: User) -> None:
    client = signed_in(owner)
    assert client.get(reverse("shadowing:request_new", args=[offer.pk])).status_code == 200
    response = client.post(reverse("shadowing:request_new", args=[offer.pk]), {"why": WHY})
    made = ShadowingRequest.objects.get()
    assert response["Location"] == reverse("shadowing:request", args=[made.pk])
    send_outbox()
    [message] = mail.outbox
    assert message.to == [md.email] and str(owner) in message.subject
    assert owner.email not in message.body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"why": ""}, "Say why you would like to"),
        ({"why": "x" * 1001}, "Keep it to 1000 characters or fewer"),
        ({"why": WHY, "suggested_on": "2026-02-31"}, "Enter a real date"),
    ],
)
def test_a_request_without_a_good_reason_says_why_and_writes_nothing(
    offer: ShadowingOffer, owner: User, data: dict[str, str], message: str
) -> None:
    response = signed_in(owner).post(reverse("shadowing:request_new", args=[offer.pk]), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ShadowingRequest.objects.exists()


def test_asking_oneself_is_a_404_and_beyond_the_limit_a_message(md: User, owner: User, colleague: User) -> None:
    offer = make_offer(md, per_year=1)
    assert signed_in(md).post(reverse("shadowing:request_new", args=[offer.pk]), {"why": WHY}).status_code == 404
    ask(offer, colleague)
    client = signed_in(owner)
    assert "No places left this year" in client.get(reverse("shadowing:browse")).content.decode()
    assert "has no places left" in client.get(reverse("shadowing:request_new", args=[offer.pk])).content.decode()
    response = client.post(reverse("shadowing:request_new", args=[offer.pk]), {"why": WHY})
    assert response.status_code == 400 and "has no places left" in response.content.decode()
    assert ShadowingRequest.objects.count() == 1


# --- A request's pages ----------------------------------------------------------------------------------------------


def test_the_offerer_accepts_and_then_each_sees_how_to_reach_the_other(
    request_: ShadowingRequest, md: User, owner: User
) -> None:
    urls = request_urls(request_)
    page = signed_in(md).get(urls["request"]).content.decode()
    assert WHY in page and owner.email not in page and "Accept" in page
    assert md.email not in signed_in(owner).get(urls["request"]).content.decode()

    day = timezone.localdate() + timedelta(days=20)
    response = signed_in(md).post(
        urls["request_accept"], {"accept-agreed_on": day.isoformat(), "accept-message": "Yes"}
    )
    assert response.status_code == 302
    request_.refresh_from_db()
    assert (request_.status, request_.agreed_on) == (RequestStatus.ACCEPTED, day)
    assert owner.email in signed_in(md).get(urls["request"]).content.decode()
    assert md.email in signed_in(owner).get(urls["request"]).content.decode()


def test_another_member_gets_404_on_every_page_of_a_request(request_: ShadowingRequest, colleague: User) -> None:
    client = signed_in(colleague)
    for url in request_urls(request_).values():
        # GET-only and POST-only pages answer the other method 405 before looking; the rest is 404.
        assert client.get(url).status_code in (404, 405)
        assert client.post(url, {"accept-message": "", "why": "x"}).status_code in (404, 405)
    assert client.get(request_urls(request_)["request"]).status_code == 404
    assert client.post(request_urls(request_)["request_accept"], {}).status_code == 404
    request_.refresh_from_db()
    assert request_.status == RequestStatus.PENDING


def test_the_requester_cannot_answer_and_the_offerer_cannot_withdraw(
    request_: ShadowingRequest, md: User, owner: User
) -> None:
    urls = request_urls(request_)
    assert signed_in(owner).post(urls["request_accept"], {}).status_code == 404
    assert signed_in(owner).post(urls["request_decline"], {}).status_code == 404
    assert signed_in(md).post(urls["request_withdraw"]).status_code == 404
    assert signed_in(md).get(urls["reflection"]).status_code == 404
    request_.refresh_from_db()
    assert request_.status == RequestStatus.PENDING


def test_signed_out_people_are_sent_to_sign_in(request_: ShadowingRequest) -> None:
    for url in [reverse("shadowing:browse"), reverse("shadowing:requests"), *request_urls(request_).values()]:
        response = Client().get(url)
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("account_login"))


def test_wrong_methods(request_: ShadowingRequest, md: User) -> None:
    client = signed_in(md)
    assert client.get(reverse("shadowing:request_accept", args=[request_.pk])).status_code == 405
    assert client.post(reverse("shadowing:browse")).status_code == 405
    assert client.put(reverse("shadowing:request", args=[request_.pk])).status_code == 405


def test_a_date_in_the_past_on_accepting_says_why_and_changes_nothing(request_: ShadowingRequest, md: User) -> None:
    url = reverse("shadowing:request_accept", args=[request_.pk])
    response = signed_in(md).post(url, {"accept-agreed_on": str(timezone.localdate() - timedelta(days=1))})
    assert response.status_code == 400 and "Choose a date after today" in response.content.decode()
    request_.refresh_from_db()
    assert request_.status == RequestStatus.PENDING


def test_declining_with_a_message(request_: ShadowingRequest, md: User, owner: User) -> None:
    signed_in(md).post(reverse("shadowing:request_decline", args=[request_.pk]), {"decline-message": "Try in spring"})
    request_.refresh_from_db()
    assert request_.status == RequestStatus.DECLINED
    page = signed_in(owner).get(reverse("shadowing:request", args=[request_.pk])).content.decode()
    assert "Try in spring" in page and md.email not in page


def test_the_requester_withdraws(request_: ShadowingRequest, owner: User) -> None:
    response = signed_in(owner).post(reverse("shadowing:request_withdraw", args=[request_.pk]))
    assert response.status_code == 302
    request_.refresh_from_db()
    assert request_.status == RequestStatus.WITHDRAWN


def test_the_reflection_page_adds_it_to_a_plan(offer: ShadowingOffer, owner: User) -> None:
    request = accepted(offer, owner)
    plan = year_plan(owner)
    url = reverse("shadowing:reflection", args=[request.pk])
    client = signed_in(owner)
    assert "Add it to a development plan?" in client.get(url).content.decode()
    parts = {"title": "Board day", "what_happened": "w", "so_what": "s", "now_what": "n"}
    bad = client.post(url, {**parts, "plan": "999999"})
    assert bad.status_code == 400 and "Choose one of your plans from the list" in bad.content.decode()
    assert not ShadowingReflection.objects.exists()
    assert client.post(url, {**parts, "plan": str(plan.pk)}).status_code == 302
    assert ShadowingReflection.objects.get().plan_reflection.plan == plan  # type: ignore[union-attr]
    assert "your development plan" in client.get(url).content.decode()
