"""A person's role history: theirs alone (another person's entry is a 404), dates in order and not overlapping,
and their choice to count it in the anonymous routes, which starts as no."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.careers.models import RoleHistoryEntry, RoutesConsent
from apps.careers.services import CareersError
from apps.careers.services.history import history_add, history_delete, history_update, routes_consent_set
from tests.conftest import signed_in
from tests.support.races import race

pytestmark = pytest.mark.django_db
URL = "/careers/my-history/"


def answer(**changes: str) -> dict[str, str]:
    data = {
        "title": "Clinical director, surgery",
        "step": "clinical_director",
        "level": "2",
        "organisation_kind": "foundation_trust",
        "sector": "",
        "started_on": "2019-04-01",
        "ended_on": "2023-03-31",
    }
    return {**data, **changes}


def entry(owner: User, start: date, end: date | None, title: str = "Clinical lead") -> RoleHistoryEntry:
    return history_add(
        owner=owner,
        title=title,
        step="clinical_lead",
        level=1,
        organisation_kind="",
        sector=None,
        started_on=start,
        ended_on=end,
        now=timezone.now(),
    )


def test_the_owner_adds_a_role_and_sees_it(owner: User) -> None:
    client = signed_in(owner)
    response = client.post(URL, answer())
    assert response.status_code == 302
    [saved] = RoleHistoryEntry.objects.filter(owner=owner)
    assert (saved.step, saved.level, saved.started_on, saved.ended_on) == (
        "clinical_director",
        2,
        date(2019, 4, 1),
        date(2023, 3, 31),
    )
    page = client.get(URL).content.decode()
    assert "Clinical director, surgery" in page and "Apr 2019 to Mar 2023" in page


def test_a_current_role_has_no_end(owner: User) -> None:
    signed_in(owner).post(URL, answer(ended_on=""))
    assert RoleHistoryEntry.objects.get(owner=owner).ended_on is None
    assert "to now" in signed_in(owner).get(URL).content.decode()


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"started_on": "2023-04-01", "ended_on": "2019-03-31"}, "The end date must be on or after the start date"),
        ({"started_on": "2027-06-01", "ended_on": ""}, "The start date must be today or in the past"),
        ({"ended_on": "2027-06-01"}, "leave it empty if you are still in the role"),
        ({"started_on": "2020-01-01", "ended_on": "2021-01-01"}, "These dates overlap your role “Clinical lead”"),
        ({"started_on": "2010-01-01", "ended_on": ""}, "These dates overlap"),  # runs to today, across the other
        ({"step": "astronaut"}, "Choose a kind of role from the list"),
        ({"title": ""}, "Enter the job title"),
        ({"started_on": "31/02/2020"}, "Enter a real date"),
    ],
)
def test_bad_dates_or_choices_are_refused_with_a_message_and_nothing_changes(
    owner: User, changes: dict[str, str], says: str
) -> None:
    entry(owner, date(2019, 6, 1), date(2021, 6, 1))
    response = signed_in(owner).post(URL, answer(**changes))
    assert response.status_code == 400
    assert says in response.content.decode()
    assert RoleHistoryEntry.objects.filter(owner=owner).count() == 1


def test_a_role_may_start_the_day_the_last_one_ended(owner: User) -> None:
    entry(owner, date(2015, 1, 1), date(2019, 4, 1))
    assert signed_in(owner).post(URL, answer()).status_code == 302


def test_the_owner_changes_and_removes_an_entry(owner: User) -> None:
    mine = entry(owner, date(2015, 1, 1), date(2018, 1, 1))
    client = signed_in(owner)
    assert client.get(f"{URL}{mine.pk}/").status_code == 200
    assert client.post(f"{URL}{mine.pk}/", answer(title="Medical lead")).status_code == 302
    mine.refresh_from_db()
    assert (mine.title, mine.step) == ("Medical lead", "clinical_director")
    # Changing an entry does not clash with itself.
    assert client.post(f"{URL}{mine.pk}/", answer(title="Medical lead", ended_on="2023-06-30")).status_code == 302
    assert client.post(f"{URL}{mine.pk}/remove/").status_code == 302
    assert not RoleHistoryEntry.objects.exists()


def test_a_change_that_would_overlap_is_refused_and_nothing_changes(owner: User) -> None:
    first = entry(owner, date(2015, 1, 1), date(2018, 1, 1), title="First")
    entry(owner, date(2018, 1, 1), date(2020, 1, 1), title="Second")
    response = signed_in(owner).post(f"{URL}{first.pk}/", answer(started_on="2015-01-01", ended_on="2019-01-01"))
    assert response.status_code == 400 and "overlap your role “Second”" in response.content.decode()
    first.refresh_from_db()
    assert (first.title, first.ended_on) == ("First", date(2018, 1, 1))


def test_another_persons_entry_is_a_404_and_is_not_changed(owner: User, colleague: User, outsider: User) -> None:
    mine = entry(owner, date(2015, 1, 1), date(2018, 1, 1), title="OWNERTAG lead")
    for other in (colleague, outsider):
        client = signed_in(other)
        assert client.get(f"{URL}{mine.pk}/").status_code == 404
        assert client.post(f"{URL}{mine.pk}/", answer()).status_code == 404
        assert client.post(f"{URL}{mine.pk}/remove/").status_code == 404
        assert "OWNERTAG" not in client.get(URL).content.decode()
    mine.refresh_from_db()
    assert mine.title == "OWNERTAG lead"
    assert Client().get(f"{URL}{mine.pk}/").status_code == 302


def test_counting_in_the_routes_starts_as_no_and_the_person_can_change_it(owner: User) -> None:
    client = signed_in(owner)
    assert "not counted" in client.get(URL).content.decode()
    assert client.post(f"{URL}counting/", {"counted": "yes"}).status_code == 302
    assert RoutesConsent.objects.get(owner=owner).counted is True
    client.post(f"{URL}counting/", {"counted": "no"})
    assert RoutesConsent.objects.get(owner=owner).counted is False
    response = client.post(f"{URL}counting/", {"counted": "maybe"}, follow=True)
    assert "Choose yes or no" in response.content.decode()
    assert RoutesConsent.objects.get(owner=owner).counted is False


def test_wrong_methods(owner: User) -> None:
    mine = entry(owner, date(2015, 1, 1), date(2018, 1, 1))
    client = signed_in(owner)
    assert client.get(f"{URL}{mine.pk}/remove/").status_code == 405
    assert client.get(f"{URL}counting/").status_code == 405


def test_the_history_page_takes_the_same_queries_however_many_entries(
    owner: User, django_assert_num_queries: object
) -> None:
    client = signed_in(owner)
    for year in range(2000, 2020, 2):
        entry(owner, date(year, 1, 1), date(year + 2, 1, 1))
        # session, user, the consent, the roles (header), the unread count (header), the entries with their
        # sectors, the sectors for the form's list.
        with django_assert_num_queries(7):  # type: ignore[operator]
            assert client.get(URL).status_code == 200


def test_the_profile_page_links_to_the_role_history(owner: User) -> None:
    html = signed_in(owner).get(reverse("profiles:detail")).content.decode()
    assert f'<a href="{reverse("careers:my_history")}">Your role history</a>' in html


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("counted", [(True, True), (True, False)])
def test_two_first_choices_at_once_both_succeed_and_make_one_row(counted: tuple[bool, bool]) -> None:
    # A double submit of the first choice: with no row yet, nothing was locked and the second insert failed.
    person = User.objects.create(email="double@example.org")
    outcomes = race(*[(lambda c=c: routes_consent_set(owner=person, counted=c, now=timezone.now())) for c in counted])
    assert all(isinstance(o, RoutesConsent) for o in outcomes), outcomes
    assert RoutesConsent.objects.filter(owner=person).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_of_the_first_choice_is_not_an_error_over_http() -> None:
    person = User.objects.create(email="double@example.org")
    clients = [signed_in(person), signed_in(person)]
    url = reverse("careers:routes_consent")
    outcomes = race(*[(lambda c=c: c.post(url, {"counted": "yes"}).status_code) for c in clients])
    assert outcomes == [302, 302]
    assert RoutesConsent.objects.get(owner=person).counted


def test_an_edit_of_an_entry_removed_meanwhile_is_refused_and_does_not_bring_it_back(owner: User) -> None:
    stale = entry(owner, date(2015, 1, 1), date(2018, 1, 1))
    history_delete(entry=RoleHistoryEntry.objects.get(pk=stale.pk))  # say, in another window
    with pytest.raises(CareersError, match="no longer in your history"):
        history_update(
            entry=stale,
            title="Clinical lead, renamed",
            step="clinical_lead",
            level=1,
            organisation_kind="",
            sector=None,
            started_on=date(2015, 1, 1),
            ended_on=date(2018, 1, 1),
            now=timezone.now(),
        )
    assert not RoleHistoryEntry.objects.filter(owner=owner).exists()


def test_an_edit_works_on_the_entry_as_it_now_stands(owner: User) -> None:
    stale = entry(owner, date(2015, 1, 1), date(2018, 1, 1))
    RoleHistoryEntry.objects.filter(pk=stale.pk).update(level=2)  # changed since `stale` was read
    history_update(
        entry=stale,
        title="Renamed",
        step="clinical_lead",
        level=2,
        organisation_kind="",
        sector=None,
        started_on=date(2015, 1, 1),
        ended_on=None,
        now=timezone.now(),
    )
    saved = RoleHistoryEntry.objects.get(owner=owner)
    assert (saved.pk, saved.title, saved.ended_on) == (stale.pk, "Renamed", None)
