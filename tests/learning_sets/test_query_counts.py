"""Query counts of the learning sets pages that have no count test elsewhere (the set page's is in
test_set_pages.py, the review page's in test_review.py): each page is requested once to warm the session, then
counted in a world about three times the size of the one it was first measured in, where it made the same number."""

from datetime import date, timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.development.services import plan_create
from apps.learning_sets.models import (
    Apology,
    Application,
    ApplicationStatus,
    Attendance,
    LearningSet,
    Programme,
    ProgrammeStatus,
)
from apps.learning_sets.services.feeds import feed_token_reset
from apps.learning_sets.services.notes import reflection_to_plan, reflection_write
from apps.learning_sets.services.publishing import programme_publish
from apps.organisations.models import Sector
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, ProfileFactory, UserFactory

from . import sets_support
from .sets_support import NOW, World, add_set, make_facilitator, published, sessions_of, world
from .test_programmes import DURING, applicant, draft, on
from .test_programmes import make_programme as open_programme

__all__ = ["published", "world"]  # fixtures

SLOTS = ("mon-10:00", "wed-16:00", "thu-14:00", "fri-12:00", "mon-16:00", "wed-08:00", "fri-16:00")
REFLECTION = {"what_happened": "We talked", "so_what": "It mattered", "now_what": "Try it"}


def people(count: int) -> list[User]:
    return [ProfileFactory().user for _ in range(count)]


def live_programme(organiser: User, name: str, sets: list[tuple[User, list[User]]]) -> list[LearningSet]:
    """A published programme (autumn 2026, as in sets_support) of one set per (facilitator, members)."""
    programme = sets_support.make_programme(organiser, name=name, set_size_max=12)
    made = [
        add_set(programme, number=number, slot=SLOTS[number], facilitator=facilitator, members=members)
        for number, (facilitator, members) in enumerate(sets, start=1)
    ]
    programme_publish(programme=programme, actor=organiser, now=NOW)
    return made


def apply_as(person: User, programme: Programme) -> Application:
    return Application.objects.create(
        programme=programme,
        person=person,
        organisation=OrganisationFactory(),
        sector=Sector.objects.get(code="acute"),
        career_stage="clinical_director",
        profession="doctor",
        slots=["tue-14:00"],
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )


# Members' and facilitators' pages.


def test_the_home_page_makes_the_same_few_queries_however_many_sets(
    published: World, django_assert_num_queries: object
) -> None:
    with time_machine.travel(NOW, tick=False):
        for number in range(2, 5):  # three more programmes: the owner is in each set, the facilitator runs it
            live_programme(
                published.organiser, f"Programme {number}", [(published.facilitator, [published.owner, *people(2)])]
            )
        feed_token_reset(person=published.owner, now=NOW)
        feed_token_reset(person=published.facilitator, now=NOW)
        for who in (published.owner, published.facilitator):
            client = signed_in(who)
            client.get(reverse("learning_sets:home"))  # warm: the session and the user are cached after this
            # 1 session, 2 user, 3 the sets with programme and facilitator, 4 the upcoming sessions, 5 the calendar
            # link, 6 role grants and 7 unread reminders (both for the header)
            with django_assert_num_queries(7):  # type: ignore[operator]
                response = client.get(reverse("learning_sets:home"))
            page = response.content.decode()
            assert response.status_code == 200
            assert all(f"Programme {number}, set 1" in page for number in range(2, 5))
            assert page.count('href="/learning-sets/sessions/') == 6  # the first six of twelve upcoming


def test_the_session_page_makes_the_same_few_queries_however_many_members(
    organiser: User, django_assert_num_queries: object
) -> None:
    facilitator = make_facilitator("busy.facilitator@example.org")
    members = people(9)
    with time_machine.travel(NOW, tick=False):
        (learning_set,) = live_programme(organiser, "Big set", [(facilitator, members)])
    first = sessions_of(learning_set)[0]
    Apology.objects.bulk_create(
        Apology(session=first, member=member, message=f"Clinic {i}", created_at=NOW)
        for i, member in enumerate(members[1:])
    )
    during = first.starts_at + timedelta(minutes=30)
    Attendance.objects.bulk_create(
        Attendance(session=first, member=member, present=i % 2 == 0, recorded_by=facilitator, recorded_at=during)
        for i, member in enumerate(members)
    )
    url = reverse("learning_sets:session", args=[first.pk])
    with time_machine.travel(during, tick=False):
        member, leader = signed_in(members[1]), signed_in(facilitator)
        member.get(url)
        leader.get(url)
        # 1 session, 2 user, 3 the session with its set, programme and facilitator, 4 its apologies with who sent
        # them, 5 role grants and 6 unread reminders (both for the header)
        with django_assert_num_queries(6):  # type: ignore[operator]
            response = member.get(url)
        assert response.status_code == 200 and "Clinic 0" in response.content.decode()
        # 1 session, 2 user, 3 the session with its set, programme and facilitator, 4 its apologies with who sent
        # them, 5 the members with profiles and organisations, 6 the attendance recorded, 7 role grants and 8 unread
        # reminders (both for the header)
        with django_assert_num_queries(8):  # type: ignore[operator]
            response = leader.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert all(f"Clinic {i}" in page for i in range(8)) and all(f"Was {m} there?" in page for m in members)


def test_the_reflection_page_makes_the_same_few_queries_however_many_plans_and_reflections(
    published: World, django_assert_num_queries: object
) -> None:
    sessions = sessions_of(published.set1)
    later = sessions[-1].ends_at + timedelta(days=1)
    owner = published.owner
    with time_machine.travel(later, tick=False):
        plans = [
            plan_create(
                owner=owner,
                title=f"Plan {i}",
                target_level=4,
                starts_on=date(2026, 9, 1),
                ends_on=date(2027, 8, 31),
                now=later,
            )
            for i in range(6)
        ]
        reflections = [
            reflection_write(learning_set=published.set1, author=owner, session=session, now=later, **REFLECTION)
            for session in sessions
            for _ in range(3)
        ]
        reflection_to_plan(reflection=reflections[1], author=owner, plan_id=plans[0].pk, title="ALS", now=later)
        client = signed_in(owner)
        client.get(reverse("learning_sets:reflection", args=[published.set1.pk, reflections[0].pk]))
        for reflection, shown in ((reflections[0], "Plan 5"), (reflections[1], "is in your plan")):
            url = reverse("learning_sets:reflection", args=[published.set1.pk, reflection.pk])
            # 1 session, 2 user, 3 the set with its programme, 4 the reflection with its session and plan, 5 the
            # author's plans, 6 role grants and 7 unread reminders (both for the header)
            with django_assert_num_queries(7):  # type: ignore[operator]
                response = client.get(url)
            assert response.status_code == 200 and shown in response.content.decode()


# Members' programme pages.


def test_the_programme_list_makes_the_same_few_queries_however_many_programmes(
    owner: User, organiser: User, django_assert_num_queries: object
) -> None:
    with on(DURING):
        taking = [open_programme(organiser, name=f"Open {i}") for i in range(6)]
        running = [open_programme(organiser, name=f"Running {i}", status=ProgrammeStatus.RUNNING) for i in range(3)]
        for programme in taking[1:4] + running:
            apply_as(owner, programme)
        for programme in taking:
            applicant(programme)
        client = signed_in(owner)
        client.get(reverse("learning_sets:programmes"))
        # 1 session, 2 user, 3 the member's applications with their programmes, 4 the programmes taking
        # applications, 5 role grants (for the organisers' link and the header) and 6 unread reminders
        with django_assert_num_queries(6):  # type: ignore[operator]
            response = client.get(reverse("learning_sets:programmes"))
    page = response.content.decode()
    assert response.status_code == 200
    assert all(f"Open {i}" in page for i in range(6)) and all(f"Running {i}" in page for i in range(3))


def test_the_apply_page_makes_the_same_few_queries_however_many_organisations(
    owner: User, organiser: User, django_assert_num_queries: object
) -> None:
    with on(DURING):
        new, applied = open_programme(organiser, name="New to me"), open_programme(organiser, name="Applied to")
        apply_as(owner, applied)
        for programme in (new, applied):
            for _ in range(3):
                applicant(programme)
        OrganisationFactory.create_batch(15)
        client = signed_in(owner)
        client.get(reverse("learning_sets:apply", args=[new.pk]))
        # 1 session, 2 user, 3 the programme, 4 the member's application to it, 5 (only when there is none) their
        # profile, from which the form starts, 6 role grants and 7 unread reminders (both for the header), 8 the
        # organisations and 9 the sectors to choose from
        for programme, queries in ((new, 9), (applied, 8)):
            with django_assert_num_queries(queries):  # type: ignore[operator]
                response = client.get(reverse("learning_sets:apply", args=[programme.pk]))
            assert response.status_code == 200 and programme.name in response.content.decode()


# Organisers' pages.


def test_the_organise_and_programme_pages_make_the_same_few_queries_however_big(
    organiser: User, django_assert_num_queries: object
) -> None:
    with on(DURING):
        programmes = [open_programme(organiser, name=f"Programme {i}") for i in range(6)]
        for programme in programmes:
            programme.facilitators.set([UserFactory() for _ in range(6)])
            first, *_ = [applicant(programme) for _ in range(4)]
            Application.objects.filter(pk=first.pk).update(status=ApplicationStatus.WITHDRAWN)
        target = programmes[0]
        live = list(Application.objects.filter(programme=target).exclude(status=ApplicationStatus.WITHDRAWN))
        draft(target, [(SLOTS[i], live[i::3]) for i in range(3)])
        client = signed_in(organiser)
        client.get(reverse("learning_sets:organise"))
        # 1 session, 2 user, 3 role grants, 4 the programmes with their counts of applications, 5 unread reminders
        with django_assert_num_queries(5):  # type: ignore[operator]
            response = client.get(reverse("learning_sets:organise"))
        assert response.status_code == 200 and response.content.decode().count("3 applications") == 6
        # 1 session, 2 user, 3 role grants, 4 the programme, 5 its facilitators, 6 its counts of applications, 7 its
        # count of sets, 8 unread reminders
        with django_assert_num_queries(8):  # type: ignore[operator]
            response = client.get(reverse("learning_sets:programme", args=[target.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and "3 received, 1 withdrawn" in page and "Review the 3 draft sets" in page


def test_the_report_makes_the_same_few_queries_however_many_sets_and_members(
    organiser: User, django_assert_num_queries: object
) -> None:
    with time_machine.travel(NOW, tick=False):
        sets = live_programme(
            organiser,
            "Reported on",
            [(make_facilitator(f"facilitator{n}@example.org"), people(9)) for n in range(6)],
        )
    for learning_set in sets:
        members = [membership.member for membership in learning_set.memberships.select_related("member")]
        for session in sessions_of(learning_set)[:2]:
            Attendance.objects.bulk_create(
                Attendance(
                    session=session,
                    member=member,
                    present=i % 3 > 0,
                    recorded_by=learning_set.facilitator,
                    recorded_at=session.starts_at,
                )
                for i, member in enumerate(members)
            )
    client = signed_in(organiser)
    url = reverse("learning_sets:report", args=[sets[0].programme_id])
    client.get(url)
    # 1 session, 2 user, 3 role grants, 4 the programme, 5 applications by status, 6 the sets with sizes and
    # sectors, 7 attendance by set, 8 attendance overall, 9 unread reminders
    with django_assert_num_queries(9):  # type: ignore[operator]
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<th scope="row" class="nhsuk-table__header">Set ') == 6 and "67%" in page
