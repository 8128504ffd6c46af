"""Programmes of learning sets, as their organisers see them: set up with the rules checked, opened, kept from
other organisers and from members, and reported on with small counts suppressed."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.learning_sets.models import (
    Application,
    ApplicationStatus,
    Attendance,
    LearningSet,
    Membership,
    Programme,
    ProgrammeStatus,
    Session,
)
from apps.learning_sets.reports import programme_report
from apps.learning_sets.services import LearningSetError
from apps.learning_sets.services.programmes import ProgrammeDetails, programme_save
from apps.organisations.models import Organisation, Sector
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, UserFactory, grant

LONDON = ZoneInfo("Europe/London")
OPENS, CLOSES, FIRST_SESSIONS = date(2027, 3, 1), date(2027, 3, 31), date(2027, 4, 19)
DURING = date(2027, 3, 15)  # applications open
AFTER = date(2027, 4, 2)  # applications closed, sessions not started


@contextmanager
def on(day: date) -> Iterator[None]:
    """Midday in London on `day`, with the clock stopped."""
    with time_machine.travel(datetime.combine(day, time(12), tzinfo=LONDON), tick=False):
        yield


def make_programme(organiser: User, **changes: object) -> Programme:
    fields: dict[str, object] = {
        "name": "North West aspiring MDs 2027",
        "audience": "aspiring_mds",
        "open_to": "doctors",
        "applications_open_on": OPENS,
        "applications_close_on": CLOSES,
        "first_sessions_from": FIRST_SESSIONS,
        "status": ProgrammeStatus.OPEN,
        "created_at": timezone.now(),
        **changes,
    }
    programme = Programme.objects.create(**fields)
    programme.organisers.add(organiser)
    return programme


def applicant(
    programme: Programme,
    *,
    organisation: Organisation | None = None,
    sector: str = "mental_health",
    stage: str = "clinical_director",
    slots: Sequence[str] = ("tue-14:00",),
    email: str | None = None,
    status: str = ApplicationStatus.APPLIED,
) -> Application:
    person = UserFactory(**({"email": email} if email else {}))
    return Application.objects.create(
        programme=programme,
        person=person,
        organisation=organisation or OrganisationFactory(),
        sector=Sector.objects.get(code=sector),
        career_stage=stage,
        profession="doctor",
        slots=list(slots),
        status=status,
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )


def draft(programme: Programme, groups: Sequence[tuple[str, Sequence[Application]]]) -> list[LearningSet]:
    """Draft sets made by hand, as grouping would leave them: numbered, with their members placed."""
    programme.status = ProgrammeStatus.GROUPING
    programme.save(update_fields=["status"])
    sets = []
    for number, (slot, members) in enumerate(groups, start=1):
        learning_set = LearningSet.objects.create(programme=programme, number=number, slot=slot)
        for application in members:
            Membership.objects.create(learning_set=learning_set, application=application, member=application.person)
            Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.PLACED)
        sets.append(learning_set)
    return sets


FORM = {
    "name": "Aspiring MDs, North West, 2027",
    "audience": "aspiring_mds",
    "open_to": "doctors",
    "description": "Six sessions for consultants and SAS doctors aiming for medical director.",
    "set_size_min": "6",
    "set_size_max": "8",
    "sessions_count": "6",
    "cadence_weeks": "4",
    "session_minutes": "120",
    "applications_open_on": "2027-03-01",
    "applications_close_on": "2027-03-31",
    "first_sessions_from": "2027-04-19",
    "facilitator_emails": "",
    "default_venue": "Education centre, room 2",
    "default_video_url": "",
}


# A Teams meeting link is often longer than the 200 characters of a default URLField.
TEAMS_LINK = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_" + "N2Y4ZjE5" * 40 + "%40thread.v2/0"


# Setting up and opening a programme


def test_an_organiser_sets_up_a_programme_with_its_facilitators(organiser: User) -> None:
    helen = UserFactory(email="helen@example.org", last_name="Moss")
    tom = UserFactory(email="tom@example.org", last_name="Adeyemi")
    response = signed_in(organiser).post(
        reverse("learning_sets:programme_new"),
        {**FORM, "facilitator_emails": "Helen@example.org\ntom@example.org", "default_video_url": "meet.example.org/x"},
    )
    programme = Programme.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("learning_sets:programme", args=[programme.pk])
    assert programme.status == ProgrammeStatus.DRAFT and list(programme.organisers.all()) == [organiser]
    assert set(programme.facilitators.all()) == {helen, tom}  # any portal user, found whatever the case
    assert (programme.set_size_min, programme.set_size_max, programme.cadence_weeks) == (6, 8, 4)
    assert programme.default_video_url == "https://meet.example.org/x" and programme.time_zone == "Europe/London"
    page = signed_in(organiser).get(response["Location"]).content.decode()
    assert "Open the programme" in page and "Education centre, room 2" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"set_size_min": "9"}, "The smallest set size cannot be bigger than the largest"),
        ({"set_size_min": "1"}, "Enter a whole number of members from 2 to 12"),
        ({"set_size_max": "13"}, "Enter a whole number of members from 2 to 12"),
        ({"session_minutes": "240"}, "Enter a whole number of minutes from 30 to 120"),
        ({"sessions_count": "many"}, "Enter a whole number of sessions from 1 to 24"),
        ({"applications_close_on": "2027-02-27"}, "Applications cannot close before they open"),
        ({"first_sessions_from": "2027-03-20"}, "The first sessions must start after applications close"),
        ({"first_sessions_from": "2027-03-31"}, "The first sessions must start after applications close"),
        ({"applications_open_on": "2027-02-30"}, "Enter a real date"),
        ({"name": ""}, "Enter a name for the programme"),
        ({"audience": "everyone"}, "Choose from the list"),
        ({"facilitator_emails": "not an address"}, "is not an e-mail address"),
        ({"facilitator_emails": "nobody@example.org"}, "Check these addresses: nobody@example.org."),
        ({"default_video_url": TEAMS_LINK + "x" * 200}, "The video link must be 500 characters or fewer"),
        (
            {"applications_open_on": "9999-01-01", "applications_close_on": "9999-02-01"},
            "enter a date between 1950 and 2100",
        ),
        ({"first_sessions_from": "9999-12-31"}, "enter a date between 1950 and 2100"),
    ],
)
def test_bad_programme_input_is_refused_and_nothing_is_saved(organiser: User, changes: dict, message: str) -> None:
    response = signed_in(organiser).post(reverse("learning_sets:programme_new"), {**FORM, **changes})
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and "There is a problem" in page
    assert 'value="Aspiring MDs, North West, 2027"' in page or changes.get("name") == ""  # what was typed is kept
    assert not Programme.objects.exists()


def test_a_long_teams_link_is_kept_whole(organiser: User) -> None:
    assert 200 < len(TEAMS_LINK) <= 500
    response = signed_in(organiser).post(
        reverse("learning_sets:programme_new"), {**FORM, "default_video_url": TEAMS_LINK}
    )
    assert response.status_code == 302
    assert Programme.objects.get().default_video_url == TEAMS_LINK


def test_an_inactive_account_is_answered_like_an_address_without_one(organiser: User) -> None:
    UserFactory(email="left@example.org", is_active=False)
    UserFactory(email="here@example.org")
    response = signed_in(organiser).post(
        reverse("learning_sets:programme_new"),
        {**FORM, "facilitator_emails": "here@example.org\nleft@example.org\nnobody@example.org"},
    )
    page = response.content.decode()
    # The addresses to check are named, to put a typo right; but not which of them has an account.
    assert response.status_code == 400
    assert "Check these addresses: left@example.org, nobody@example.org. Facilitators need an account" in page
    assert not Programme.objects.exists()


def test_the_service_keeps_the_rules_whatever_the_caller(organiser: User) -> None:
    details = ProgrammeDetails(
        name="Direct",
        audience="aspiring_mds",
        description="",
        set_size_min=8,
        set_size_max=6,
        sessions_count=6,
        cadence_weeks=4,
        session_minutes=120,
        applications_open_on=OPENS,
        applications_close_on=CLOSES,
        first_sessions_from=FIRST_SESSIONS,
    )
    with pytest.raises(LearningSetError, match="smallest set size cannot be bigger"):
        programme_save(actor=organiser, programme=None, details=details, now=timezone.now())
    member = UserFactory()
    with pytest.raises(LearningSetError, match="Only organisers"):
        programme_save(
            actor=member, programme=None, details=ProgrammeDetails(**{**details.__dict__, "set_size_min": 6}),
            now=timezone.now(),
        )  # fmt: skip
    # What only the model checks is refused with a message too, not a 500.
    too_long = ProgrammeDetails(**{**details.__dict__, "set_size_min": 6, "default_video_url": TEAMS_LINK * 2})
    with pytest.raises(LearningSetError, match=r"Video link: Ensure this value has at most 500 characters"):
        programme_save(actor=organiser, programme=None, details=too_long, now=timezone.now())
    assert not Programme.objects.exists()


def test_an_organiser_changes_a_programme_and_opens_it(organiser: User) -> None:
    programme = make_programme(organiser, status=ProgrammeStatus.DRAFT)
    with on(DURING - timedelta(days=20)):
        client = signed_in(organiser)  # signed in on the day: a session from the real today would have expired
        form = client.get(reverse("learning_sets:programme_edit", args=[programme.pk])).content.decode()
        assert 'value="North West aspiring MDs 2027"' in form
        response = client.post(
            reverse("learning_sets:programme_edit", args=[programme.pk]), {**FORM, "set_size_max": "7"}
        )
        assert response.status_code == 302
        response = client.post(reverse("learning_sets:programme_open", args=[programme.pk]))
    programme.refresh_from_db()
    assert response.status_code == 302 and programme.status == ProgrammeStatus.OPEN and programme.set_size_max == 7


def test_a_programme_whose_window_has_passed_cannot_be_opened(organiser: User) -> None:
    programme = make_programme(organiser, status=ProgrammeStatus.DRAFT)
    with on(AFTER):
        response = signed_in(organiser).post(reverse("learning_sets:programme_open", args=[programme.pk]), follow=True)
    programme.refresh_from_db()
    assert "which has passed: change the dates" in response.content.decode()
    assert programme.status == ProgrammeStatus.DRAFT


def test_a_published_programme_can_no_longer_be_changed(organiser: User) -> None:
    programme = make_programme(organiser, status=ProgrammeStatus.RUNNING)
    client = signed_in(organiser)
    response = client.post(reverse("learning_sets:programme_edit", args=[programme.pk]), {**FORM, "name": "Renamed"})
    programme.refresh_from_db()
    assert response.status_code == 302 and programme.name == "North West aspiring MDs 2027"
    assert "can no longer be changed" in client.get(response["Location"]).content.decode()


def test_state_changes_need_a_post(organiser: User) -> None:
    programme = make_programme(organiser, status=ProgrammeStatus.DRAFT)
    client = signed_in(organiser)
    for name in ("programme_open", "programme_group"):
        assert client.get(reverse(f"learning_sets:{name}", args=[programme.pk])).status_code == 405
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.DRAFT


# Who may see what


def organiser_urls(programme: Programme, application: Application, learning_set: LearningSet) -> list[str]:
    return [
        reverse("learning_sets:programme", args=[programme.pk]),
        reverse("learning_sets:programme_edit", args=[programme.pk]),
        reverse("learning_sets:review", args=[programme.pk]),
        reverse("learning_sets:report", args=[programme.pk]),
        reverse("learning_sets:move_check", args=[programme.pk, application.pk]) + f"?target={learning_set.pk}",
    ]


def test_programmes_are_for_their_organisers_only(organiser: User, owner: User, administrator: User) -> None:
    programme = make_programme(organiser, description="A secret description")
    application = applicant(programme)
    (learning_set,) = draft(programme, [("tue-14:00", [application])])
    another = UserFactory(email="another.organiser@example.org")
    grant(another, Role.ORGANISER)

    for person in (owner, administrator):
        client = signed_in(person)
        assert client.get(reverse("learning_sets:organise")).status_code == 403
        assert client.get(reverse("learning_sets:programme_new")).status_code == 403
        for url in organiser_urls(programme, application, learning_set):
            assert client.get(url).status_code == 403, url
    client = signed_in(another)
    assert "North West" not in client.get(reverse("learning_sets:organise")).content.decode()
    for url in organiser_urls(programme, application, learning_set):
        response = client.get(url)
        assert response.status_code == 404 and "secret" not in response.content.decode(), url
    posts = [
        (reverse("learning_sets:programme_edit", args=[programme.pk]), {**FORM, "name": "Taken over"}),
        (reverse("learning_sets:programme_group", args=[programme.pk]), {}),
        (reverse("learning_sets:move", args=[programme.pk, application.pk]), {"target": "out"}),
        (reverse("learning_sets:set_edit", args=[programme.pk, learning_set.pk]), {"slot": "tue-14:00"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    programme.refresh_from_db()
    assert programme.name == "North West aspiring MDs 2027" and programme.status == ProgrammeStatus.GROUPING
    assert Membership.objects.get().application == application


def test_pages_need_sign_in(client: object, organiser: User) -> None:
    programme = make_programme(organiser)
    for url in (reverse("learning_sets:programmes"), reverse("learning_sets:programme", args=[programme.pk])):
        response = client.get(url)  # type: ignore[attr-defined]
        assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_everyone_has_learning_sets_in_the_navigation(owner: User, organiser: User) -> None:
    page = signed_in(owner).get(reverse("learning_sets:programmes")).content.decode()
    assert "Learning sets" in page and reverse("learning_sets:programmes") in page
    assert reverse("learning_sets:organise") not in page
    page = signed_in(organiser).get(reverse("learning_sets:programmes")).content.decode()
    assert reverse("learning_sets:organise") in page


# The report


def attendance(learning_set: LearningSet, recorder: User, presence: Sequence[bool]) -> None:
    """One session of the set, with the members' attendance recorded as given, in member order."""
    start = datetime(2027, 4, 20, 14, tzinfo=LONDON) + timedelta(weeks=4 * learning_set.sessions.count())
    session = Session.objects.create(
        learning_set=learning_set,
        number=learning_set.sessions.count() + 1,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    members = [m.member for m in learning_set.memberships.select_related("member")]
    for member, present in zip(members, presence, strict=False):
        Attendance.objects.create(
            session=session, member=member, present=present, recorded_by=recorder, recorded_at=timezone.now()
        )


def sets_of(programme: Programme, sizes: Sequence[int], **others: int) -> list[LearningSet]:
    """Draft sets of these sizes, their members from three sectors in turn; `others` applications by status."""
    sectors = ["mental_health", "acute", "community"]
    groups = [("tue-14:00", [applicant(programme, sector=sectors[i % 3]) for i in range(size)]) for size in sizes]
    for status, count in others.items():
        for _ in range(count):
            applicant(programme, status=status)
    return draft(programme, groups)


def test_the_report_counts_placement_sector_mix_and_attendance(organiser: User) -> None:
    programme = make_programme(organiser, set_size_min=2, set_size_max=8)
    first, second = sets_of(programme, [6, 7], unplaced=5, withdrawn=5)
    for _ in range(3):
        attendance(first, organiser, [True, True, True, True, True, False])
    attendance(second, organiser, [True] * 7)
    Application.objects.filter(membership__learning_set=first).update(hopes="A private hope")

    report = programme_report(programme)
    assert report.applications == 23  # every row shown, withdrawn included
    assert {row.label: row.count for row in report.placement} == {
        "Placed in a set": 13,
        "Not placed": 5,
        "Not yet grouped": 0,
        "Withdrawn": 5,
    }
    assert [(s.number, s.members, s.sectors, s.attendance) for s in report.sets] == [
        (1, 6, 3, "83%"),
        (2, 7, 3, "100%"),
    ]
    assert report.attendance == "88%"  # 22 present of 25 records

    page = signed_in(organiser).get(reverse("learning_sets:report", args=[programme.pk])).content.decode()
    assert "Applications, withdrawn ones included: 23" in page and "83%" in page and "88%" in page
    assert "A private hope" not in page and str(first.memberships.all()[0].member) not in page


def test_the_total_of_applications_is_hidden_when_any_row_is(organiser: User) -> None:
    programme = make_programme(organiser, set_size_min=2, set_size_max=8)
    sets_of(programme, [5, 4], unplaced=1, withdrawn=1)
    report = programme_report(programme)
    # 1 not placed and 1 withdrawn are hidden. With a total (10 live, or 11), one of them would be the rest.
    assert {row.label: row.count for row in report.placement} == {
        "Placed in a set": 9,
        "Not placed": None,
        "Not yet grouped": 0,
        "Withdrawn": None,
    }
    assert report.applications is None
    page = signed_in(organiser).get(reverse("learning_sets:report", args=[programme.pk])).content.decode()
    assert 'Applications, withdrawn ones included: <span class="app-suppressed">not shown</span>' in page


def test_set_sizes_are_hidden_as_a_group_and_their_sectors_with_them(organiser: User) -> None:
    programme = make_programme(organiser, set_size_min=2, set_size_max=8)
    sets_of(programme, [6, 7, 3])
    report = programme_report(programme)
    # "Placed in a set" (16) is the sizes' sum: with only the 3 hidden, it would be 16 - 6 - 7. So the next
    # smallest, 6, is hidden too, and the sector count of each hidden set (a set of 3 in 3 sectors says who).
    assert [(s.number, s.members, s.sectors) for s in report.sets] == [(1, None, None), (2, 7, 3), (3, None, None)]
    assert {row.label: row.count for row in report.placement}["Placed in a set"] == 16


def test_one_hidden_set_rate_hides_the_programmes_rate(organiser: User) -> None:
    programme = make_programme(organiser, set_size_min=2, set_size_max=8)
    big, small, other_small = sets_of(programme, [6, 3, 3])
    attendance(big, organiser, [True] * 6)
    attendance(small, organiser, [True, True, False])
    report = programme_report(programme)
    # 8 of 9 records overall, 6 of 6 in set 1: set 2's rate would be the difference.
    assert [s.attendance for s in report.sets] == [
        "100%",
        "Not shown: fewer than 5 people or records.",
        "Not recorded yet.",
    ]
    assert report.attendance.startswith("Not shown")

    # Two hidden rates can only be worked out together: the programme's rate is shown again.
    attendance(other_small, organiser, [True, False, False])
    report = programme_report(programme)
    assert report.sets[2].attendance.startswith("Not shown") and report.attendance == "75%"  # 9 of 12


def test_a_report_before_anyone_applied(organiser: User) -> None:
    programme = make_programme(organiser)
    report = programme_report(programme)
    assert report.applications == 0 and report.sets == [] and report.attendance == "Not recorded yet."
    page = signed_in(organiser).get(reverse("learning_sets:report", args=[programme.pk])).content.decode()
    assert "No sets have been formed yet." in page


# Demo data


def test_the_demo_programme_is_grouped_and_published_once(db: None) -> None:
    from io import StringIO

    from apps.learning_sets import demo
    from apps.notifications.models import Reminder, ReminderStatus
    from apps.organisations import demo as organisations_demo
    from apps.profiles import demo as profiles_demo

    out = StringIO()
    now = datetime(2027, 2, 10, 12, tzinfo=LONDON)
    with time_machine.travel(now, tick=False):
        for module in (organisations_demo, profiles_demo, demo):
            module.seed(scale="small", stdout=out)
    programme = Programme.objects.get(name=demo.PUBLISHED)
    assert programme.status == ProgrammeStatus.RUNNING, out.getvalue()
    assert programme.published_at == now - timedelta(days=35)
    assert programme.applications.count() == 24
    assert programme.applications.filter(person__email="aspiring@example.org", status="placed").exists()
    for application in programme.applications.select_related("person__profile"):
        assert application.career_stage == application.person.profile.career_role  # as the form fills it in
    assert LearningSet.objects.filter(programme=programme, facilitator__isnull=False).count() == 3
    assert Session.objects.filter(learning_set__programme=programme).count() == 18
    assert Programme.objects.get(name=demo.TAKING_APPLICATIONS).status == ProgrammeStatus.OPEN

    # Each set has met once, with attendance still to record, and meets next in one to two weeks.
    for learning_set in LearningSet.objects.filter(programme=programme):
        first, second = Session.objects.filter(learning_set=learning_set).order_by("number")[:2]
        assert first.starts_at < now - timedelta(days=7) and first.attendance_recorded_at is None
        assert now + timedelta(days=6) < second.starts_at < now + timedelta(days=15)
        reminders = set(
            Reminder.objects.filter(dedupe_key__startswith=f"session:{first.pk}:").values_list("kind", "status")
        )
        # The members' reminders for it would have gone weeks ago: cancelled, not sent late. The facilitator's
        # reminder to record attendance is still to come.
        assert reminders == {
            ("session_upcoming_7d", ReminderStatus.CANCELLED),
            ("session_upcoming_24h", ReminderStatus.CANCELLED),
            ("attendance_not_recorded", ReminderStatus.PENDING),
        }

    def everything() -> tuple[object, ...]:
        return (
            Programme.objects.count(),
            Application.objects.count(),
            sorted(Session.objects.values_list("pk", "starts_at")),
            sorted(Reminder.objects.values_list("dedupe_key", "status")),
        )

    seeded = everything()
    with time_machine.travel(now + timedelta(days=3), tick=False):
        demo.seed(scale="small", stdout=out)
    assert everything() == seeded
