"""Every buddies page as the organiser, a member and an outsider; wrong methods; bad input (a clear message and
nothing changed); query counts of the list pages."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.buddies.models import BuddyPair, Cohort, CohortMember, CohortStatus, PairStatus
from apps.buddies.services import cohort_create, cohort_pair, cohort_publish
from tests.buddies.factories import join, md
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(organiser: User) -> Cohort:
    return cohort_create(name="New MDs, winter 2026", actor=organiser, now=timezone.now())


@pytest.fixture
def draft(cohort: Cohort, organiser: User) -> Cohort:
    ann = md("Ann")
    for person in (ann, md("Bob"), md("Cat"), md("Zed", organisation=ann.profile.organisation)):
        join(cohort, person)
    cohort_pair(cohort=cohort, actor=organiser, now=timezone.now())
    cohort.refresh_from_db()
    return cohort


def url(name: str, *args: int) -> str:
    return reverse(f"buddies:{name}", args=args)


# The organiser's pages.


def test_the_organiser_opens_a_cohort(organiser: User) -> None:
    response = signed_in(organiser).post(url("cohorts"), {"name": "Spring 2027"})
    cohort = Cohort.objects.get()
    assert response.status_code == 302 and response["Location"] == url("cohort", cohort.pk)
    assert (cohort.name, cohort.status, cohort.created_by) == ("Spring 2027", CohortStatus.OPEN, organiser)


@pytest.mark.parametrize(
    ("data", "message"),
    [({"name": ""}, "Enter a name for the cohort"), ({"name": "x" * 151}, "Keep the name under 150 characters")],
)
def test_a_cohort_needs_a_name(organiser: User, data: dict[str, str], message: str) -> None:
    response = signed_in(organiser).post(url("cohorts"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Cohort.objects.exists()


def test_members_and_outsiders_cannot_see_or_run_cohorts(owner: User, outsider: User, cohort: Cohort) -> None:
    for person in (owner, outsider):
        client = signed_in(person)
        assert client.get(url("cohorts")).status_code == 403
        assert client.post(url("cohorts"), {"name": "Mine"}).status_code == 403
        assert client.get(url("cohort", cohort.pk)).status_code == 403
        for name in ("run_pairing", "publish", "member_new", "pair_new"):
            assert client.post(url(name, cohort.pk)).status_code == 403
    assert Cohort.objects.count() == 1 and Cohort.objects.get().status == CohortStatus.OPEN
    assert Client().get(url("cohorts")).status_code == 302  # to sign in


def test_an_unknown_cohort_or_pair_is_a_404(organiser: User, draft: Cohort) -> None:
    client = signed_in(organiser)
    assert client.get(url("cohort", draft.pk + 100)).status_code == 404
    assert client.post(url("publish", draft.pk + 100)).status_code == 404
    other = cohort_create(name="Other", actor=organiser, now=timezone.now())
    pair = draft.pairs.first()
    assert pair is not None
    assert client.post(url("pair_delete", other.pk, pair.pk)).status_code == 404
    assert BuddyPair.objects.filter(pk=pair.pk).exists()


@pytest.mark.parametrize(
    ("name", "method"),
    [("cohort", "post"), ("run_pairing", "get"), ("publish", "get"), ("member_new", "get"), ("pair_new", "get")],
)
def test_wrong_methods_are_refused(organiser: User, cohort: Cohort, name: str, method: str) -> None:
    assert getattr(signed_in(organiser), method)(url(name, cohort.pk)).status_code == 405


def test_wrong_methods_on_the_member_pages(owner: User) -> None:
    client = signed_in(owner)
    assert client.post(url("mine")).status_code == 405
    assert client.get(url("join")).status_code == 405
    assert client.get(url("move", 1)).status_code == 405
    assert client.delete(url("cohorts")).status_code in (403, 405)


def test_the_organiser_adds_a_person(organiser: User, cohort: Cohort) -> None:
    ann = md("Ann")
    response = signed_in(organiser).post(
        url("member_new", cohort.pk), {"email": "ANN@example.org", "started_in_role": "2026-09-01"}
    )
    assert response.status_code == 302
    member = CohortMember.objects.get()
    assert (member.user, member.started_in_role, member.added_by) == (ann, date(2026, 9, 1), organiser)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "nobody@example.org", "started_in_role": "2026-09-01"}, "Nobody with that e-mail address"),
        ({"email": "not an address", "started_in_role": "2026-09-01"}, "Enter a real e-mail address"),
        ({"email": "ann@example.org", "started_in_role": "someday"}, "Enter a real date"),
        ({"email": "ann@example.org", "started_in_role": "2030-01-01"}, "cannot be in the future"),
        ({"email": "ann@example.org", "started_in_role": "1900-01-01"}, "1950"),
        ({}, "Enter their e-mail address"),
    ],
)
def test_adding_a_person_is_checked(organiser: User, cohort: Cohort, data: dict[str, str], message: str) -> None:
    md("Ann")
    response = signed_in(organiser).post(url("member_new", cohort.pk), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not CohortMember.objects.exists()


def test_the_organiser_runs_pairing_and_reviews_each_pair(organiser: User, cohort: Cohort) -> None:
    for name in ("Ann", "Bob", "Cat"):
        join(cohort, md(name))
    client = signed_in(organiser)

    response = client.post(url("run_pairing", cohort.pk), follow=True)

    page = response.content.decode()
    assert "Paired: 1 pair, 1 without a buddy" in page
    assert "Same sector (Mental health)" in page and "Without a buddy" in page
    assert "An odd number of people at this leadership level" in page
    assert Cohort.objects.get().status == CohortStatus.DRAFT


def test_pairing_a_cohort_of_one_says_why(organiser: User, cohort: Cohort) -> None:
    join(cohort, md("Ann"))
    response = signed_in(organiser).post(url("run_pairing", cohort.pk), follow=True)
    assert "A cohort needs at least two people" in response.content.decode()
    assert Cohort.objects.get().status == CohortStatus.OPEN


def test_the_organiser_unpairs_and_pairs_by_hand(organiser: User, draft: Cohort) -> None:
    client = signed_in(organiser)
    for pair in list(draft.pairs.all()):
        assert client.post(url("pair_delete", draft.pk, pair.pk)).status_code == 302
    ann, bob = User.objects.get(first_name="Ann"), User.objects.get(first_name="Bob")

    response = client.post(url("pair_new", draft.pk), {"first": ann.pk, "second": bob.pk})

    assert response.status_code == 302
    pair = BuddyPair.objects.get()
    assert {pair.first_id, pair.second_id} == {ann.pk, bob.pk} and pair.paired_by_hand


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("Ann", "Ann", "A person cannot be their own buddy"),
        ("Ann", "Zed", "Both work at Ann NHS Foundation Trust"),
        ("Ann", "Bob", "is already paired: unpair them first"),
        ("Ann", "", "Choose the second person"),
        ("Ann", "999999", "Choose someone from the list"),
        ("Ann", "abc", "Choose someone from the list"),
    ],
)
def test_pairing_by_hand_is_refused_with_a_clear_message(
    organiser: User, draft: Cohort, first: str, second: str, message: str
) -> None:
    ids = {u.first_name: str(u.pk) for u in User.objects.all()}
    if message != "is already paired: unpair them first":
        draft.pairs.all().delete()
    before = list(BuddyPair.objects.values_list("pk", "first_id", "second_id"))

    response = signed_in(organiser).post(
        url("pair_new", draft.pk), {"first": ids[first], "second": ids.get(second, second)}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(BuddyPair.objects.values_list("pk", "first_id", "second_id")) == before


def test_changing_an_open_cohort_says_to_run_pairing_first(organiser: User, cohort: Cohort) -> None:
    response = signed_in(organiser).post(url("publish", cohort.pk), follow=True)
    assert "Run pairing first" in response.content.decode()
    assert Cohort.objects.get().status == CohortStatus.OPEN


def test_the_organiser_publishes(organiser: User, draft: Cohort) -> None:
    response = signed_in(organiser).post(url("publish", draft.pk), follow=True)
    assert "Published: everyone has been told" in response.content.decode()
    assert set(BuddyPair.objects.values_list("status", flat=True)) == {PairStatus.PUBLISHED}
    again = signed_in(organiser).post(url("publish", draft.pk), follow=True)
    assert "can no longer be changed" in again.content.decode()


# A member's page.


def test_a_member_sees_their_buddy_name_organisation_and_why(organiser: User, draft: Cohort) -> None:
    cohort_publish(cohort=draft, actor=organiser, now=timezone.now())
    ann = User.objects.get(first_name="Ann")
    pair = BuddyPair.objects.get(id__in=BuddyPair.objects.filter(first=ann) | BuddyPair.objects.filter(second=ann))
    buddy = pair.second if pair.first_id == ann.pk else pair.first

    page = signed_in(ann).get(url("mine")).content.decode()

    assert buddy.display_name in page and f"{buddy.first_name} NHS Foundation Trust" in page
    assert pair.explanation in page


def test_a_draft_is_not_shown_to_members(draft: Cohort) -> None:
    page = signed_in(User.objects.get(first_name="Ann")).get(url("mine")).content.decode()
    assert "You do not have a buddy yet." in page


def test_an_outsider_sees_no_one_elses_buddy(organiser: User, draft: Cohort, outsider: User) -> None:
    cohort_publish(cohort=draft, actor=organiser, now=timezone.now())
    page = signed_in(outsider).get(url("mine")).content.decode()
    assert "You do not have a buddy yet." in page
    assert "Ann Doctor" not in page and "Bob Doctor" not in page


def test_a_member_joins_an_open_cohort(cohort: Cohort) -> None:
    ann = md("Ann")
    response = signed_in(ann).post(url("join"), {"cohort": cohort.pk, "started_in_role": "2026-08-01"})
    assert response.status_code == 302
    assert CohortMember.objects.get().user == ann


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"started_in_role": "2026-08-01"}, "Choose a cohort"),
        ({"cohort": "999999", "started_in_role": "2026-08-01"}, "Choose an open cohort from the list"),
        ({"cohort": "x", "started_in_role": "2026-08-01"}, "Choose an open cohort from the list"),
        ({"cohort": "OWN", "started_in_role": ""}, "Enter when you started in the role"),
        ({"cohort": "OWN", "started_in_role": "2031-01-01"}, "cannot be in the future"),
    ],
)
def test_joining_is_checked(cohort: Cohort, data: dict[str, str], message: str) -> None:
    if data.get("cohort") == "OWN":
        data = {**data, "cohort": str(cohort.pk)}
    response = signed_in(md("Ann")).post(url("join"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not CohortMember.objects.exists()


def test_a_closed_cohort_cannot_be_joined(draft: Cohort) -> None:
    response = signed_in(md("Late")).post(url("join"), {"cohort": draft.pk, "started_in_role": "2026-08-01"})
    assert response.status_code == 400 and "Choose an open cohort from the list" in response.content.decode()


def test_the_odd_one_out_moves_to_the_next_cohort(organiser: User, cohort: Cohort) -> None:
    for name in ("Ann", "Bob", "Cat"):
        join(cohort, md(name))
    cohort_pair(cohort=cohort, actor=organiser, now=timezone.now())
    cohort_publish(cohort=cohort, actor=organiser, now=timezone.now())
    left = CohortMember.objects.get(left_out_reason__startswith="An odd number")
    client = signed_in(left.user)
    page = client.get(url("mine")).content.decode()
    assert "There was no buddy for you" in page and "No other cohort is open yet" in page
    spring = cohort_create(name="Spring", actor=organiser, now=timezone.now())
    assert "Move to the next cohort" in client.get(url("mine")).content.decode()

    response = client.post(url("move", left.pk), follow=True)

    assert "You are now in “Spring”." in response.content.decode()
    assert CohortMember.objects.filter(cohort=spring, user=left.user).exists()


def test_nobody_moves_another_persons_membership(organiser: User, cohort: Cohort, owner: User) -> None:
    member = join(cohort, md("Ann"))
    assert signed_in(owner).post(url("move", member.pk)).status_code == 404
    assert CohortMember.objects.count() == 1


# Query counts of the list pages.


def test_the_cohort_list_makes_the_same_queries_however_many_cohorts(
    organiser: User, django_assert_num_queries: object
) -> None:
    for n in range(6):
        cohort = cohort_create(name=f"Cohort {n}", actor=organiser, now=timezone.now())
        join(cohort, md(f"P{n}"))
    client = signed_in(organiser)
    client.get(url("cohorts"))  # warm the session
    # 1 session, 2 user, 3 roles, 4 the cohorts with their counts, 5 the header's unread reminders
    with django_assert_num_queries(5):  # type: ignore[operator]
        response = client.get(url("cohorts"))
    assert response.content.decode().count("nhsuk-tag") == 6


def test_the_review_page_makes_the_same_queries_however_many_pairs(
    organiser: User, cohort: Cohort, django_assert_num_queries: object
) -> None:
    for n in range(12):
        join(cohort, md(f"P{n}"))
    cohort_pair(cohort=cohort, actor=organiser, now=timezone.now())
    client = signed_in(organiser)
    client.get(url("cohort", cohort.pk))  # warm the session
    # 1 session, 2 user, 3 roles, 4 the cohort with its counts, 5 members with their profiles, 6 pairs with both
    # people, 7 the header's unread reminders
    with django_assert_num_queries(7):  # type: ignore[operator]
        response = client.get(url("cohort", cohort.pk))
    assert response.content.decode().count("Unpair<") == 6


def test_the_member_page_makes_the_same_queries_however_many_cohorts(
    organiser: User, django_assert_num_queries: object
) -> None:
    ann = md("Ann")
    for n in range(3):
        cohort = cohort_create(name=f"Cohort {n}", actor=organiser, now=timezone.now())
        join(cohort, ann)
        join(cohort, md(f"P{n}"))
        cohort_pair(cohort=cohort, actor=organiser, now=timezone.now())
        cohort_publish(cohort=cohort, actor=organiser, now=timezone.now())
    cohort_create(name="Open", actor=organiser, now=timezone.now())
    client = signed_in(ann)
    client.get(url("mine"))  # warm the session
    # 1 session, 2 user, 3 published pairs with both people and the cohort, 4 memberships with their cohorts,
    # 5 open cohorts, 6 roles, 7 whether any cohort is open (the join form), 8 the join form's cohorts, 9 the
    # header's unread reminders
    with django_assert_num_queries(9):  # type: ignore[operator]
        response = client.get(url("mine"))
    assert response.content.decode().count("Why you were paired") == 3
