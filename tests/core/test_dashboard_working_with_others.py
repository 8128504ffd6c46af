"""The dashboard's "Working with others": proposals waiting, mentoring relationships, the next learning set
session and attendance to record, each linked, in the same few queries however much there is."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.learning_sets.models import Session
from apps.mentoring.models import MentoringRelationship, Proposal
from apps.mentoring.services.proposals import proposal_accept, proposal_make_best
from apps.profiles.models import CareerRole
from tests.conftest import signed_in
from tests.learning_sets.sets_support import World, published, world  # noqa: F401 (fixtures)
from tests.mentoring.test_proposals import make_mentor, make_request


@pytest.mark.django_db
def test_a_new_member_is_pointed_to_mentoring_and_learning_sets(outsider: User) -> None:
    page = signed_in(outsider).get(reverse("core:dashboard")).content.decode()
    assert "Working with others" in page
    assert reverse("mentoring:home") in page and reverse("learning_sets:programmes") in page


@pytest.mark.django_db
def test_what_waits_is_shown_and_linked(published: World, django_assert_num_queries: object) -> None:  # noqa: F811
    owner = published.owner
    make_mentor("md@example.org", capacity=1)
    proposal = proposal_make_best(request=make_request(owner), now=timezone.now())
    proposal_accept(proposal_id=proposal.pk, person=proposal.mentor, now=timezone.now())
    proposal_accept(proposal_id=proposal.pk, person=owner, now=timezone.now())
    make_mentor("dmd@example.org", role=CareerRole.DEPUTY_MD)
    proposal_make_best(request=make_request(owner, kind="coach"), now=timezone.now())
    relationship = MentoringRelationship.objects.get(mentee=owner)
    first = Session.objects.filter(learning_set=published.set1).order_by("starts_at").first()
    assert first is not None
    with time_machine.travel(first.starts_at - timedelta(days=1), tick=False):
        client = signed_in(owner)
        client.get(reverse("core:dashboard"))
        # 1. the session  2. the user  3. the profile  4. roles  5. what waits for them, counted in one query
        # (MFA, proposals waiting for a reply, attendance to record, requests to talk to or shadow them,
        # bilaterals proposed to them), with which parts have anything to list: here the pairs and the sessions
        # only (no self-assessment, plan, candidacy, pathway, buddy, bilateral or network meeting, none read)
        # 6. relationships  7. the next session  8. unread count for the layout
        with django_assert_num_queries(8):  # type: ignore[operator]
            page = client.get(reverse("core:dashboard")).content.decode()
    assert "1 mentoring proposal waiting for your reply" in page
    assert reverse("mentoring:relationship", args=[relationship.pk]) in page
    assert "not yet confirmed by you both" in page
    assert reverse("learning_sets:session", args=[first.pk]) in page
    assert Proposal.objects.filter(request__mentee=owner, status="proposed").count() == 1


@pytest.mark.django_db
def test_a_facilitator_is_reminded_to_record_attendance(published: World) -> None:  # noqa: F811
    first = Session.objects.filter(learning_set=published.set1).order_by("starts_at").first()
    assert first is not None
    with time_machine.travel(first.ends_at + timedelta(days=1), tick=False):
        page = signed_in(published.facilitator).get(reverse("core:dashboard")).content.decode()
    assert "Record attendance for 1 session you facilitated" in page
