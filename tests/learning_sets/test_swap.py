"""Swapping two people between draft sets in one step, when a move each way would be refused because both sets are
full: the same rules as a move, checked live as the organiser chooses (htmx) and again on the POST, and a refusal
that changes nothing and keeps the two people chosen."""

import re
from collections.abc import Sequence

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from apps.accounts.models import Role, User
from apps.learning_sets.models import Application, ApplicationStatus, Membership, Programme
from apps.learning_sets.models import ProgrammeStatus as Status
from apps.learning_sets.services.review import members_swap, swap_check
from apps.organisations.models import Organisation
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, UserFactory, grant

from .test_programmes import applicant, draft, make_programme

BOTH = ("tue-14:00", "wed-10:00")
PLACED = ("a1", "a2", "a3", "b1", "b2", "b3")


@pytest.fixture
def full_sets(organiser: User) -> dict[str, object]:
    """Two full sets of 3: set 1 on Tuesdays (a1 Xfield, a2 Yham, a3 Zton, who can only make Tuesdays), set 2 on
    Wednesdays (b1 Xfield, b2 Wby, b3 Vale); one more person, from Vale, not placed."""
    programme = make_programme(organiser, set_size_min=2, set_size_max=3)
    x, y, z, w, v = (
        OrganisationFactory(name=f"{name} NHS Trust") for name in ("Xfield", "Yham", "Zton", "Wby", "Vale")
    )

    def person(organisation: Organisation, slots: Sequence[str] = BOTH) -> Application:
        return applicant(programme, organisation=organisation, slots=slots)

    a1, a2, a3 = person(x), person(y), person(z, slots=("tue-14:00",))
    b1, b2, b3 = person(x), person(w), person(v)
    first, second = draft(programme, [("tue-14:00", [a1, a2, a3]), ("wed-10:00", [b1, b2, b3])])
    unplaced = person(v)
    Application.objects.filter(pk=unplaced.pk).update(status=ApplicationStatus.UNPLACED)
    return {
        "programme": programme, "first": first, "second": second,
        "a1": a1, "a2": a2, "a3": a3, "b1": b1, "b2": b2, "b3": b3, "unplaced": unplaced,
    }  # fmt: skip


def name(application: Application) -> str:
    """A person's name as the page shows it (Marian O'Connor is Marian O&#x27;Connor in the HTML)."""
    return escape(str(application.person))


def places() -> list[tuple[int, int]]:
    return sorted(Membership.objects.values_list("learning_set_id", "application_id"))


def check(client: Client, programme: Programme, first: object, second: object) -> str:
    url = reverse("learning_sets:swap_check", args=[programme.pk])
    response = client.get(url, {"first": first, "second": second}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_two_people_in_full_sets_are_swapped_in_one_step(organiser: User, full_sets: dict) -> None:
    programme, first, second = full_sets["programme"], full_sets["first"], full_sets["second"]
    a2, b2 = full_sets["a2"], full_sets["b2"]
    client = signed_in(organiser)
    move = client.post(reverse("learning_sets:move", args=[programme.pk, a2.pk]), {"target": second.pk})
    assert move.status_code == 400 and "set 2 is full, with 3 members" in move.content.decode()

    response = client.post(reverse("learning_sets:swap", args=[programme.pk]), {"first": a2.pk, "second": b2.pk})
    assert response["Location"] == reverse("learning_sets:review", args=[programme.pk])
    page = client.get(response["Location"]).content.decode()
    assert f"{name(a2)} is now in set 2 and {name(b2)} in set 1." in page
    assert Membership.objects.get(application=a2).learning_set == second
    assert Membership.objects.get(application=b2).learning_set == first
    assert Membership.objects.filter(learning_set=first).count() == 3
    assert Membership.objects.filter(learning_set=second).count() == 3
    assert set(Application.objects.filter(pk__in=[a2.pk, b2.pk]).values_list("status", flat=True)) == {"placed"}


def test_two_people_from_the_same_organisation_can_change_places(organiser: User, full_sets: dict) -> None:
    a1, b1 = full_sets["a1"], full_sets["b1"]  # both Xfield: each replaces the other
    assert swap_check(programme=full_sets["programme"], first=a1, second=b1).allowed
    members_swap(programme=full_sets["programme"], first_id=a1.pk, second_id=b1.pk, actor=organiser, now=a1.created_at)
    assert Membership.objects.get(application=a1).learning_set == full_sets["second"]


def test_the_live_check_names_every_rule_a_swap_would_break(organiser: User, full_sets: dict) -> None:
    programme = full_sets["programme"]
    client = signed_in(organiser)
    a1, a2, a3, b2 = full_sets["a1"], full_sets["a2"], full_sets["a3"], full_sets["b2"]
    assert "Allowed" in check(client, programme, a2.pk, b2.pk)

    refused = check(client, programme, a3.pk, b2.pk)
    assert "Not allowed" in refused
    assert f"{name(a3)} cannot make set 2&#x27;s time, Wednesday 10:00 to 12:00" in refused

    refused = check(client, programme, a1.pk, b2.pk)  # a1 would join b1, also from Xfield
    assert "someone else from Xfield NHS Trust is already in set 2" in refused

    assert "they are both in set 1" in check(client, programme, a1.pk, a2.pk)
    assert "choose two different people" in check(client, programme, a1.pk, a1.pk)
    unplaced = full_sets["unplaced"]
    assert f"{name(unplaced)} is not in a set: move them into one instead" in check(
        client, programme, unplaced.pk, a1.pk
    )
    assert "Choose two people to check the swap" in check(client, programme, a1.pk, "")
    assert "Choose two people to check the swap" in check(client, programme, "x", a1.pk)
    url = reverse("learning_sets:swap_check", args=[programme.pk])
    assert client.get(url, {"first": a1.pk, "second": "9" * 30}).status_code == 404


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("a3", "b2", "cannot make set 2&#x27;s time, Wednesday 10:00 to 12:00"),
        ("a1", "b2", "someone else from Xfield NHS Trust is already in set 2"),
        ("a1", "a2", "they are both in set 1"),
        ("a1", "a1", "choose two different people"),
        ("unplaced", "b2", "is not in a set: move them into one instead"),
        ("a1", "", "Choose the two people to swap."),
        ("a1", "x", "Choose the two people to swap."),
        ("a1", "²", "Choose the two people to swap."),  # isdigit() but not int()
        ("a1", 999_999, "Choose two people who applied to this programme."),
        ("a1", "9" * 30, "Choose two people who applied to this programme."),  # past the database's integers
    ],
)
def test_a_refused_swap_says_why_changes_nothing_and_keeps_the_choice(
    organiser: User, full_sets: dict, first: str, second: object, message: str
) -> None:
    programme = full_sets["programme"]
    ids = [full_sets[value].pk if value in full_sets else value for value in (first, second)]
    before = places()
    response = signed_in(organiser).post(
        reverse("learning_sets:swap", args=[programme.pk]), {"first": ids[0], "second": ids[1]}
    )
    page = response.content.decode()
    assert response.status_code == 400 and message in page, page
    assert "Nothing was changed" in page
    assert places() == before
    for name, id_ in zip((first, second), ids, strict=True):
        if name in PLACED:  # the organiser's choice is kept
            assert re.search(rf'<option value="{id_}" selected>', page), name
    assert '<details class="nhsuk-details" id="swap" open>' in page


def test_someone_from_another_programme_cannot_be_swapped_in(organiser: User, full_sets: dict) -> None:
    other = make_programme(organiser, name="Another programme")
    stranger = applicant(other, slots=BOTH)
    draft(other, [("tue-14:00", [stranger])])
    before = places()
    url = reverse("learning_sets:swap", args=[full_sets["programme"].pk])
    response = signed_in(organiser).post(url, {"first": stranger.pk, "second": full_sets["b2"].pk})
    assert response.status_code == 400 and "Choose two people who applied to this programme." in (
        response.content.decode()
    )
    assert places() == before
    check_url = reverse("learning_sets:swap_check", args=[full_sets["programme"].pk])
    assert signed_in(organiser).get(check_url, {"first": stranger.pk, "second": full_sets["b2"].pk}).status_code == 404


def test_published_sets_are_no_longer_swapped(organiser: User, full_sets: dict) -> None:
    programme = full_sets["programme"]
    Programme.objects.filter(pk=programme.pk).update(status=Status.RUNNING)
    before = places()
    client = signed_in(organiser)
    assert "Swap two people" not in client.get(reverse("learning_sets:review", args=[programme.pk])).content.decode()
    response = client.post(
        reverse("learning_sets:swap", args=[programme.pk]), {"first": full_sets["a2"].pk, "second": full_sets["b2"].pk}
    )
    assert response.status_code == 400 and "Only draft sets can be changed" in response.content.decode()
    assert places() == before


def test_only_the_programmes_organisers_can_swap_or_check(organiser: User, owner: User, full_sets: dict) -> None:
    programme = full_sets["programme"]
    another = UserFactory(email="another.organiser@example.org")
    grant(another, Role.ORGANISER)
    data = {"first": full_sets["a2"].pk, "second": full_sets["b2"].pk}
    before = places()
    for person, status in ((owner, 403), (another, 404)):
        client = signed_in(person)
        swapped = client.post(reverse("learning_sets:swap", args=[programme.pk]), data)
        checked = client.get(reverse("learning_sets:swap_check", args=[programme.pk]), data)
        for response in (swapped, checked):
            assert response.status_code == status, person
            assert name(full_sets["a2"]) not in response.content.decode()
    assert places() == before


def test_a_swap_needs_a_post(organiser: User, full_sets: dict) -> None:
    programme = full_sets["programme"]
    data = {"first": full_sets["a2"].pk, "second": full_sets["b2"].pk}
    assert signed_in(organiser).get(reverse("learning_sets:swap", args=[programme.pk]), data).status_code == 405
    assert signed_in(organiser).post(reverse("learning_sets:swap_check", args=[programme.pk]), data).status_code == 405


def test_the_review_page_offers_everyone_in_a_set_for_a_swap_grouped_by_set(organiser: User, full_sets: dict) -> None:
    page = signed_in(organiser).get(reverse("learning_sets:review", args=[full_sets["programme"].pk])).content.decode()
    form = page.split('id="swap"')[1].split("</details>")[0]
    assert 'hx-get="' + reverse("learning_sets:swap_check", args=[full_sets["programme"].pk]) in form
    assert form.count('<optgroup label="Set 1 (Tuesday 14:00 to 16:00)">') == 2  # one in each list
    assert form.count('<optgroup label="Set 2 (Wednesday 10:00 to 12:00)">') == 2
    assert f"{name(full_sets['a3'])}, Zton NHS Trust (set 1)" in form
    assert name(full_sets["unplaced"]) not in form  # someone not in a set is moved, not swapped
    assert "<details" in page and '<details class="nhsuk-details" id="swap" open>' not in page
