"""A new medical director's own pathway: enrolling (with the start date's limits), the checklist, the scope and
objectives agreed with the chief executive, check-ins when due, and leaving. Every page reads only the signed-in
person's pathway: another person's entries never appear, and a page of a pathway one is not on is a 404."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.models import ChangeEvent
from apps.notifications.models import Reminder, ReminderStatus
from apps.pathways.models import CheckIn, ChecklistTick, Enrolment
from apps.pathways.services import TOO_FAR_AHEAD, TOO_LONG_AGO, PathwayError, checkin_complete, enrolment_create
from tests.conftest import signed_in

from .support import PLANTED_GOING, PLANTED_OBJECTIVES, PLANTED_SCOPE, PLANTED_SUPPORT, enrol, with_scope

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 12, 7)  # tests/conftest.py's FIXED_NOW


def _page(client: Client, name: str = "pathways:home", *args: object) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


# --- Enrolling -------------------------------------------------------------------------------------------------


def test_a_new_md_enrols_themself_and_check_in_reminders_are_scheduled(owner: User, owner_client: Client) -> None:
    page = _page(owner_client)
    assert "Join the pathway" in page and "corporate responsibilities" in page
    response = owner_client.post(reverse("pathways:join"), {"started_on": "2026-11-02"})
    assert response.status_code == 302 and response.url == reverse("pathways:home")
    enrolment = Enrolment.objects.get(person=owner)
    assert enrolment.started_on == date(2026, 11, 2) and enrolment.cohort is None
    reminders = Reminder.objects.filter(recipient=owner, kind="pathway_checkin_due").order_by("due_at")
    assert [(r.dedupe_key, r.due_at) for r in reminders] == [
        (f"pathway:{enrolment.pk}:checkin:{m}", datetime(y, mo, 2, 9, 0, tzinfo=LONDON))
        for m, y, mo in ((3, 2027, 2), (6, 2027, 5), (12, 2027, 11))
    ]
    assert reminders[0].context["url"] == reverse("pathways:checkin", args=[3])
    assert ChangeEvent.objects.filter(subject=owner, action="joined the first-year pathway").count() == 1
    page = _page(owner_client)
    assert "Steps done" in page and "0 of 5" in page


def test_check_ins_already_due_at_enrolment_get_no_reminder_and_show_as_due(owner: User, owner_client: Client) -> None:
    enrol(owner, started_on=TODAY - timedelta(days=200))  # 3 and 6 months have passed
    keys = set(Reminder.objects.filter(recipient=owner).values_list("dedupe_key", flat=True))
    assert keys == {f"pathway:{owner.pathway.pk}:checkin:12"}
    page = _page(owner_client)
    assert page.count("Due now") == 2 and "Not due yet" in page


@pytest.mark.parametrize(
    ("started_on", "message"),
    [
        (str(TODAY + timedelta(days=93)), TOO_FAR_AHEAD),
        (str(TODAY.replace(year=2024) - timedelta(days=1)), TOO_LONG_AGO),
        ("", "Enter the date you started as medical director"),
        ("2026-02-30", "Enter a real date"),
        ("1900-01-01", "enter a date between 1950 and 2100"),
    ],
)
def test_a_start_date_out_of_range_is_refused_and_nothing_is_written(
    owner: User, owner_client: Client, started_on: str, message: str
) -> None:
    response = owner_client.post(reverse("pathways:join"), {"started_on": started_on})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Enrolment.objects.filter(person=owner).exists() and not Reminder.objects.filter(recipient=owner).exists()


def test_the_limits_themselves_are_allowed(owner: User, colleague: User) -> None:
    enrol(owner, started_on=TODAY + timedelta(days=92))
    enrol(colleague, started_on=TODAY.replace(year=2024))
    assert Enrolment.objects.count() == 2


def test_enrolling_twice_is_refused(owner: User, owner_client: Client) -> None:
    enrol(owner)
    response = owner_client.post(reverse("pathways:join"), {"started_on": "2026-11-02"})
    assert response.status_code == 400 and "already on the first-year pathway" in response.content.decode()
    assert Enrolment.objects.filter(person=owner).count() == 1


def test_the_service_refuses_what_the_form_would(owner: User) -> None:
    with pytest.raises(PathwayError, match="three months ahead"):
        enrolment_create(person=owner, started_on=TODAY + timedelta(days=100), now=timezone.now())


def test_join_is_post_only_and_signed_out_people_are_sent_to_sign_in(owner_client: Client) -> None:
    assert owner_client.get(reverse("pathways:join")).status_code == 405
    assert owner_client.put(reverse("pathways:home")).status_code == 405
    response = Client().get(reverse("pathways:home"))
    assert response.status_code == 302 and "login" in response.url


# --- The checklist ---------------------------------------------------------------------------------------------


def test_ticking_an_item_done_then_not_applicable_then_clearing_it(owner: User, owner_client: Client) -> None:
    enrolment = enrol(owner)
    url = reverse("pathways:tick", args=["finance-rules"])
    response = owner_client.post(url, {"state": "done"})
    assert response.status_code == 302 and response.url.endswith("#item-finance-rules")
    assert ChecklistTick.objects.get(enrolment=enrolment).state == "done"
    assert "Strategy and finance (1 of 3)" in _page(owner_client)
    owner_client.post(url, {"state": "not_applicable"})
    assert ChecklistTick.objects.get(enrolment=enrolment).state == "not_applicable"
    owner_client.post(url, {"state": ""})
    assert not ChecklistTick.objects.filter(enrolment=enrolment).exists()


def test_the_checklist_shows_why_and_the_suggested_opportunity_when_in_the_catalogue(
    owner: User, owner_client: Client
) -> None:
    from apps.development.models import Opportunity

    Opportunity.objects.create(
        code="resilience-workshop",
        title="Build your resilience",
        description="d",
        kind="course",
        typical_time="One or two days",
        typical_cost="Varies",
        source="Seed 003",
    )
    enrol(owner)
    page = _page(owner_client)
    assert "Suggested: Build your resilience. One or two days." in page
    assert "very lonely place at times" in page


def test_a_bad_tick_changes_nothing(owner: User, owner_client: Client) -> None:
    enrolment = enrol(owner)
    response = owner_client.post(reverse("pathways:tick", args=["finance-rules"]), {"state": "finished"}, follow=True)
    assert "Choose done, does not apply, or not yet." in response.content.decode()
    assert owner_client.post(reverse("pathways:tick", args=["no-such-item"]), {"state": "done"}).status_code == 404
    assert owner_client.get(reverse("pathways:tick", args=["finance-rules"])).status_code == 405
    assert not ChecklistTick.objects.filter(enrolment=enrolment).exists()


def test_pages_of_a_pathway_one_is_not_on_are_404(owner: User, colleague: User) -> None:
    enrol(owner)
    client = signed_in(colleague)
    assert client.post(reverse("pathways:tick", args=["finance-rules"]), {"state": "done"}).status_code == 404
    assert client.get(reverse("pathways:scope")).status_code == 404
    assert client.get(reverse("pathways:checkin", args=[3])).status_code == 404
    assert client.get(reverse("pathways:leave")).status_code == 404
    assert not ChecklistTick.objects.exists()


# --- Scope and objectives --------------------------------------------------------------------------------------


def test_recording_scope_and_objectives_with_the_date_agreed(owner: User, owner_client: Client) -> None:
    enrolment = enrol(owner, started_on=date(2026, 11, 2))
    assert "To insist on knowing the scope/clarity of their role" in _page(owner_client, "pathways:scope")
    data = {"scope": PLANTED_SCOPE, "objectives": PLANTED_OBJECTIVES, "agreed_on": "2026-11-20"}
    response = owner_client.post(reverse("pathways:scope"), data)
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.scope, enrolment.objectives, enrolment.scope_agreed_on) == (
        PLANTED_SCOPE,
        PLANTED_OBJECTIVES,
        date(2026, 11, 20),
    )
    page = _page(owner_client)
    assert PLANTED_OBJECTIVES in page and "20 November 2026" in page and "1 of 5" in page
    # The audit record says they were recorded, never the words.
    event = ChangeEvent.objects.get(subject=owner, action="recorded the scope of their role")
    assert PLANTED_SCOPE not in str(event.before) + str(event.after)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"agreed_on": "2026-12-08"}, "cannot be in the future"),
        ({"agreed_on": "2026-11-01"}, "cannot be before you started, on 2 November 2026"),
        ({"objectives": "   "}, "Write the objectives you agreed"),
        ({"objectives": "x" * 4001}, "The objectives must be 4000 characters or fewer"),
        ({"agreed_on": ""}, "Enter the date you agreed them"),
    ],
)
def test_bad_scope_input_is_refused_keeping_what_was_typed(
    owner: User, owner_client: Client, changes: dict[str, str], message: str
) -> None:
    enrolment = enrol(owner, started_on=date(2026, 11, 2))
    data = {"scope": PLANTED_SCOPE, "objectives": "Objectives", "agreed_on": "2026-11-20"} | changes
    response = owner_client.post(reverse("pathways:scope"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and PLANTED_SCOPE in body
    enrolment.refresh_from_db()
    assert enrolment.scope == "" and enrolment.scope_agreed_on is None


# --- Check-ins -------------------------------------------------------------------------------------------------


def test_a_check_in_opens_on_its_due_date_and_is_written_once(owner: User) -> None:
    enrolment = enrol(owner, started_on=date(2026, 11, 2))
    key = f"pathway:{enrolment.pk}:checkin:3"
    client = signed_in(owner)
    data = {"going": PLANTED_GOING, "support": PLANTED_SUPPORT}
    assert "opens on 2 February 2027" in _page(client, "pathways:checkin", 3)
    response = client.post(reverse("pathways:checkin", args=[3]), data)
    assert response.status_code == 400 and "opens on 2 February 2027" in response.content.decode()
    assert not CheckIn.objects.exists()
    with time_machine.travel(datetime(2027, 2, 2, 8, 0, tzinfo=LONDON), tick=False):
        client = signed_in(owner)  # a session from December has expired by February
        assert "Due now" in _page(client)
        response = client.post(reverse("pathways:checkin", args=[3]), data)
        assert response.status_code == 302
        checkin = CheckIn.objects.get(enrolment=enrolment)
        assert (checkin.months, checkin.going, checkin.support) == (3, PLANTED_GOING, PLANTED_SUPPORT)
        # Written before its reminder went: the reminder is cancelled; the later ones still stand.
        assert Reminder.objects.get(dedupe_key=key).status == ReminderStatus.CANCELLED
        assert Reminder.objects.filter(recipient=owner, status=ReminderStatus.PENDING).count() == 2
        assert PLANTED_GOING in _page(client, "pathways:checkin", 3)
        again = client.post(reverse("pathways:checkin", args=[3]), {"going": "again"})
        assert again.status_code == 400 and "already written" in again.content.decode()
        with pytest.raises(PathwayError):
            checkin_complete(enrolment=enrolment, months=3, going="x", support="", now=timezone.now())
    assert CheckIn.objects.count() == 1


def test_bad_check_in_input_is_refused(owner: User, owner_client: Client) -> None:
    enrol(owner, started_on=date(2026, 8, 1))
    url = reverse("pathways:checkin", args=[3])
    response = owner_client.post(url, {"going": "  ", "support": PLANTED_SUPPORT})
    assert response.status_code == 400
    assert "Write a few words on how it is going" in response.content.decode()
    assert PLANTED_SUPPORT in response.content.decode()
    response = owner_client.post(url, {"going": "x" * 3001})
    assert response.status_code == 400 and "3000 characters or fewer" in response.content.decode()
    assert owner_client.get(reverse("pathways:checkin", args=[4])).status_code == 404
    assert owner_client.delete(url).status_code == 405
    assert not CheckIn.objects.exists()


# --- Leaving ---------------------------------------------------------------------------------------------------


def test_leaving_deletes_the_pathway_and_stops_its_reminders(owner: User, owner_client: Client) -> None:
    enrolment = with_scope(enrol(owner))
    owner_client.post(reverse("pathways:tick", args=["coach"]), {"state": "done"})
    page = _page(owner_client, "pathways:leave")
    assert "Leave the first-year pathway?" in page
    response = owner_client.post(reverse("pathways:leave"))
    assert response.status_code == 302
    assert not Enrolment.objects.filter(pk=enrolment.pk).exists() and not ChecklistTick.objects.exists()
    statuses = set(Reminder.objects.filter(recipient=owner).values_list("status", flat=True))
    assert statuses == {ReminderStatus.CANCELLED}
    assert ChangeEvent.objects.filter(subject=owner, action="left the first-year pathway").exists()
    assert "Join the pathway" in _page(owner_client)
    assert owner_client.post(reverse("pathways:leave")).status_code == 404


def test_another_persons_private_entries_never_appear_on_ones_own_pages(owner: User, colleague: User) -> None:
    theirs = with_scope(enrol(colleague, started_on=date(2026, 8, 1)))
    checkin_complete(enrolment=theirs, months=3, going=PLANTED_GOING, support=PLANTED_SUPPORT, now=timezone.now())
    enrol(owner, started_on=date(2026, 8, 1))
    client = signed_in(owner)
    for name, args in (("pathways:home", ()), ("pathways:scope", ()), ("pathways:checkin", (3,))):
        body = _page(client, name, *args)
        for planted in (PLANTED_SCOPE, PLANTED_OBJECTIVES, PLANTED_GOING, PLANTED_SUPPORT):
            assert planted not in body, (name, planted)
