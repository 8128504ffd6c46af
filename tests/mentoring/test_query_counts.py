"""EXPLORATION (temporary)."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.mentoring.models import ClosingFeedback, MentoringRelationship, MentoringRequest, Proposal
from tests.conftest import signed_in
from tests.factories import ProfileFactory, grant
from tests.mentoring.test_proposals import make_mentor, make_request
from tests.mentoring.test_rounds import make_scheme, scheme_mentee, scheme_mentor


def measure(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    for q in queries.captured_queries:
        print("   ", q["sql"][:200])
    return len(queries)


def pair(mentor: User, mentee: User, *, kind: str = "mentor", closed: bool = False, feedback_by: User | None = None):
    request = MentoringRequest.objects.create(
        mentee=mentee, kind=kind, status="matched", created_at=timezone.now()
    )
    proposal = Proposal.objects.create(
        request=request, mentor=mentor, score=1, explanation="x", status="accepted", created_at=timezone.now()
    )
    rel = MentoringRelationship.objects.create(
        mentor=mentor,
        mentee=mentee,
        kind=kind,
        proposal=proposal,
        started_at=timezone.now(),
        status="closed" if closed else "active",
        closed_at=timezone.now() if closed else None,
    )
    if feedback_by is not None:
        ClosingFeedback.objects.create(
            relationship=rel, author=feedback_by, as_mentor=feedback_by == mentor, usefulness=4, goals_met="yes",
            would_recommend=True, created_at=timezone.now(),
        )
    return rel


def test_explore_home_and_list(db: None) -> None:
    for scale in (1, 3):
        me = make_mentor(f"me{scale}@example.org", capacity=4)
        # as mentor: active mentees, closed ones awaiting my feedback, closed ones with feedback
        for i in range(scale):
            pair(me, ProfileFactory().user)
            pair(me, ProfileFactory().user, closed=True)
            m = ProfileFactory().user
            pair(me, m, closed=True, feedback_by=me)
        # as mentee: one active coach
        pair(make_mentor(f"coach{scale}@example.org"), me, kind="coach")
        for i in range(scale):
            pair(make_mentor(f"old{scale}.{i}@example.org"), me, closed=True)
        # open request with waiting proposals
        request = make_request(me)
        for i in range(scale):
            Proposal.objects.create(
                request=request, mentor=make_mentor(f"p{scale}.{i}@example.org"), score=50,
                explanation="helps", created_at=timezone.now(),
            )
        c = signed_in(me)
        c.get(reverse("mentoring:home"))
        print(f"\n### home scale={scale}: {measure(c, reverse('mentoring:home'))}")
        print(f"\n### relationships scale={scale}: {measure(c, reverse('mentoring:relationships'))}")


def test_explore_schemes(organiser: User) -> None:
    for scale in (1, 3):
        boss = ProfileFactory().user
        grant(boss, Role.ORGANISER)
        for s in range(2 * scale):
            scheme = make_scheme(boss, name=f"S{scale}.{s}", open_to_requests=s % 2 == 0)
            for i in range(scale):
                scheme_mentor(scheme, f"m{scale}.{s}.{i}@example.org")
                scheme_mentee(scheme, f"e{scale}.{s}.{i}@example.org")
        c = signed_in(boss)
        c.get(reverse("mentoring:schemes"))
        print(f"\n### schemes scale={scale}: {measure(c, reverse('mentoring:schemes'))}")
