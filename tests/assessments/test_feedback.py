"""360 feedback end to end: asking, the rater's private link, and what the person sees."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.feedback import feedback_round_close, feedback_round_open, rater_invite, token_hash
from apps.assessments.models import Assessment, FeedbackRound, RaterInvitation, RaterRating, RaterResponse, RaterToken
from apps.competencies.models import Criterion
from apps.notifications.models import Reminder, ReminderStatus
from tests.conftest import signed_in
from tests.support.rater_links import rater_links_sent, token_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(completed_assessment: Assessment) -> Assessment:
    return completed_assessment


@pytest.fixture
def feedback_round(assessment: Assessment) -> FeedbackRound:
    return feedback_round_open(
        assessment=assessment, closes_on=timezone.localdate() + timedelta(days=21), message="", now=timezone.now()
    )


def invite(feedback_round: FeedbackRound, email: str, category: str = "peer") -> str:
    """Invite, send the invitation e-mail as the dispatcher does, and return the token in the rater's link."""
    rater_invite(feedback_round=feedback_round, email=email, category=category, now=timezone.now())
    return token_of(rater_links_sent()[email.lower()])


def answer_all(client: Client, token: str, value: str = "2", comment: str = "") -> object:
    data = {"action": "submit"}
    for criterion in Criterion.objects.filter(framework__slug="md-person-spec"):
        data[f"rating_{criterion.pk}"] = value
    if comment:
        data["comment_general"] = comment
    return client.post(reverse("feedback:respond", args=[token]), data)


def test_inviting_stores_no_link_and_schedules_an_invitation_and_nudges(feedback_round: FeedbackRound) -> None:
    rater_invite(feedback_round=feedback_round, email="Peer.One@nhs.net", category="peer", now=timezone.now())
    invitation = RaterInvitation.objects.get()
    assert invitation.email == "peer.one@nhs.net" and not RaterToken.objects.exists()
    kinds = sorted(Reminder.objects.values_list("kind", flat=True))
    assert kinds == ["rater_invitation", "rater_nudge", "rater_nudge"]
    # The link is minted when the e-mail is sent, and only its hash is kept: no row holds a usable link.
    token = token_of(rater_links_sent()["peer.one@nhs.net"])
    assert RaterToken.objects.get().token_hash == token_hash(token)
    for reminder in Reminder.objects.all():
        assert token not in json.dumps(reminder.context)
    assert Client().get(reverse("feedback:respond", args=[token])).status_code == 200


def test_a_rater_answers_once_anonymously_and_their_nudges_stop(feedback_round: FeedbackRound) -> None:
    token = invite(feedback_round, "peer.one@nhs.net")
    client = Client()
    page = client.get(reverse("feedback:respond", args=[token]))
    assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin" and "noindex" in page["X-Robots-Tag"]
    response = answer_all(client, token)
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    stored = RaterResponse.objects.get()
    assert stored.category == "peer"
    assert not {f.name for f in RaterResponse._meta.get_fields()} & {
        "invitation",
        "email",
        "created_at",
        "submitted_at",
    }
    assert RaterRating.objects.filter(response=stored).count() == 22
    assert set(Reminder.objects.filter(kind="rater_nudge").values_list("status", flat=True)) == {
        ReminderStatus.CANCELLED
    }
    again = answer_all(client, token)
    assert again.status_code == 200 and "You have given your feedback" in again.content.decode()
    assert RaterResponse.objects.count() == 1  # a second answer is never taken


def test_a_missing_rating_is_refused_and_nothing_is_stored(feedback_round: FeedbackRound) -> None:
    token = invite(feedback_round, "peer.one@nhs.net")
    response = Client().post(reverse("feedback:respond", args=[token]), {"action": "submit", "comment_general": "Kept"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "or “I can't say”" in body.replace("&#x27;", "'") and "Kept" in body
    assert not RaterResponse.objects.exists()


def test_a_rating_off_the_scale_is_refused(feedback_round: FeedbackRound) -> None:
    token = invite(feedback_round, "peer.one@nhs.net")
    assert answer_all(Client(), token, value="9").status_code == 400
    assert not RaterResponse.objects.exists()


def test_a_made_up_or_tampered_link_does_not_work(feedback_round: FeedbackRound) -> None:
    token = invite(feedback_round, "peer.one@nhs.net")
    for bad in ("not-a-token", token[:-1] + ("A" if token[-1] != "A" else "B")):
        response = Client().get(reverse("feedback:respond", args=[bad]))
        assert response.status_code == 404 and "This link does not work" in response.content.decode()


def test_the_link_expires_when_the_round_closes(feedback_round: FeedbackRound) -> None:
    token = invite(feedback_round, "peer.one@nhs.net")
    with time_machine.travel(feedback_round.closes_at + timedelta(minutes=1)):
        response = answer_all(Client(), token)
    assert response.status_code == 410 and "closed" in response.content.decode()
    assert not RaterResponse.objects.exists()


def test_declining_stops_the_reminders_and_the_link(feedback_round: FeedbackRound) -> None:
    token = invite(feedback_round, "peer.one@nhs.net")
    client = Client()
    client.post(reverse("feedback:respond", args=[token]), {"action": "decline"})
    assert RaterInvitation.objects.get().declined
    assert client.get(reverse("feedback:respond", args=[token])).status_code == 410


def test_the_person_sees_combined_scores_only_from_three_raters_once_closed(
    owner: User, assessment: Assessment, feedback_round: FeedbackRound
) -> None:
    tokens = [invite(feedback_round, f"peer{i}@nhs.net") for i in range(3)]
    tokens.append(invite(feedback_round, "boss@nhs.net", category="line_manager"))
    client = signed_in(owner)
    results = reverse("assessments:results", args=[assessment.pk])
    for token in tokens[:3]:
        answer_all(Client(), token, comment="Very visible on the wards")
    answer_all(Client(), tokens[3], value="4", comment="The line manager's unique remark")
    body = client.get(results).content.decode()
    assert "show here once feedback closes" in body and "Very visible" not in body and ">Others<" not in body
    client.post(reverse("assessments:feedback", args=[assessment.pk]), {"action": "close"})
    body = client.get(results).content.decode()
    assert ">Others<" in body and "Very visible on the wards" in body
    assert "unique remark" not in body  # the lone line manager stays withheld
    assert "1 answer from groups of fewer than 3 is not shown" in body
    for email in ("peer0@nhs.net", "boss@nhs.net"):
        assert email not in body


def test_no_sequence_of_views_isolates_one_raters_answers(
    owner: User, assessment: Assessment, feedback_round: FeedbackRound
) -> None:
    """The attack: open the results, wait for one more answer, open them again, and subtract (4 x 2.5 - 3 x 2.3
    gave the fourth rater's score exactly). While the round is open no score or comment shows at all; after the
    close nothing can be added or withdrawn, so every view shows the same figures."""
    tokens = [invite(feedback_round, f"peer{i}@nhs.net") for i in range(4)]
    client = signed_in(owner)
    results = reverse("assessments:results", args=[assessment.pk])
    views = []
    for index, token in enumerate(tokens):
        answer_all(Client(), token, value=str(1 + index % 4), comment=f"Remark number {index}")
        views.append(client.get(results).content.decode())
    assert all("Remark number" not in view and ">Others<" not in view for view in views)
    mains = {view.split("<main", 1)[1].split("</main>", 1)[0] for view in views}
    assert len(mains) == 1  # nothing on the page moved as the answers came in
    feedback_round_close(feedback_round=feedback_round, now=timezone.now())
    closed = client.get(results).content.decode()
    assert ">Others<" in closed
    late = Client().post(reverse("feedback:respond", args=[tokens[0]]), {"action": "withdraw"})
    assert late.status_code == 410
    main = closed.split("<main", 1)[1].split("</main>", 1)[0]
    assert main in client.get(results).content.decode()  # the same, however often it is opened


def test_a_rater_can_withdraw_before_the_close_and_answer_again(feedback_round: FeedbackRound) -> None:
    token = invite(feedback_round, "peer.one@nhs.net")
    client = Client()
    answer_all(client, token, comment="First thoughts")
    page = client.get(reverse("feedback:respond", args=[token])).content.decode()
    assert "Withdraw my answer" in page
    response = client.post(reverse("feedback:respond", args=[token]), {"action": "withdraw"})
    assert response.status_code == 200 and "Your answer is withdrawn" in response.content.decode()
    assert not RaterResponse.objects.exists() and not RaterRating.objects.exists()
    assert not RaterInvitation.objects.get().answered
    answer_all(client, token, comment="Second thoughts")
    assert RaterResponse.objects.count() == 1


def test_only_the_link_that_answered_can_withdraw(feedback_round: FeedbackRound) -> None:
    first = invite(feedback_round, "peer.one@nhs.net")
    # The week-before nudge carries a fresh link of its own; the rater then answers through the first one.
    with time_machine.travel(feedback_round.closes_at - timedelta(days=7), tick=False):
        second = token_of(rater_links_sent()["peer.one@nhs.net"])
        assert second != first
        answer_all(Client(), first)
        response = Client().post(reverse("feedback:respond", args=[second]), {"action": "withdraw"})
        assert response.status_code == 400
        assert "Use the link in the e-mail you answered from" in response.content.decode()
        assert RaterResponse.objects.count() == 1
        Client().post(reverse("feedback:respond", args=[first]), {"action": "withdraw"})
    assert not RaterResponse.objects.exists()


def test_the_manage_page_shows_counts_not_who(
    owner: User, assessment: Assessment, feedback_round: FeedbackRound
) -> None:
    tokens = [invite(feedback_round, f"peer{i}@nhs.net") for i in range(2)]
    answer_all(Client(), tokens[0])
    body = signed_in(owner).get(reverse("assessments:feedback", args=[assessment.pk])).content.decode()
    assert re.search(r"Peers</th>\s*<td[^>]*>2</td>\s*<td[^>]*>1</td>", body)
    assert "peer0@nhs.net" in body and "peer1@nhs.net" in body
    assert "answered" not in body.split("People you have asked", 1)[1].split("</ul>", 1)[0]


def test_the_owner_opens_a_round_and_invites_through_the_page(owner: User, assessment: Assessment) -> None:
    client = signed_in(owner)
    url = reverse("assessments:feedback", args=[assessment.pk])
    closes = (timezone.localdate() + timedelta(days=14)).isoformat()
    assert client.post(url, {"action": "open", "closes_on": closes}).status_code == 302
    assert client.post(url, {"action": "invite", "email": "peer@nhs.net", "category": "peer"}).status_code == 302
    assert RaterInvitation.objects.filter(email="peer@nhs.net").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "owner@example.org", "category": "peer"}, "You cannot ask yourself"),
        ({"email": "not-an-address", "category": "peer"}, "Enter an e-mail address like name@nhs.net"),
        ({"email": "x@nhs.net", "category": "mother"}, "Choose from the list"),
        ({"email": "dup@nhs.net", "category": "peer"}, "You have already asked dup@nhs.net"),
    ],
)
def test_bad_invitations_are_refused(
    owner: User, assessment: Assessment, feedback_round: FeedbackRound, data: dict[str, str], message: str
) -> None:
    invite(feedback_round, "dup@nhs.net")
    before = RaterInvitation.objects.count()
    response = signed_in(owner).post(
        reverse("assessments:feedback", args=[assessment.pk]), {"action": "invite", **data}
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert RaterInvitation.objects.count() == before


def test_a_closing_date_in_the_past_is_refused(owner: User, assessment: Assessment) -> None:
    response = signed_in(owner).post(
        reverse("assessments:feedback", args=[assessment.pk]),
        {"action": "open", "closes_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400 and "after tomorrow" in response.content.decode()
    assert not FeedbackRound.objects.exists()


def test_another_persons_feedback_page_is_404(
    colleague: User, assessment: Assessment, feedback_round: FeedbackRound
) -> None:
    client = signed_in(colleague)
    url = reverse("assessments:feedback", args=[assessment.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "invite", "email": "x@nhs.net", "category": "peer"}).status_code == 404
    assert client.post(url, {"action": "close"}).status_code == 404
    assert not RaterInvitation.objects.exists() and FeedbackRound.objects.get().closed_early_at is None


def test_closing_early_cancels_reminders_and_links(
    owner: User, assessment: Assessment, feedback_round: FeedbackRound
) -> None:
    token = invite(feedback_round, "peer@nhs.net")
    signed_in(owner).post(reverse("assessments:feedback", args=[assessment.pk]), {"action": "close"})
    assert not Reminder.objects.filter(email="peer@nhs.net", status=ReminderStatus.PENDING).exists()
    assert Client().get(reverse("feedback:respond", args=[token])).status_code == 410


def test_results_query_count_with_forty_raters(
    owner: User, assessment: Assessment, feedback_round: FeedbackRound, django_assert_num_queries: object
) -> None:
    for i in range(40):
        answer_all(
            Client(),
            invite(feedback_round, f"rater{i}@nhs.net", ["peer", "direct_report"][i % 2]),
            comment=f"Comment {i}",
        )
    # Closed, so that the forty answers are on the page: while the round is open none of them is read.
    feedback_round_close(feedback_round=feedback_round, now=timezone.now())
    client = signed_in(owner)
    url = reverse("assessments:results", args=[assessment.pk])
    client.get(url)
    # 1. the session  2. the user  3. the assessment with its framework  4. the previous self-assessment
    # 5. each criterion with its group, rating and expectation (`criterion_figures`)  6. the feedback round
    # (closed, so:)  7. rater responses  8. their ratings  9. their comments  10. the scale  11. the crosswalk's
    # links (none here)  12. roles and 13. unread count for the layout
    with django_assert_num_queries(13):  # type: ignore[operator]
        page = client.get(url).content.decode()
    assert "Peers: 20 answered" in page and ">Others<" in page and "Comment 39" in page
