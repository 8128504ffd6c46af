"""The colleague's partial access, feature by feature.

The suite's `colleague` (tests/conftest.py) works in the owner's organisation and, on that alone, may see nothing
of the owner's. What a colleague may see comes from the work they do together: as the owner's mentor in a live
relationship, the colleague is someone the owner can choose to share a self-assessment's results or a development
plan with, and then sees exactly that, read-only. These helpers set that up the way people do it, through the
owner's sharing pages, choosing the colleague from the list (apps.accounts.colleagues), not by typing an address.
"""

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.assessments.models import Assessment
from apps.development.models import Plan
from apps.mentoring.models import MentoringRelationship, MentoringRequest, Proposal
from tests.factories import grant


def working_with(mentee: User, mentor: User) -> MentoringRelationship:
    """A live mentoring relationship, as an accepted proposal leaves it."""
    request = MentoringRequest.objects.create(mentee=mentee, kind="mentor", created_at=timezone.now())
    proposal = Proposal.objects.create(
        request=request, mentor=mentor, score=1, explanation="x", created_at=timezone.now(), status="accepted"
    )
    return MentoringRelationship.objects.create(
        mentor=mentor, mentee=mentee, kind="mentor", proposal=proposal, started_at=timezone.now()
    )


def become_mentor_of(mentee: User, mentor: User) -> MentoringRelationship:
    """`mentor` takes the mentor role and mentors `mentee`, who can then choose them when sharing."""
    grant(mentor, Role.MENTOR)
    return working_with(mentee, mentor)


def _choose(owner: User, url: str, colleague: User) -> None:
    client = Client()
    client.force_login(owner)
    response = client.post(url, {"action": "share", "person": str(colleague.pk)})
    assert response.status_code == 302, response.content.decode()


def share_results_with(colleague: User, assessment: Assessment) -> None:
    """The owner shares the results of `assessment` with their mentor `colleague`, chosen from the list."""
    _choose(assessment.owner, reverse("assessments:sharing", args=[assessment.pk]), colleague)


def share_plan_with(colleague: User, plan: Plan) -> None:
    """The owner shares `plan` with their mentor `colleague`, chosen from the list."""
    _choose(plan.owner, reverse("development:plan_sharing", args=[plan.pk]), colleague)
