"""The pipeline's diversity tables against a lead who sees every name and looks every day: one person joining,
leaving or changing an answer changes nothing the lead sees; five people's changes do. Each person is counted in
one row only. What is stored names no one. Two first views at once both succeed and store one row."""

import json
import re
import threading
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.organisations.models import Organisation
from apps.profiles.models import DiversityInformation, LeadershipLevel
from apps.succession.diversity import Person, one_row_each
from apps.succession.models import Candidacy, DiversitySnapshot, Post, Readiness
from apps.succession.pipeline import Pipeline, pipeline_for_lead
from apps.succession.services import diversity_snapshots
from apps.succession.services.candidacies import candidacy_withdraw
from apps.succession.services.diversity_snapshots import changed_people, diversity_members
from tests.conftest import FIXED_NOW, signed_in
from tests.factories import OrganisationFactory, ProfileFactory
from tests.support.succession import make_candidacy, make_lead, make_post

TODAY = date(2026, 12, 7)
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def stand(trust: Organisation, post: Post, name: str, gender: str, **fields: Any) -> Candidacy:
    """A person at the trust with a gender answer, standing forward (ready now unless told) for `post`."""
    first, last = name.split()
    user = ProfileFactory(user__first_name=first, user__last_name=last, organisation=trust).user
    DiversityInformation.objects.create(user=user, gender=gender)
    return make_candidacy(user, trust, post, **{"readiness": Readiness.READY_NOW, **fields})


def gender_rows(pipeline: Pipeline) -> list[tuple[str, int, tuple[int | None, ...] | None]]:
    (table,) = [t for t in pipeline.diversity if t.characteristic == "Gender"]
    return [(row.label, row.people, row.counts) for row in table.rows]


def as_at(pipeline: Pipeline) -> list[date | None]:
    return [row.as_at for table in pipeline.diversity for row in table.rows]


def seen(lead: User) -> Pipeline:
    found = pipeline_for_lead(lead=lead, today=TODAY)
    assert found is not None
    return found


@pytest.fixture
def trust(db: None) -> Organisation:
    return OrganisationFactory(name="Riverside NHS Foundation Trust")


@pytest.fixture
def post(trust: Organisation) -> Post:
    return make_post(trust, title="Deputy medical director", level=LeadershipLevel.DEPUTY_MD)


@pytest.fixture
def ten(trust: Organisation, post: Post) -> list[Candidacy]:
    """Five women and five men, ready now for the deputy's post."""
    return [stand(trust, post, f"Woman W{i}", "woman") for i in range(5)] + [
        stand(trust, post, f"Man M{i}", "man") for i in range(5)
    ]


@pytest.fixture
def lead(trust: Organisation) -> User:
    return make_lead(trust)


FIVE_AND_FIVE = [("Deputy medical director, ready now", 10, (5, 5, 0, 0, 0, 0))]


@pytest.mark.django_db
def test_one_person_joining_changes_nothing_the_lead_sees_a_day_later(
    trust: Organisation, post: Post, ten: list[Candidacy], lead: User
) -> None:
    before = seen(lead)
    assert gender_rows(before) == FIVE_AND_FIVE
    assert set(as_at(before)) == {TODAY}
    with time_machine.travel(FIXED_NOW + timedelta(days=1), tick=False):
        stand(trust, post, "Nia Newcomer", "woman")
        after = seen(lead)
        html = signed_in(lead).get(reverse("succession:pipeline")).content.decode()
    assert "Nia Newcomer" in html  # the lead sees her name appear ...
    assert after.diversity == before.diversity  # ... and no count move, still as at the first day
    assert "they change once at least 5 people's entries in that row have changed" in html
    assert 'Figures as at </span><span class="app-table-value">7 December 2026<' in html
    assert DiversitySnapshot.objects.get().computed_at < FIXED_NOW + timedelta(hours=1)  # the first view's, kept


@pytest.mark.django_db
def test_one_person_withdrawing_or_changing_an_answer_changes_nothing(ten: list[Candidacy], lead: User) -> None:
    before = seen(lead)
    leaving = ten[0]
    candidacy_withdraw(candidacy=leaving, person=leaving.person, now=timezone.now())
    assert gender_rows(seen(lead)) == FIVE_AND_FIVE  # her answer stays in the aggregate until the next refresh
    DiversityInformation.objects.filter(user=ten[5].person).update(gender="non_binary")
    assert seen(lead).diversity == before.diversity
    # Moving to another row (a level above) is a change of one person's entry too.
    make_candidacy(ten[6].person, ten[6].organisation, None, level=LeadershipLevel.MEDICAL_DIRECTOR)
    assert seen(lead).diversity == before.diversity  # three people changed: still fewer than 5


@pytest.mark.django_db
def test_five_peoples_changes_renew_the_tables(
    trust: Organisation, post: Post, ten: list[Candidacy], lead: User
) -> None:
    seen(lead)
    with time_machine.travel(FIXED_NOW + timedelta(days=3), tick=False):
        for i in range(4):
            stand(trust, post, f"New N{i}", "woman")
        assert gender_rows(seen(lead)) == FIVE_AND_FIVE  # four waiting
        DiversityInformation.objects.filter(user=ten[5].person).update(gender="woman")  # the fifth
        after = seen(lead)
    assert gender_rows(after) == [("Deputy medical director, ready now", 14, (10, None, None, None, None, None))]
    assert set(as_at(after)) == {date(2026, 12, 10)}
    assert seen(lead).diversity == after.diversity  # and they stay until five more change


@pytest.mark.django_db
def test_five_withdrawals_renew_the_tables(ten: list[Candidacy], lead: User) -> None:
    seen(lead)
    for candidacy in ten[:5]:
        candidacy_withdraw(candidacy=candidacy, person=candidacy.person, now=timezone.now())
    assert gender_rows(seen(lead)) == [("Deputy medical director, ready now", 5, None)]  # all men: hidden whole


@pytest.mark.django_db
def test_a_person_at_two_levels_is_counted_once_at_the_higher(
    trust: Organisation, post: Post, ten: list[Candidacy], lead: User
) -> None:
    md = make_post(trust, title="Medical director", level=LeadershipLevel.MEDICAL_DIRECTOR)
    for candidacy in ten[:6]:  # five women and a man stand for the director's post too, later
        make_candidacy(candidacy.person, trust, md, readiness=Readiness.ONE_TO_TWO_YEARS)
    # ... and one of them also for the director's level, ready sooner there
    make_candidacy(ten[0].person, trust, None, level=LeadershipLevel.MEDICAL_DIRECTOR, readiness=Readiness.READY_NOW)
    rows = gender_rows(seen(lead))
    assert [(label, people) for label, people, _ in rows] == [
        ("Medical director, ready now", 1),
        ("Medical director, ready in 1 to 2 years", 5),
        ("Deputy medical director, ready now", 4),
    ]
    assert sum(people for _, people, _ in rows) == 10  # ten people, ten places: the rows are disjoint
    # The pipeline by level and horizon still counts each person at every level they stand for.
    assert sum(row.people for row in seen(lead).by_horizon) == 16


def test_one_row_each_takes_the_highest_level_at_its_horizon() -> None:
    best = {(1, 4): "ready_now", (1, 5): "3_5_years", (2, 3): "1_2_years", (2, 2): "ready_now"}
    assert one_row_each(best) == {1: (5, "3_5_years"), 2: (3, "1_2_years")}


def test_changed_people_counts_each_person_once_in_each_row() -> None:
    people = {n: Person(4, "ready_now", {"gender": "woman"}) for n in range(1, 8)}
    before = diversity_members(organisation_id=1, people=people)["4:ready_now"]
    changed = {**people, 1: Person(4, "ready_now", {"gender": "man"}), 2: Person(5, "ready_now", people[2].answers)}
    del changed[3]
    changed[9] = Person(4, "ready_now", {})
    after = diversity_members(organisation_id=1, people=changed)
    # in the row: one answer changed, one moved out, one gone, one come: four people, though seven hashes differ
    assert changed_people(before, after["4:ready_now"]) == 4
    assert changed_people({}, after["5:ready_now"]) == 1  # the one who moved, in the row they moved to
    assert changed_people(before, diversity_members(organisation_id=1, people=people)["4:ready_now"]) == 0
    elsewhere = diversity_members(organisation_id=2, people=people)["4:ready_now"]
    assert set(before) & set(elsewhere) == set()  # unlinkable across organisations


@pytest.mark.django_db
def test_four_joining_one_row_do_not_publish_the_one_who_joined_another(
    trust: Organisation, post: Post, ten: list[Candidacy], lead: User
) -> None:
    for i in range(5):
        stand(trust, post, f"Later W{i}", "woman", readiness=Readiness.ONE_TO_TWO_YEARS)
        stand(trust, post, f"Later M{i}", "man", readiness=Readiness.ONE_TO_TWO_YEARS)
    before = seen(lead)
    for i, gender in enumerate(["man", "woman", "man", "woman"]):  # four strangers join the ready-now row
        stand(trust, post, f"Stranger S{i}", gender)
    stand(trust, post, "Xena Known", "woman", readiness=Readiness.ONE_TO_TWO_YEARS)  # alone in her row
    assert seen(lead).diversity == before.diversity  # five people changed here, but no row has five of its own
    stand(trust, post, "Fifth Stranger", "man")
    after = seen(lead)
    assert gender_rows(after) == [
        ("Deputy medical director, ready now", 15, (7, 8, 0, 0, 0, 0)),  # renewed: five of its people changed
        ("Deputy medical director, ready in 1 to 2 years", 10, (5, 5, 0, 0, 0, 0)),  # as it was, without Xena
    ]


@pytest.mark.django_db
def test_what_is_stored_names_no_one(ten: list[Candidacy], lead: User) -> None:
    seen(lead)
    snapshot = DiversitySnapshot.objects.get()
    assert list(snapshot.members) == ["4:ready_now"]  # the row: the lead sees who is in it anyway
    (row,) = snapshot.members.values()
    assert len(row) == 10
    assert all(HEX64.match(key) and HEX64.match(value) for key, value in row.items())
    stored = json.dumps(snapshot.tables)
    for candidacy in ten:
        person = candidacy.person
        assert person.last_name not in stored and person.email not in stored
    assert '"woman"' not in stored and '"man"' not in stored  # labels of categories, never anyone's answer
    assert {key for table in snapshot.tables for row in table["rows"] for key in row} == {
        "level",
        "horizon",
        "label",
        "people",
        "counts",
        "as_at",
    }


@pytest.mark.django_db(transaction=True)
def test_two_first_views_at_once_both_succeed_and_store_one_row(
    reference_data: None,
    trust: Organisation,
    post: Post,
    ten: list[Candidacy],
    lead: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Both requests find no stored tables before either stores any: the barrier holds each at its first check.
    barrier = threading.Barrier(2, timeout=10)
    first_check = threading.local()
    real_to_renew = diversity_snapshots._to_renew

    def to_renew(stored: DiversitySnapshot | None, members: diversity_snapshots.Members) -> set[str] | None:
        if not getattr(first_check, "done", False):
            first_check.done = True
            barrier.wait()
        return real_to_renew(stored, members)

    monkeypatch.setattr(diversity_snapshots, "_to_renew", to_renew)
    results: list[Pipeline | None] = []
    errors: list[BaseException] = []

    def view() -> None:
        try:
            results.append(pipeline_for_lead(lead=lead, today=TODAY))
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=view) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(results) == 2 and all(found is not None for found in results)
    first, second = (found.diversity for found in results if found is not None)
    assert first == second
    assert DiversitySnapshot.objects.count() == 1
