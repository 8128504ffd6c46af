"""Sharing a self-assessment with a named mentor or organiser: by the owner's choice, revocable, every view logged."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role, User
from apps.assessments.models import Assessment, AssessmentShare
from apps.audit.models import AccessEvent
from tests.conftest import signed_in
from tests.factories import ProfileFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(completed_assessment: Assessment) -> Assessment:
    return completed_assessment


@pytest.fixture
def mentor(db: None) -> User:
    user = ProfileFactory(user__email="md.mentor@example.org").user
    grant(user, Role.MENTOR)
    return user


def share(owner: User, assessment: Assessment, email: str) -> object:
    return signed_in(owner).post(
        reverse("assessments:sharing", args=[assessment.pk]), {"action": "share", "email": email}
    )


def test_owner_shares_with_a_mentor_who_sees_it_and_every_view_is_logged(
    owner: User, assessment: Assessment, mentor: User
) -> None:
    assert share(owner, assessment, "MD.Mentor@example.org").status_code == 302
    client = signed_in(mentor)
    assert "Medical director person specification" in client.get(reverse("assessments:shared_list")).content.decode()
    page = client.get(reverse("assessments:shared_results", args=[assessment.pk]))
    assert page.status_code == 200 and "SKI-6" in page.content.decode()
    event = AccessEvent.objects.get()
    assert (event.viewer, event.owner, event.record_kind) == (mentor, owner, "self-assessment")
    log = signed_in(owner).get(reverse("audit:mine")).content.decode()
    assert str(mentor) in log and "mentor or coach" in log


def test_revoking_ends_access_at_once(owner: User, assessment: Assessment, mentor: User) -> None:
    share(owner, assessment, mentor.email)
    live = AssessmentShare.objects.get()
    signed_in(owner).post(reverse("assessments:sharing", args=[assessment.pk]), {"action": "revoke", "share": live.pk})
    assert signed_in(mentor).get(reverse("assessments:shared_results", args=[assessment.pk])).status_code == 404
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("nobody@example.org", "mentors or coaches on Stepping Up"),
        ("colleague@example.org", "mentors or coaches on Stepping Up"),  # a member without the role: same words
        ("owner@example.org", "your own self-assessment"),
        ("not-an-address", "Enter an e-mail address like name@nhs.net"),
    ],
)
def test_sharing_with_the_wrong_person_is_refused(
    owner: User, colleague: User, assessment: Assessment, email: str, message: str
) -> None:
    response = share(owner, assessment, email)
    assert response.status_code == 400 and message in response.content.decode()
    assert not AssessmentShare.objects.exists()


def test_an_organiser_can_be_shared_with(owner: User, organiser: User, assessment: Assessment) -> None:
    share(owner, assessment, organiser.email)
    assert AssessmentShare.objects.get().reason == "organiser"


def test_sharing_twice_says_so(owner: User, assessment: Assessment, mentor: User) -> None:
    share(owner, assessment, mentor.email)
    response = share(owner, assessment, mentor.email)
    assert response.status_code == 400 and "already share" in response.content.decode()
    assert AssessmentShare.objects.count() == 1


def test_nobody_else_sees_or_manages_it(owner: User, colleague: User, assessment: Assessment, mentor: User) -> None:
    share(owner, assessment, mentor.email)
    client = signed_in(colleague)
    assert client.get(reverse("assessments:shared_results", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("assessments:sharing", args=[assessment.pk])).status_code == 404
    live = AssessmentShare.objects.get()
    response = client.post(reverse("assessments:sharing", args=[assessment.pk]), {"action": "revoke", "share": live.pk})
    assert response.status_code == 404
    live.refresh_from_db()
    assert live.revoked_at is None
    # The mentor sees the results, not the owner's own pages.
    mentor_client = signed_in(mentor)
    assert mentor_client.get(reverse("assessments:overview", args=[assessment.pk])).status_code == 404
    assert mentor_client.get(reverse("assessments:results", args=[assessment.pk])).status_code == 404
    assert mentor_client.get(reverse("assessments:sharing", args=[assessment.pk])).status_code == 404


def test_the_access_log_shows_only_my_own_records(
    owner: User, colleague: User, assessment: Assessment, mentor: User
) -> None:
    share(owner, assessment, mentor.email)
    signed_in(mentor).get(reverse("assessments:shared_results", args=[assessment.pk]))
    assert "Nobody else has seen your records" in signed_in(colleague).get(reverse("audit:mine")).content.decode()


def test_pages_need_sign_in(client: Client, assessment: Assessment) -> None:
    for url in (
        reverse("assessments:shared_list"),
        reverse("audit:mine"),
        reverse("assessments:shared_results", args=[assessment.pk]),
    ):
        assert client.get(url).status_code == 302
