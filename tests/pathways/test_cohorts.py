"""An organiser's cohorts: setting one up, inviting people by their exact address without learning who has an
account, people joining or declining, and the cohort's progress in counts only — small counts suppressed, never a
scope, objective, reflection or which person did what — in the same number of queries however big the cohort."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.audit.models import ChangeEvent
from apps.notifications.models import Reminder, ReminderStatus
from apps.pathways.models import Cohort, Enrolment, Invitation
from apps.pathways.selectors import cohort_progress
from apps.pathways.services import checkin_complete, tick_set
from apps.pathways.template import shipped
from tests.conftest import signed_in
from tests.factories import ProfileFactory, grant

from .support import PLANTED_GOING, PLANTED_OBJECTIVES, PLANTED_SCOPE, PLANTED_SUPPORT, enrol, make_cohort, with_scope

STARTED = date(2026, 8, 3)  # the 3-month check-in is due (3 November); the 6-month one not yet


def _members(cohort: Cohort, count: int, *, start: int = 0) -> list[User]:
    people = [ProfileFactory(user__email=f"new.md{start + i}@example.org").user for i in range(count)]
    for person in people:
        enrol(person, started_on=STARTED, cohort=cohort)
    return people


def _active(people: list[User]) -> None:
    """Everyone records a scope, ticks the whole corporate area, and writes the 3-month check-in."""
    corporate = shipped().areas[0]
    for person in people:
        enrolment = with_scope(person.pathway)
        for item in corporate.items:
            tick_set(enrolment=enrolment, item_key=item.key, state="done", now=timezone.now())
        checkin_complete(
            enrolment=enrolment, months=3, going=PLANTED_GOING, support=PLANTED_SUPPORT, now=timezone.now()
        )


# --- Setting up a cohort ---------------------------------------------------------------------------------------


def test_an_organiser_sets_up_a_cohort(organiser: User) -> None:
    client = signed_in(organiser)
    assert "You do not run a cohort yet" in client.get(reverse("pathways:cohorts")).content.decode()
    response = client.post(reverse("pathways:cohorts"), {"name": "  New MDs 2026/27 "})
    cohort = Cohort.objects.get()
    assert response.status_code == 302 and response.url == reverse("pathways:cohort", args=[cohort.pk])
    assert cohort.name == "New MDs 2026/27" and list(cohort.organisers.all()) == [organiser]
    page = client.get(response.url).content.decode()
    assert "Fewer than 5 people have joined this cohort" in page


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Enter a name for the cohort"), ("x" * 121, "120 characters or fewer"), ("new mds 2026/27", "already")],
)
def test_a_bad_cohort_name_is_refused(organiser: User, name: str, message: str) -> None:
    make_cohort(organiser)
    response = signed_in(organiser).post(reverse("pathways:cohorts"), {"name": name})
    assert response.status_code == 400 and message in response.content.decode()
    assert Cohort.objects.count() == 1


def test_cohort_pages_are_for_organisers_and_each_sees_only_their_own(organiser: User, owner: User) -> None:
    cohort = make_cohort(organiser, "Northern cohort")
    other = ProfileFactory(user__email="other.organiser@example.org").user
    grant(other, Role.ORGANISER)
    member = signed_in(owner)
    assert member.get(reverse("pathways:cohorts")).status_code == 403
    assert member.get(reverse("pathways:cohort", args=[cohort.pk])).status_code == 403
    assert member.post(reverse("pathways:cohort_invite", args=[cohort.pk]), {"email": owner.email}).status_code == 403
    elsewhere = signed_in(other)
    assert elsewhere.get(reverse("pathways:cohort", args=[cohort.pk])).status_code == 404
    response = elsewhere.post(reverse("pathways:cohort_invite", args=[cohort.pk]), {"email": owner.email})
    assert response.status_code == 404
    assert cohort.name not in elsewhere.get(reverse("pathways:cohorts")).content.decode()
    assert not Invitation.objects.exists()
    assert signed_in(organiser).post(reverse("pathways:cohort", args=[cohort.pk])).status_code == 405
    assert signed_in(organiser).get(reverse("pathways:cohort_invite", args=[cohort.pk])).status_code == 405


# --- Inviting --------------------------------------------------------------------------------------------------


def _invite(client: Client, cohort: Cohort, email: str) -> str:
    response = client.post(reverse("pathways:cohort_invite", args=[cohort.pk]), {"email": email}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    return body[body.index("If ") : body.index("They count here once they join.")]


def test_the_organiser_is_told_the_same_whether_or_not_the_address_has_an_account(organiser: User, owner: User) -> None:
    cohort = make_cohort(organiser)
    client = signed_in(organiser)
    told_known = _invite(client, cohort, "OWNER@example.org")
    told_unknown = _invite(client, cohort, "nobody@example.org")
    enrolled = ProfileFactory(user__email="already.on@example.org").user
    enrol(enrolled)
    told_enrolled = _invite(client, cohort, enrolled.email)
    told_again = _invite(client, cohort, owner.email)
    normalise = lambda text, email: text.replace(email, "ADDRESS")  # noqa: E731
    assert (
        normalise(told_known, "OWNER@example.org")
        == normalise(told_unknown, "nobody@example.org")
        == normalise(told_enrolled, enrolled.email)
        == normalise(told_again, owner.email)
    )
    invitation = Invitation.objects.get()
    assert (invitation.person, invitation.cohort, invitation.invited_by) == (owner, cohort, organiser)
    reminder = Reminder.objects.get(kind="pathway_invited")
    assert reminder.recipient == owner and reminder.context["cohort"] == cohort.name
    assert ChangeEvent.objects.filter(subject=owner, capacity="organiser").count() == 1


@pytest.mark.parametrize("email", ["", "not an address", "a@b@example.org", "x" * 250 + "@example.org"])
def test_a_bad_address_is_refused_on_the_page(organiser: User, email: str) -> None:
    cohort = make_cohort(organiser)
    response = signed_in(organiser).post(reverse("pathways:cohort_invite", args=[cohort.pk]), {"email": email})
    assert response.status_code == 400 and "nhsuk-error-summary" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_person_joins_through_an_invitation_into_the_cohort(organiser: User, owner: User) -> None:
    cohort = make_cohort(organiser)
    signed_in(organiser).post(reverse("pathways:cohort_invite", args=[cohort.pk]), {"email": owner.email})
    client = signed_in(owner)
    page = client.get(reverse("pathways:home")).content.decode()
    assert "You are invited" in page and f"Join {cohort.name}" in page
    invitation = Invitation.objects.get()
    response = client.post(reverse("pathways:invitation_join", args=[invitation.pk]), {"started_on": "2026-10-01"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(person=owner)
    assert enrolment.cohort == cohort and not Invitation.objects.exists()


def test_an_invitation_with_a_bad_date_keeps_it_and_someone_elses_invitation_is_404(
    organiser: User, owner: User, colleague: User
) -> None:
    cohort = make_cohort(organiser)
    invitation = Invitation.objects.create(cohort=cohort, person=owner, invited_at=timezone.now())
    url = reverse("pathways:invitation_join", args=[invitation.pk])
    response = signed_in(owner).post(url, {"started_on": "2020-01-01"})
    assert response.status_code == 400 and "more than two years ago" in response.content.decode()
    assert signed_in(colleague).post(url, {"started_on": "2026-10-01"}).status_code == 404
    decline = reverse("pathways:invitation_decline", args=[invitation.pk])
    assert signed_in(colleague).post(decline).status_code == 404
    assert signed_in(owner).get(decline).status_code == 405
    assert Invitation.objects.filter(pk=invitation.pk).exists() and not Enrolment.objects.exists()


def test_declining_an_invitation(organiser: User, owner: User) -> None:
    cohort = make_cohort(organiser)
    signed_in(organiser).post(reverse("pathways:cohort_invite", args=[cohort.pk]), {"email": owner.email})
    invitation = Invitation.objects.get()
    response = signed_in(owner).post(reverse("pathways:invitation_decline", args=[invitation.pk]))
    assert response.status_code == 302 and not Invitation.objects.exists()
    assert Reminder.objects.get(kind="pathway_invited").status in (ReminderStatus.CANCELLED, ReminderStatus.SENT)


# --- Progress in aggregate -------------------------------------------------------------------------------------


def test_the_cohort_page_shows_counts_and_never_a_private_entry_or_a_name(organiser: User) -> None:
    cohort = make_cohort(organiser)
    people = _members(cohort, 7)
    _active(people[:5])
    page = signed_in(organiser).get(reverse("pathways:cohort", args=[cohort.pk])).content.decode()
    assert "7 people have joined." in page
    for planted in (PLANTED_SCOPE, PLANTED_OBJECTIVES, PLANTED_GOING, PLANTED_SUPPORT):
        assert planted not in page
    for person in people:
        assert person.email not in page and person.last_name not in page
    progress = cohort_progress(cohort=cohort, today=timezone.localdate())
    scope = progress.steps[0]
    # 5 done, 2 not yet: the 2 is hidden, and the 5 with it, or 2 = 7 - 5.
    assert (scope.done.count, scope.not_yet.count) == (None, None)
    # Both cells say they are not shown (the 5 is not "fewer than 5").
    assert "Not shown" in page and "Fewer than 5</span>" not in page


def test_counts_of_five_or_more_show(organiser: User) -> None:
    cohort = make_cohort(organiser)
    people = _members(cohort, 10)
    _active(people[:5])
    progress = cohort_progress(cohort=cohort, today=timezone.localdate())
    rows = {row.label: (row.done.count, row.not_yet.count) for row in progress.steps}
    assert rows[shipped().steps[0].title] == (5, 5)
    assert rows[shipped().steps[1].title] == (None, None)  # nobody has a buddy: that is about each one of them
    areas = {row.label: (row.done.count, row.not_yet.count) for row in progress.areas}
    assert areas["Corporate and board responsibilities"] == (5, 5) and areas["Resilience"] == (None, None)
    checkins = {row.label: (row.done.count, row.not_yet.count) for row in progress.checkins}
    assert checkins["3-month check-in"] == (5, 5)
    assert checkins["6-month check-in"] == (None, None)  # not yet due for anyone


def test_a_cohort_under_five_shows_nothing(organiser: User) -> None:
    cohort = make_cohort(organiser)
    _active(_members(cohort, 4))
    progress = cohort_progress(cohort=cohort, today=timezone.localdate())
    assert progress.enrolled is None and progress.steps == ()


def test_leaving_takes_a_person_out_of_the_counts(organiser: User, owner: User) -> None:
    cohort = make_cohort(organiser)
    _members(cohort, 5)
    enrol(owner, cohort=cohort, started_on=STARTED)
    assert cohort_progress(cohort=cohort, today=timezone.localdate()).enrolled == 6
    signed_in(owner).post(reverse("pathways:leave"))
    assert cohort_progress(cohort=cohort, today=timezone.localdate()).enrolled == 5


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_cohort_page_takes_the_same_queries_however_big(organiser: User) -> None:
    cohort = make_cohort(organiser)
    _active(_members(cohort, 5))
    client = signed_in(organiser)
    url = reverse("pathways:cohort", args=[cohort.pk])
    small = _queries(client, url)
    _active(_members(cohort, 15, start=100))
    # session 1, user 1, roles 1 (role_required, then the header); the cohort 1; enrolments 1, buddies 1,
    # mentors 1, shadowing 1, learning sets 1, ticks 1, check-ins 1; the header's count of unread reminders 1;
    # and, as the counts are worked out again (first view, then 15 people changed): a savepoint 1, the cohort
    # locked 1, the counts stored 1, the savepoint released 1.
    assert small == _queries(client, url) == 16
    assert _queries(client, url) == 12  # nothing changed: the stored counts


def test_the_persons_page_takes_the_same_queries_however_much_is_on_it(owner: User, owner_client: Client) -> None:
    enrolment = enrol(owner, started_on=STARTED)
    url = reverse("pathways:home")
    empty = _queries(owner_client, url)
    _active([owner])
    for item in shipped().items:
        tick_set(enrolment=enrolment, item_key=item.key, state="done", now=timezone.now())
    # session 1, user 1; the pathway and its cohort 1; ticks 1, check-ins 1, the catalogue's suggestions 1;
    # buddies 1, mentors 1, shadowing 1, learning sets 1; the header's roles 1 and unread reminders 1.
    assert empty == _queries(owner_client, url) == 12


def test_the_cohort_of_someone_who_joined_without_one_counts_nowhere(organiser: User, owner: User) -> None:
    cohort = make_cohort(organiser)
    enrol(owner, started_on=STARTED - timedelta(days=1))
    assert cohort_progress(cohort=cohort, today=timezone.localdate()).enrolled is None
    assert not cohort.enrolments.exists()


# --- No sequence of views gives one person away ------------------------------------------------------------------


def _seen(client: Client, cohort: Cohort) -> object:
    response = client.get(reverse("pathways:cohort", args=[cohort.pk]))
    assert response.status_code == 200
    return response.context["progress"]


def test_one_person_joining_does_not_show_their_progress_by_difference(organiser: User, owner: User) -> None:
    """Review of issue 19: with live counts, an organiser who saw "Scope: 5 done, 0 not yet" and then invited one
    person saw, once they joined, either "6, 0" (they recorded their scope) or the row hidden (they did not)."""
    cohort = make_cohort(organiser)
    _active(_members(cohort, 10)[:5])
    client = signed_in(organiser)
    before = _seen(client, cohort)
    assert before.enrolled == 10 and (before.steps[0].done.count, before.steps[0].not_yet.count) == (5, 5)
    enrol(owner, cohort=cohort, started_on=STARTED)  # joins without recording a scope
    assert _seen(client, cohort) == before
    signed_in(owner).post(reverse("pathways:leave"))  # and leaving says nothing either
    assert _seen(client, cohort) == before
    # Once at least 5 people's progress changed, the counts are worked out again, newcomers and leavers included.
    _members(cohort, 5, start=100)
    after = _seen(client, cohort)
    assert after.enrolled == 15 and (after.steps[0].done.count, after.steps[0].not_yet.count) == (5, 10)


def test_one_persons_tick_or_check_in_does_not_move_the_counts(organiser: User) -> None:
    cohort = make_cohort(organiser)
    people = _members(cohort, 15)
    _active(people[:5])
    client = signed_in(organiser)
    before = _seen(client, cohort)
    assert (before.steps[0].done.count, before.steps[0].not_yet.count) == (5, 10)
    _active(people[5:6])
    assert _seen(client, cohort) == before
    _active(people[6:10])  # five people changed since the counts were worked out
    after = _seen(client, cohort)
    assert (after.steps[0].done.count, after.steps[0].not_yet.count) == (10, 5)


def test_a_row_where_everyone_or_no_one_has_done_it_is_hidden(organiser: User) -> None:
    """Review of issue 19: "0 done, 7 not yet" (or "7, 0") tells an organiser who knows whom they invited what
    each one of them has done: nobody wrote their check-in, everybody ticked every item in an area."""
    cohort = make_cohort(organiser)
    _active(_members(cohort, 7))
    progress = cohort_progress(cohort=cohort, today=timezone.localdate())
    cells = [(row.done.count, row.not_yet.count) for row in (*progress.steps, *progress.areas, *progress.checkins)]
    assert cells and set(cells) == {(None, None)}


def test_joining_through_an_invitation_stops_its_e_mail_if_not_sent_yet(organiser: User, owner: User) -> None:
    """Review of issue 19: declining cancelled the invitation's e-mail, joining did not, so a person who joined from
    the page before the e-mail went (a worker behind, the broker down) was still asked to join."""
    cohort = make_cohort(organiser)
    signed_in(organiser).post(reverse("pathways:cohort_invite", args=[cohort.pk]), {"email": owner.email})
    invitation = Invitation.objects.get()
    signed_in(owner).post(reverse("pathways:invitation_join", args=[invitation.pk]), {"started_on": "2026-10-01"})
    assert Enrolment.objects.get(person=owner).cohort == cohort
    assert Reminder.objects.get(kind="pathway_invited").status == ReminderStatus.CANCELLED
