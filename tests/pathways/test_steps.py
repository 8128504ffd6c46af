"""When each step of the pathway counts as done, read from the part of the portal that does it: a published buddy,
an active mentor from another organisation, a shadowing visit agreed, a place in a running set of a programme for
new medical directors; and the summary the dashboard shows, in a fixed number of queries."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import User
from apps.buddies.models import BuddyPair, PairStatus
from apps.buddies.models import Cohort as BuddyCohort
from apps.learning_sets.models import ProgrammeStatus
from apps.mentoring.models import MentoringRelationship, RelationshipStatus
from apps.pathways.models import Enrolment
from apps.pathways.selectors import pathway_for, steps_done
from apps.pathways.services import checkin_complete
from tests.factories import OrganisationFactory, ProfileFactory
from tests.learning_sets.sets_support import add_set, make_programme
from tests.shadowing.support import accepted as shadowing_accepted
from tests.shadowing.support import ask, make_offer, person_in_role
from tests.support.colleagues import working_with

from .support import enrol, with_scope


def _done(person: User) -> set[str]:
    found = steps_done(enrolments=[Enrolment.objects.get(person=person)])
    return {step for step, people in found.items() if person.pk in people}


def test_nothing_is_done_at_first(owner: User) -> None:
    enrol(owner)
    assert _done(owner) == set()


def test_scope_is_done_once_objectives_and_the_date_agreed_are_recorded(owner: User) -> None:
    with_scope(enrol(owner))
    assert _done(owner) == {"scope"}


def test_a_mentor_counts_only_from_another_organisation_and_while_active(owner: User, colleague: User) -> None:
    enrol(owner)
    inside = working_with(owner, colleague)  # the same organisation
    assert _done(owner) == set()
    inside.status, inside.closed_at = RelationshipStatus.CLOSED, timezone.now()
    inside.save()
    outside = MentoringRelationship.objects.create(
        mentor=ProfileFactory(organisation=OrganisationFactory()).user,
        mentee=owner,
        kind="mentor",
        started_at=timezone.now(),
    )
    assert _done(owner) == {"mentor"}
    outside.status, outside.closed_at = RelationshipStatus.CLOSED, timezone.now()
    outside.save()
    assert _done(owner) == set()


def test_a_mentor_without_an_organisation_does_not_count(owner: User) -> None:
    enrol(owner)
    mentor = ProfileFactory(organisation=None).user
    working_with(owner, mentor)
    assert _done(owner) == set()


def test_shadowing_counts_once_a_visit_is_agreed(owner: User) -> None:
    enrol(owner)
    offer = make_offer(person_in_role("md.elsewhere@example.org", organisation=OrganisationFactory()))
    ask(offer, owner)
    assert _done(owner) == set()  # asked, not yet agreed
    offer2 = make_offer(person_in_role("md.third@example.org", organisation=OrganisationFactory()))
    shadowing_accepted(offer2, owner, agreed_on=date(2027, 1, 12))
    assert _done(owner) == {"shadowing"}


def test_a_learning_set_counts_when_it_is_for_new_mds_and_running(owner: User, organiser: User) -> None:
    enrol(owner)
    aspiring = make_programme(organiser, status=ProgrammeStatus.RUNNING)
    add_set(aspiring, number=1, slot="tue-14:00", facilitator=None, members=[owner])
    assert _done(owner) == set()  # a set for aspiring MDs is not the new-MD set
    drafting = make_programme(organiser, name="New MDs set", audience="new_mds", status=ProgrammeStatus.GROUPING)
    add_set(drafting, number=1, slot="tue-14:00", facilitator=None, members=[owner])
    assert _done(owner) == set()  # being formed: not a place yet
    drafting.status = ProgrammeStatus.RUNNING
    drafting.save()
    assert _done(owner) == {"learning_set"}


def test_a_buddy_counts_once_the_pair_is_published(owner: User, organiser: User) -> None:
    enrol(owner)
    buddy = ProfileFactory(organisation=OrganisationFactory()).user
    cohort = BuddyCohort.objects.create(name="Buddies 2026", created_by=organiser, created_at=timezone.now())
    first, second = sorted([owner, buddy], key=lambda u: u.pk)
    pair = BuddyPair.objects.create(
        cohort=cohort,
        first=first,
        second=second,
        level=5,
        first_organisation="A",
        second_organisation="B",
        first_months_in_role=1,
        second_months_in_role=6,
        created_at=timezone.now(),
    )
    assert _done(owner) == set()  # a draft pair
    pair.status, pair.published_at = PairStatus.PUBLISHED, timezone.now()
    pair.save()
    assert _done(owner) == {"buddy"}


def test_the_dashboard_summary(owner: User, colleague: User) -> None:
    assert pathway_for(user=owner) is None
    enrolment = with_scope(enrol(owner, started_on=date(2026, 8, 3)))
    working_with(owner, ProfileFactory(organisation=OrganisationFactory()).user)
    with CaptureQueriesContext(connection) as captured:
        summary = pathway_for(user=owner)
    # the enrolment 1; buddies 1, mentors 1, shadowing 1, learning sets 1; check-ins written 1.
    assert len(captured) == 6
    assert summary is not None
    assert (summary.steps_done, summary.steps_total) == (2, 5)
    assert (summary.next_checkin_months, summary.next_checkin_due_on) == (3, date(2026, 11, 3))
    assert summary.url == "/first-year/"
    checkin_complete(enrolment=enrolment, months=3, going="Fine", support="", now=timezone.now())
    summary = pathway_for(user=owner)
    assert summary is not None
    assert (summary.next_checkin_months, summary.next_checkin_due_on) == (6, date(2027, 2, 3))
    assert pathway_for(user=colleague) is None
