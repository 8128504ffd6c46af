"""Mentors state their offer (capacity 1–4, pausable); mentees state their request and whom to avoid."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role, User
from apps.mentoring.models import MentoringRequest, MentorOffer, RequestStatus
from tests.conftest import signed_in
from tests.factories import ProfileFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentor(db: None) -> User:
    user = ProfileFactory(user__email="md@example.org").user
    grant(user, Role.MENTOR)
    return user


def offer_data(**changes: object) -> dict[str, object]:
    data = {"capacity": "3", "kind": "both", "modes": ["video", "phone"], "outside_own_organisation": "on"}
    data.update(changes)
    return data


def request_data(**changes: object) -> dict[str, object]:
    data = {
        "kind": "mentor",
        "focus_text": "Preparing for a deputy MD interview",
        "outside": "required",
        "sector_preference": "same",
        "modes": ["video"],
        "line_manager_email": "Boss@Example.org",
        "excluded_emails": "rival@example.org\nex.colleague@example.org",
    }
    data.update(changes)
    return data


def test_a_mentor_makes_and_pauses_an_offer(mentor: User) -> None:
    client = signed_in(mentor)
    assert client.post(reverse("mentoring:offer"), offer_data()).status_code == 302
    offer = MentorOffer.objects.get()
    assert (offer.capacity, offer.kind, offer.modes) == (3, "both", ["phone", "video"])
    client.post(reverse("mentoring:offer"), offer_data(paused="on"))
    assert MentorOffer.objects.get().paused


@pytest.mark.parametrize(
    ("capacity", "message"), [("0", "at least 1"), ("50", "no more than 4"), ("two", "whole number")]
)
def test_capacity_outside_one_to_four_is_refused(mentor: User, capacity: str, message: str) -> None:
    response = signed_in(mentor).post(reverse("mentoring:offer"), offer_data(capacity=capacity))
    assert response.status_code == 400 and message in response.content.decode()
    assert not MentorOffer.objects.exists()


def test_a_member_without_the_mentor_role_cannot_offer(owner: User) -> None:
    client = signed_in(owner)
    assert client.get(reverse("mentoring:offer")).status_code == 302
    assert client.post(reverse("mentoring:offer"), offer_data()).status_code == 302
    assert not MentorOffer.objects.exists()


def test_a_mentee_asks_and_names_whom_to_avoid(owner: User) -> None:
    assert signed_in(owner).post(reverse("mentoring:request"), request_data()).status_code == 302
    request = MentoringRequest.objects.get()
    assert request.line_manager_email == "boss@example.org"
    assert request.excluded_emails == ["ex.colleague@example.org", "rival@example.org"]
    assert request.status == RequestStatus.OPEN


def test_asking_again_changes_the_open_request(owner: User) -> None:
    client = signed_in(owner)
    client.post(reverse("mentoring:request"), request_data())
    client.post(reverse("mentoring:request"), request_data(focus_text="Board presence"))
    assert MentoringRequest.objects.get().focus_text == "Board presence"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"excluded_emails": "owner@example.org"}, "You cannot name yourself"),
        ({"line_manager_email": "owner@example.org"}, "You cannot name yourself"),
        ({"excluded_emails": "not an address"}, "is not an e-mail address"),
        ({"focus_text": ""}, "Say what you would like help with"),
        ({"modes": []}, "Choose at least one way to meet"),
        ({"outside": "sometimes"}, "Select a valid choice"),
    ],
)
def test_bad_requests_are_refused_and_what_was_typed_is_kept(
    owner: User, changes: dict[str, object], message: str
) -> None:
    response = signed_in(owner).post(reverse("mentoring:request"), request_data(**changes))
    assert response.status_code == 400 and message in response.content.decode()
    assert not MentoringRequest.objects.exists()


def test_withdrawing(owner: User, colleague: User) -> None:
    signed_in(owner).post(reverse("mentoring:request"), request_data())
    signed_in(colleague).post(reverse("mentoring:withdraw"))  # has none: touches nothing of the owner's
    assert MentoringRequest.objects.get().status == RequestStatus.OPEN
    signed_in(owner).post(reverse("mentoring:withdraw"))
    assert MentoringRequest.objects.get().status == RequestStatus.WITHDRAWN


def test_pages_need_sign_in_and_methods(client: Client, owner: User) -> None:
    for name in ("mentoring:home", "mentoring:offer", "mentoring:request"):
        assert client.get(reverse(name)).status_code == 302
    assert signed_in(owner).get(reverse("mentoring:withdraw")).status_code == 405


@pytest.mark.django_db
def test_changing_what_you_ask_for_changes_the_request_rather_than_opening_another(owner: User) -> None:
    from apps.mentoring.models import MentoringRequest

    client = signed_in(owner)
    data = {"focus_text": "Board work", "outside": "preferred", "sector_preference": "either", "modes": ["video"]}
    client.post(reverse("mentoring:request"), {**data, "kind": "mentor"})
    client.post(reverse("mentoring:request"), {**data, "kind": "coach"})
    request = MentoringRequest.objects.get(mentee=owner, status="open")
    assert request.kind == "coach"
