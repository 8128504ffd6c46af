"""Sharing a self-assessment with a named mentor or organiser: by the owner's choice, revocable, every view logged."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.assessments.models import Assessment, AssessmentShare, Evidence, PromptAnswer
from apps.audit.models import AccessEvent
from apps.competencies.models import PromptQuestion
from tests.conftest import signed_in
from tests.factories import ProfileFactory, grant
from tests.support.colleagues import become_mentor_of, share_results_with

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


PRIVATE = ("PRIVATE rating note", "PRIVATE answer", "PRIVATE evidence title", "PRIVATE evidence text")

# The owner's own pages of a self-assessment, where the answers and notes are: never the colleague's to see.
OWNERS_PAGES = ("assessments:overview", "assessments:results", "assessments:results_pdf", "assessments:sharing")


def write_private_notes(assessment: Assessment) -> None:
    """A note on a rating, an answer to a prompt and a piece of evidence: the parts sharing the results keeps back."""
    rating = assessment.ratings.select_related("criterion").get(criterion__code="SKI-6")
    rating.note = PRIVATE[0]
    rating.save(update_fields=["note"])
    prompt = PromptQuestion.objects.filter(criterion__framework=assessment.framework).first()
    assert prompt is not None
    PromptAnswer.objects.create(assessment=assessment, prompt=prompt, text=PRIVATE[1])
    Evidence.objects.create(
        assessment=assessment,
        criterion=rating.criterion,
        kind="text",
        title=PRIVATE[2],
        text=PRIVATE[3],
        added_at=timezone.now(),
    )


def test_a_colleague_shared_with_sees_the_results_and_not_the_private_notes(
    owner: User, colleague: User, assessment: Assessment
) -> None:
    write_private_notes(assessment)
    become_mentor_of(owner, colleague)
    share_results_with(colleague, assessment)
    client = signed_in(colleague)
    assert "Medical director person specification" in client.get(reverse("assessments:shared_list")).content.decode()
    response = client.get(reverse("assessments:shared_results", args=[assessment.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and f"Results of {owner}" in page and "SKI-6" in page
    assert "their answers and notes stay private" in page
    assert not [text for text in PRIVATE if text in page]
    for name in OWNERS_PAGES:
        assert client.get(reverse(name, args=[assessment.pk])).status_code == 404
    assert client.get(reverse("assessments:group", args=[assessment.pk, "SKI"])).status_code == 404
    event = AccessEvent.objects.get()
    assert (event.viewer, event.owner, event.record_kind) == (colleague, owner, "self-assessment")


@pytest.mark.parametrize("their_mentor", [False, True], ids=["same organisation", "the owner's mentor"])
def test_a_colleague_without_a_share_gets_404(
    owner: User, colleague: User, assessment: Assessment, their_mentor: bool
) -> None:
    assert colleague.profile.organisation == owner.profile.organisation
    if their_mentor:
        become_mentor_of(owner, colleague)  # someone the owner could choose, until they do
    client = signed_in(colleague)
    assert client.get(reverse("assessments:shared_results", args=[assessment.pk])).status_code == 404
    for name in OWNERS_PAGES:
        assert client.get(reverse(name, args=[assessment.pk])).status_code == 404
    assert "person specification" not in client.get(reverse("assessments:shared_list")).content.decode()
    assert not AccessEvent.objects.exists()


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
