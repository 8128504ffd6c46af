"""Query counts of the mentoring pages that have no count test elsewhere (the relationship page's is in
test_relationships.py; the scheme, round and pair pages' in test_rounds.py): each page is requested once to warm the
session, then counted in a world about three times the size of the one it was first measured in, where it made the
same number."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.mentoring.models import (
    ClosingFeedback,
    MentoringRelationship,
    MentoringRequest,
    Proposal,
    ProposalStatus,
    RelationshipStatus,
    RequestStatus,
)
from tests.conftest import signed_in
from tests.factories import ProfileFactory
from tests.mentoring.test_proposals import make_mentor, make_request
from tests.mentoring.test_rounds import make_scheme, scheme_mentee, scheme_mentor


def pair(mentor: User, mentee: User, *, kind: str = "mentor", closed: bool = False) -> MentoringRelationship:
    """A relationship as an accepted proposal leaves it; closed at once if `closed`."""
    request = MentoringRequest.objects.create(
        mentee=mentee, kind=kind, status=RequestStatus.MATCHED, created_at=timezone.now()
    )
    proposal = Proposal.objects.create(
        request=request,
        mentor=mentor,
        score=50,
        explanation="helps with 1 of your 1 focus areas",
        status=ProposalStatus.ACCEPTED,
        created_at=timezone.now(),
    )
    return MentoringRelationship.objects.create(
        mentor=mentor,
        mentee=mentee,
        kind=kind,
        proposal=proposal,
        started_at=timezone.now(),
        status=RelationshipStatus.CLOSED if closed else RelationshipStatus.ACTIVE,
        closed_at=timezone.now() if closed else None,
    )


def feedback_from(author: User, relationship: MentoringRelationship) -> None:
    ClosingFeedback.objects.create(
        relationship=relationship,
        author=author,
        as_mentor=author.pk == relationship.mentor_id,
        usefulness=4,
        goals_met="yes",
        would_recommend=True,
        created_at=timezone.now(),
    )


def mentee(last_name: str) -> User:
    return ProfileFactory(user__first_name="Mentee", user__last_name=last_name).user


def busy_mentor() -> User:
    """A mentor with an offer, three mentees now, three past ones awaiting their feedback and three they gave it
    on; a coach of their own, three past mentors awaiting their feedback; and a request with three proposals."""
    me = make_mentor("busy.md@example.org", capacity=4)
    for i in range(3):
        pair(me, mentee(f"Now{i}"))
        pair(me, mentee(f"Closed{i}"), closed=True)
        feedback_from(me, pair(me, mentee(f"Past{i}"), closed=True))
        pair(make_mentor(f"old.mentor{i}@example.org"), me, closed=True)
    pair(make_mentor("coach@example.org"), me, kind="coach")
    request = make_request(me)
    for i in range(3):
        Proposal.objects.create(
            request=request,
            mentor=make_mentor(f"proposed{i}@example.org"),
            score=50,
            explanation="helps with 1 of your 1 focus areas",
            created_at=timezone.now(),
        )
    return me


@pytest.mark.django_db
def test_the_home_page_makes_the_same_few_queries_however_many_relationships(
    django_assert_num_queries: object,
) -> None:
    client = signed_in(busy_mentor())
    client.get(reverse("mentoring:home"))  # warm the session
    # 1 session, 2 user, 3 the offer, 4 roles, 5 the header's unread reminders; 6 active relationships with both
    # people, 7 closed ones awaiting feedback with both people, 8 waiting proposals with their mentors, 9 open
    # requests, 10 proposals waiting for this mentor's answer, 11 the titles of the criteria the requests name
    with django_assert_num_queries(11):  # type: ignore[operator]
        response = client.get(reverse("mentoring:home"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("We propose ") == 3 and page.count("Give your feedback") == 6
    assert all(f"You are Mentee Now{i}'s mentor" in page for i in range(3)) and "is your coach" in page


@pytest.mark.django_db
def test_the_relationship_list_makes_the_same_few_queries_however_many_relationships(
    django_assert_num_queries: object,
) -> None:
    client = signed_in(busy_mentor())
    client.get(reverse("mentoring:relationships"))  # warm the session
    # 1 session, 2 user, 3 the relationships with both people, 4 the ids of those awaiting feedback; the header's
    # 5 roles and 6 unread reminders
    with django_assert_num_queries(6):  # type: ignore[operator]
        response = client.get(reverse("mentoring:relationships"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Give your feedback") == 6 and page.count("See the meeting log") == 3
    assert page.count("Working together<") == 4


@pytest.mark.django_db
def test_the_scheme_list_makes_the_same_few_queries_however_many_schemes(
    organiser: User, django_assert_num_queries: object
) -> None:
    for s in range(6):
        scheme = make_scheme(organiser, open_to_requests=s % 2 == 0, description=f"Scheme {s}")
        for i in range(3):
            scheme_mentor(scheme, f"mentor{s}.{i}@example.org")
            scheme_mentee(scheme, f"mentee{s}.{i}@example.org")
    client = signed_in(organiser)
    client.get(reverse("mentoring:schemes"))  # warm the session
    # 1 session, 2 user, 3 roles, 4 the schemes with their counts of open requests and mentors, 5 the header's
    # unread reminders
    with django_assert_num_queries(5):  # type: ignore[operator]
        response = client.get(reverse("mentoring:schemes"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("3 open requests, 3 mentors") == 6 and page.count("closed to new members") == 3
