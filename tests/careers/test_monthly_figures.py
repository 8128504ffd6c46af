"""The routes and life-after-MD figures change once a month, so that no sequence of views shows one person's
choice: a consent, a withdrawal, a role added or removed this month shows only in next month's figures."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from apps.accounts.models import User
from apps.careers.models import RoleHistoryEntry, RoutesChange, RoutesFigures
from apps.careers.services.figures import month_start, next_month_start
from apps.careers.services.history import history_add, history_delete, routes_consent_set
from apps.privacy.services import account_close
from tests.conftest import signed_in

from .conftest import history, people_with

pytestmark = pytest.mark.django_db

NOVEMBER = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
DECEMBER = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
LATE_DECEMBER = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
JANUARY = datetime(2027, 1, 2, 9, 0, tzinfo=UTC)
CD = ("clinical_director", date(2010, 1, 1), date(2015, 1, 1))
MD = ("medical_director", date(2015, 1, 1), date(2021, 1, 1))
CE = ("chief_executive", date(2021, 1, 1), None)


def cd_to_md(owner: User) -> str:
    """How many made the move from clinical director to medical director, as the routes page shows it, from a fresh
    sign-in (a month's travel may outlive a session)."""
    html = signed_in(owner).get("/careers/routes/").content.decode()
    move = "Clinical director → Medical director or chief medical officer: "
    return html.split(move)[1].split("<")[0] if move in html else "not shown"


def test_the_page_says_when_the_figures_stand_and_that_they_change_monthly(owner: User) -> None:
    with time_machine.travel(DECEMBER, tick=False):
        client: Client = signed_in(owner)
        routes = client.get("/careers/routes/").content.decode()
        after = client.get("/careers/after-medical-director/").content.decode()
    assert "Figures as at 1 December 2026; they change at most once a month" in routes
    assert "Figures as at 1 December 2026; they change at most once a month" in after


def test_a_consent_or_a_role_added_this_month_shows_only_next_month(owner: User) -> None:
    people_with(5, CD, MD, at=NOVEMBER)
    adds_a_role = history(User.objects.create(email="adds@example.org"), CD, at=NOVEMBER)
    consents_late = history(User.objects.create(email="late@example.org"), CD, MD, counted=False, at=NOVEMBER)
    also_late = people_with(3, CD, MD, counted=False, at=NOVEMBER, prefix="also")
    with time_machine.travel(DECEMBER, tick=False):
        assert cd_to_md(owner) == "5"
        history_add(
            owner=adds_a_role,
            title="Medical director",
            step="medical_director",
            level=None,
            organisation_kind="",
            sector=None,
            started_on=date(2015, 1, 1),
            ended_on=None,
            now=DECEMBER,
        )
        for person in (consents_late, *also_late):
            routes_consent_set(owner=person, counted=True, now=DECEMBER)
        assert cd_to_md(owner) == "5"
    with time_machine.travel(LATE_DECEMBER, tick=False):  # 23:30 on 31 December is still December in London
        assert cd_to_md(owner) == "5"
    with time_machine.travel(JANUARY, tick=False):  # 5 people's contributions changed: new figures
        html = signed_in(owner).get("/careers/routes/").content.decode()
        assert "Figures as at 1 January 2027" in html
        assert "Clinical director → Medical director or chief medical officer: 10" in html
    assert not RoutesChange.objects.exists()  # accounted for by January's figures


def consent(people: list[User], *, counted: bool, at: datetime) -> None:
    for person in people:
        routes_consent_set(owner=person, counted=counted, now=at)


def test_with_fewer_than_five_people_changed_the_last_figures_are_carried_over(owner: User) -> None:
    # Were January's figures worked out from one more person, the difference would be that person's route.
    people_with(5, CD, MD, at=NOVEMBER)
    joiners = people_with(5, CD, MD, counted=False, at=NOVEMBER, prefix="j")
    with time_machine.travel(DECEMBER, tick=False):
        assert cd_to_md(owner) == "5"
        consent(joiners[:4], counted=True, at=DECEMBER)
    with time_machine.travel(JANUARY, tick=False):
        html = signed_in(owner).get("/careers/routes/").content.decode()
        assert "Figures as at 1 December 2026" in html  # carried over, "as at" unchanged
        assert cd_to_md(owner) == "5"
        assert (
            "Figures as at 1 December 2026" in signed_in(owner).get("/careers/after-medical-director/").content.decode()
        )
        consent(joiners[4:], counted=True, at=JANUARY)  # the fifth person since December's figures
    assert list(RoutesFigures.objects.values_list("month", flat=True)) == [date(2027, 1, 1)]
    with time_machine.travel(datetime(2027, 2, 2, 9, 0, tzinfo=UTC), tick=False):
        html = signed_in(owner).get("/careers/routes/").content.decode()
        assert "Figures as at 1 February 2027" in html
        assert cd_to_md(owner) == "10"


def test_one_person_changing_many_times_is_one_person(owner: User) -> None:
    counted = people_with(5, CD, MD, at=NOVEMBER)
    with time_machine.travel(DECEMBER, tick=False):
        assert cd_to_md(owner) == "5"
        for year, step in enumerate(("clinical_lead", "clinical", "system", "retired", "other_leadership"), start=1990):
            history_add(
                owner=counted[0],
                title=step,
                step=step,
                level=None,
                organisation_kind="",
                sector=None,
                started_on=date(year, 1, 1),
                ended_on=date(year, 6, 1),
                now=DECEMBER,
            )
    with time_machine.travel(JANUARY, tick=False):
        assert "Figures as at 1 December 2026" in signed_in(owner).get("/careers/routes/").content.decode()


def test_what_is_added_this_month_waits_even_when_no_one_looked_before(owner: User) -> None:
    people_with(5, CD, MD, at=NOVEMBER)
    people_with(2, CD, MD, at=DECEMBER, prefix="new")
    with time_machine.travel(DECEMBER, tick=False):
        assert cd_to_md(owner) == "5"


def test_a_withdrawal_or_a_removed_role_leaves_at_the_next_month(owner: User) -> None:
    withdraws, removes, *_ = people_with(7, CD, MD, CE, at=NOVEMBER)
    with time_machine.travel(DECEMBER, tick=False):
        assert cd_to_md(owner) == "7"
        routes_consent_set(owner=withdraws, counted=False, now=DECEMBER)
        history_delete(entry=RoleHistoryEntry.objects.get(owner=removes, step="medical_director"))
        html = signed_in(owner).get("/careers/routes/").content.decode()
        assert "Clinical director → Medical director or chief medical officer: 7" in html
    # Two people changed: January's and February's figures carry December's over.
    for when in (JANUARY, datetime(2027, 2, 27, 9, 0, tzinfo=UTC)):
        with time_machine.travel(when, tick=False):
            html = signed_in(owner).get("/careers/routes/").content.decode()
            assert "Figures as at 1 December 2026" in html and "7 people counted" in html
    # But a withdrawal waits 3 month starts at most: made in December, it leaves by 1 March.
    with time_machine.travel(datetime(2027, 3, 1, 9, 0, tzinfo=UTC), tick=False):
        html = signed_in(owner).get("/careers/routes/").content.decode()
        assert "Figures as at 1 March 2027" in html
        # The one who withdrew is gone altogether; the one who removed a role is still counted, without that move.
        assert "6 people counted" in html
        assert "Clinical director → Medical director or chief medical officer: 5" in html
    # Only March's figures are kept: December's, which counted both, went when later ones were stored.
    assert list(RoutesFigures.objects.values_list("month", flat=True)) == [date(2027, 3, 1)]
    assert not RoutesChange.objects.exists()


def test_a_closed_account_is_a_withdrawal(owner: User) -> None:
    leaves, *_ = people_with(6, CD, MD, at=NOVEMBER)
    with time_machine.travel(DECEMBER, tick=False):
        assert cd_to_md(owner) == "6"
        account_close(user=leaves, actor=leaves, now=timezone.now())  # as the close-account page does
    [change] = RoutesChange.objects.all()
    # A keyed hash, not the account's id or address (a short id could appear in any hash by chance, so compare whole).
    assert change.withdrawal and change.person not in (str(leaves.pk), leaves.email) and "@" not in change.person
    with time_machine.travel(JANUARY, tick=False):
        assert cd_to_md(owner) == "6"  # figures carried over; the person's rows are gone from the database
    with time_machine.travel(datetime(2027, 3, 2, 9, 0, tzinfo=UTC), tick=False):
        assert cd_to_md(owner) == "5"


def test_someone_not_counted_changing_their_history_changes_nothing(owner: User) -> None:
    private = people_with(5, CD, counted=False, at=NOVEMBER, prefix="private")
    with time_machine.travel(DECEMBER, tick=False):
        for person in private:
            history_delete(entry=RoleHistoryEntry.objects.get(owner=person), now=DECEMBER)
    assert not RoutesChange.objects.exists()


def test_saying_yes_again_keeps_a_place_in_this_months_figures(owner: User) -> None:
    people = people_with(5, CD, MD, at=NOVEMBER)
    with time_machine.travel(DECEMBER, tick=False):
        routes_consent_set(owner=people[0], counted=True, now=DECEMBER)
        assert cd_to_md(owner) == "5"


def test_the_consent_message_names_the_month_it_takes_effect(owner: User) -> None:
    with time_machine.travel(DECEMBER, tick=False):
        client = signed_in(owner)
        page = client.post("/careers/my-history/counting/", {"counted": "yes"}, follow=True).content.decode()
        assert "will count in the anonymous routes when they are next worked out: on 1 January 2027 at the" in page
        page = client.post("/careers/my-history/counting/", {"counted": "no"}, follow=True).content.decode()
        assert "on 1 January 2027 at the earliest and 1 March 2027 at the latest" in page
        assert (
            "takes effect when the figures are next worked out" in client.get("/careers/my-history/").content.decode()
        )


def test_the_month_begins_at_midnight_in_london() -> None:
    # 23:30 UTC on 31 March 2027 is 00:30 on 1 April in London (summer time): April began at 23:00 UTC.
    assert month_start(datetime(2027, 3, 31, 23, 30, tzinfo=UTC)) == datetime(2027, 3, 31, 23, 0, tzinfo=UTC)
    assert next_month_start(datetime(2027, 3, 31, 23, 30, tzinfo=UTC)) == date(2027, 5, 1)
    # 23:59 UTC on 31 December is still December in London (winter time, UTC).
    assert month_start(datetime(2026, 12, 31, 23, 59, tzinfo=UTC)) == datetime(2026, 12, 1, tzinfo=UTC)
    assert next_month_start(datetime(2026, 12, 31, 23, 59, tzinfo=UTC)) == date(2027, 1, 1)


def test_the_beat_task_builds_the_months_figures_once_before_anyone_looks() -> None:
    from apps.careers.tasks import build_routes_figures

    with time_machine.travel(JANUARY, tick=False):
        build_routes_figures()  # run as beat runs it, in the worker's process; here directly, as Celery would call it
        build_routes_figures()  # a second run reads the row back and stores nothing more
        assert list(RoutesFigures.objects.values_list("month", flat=True)) == [date(2027, 1, 1)]
