"""A mentoring relationship from acceptance to closing feedback: the agreement both confirm, the meeting log, closing
with a reason, feedback once each; the reminders that follow meetings; and privacy: only the pair ever sees it."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.mentoring.models import (
    ClosingFeedback,
    Meeting,
    MentoringRelationship,
    MentoringRequest,
    MentorOffer,
    Proposal,
    RelationshipStatus,
    Scheme,
)
from apps.mentoring.selectors import agreement_fingerprint, available_mentors
from apps.mentoring.services import MentoringError
from apps.mentoring.services.proposals import proposal_accept
from apps.mentoring.services.relationships import feedback_give, meeting_log, relationship_close
from apps.notifications.models import Reminder, ReminderStatus
from apps.profiles.models import CareerRole
from tests.conftest import signed_in
from tests.factories import ProfileFactory, grant

LONDON = ZoneInfo("Europe/London")
# A Tuesday in March, before the clocks go forward on 29 March: London is on UTC.
STARTED = datetime(2026, 3, 10, 14, 0, tzinfo=LONDON)
GOALS = "Prepare for the deputy medical director interview at Northfield"
NOTES = "Talked through the job description and the priorities of the board"


def make_mentor(email: str, *, capacity: int = 1) -> User:
    user = ProfileFactory(user__email=email, career_role=CareerRole.MEDICAL_DIRECTOR).user
    grant(user, Role.MENTOR)
    MentorOffer.objects.create(mentor=user, capacity=capacity, kind="both", modes=["video"])
    return user


def start(mentor: User, mentee: User, *, scheme: Scheme | None = None) -> MentoringRelationship:
    """Through the real acceptance (the mentor said yes first, the mentee's yes starts it), so the relationship's
    reminders are scheduled as in use."""
    request = MentoringRequest.objects.create(
        mentee=mentee, kind="mentor", focus=["SKI-8"], modes=["video"], scheme=scheme, created_at=timezone.now()
    )
    proposal = Proposal.objects.create(
        request=request,
        mentor=mentor,
        score=50,
        explanation="helps with 1 of your 1 focus areas",
        created_at=timezone.now(),
        mentor_accepted_at=timezone.now(),
    )
    outcome = proposal_accept(proposal_id=proposal.pk, person=mentee, now=timezone.now())
    assert outcome.accepted, outcome.message
    return MentoringRelationship.objects.get(proposal=proposal)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(STARTED, tick=False) as traveller:
        yield traveller


@pytest.fixture
def mentor(db: None) -> User:
    return make_mentor("md@example.org")


@pytest.fixture
def relationship(clock: time_machine.Traveller, mentor: User, owner: User) -> MentoringRelationship:
    """The owner is the mentee."""
    return start(mentor, owner)


@pytest.fixture
def other_mentor(colleague: User) -> User:
    """A mentor in another pair, mentoring the colleague."""
    other = make_mentor("other.md@example.org")
    start(other, colleague)
    return other


def url(name: str, relationship: MentoringRelationship, *more: int) -> str:
    return reverse(f"mentoring:{name}", args=[relationship.pk, *more])


def pending(relationship: MentoringRelationship, kind: str) -> list[Reminder]:
    return list(
        Reminder.objects.filter(
            dedupe_key__startswith=f"relationship:{relationship.pk}:", kind=kind, status=ReminderStatus.PENDING
        ).order_by("recipient_id")
    )


def log(relationship: MentoringRelationship, actor: User, met_on: date, **changes: str) -> Meeting:
    fields = {"mode": "video", "notes": NOTES, "actions": "", **changes}
    return meeting_log(relationship=relationship, actor=actor, met_on=met_on, now=timezone.now(), **fields)


def meeting_post(met_on: str, **changes: str) -> dict[str, str]:
    return {"met_on": met_on, "mode": "video", "notes": NOTES, "actions": "Book a board observation", **changes}


AGREEMENT = {"goals": GOALS, "meeting_frequency": "monthly", "confidentiality": "What we say stays between us."}
FEEDBACK = {"usefulness": "5", "goals_met": "partly", "would_recommend": "yes", "comment": "Thank you."}


# The agreement.


def test_the_pair_write_the_agreement_and_both_confirm_it(
    relationship: MentoringRelationship, mentor: User, owner: User
) -> None:
    mentee_client, mentor_client = signed_in(owner), signed_in(mentor)
    response = mentee_client.post(url("relationship_agreement", relationship), AGREEMENT)
    assert response.status_code == 302
    relationship.refresh_from_db()
    assert relationship.goals == GOALS and not relationship.agreed

    for client in (mentor_client, mentee_client):
        client.post(url("relationship_agree", relationship), {"seen": agreement_fingerprint(relationship)})
    relationship.refresh_from_db()
    assert relationship.agreed
    page = mentee_client.get(url("relationship", relationship)).content.decode()
    assert GOALS in page and page.count("Agreed</strong> on 10 March 2026") == 2


def test_an_edit_clears_only_the_other_persons_confirmation(
    relationship: MentoringRelationship, mentor: User, owner: User
) -> None:
    signed_in(owner).post(url("relationship_agreement", relationship), AGREEMENT)
    relationship.refresh_from_db()
    for client in (signed_in(owner), signed_in(mentor)):
        client.post(url("relationship_agree", relationship), {"seen": agreement_fingerprint(relationship)})

    signed_in(mentor).post(url("relationship_agreement", relationship), {**AGREEMENT, "meeting_frequency": "quarterly"})
    relationship.refresh_from_db()
    assert relationship.meeting_frequency == "quarterly"
    assert relationship.mentor_agreed_at is not None and relationship.mentee_agreed_at is None
    # Saving the same words again is not a change: nobody has to agree again.
    signed_in(owner).post(url("relationship_agree", relationship), {"seen": agreement_fingerprint(relationship)})
    signed_in(mentor).post(url("relationship_agreement", relationship), {**AGREEMENT, "meeting_frequency": "quarterly"})
    relationship.refresh_from_db()
    assert relationship.agreed


def test_confirming_wording_that_changed_since_the_page_was_opened_is_refused(
    relationship: MentoringRelationship, mentor: User, owner: User
) -> None:
    signed_in(owner).post(url("relationship_agreement", relationship), AGREEMENT)
    relationship.refresh_from_db()
    seen = agreement_fingerprint(relationship)
    signed_in(owner).post(url("relationship_agreement", relationship), {**AGREEMENT, "goals": "Something else"})
    response = signed_in(mentor).post(url("relationship_agree", relationship), {"seen": seen}, follow=True)
    assert "The agreement has changed since you opened the page" in response.content.decode()
    relationship.refresh_from_db()
    assert relationship.mentor_agreed_at is None


def test_an_incomplete_agreement_is_shown_again_with_what_was_typed(
    relationship: MentoringRelationship, owner: User
) -> None:
    response = signed_in(owner).post(url("relationship_agreement", relationship), {**AGREEMENT, "goals": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter what you will work on together" in page and "What we say stays between us." in page
    relationship.refresh_from_db()
    assert relationship.goals == "" and relationship.meeting_frequency == ""


# The meeting log.


def test_meetings_are_logged_and_listed_newest_first(
    clock: time_machine.Traveller, relationship: MentoringRelationship, mentor: User, owner: User
) -> None:
    clock.move_to(STARTED + timedelta(days=20))
    client = signed_in(owner)
    assert client.post(url("meeting_add", relationship), meeting_post("2026-03-12", notes="First")).status_code == 302
    assert client.post(url("meeting_add", relationship), meeting_post("2026-03-26", notes="Second")).status_code == 302
    page = signed_in(mentor).get(url("relationship", relationship)).content.decode()
    assert page.index("Second") < page.index("First")
    assert "Thursday 26 March 2026" in page
    assert Meeting.objects.filter(relationship=relationship, recorded_by=owner).count() == 2


@pytest.mark.parametrize(
    ("met_on", "message"),
    [
        ("", "Enter the date you met"),
        ("2026-03-11", "The meeting date cannot be in the future"),
        ("2026-03-09", "The meeting date cannot be before you started working together, on 10 March 2026"),
        ("31/02/2026", "Enter a real date"),
    ],
)
def test_a_bad_meeting_date_is_refused_and_what_was_typed_is_kept(
    relationship: MentoringRelationship, owner: User, met_on: str, message: str
) -> None:
    response = signed_in(owner).post(url("meeting_add", relationship), meeting_post(met_on))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and NOTES in page and "nhsuk-error-summary" in page
    assert not Meeting.objects.exists()


def test_the_service_refuses_a_future_meeting_too(relationship: MentoringRelationship, owner: User) -> None:
    with pytest.raises(MentoringError, match="cannot be in the future"):
        log(relationship, owner, date(2026, 3, 11))


def test_only_the_person_who_recorded_a_meeting_can_change_or_delete_it(
    relationship: MentoringRelationship, mentor: User, owner: User
) -> None:
    meeting = log(relationship, owner, date(2026, 3, 10))
    edit, delete = url("meeting_edit", relationship, meeting.pk), url("meeting_delete", relationship, meeting.pk)
    assert signed_in(mentor).get(edit).status_code == 404
    assert signed_in(mentor).post(edit, meeting_post("2026-03-10", notes="Changed")).status_code == 404
    assert signed_in(mentor).post(delete).status_code == 404
    meeting.refresh_from_db()
    assert meeting.notes == NOTES

    client = signed_in(owner)
    assert client.get(edit).status_code == 200
    assert client.post(edit, meeting_post("2026-03-10", notes="Changed")).status_code == 302
    meeting.refresh_from_db()
    assert meeting.notes == "Changed"
    assert client.post(delete).status_code == 302
    assert not Meeting.objects.exists()


# Reminders.


def test_starting_schedules_the_90_day_reminder_for_both(
    relationship: MentoringRelationship, mentor: User, owner: User
) -> None:
    reminders = pending(relationship, "mentoring_no_meeting_90d")
    assert [r.recipient for r in reminders] == sorted([mentor, owner], key=lambda u: u.pk)
    assert {r.due_at for r in reminders} == {STARTED.astimezone(UTC) + timedelta(days=90)}
    assert {r.context["last_met_on"] for r in reminders} == {""}


def test_a_meeting_prompts_both_the_next_day_and_moves_the_90_day_reminder(
    clock: time_machine.Traveller, relationship: MentoringRelationship, mentor: User, owner: User
) -> None:
    clock.move_to(datetime(2026, 4, 2, 20, 0, tzinfo=LONDON))
    meeting = log(relationship, owner, date(2026, 4, 2))

    follow_ups = pending(relationship, "mentoring_meeting_follow_up")
    assert len(follow_ups) == 2 and {r.recipient for r in follow_ups} == {mentor, owner}
    # 09:00 in London the next day: British Summer Time by then, so 08:00 UTC.
    assert {r.due_at for r in follow_ups} == {datetime(2026, 4, 3, 8, 0, tzinfo=UTC)}
    assert all(f":meeting:{meeting.pk}:follow-up:{r.recipient_id}" in r.dedupe_key for r in follow_ups)
    to_mentee = next(r for r in follow_ups if r.recipient == owner)
    assert to_mentee.context["other_name"] == str(mentor) and to_mentee.context["met_on"] == "2026-04-02"

    no_meeting = pending(relationship, "mentoring_no_meeting_90d")
    assert len(no_meeting) == 2
    assert {r.due_at for r in no_meeting} == {datetime(2026, 7, 1, 9, 0, tzinfo=LONDON)}
    assert {r.context["last_met_on"] for r in no_meeting} == {"2026-04-02"}
    assert Reminder.objects.filter(kind="mentoring_no_meeting_90d", status=ReminderStatus.CANCELLED).count() == 2


def test_an_older_meeting_logged_later_keeps_the_latest_as_the_base(
    clock: time_machine.Traveller, relationship: MentoringRelationship, mentor: User
) -> None:
    clock.move_to(datetime(2026, 4, 20, 12, 0, tzinfo=LONDON))
    log(relationship, mentor, date(2026, 4, 15))
    older = log(relationship, mentor, date(2026, 3, 20))
    no_meeting = pending(relationship, "mentoring_no_meeting_90d")
    assert {r.due_at for r in no_meeting} == {datetime(2026, 7, 14, 9, 0, tzinfo=LONDON)} and len(no_meeting) == 2
    # The day after the older meeting is long past: no prompt about it.
    assert not Reminder.objects.filter(dedupe_key__contains=f":meeting:{older.pk}:").exists()


def test_deleting_the_latest_meeting_moves_the_reminder_back(
    clock: time_machine.Traveller, relationship: MentoringRelationship, owner: User
) -> None:
    clock.move_to(datetime(2026, 4, 20, 12, 0, tzinfo=LONDON))
    log(relationship, owner, date(2026, 4, 1))
    latest = log(relationship, owner, date(2026, 4, 19))
    signed_in(owner).post(url("meeting_delete", relationship, latest.pk))
    assert {r.due_at for r in pending(relationship, "mentoring_no_meeting_90d")} == {
        datetime(2026, 6, 30, 9, 0, tzinfo=LONDON)
    }
    assert not pending(relationship, "mentoring_meeting_follow_up")


def test_a_reminder_already_sent_does_not_stop_the_next_one(
    clock: time_machine.Traveller, relationship: MentoringRelationship, owner: User
) -> None:
    Reminder.objects.filter(kind="mentoring_no_meeting_90d").update(status=ReminderStatus.SENT)
    clock.move_to(STARTED + timedelta(days=95))
    log(relationship, owner, timezone.localdate())
    assert len(pending(relationship, "mentoring_no_meeting_90d")) == 2


def test_closing_cancels_every_pending_reminder_of_the_pair_and_no_one_elses(
    relationship: MentoringRelationship, owner: User, other_mentor: User
) -> None:
    log(relationship, owner, date(2026, 3, 10))
    assert Reminder.objects.filter(dedupe_key__startswith=f"relationship:{relationship.pk}:").count() == 4
    signed_in(owner).post(url("relationship_close", relationship), {"reason": "goals_met"})
    ours = Reminder.objects.filter(dedupe_key__startswith=f"relationship:{relationship.pk}:")
    assert set(ours.values_list("status", flat=True)) == {ReminderStatus.CANCELLED}
    theirs = Reminder.objects.filter(recipient=other_mentor)
    assert theirs.exists() and set(theirs.values_list("status", flat=True)) == {ReminderStatus.PENDING}


# Closing and feedback.


def test_closing_frees_the_mentors_place_for_a_new_proposal(
    relationship: MentoringRelationship, mentor: User, owner: User
) -> None:
    assert str(mentor.pk) not in {m.id for m in available_mentors()}
    signed_in(mentor).post(url("relationship_close", relationship), {"reason": "time_up"})
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.CLOSED and relationship.closed_by == mentor
    assert relationship.close_reason == "time_up"
    assert str(mentor.pk) in {m.id for m in available_mentors()}
    start(mentor, ProfileFactory(user__email="next.mentee@example.org").user)


def test_each_gives_feedback_once_after_closing(relationship: MentoringRelationship, mentor: User, owner: User) -> None:
    client = signed_in(owner)
    response = client.post(url("relationship_feedback", relationship), FEEDBACK)
    assert response.status_code == 400
    assert "You can give feedback once the relationship has closed" in response.content.decode()
    assert not ClosingFeedback.objects.exists()

    client.post(url("relationship_close", relationship), {"reason": "goals_met"})
    assert 'id="feedback"' in client.get(url("relationship", relationship)).content.decode()
    assert client.post(url("relationship_feedback", relationship), FEEDBACK).status_code == 302
    given = ClosingFeedback.objects.get()
    assert (given.author, given.as_mentor, given.usefulness, given.would_recommend) == (owner, False, 5, True)

    again = client.post(url("relationship_feedback", relationship), {**FEEDBACK, "usefulness": "1"})
    assert again.status_code == 400
    assert "You have already given your feedback" in again.content.decode()
    assert ClosingFeedback.objects.get().usefulness == 5

    page = client.get(url("relationship", relationship)).content.decode()
    assert 'id="feedback"' not in page and "Your feedback" in page and "5 out of 5" in page
    signed_in(mentor).post(url("relationship_feedback", relationship), {**FEEDBACK, "would_recommend": "no"})
    assert ClosingFeedback.objects.get(author=mentor).as_mentor is True


def test_incomplete_feedback_is_shown_again_with_errors(relationship: MentoringRelationship, owner: User) -> None:
    relationship_close(relationship=relationship, actor=owner, reason="circumstances", now=timezone.now())
    response = signed_in(owner).post(url("relationship_feedback", relationship), {"comment": "Kept comment"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose how useful it was" in page and "Say whether your goals were met" in page
    assert "Kept comment" in page
    assert not ClosingFeedback.objects.exists()


def test_the_service_refuses_feedback_out_of_range(relationship: MentoringRelationship, owner: User) -> None:
    relationship_close(relationship=relationship, actor=owner, reason="goals_met", now=timezone.now())
    with pytest.raises(MentoringError, match="from 1 to 5"):
        feedback_give(
            relationship=relationship,
            actor=owner,
            usefulness=6,
            goals_met="yes",
            would_recommend=True,
            comment="",
            now=timezone.now(),
        )


def test_closing_twice_is_refused_and_changes_nothing(
    clock: time_machine.Traveller, relationship: MentoringRelationship, mentor: User, owner: User
) -> None:
    signed_in(owner).post(url("relationship_close", relationship), {"reason": "goals_met"})
    clock.shift(timedelta(days=1))
    response = signed_in(mentor).post(url("relationship_close", relationship), {"reason": "not_working"})
    assert response.status_code == 400
    assert "This relationship is already closed" in response.content.decode()
    relationship.refresh_from_db()
    assert (relationship.closed_by, relationship.close_reason, relationship.closed_at) == (owner, "goals_met", STARTED)


def test_closing_needs_a_reason(relationship: MentoringRelationship, owner: User) -> None:
    response = signed_in(owner).post(url("relationship_close", relationship), {})
    assert response.status_code == 400
    assert "Choose why you are closing the relationship" in response.content.decode()
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.ACTIVE


def test_a_closed_relationship_can_no_longer_be_changed(
    relationship: MentoringRelationship, mentor: User, owner: User
) -> None:
    meeting = log(relationship, owner, date(2026, 3, 10))
    relationship_close(relationship=relationship, actor=mentor, reason="not_working", now=timezone.now())
    client = signed_in(owner)

    response = client.post(url("relationship_agreement", relationship), AGREEMENT)
    assert response.status_code == 400 and "This relationship has closed" in response.content.decode()
    response = client.post(url("meeting_add", relationship), meeting_post("2026-03-10"))
    assert response.status_code == 400 and "This relationship has closed" in response.content.decode()
    response = client.post(url("meeting_edit", relationship, meeting.pk), meeting_post("2026-03-10", notes="New"))
    assert response.status_code == 400 and "This relationship has closed" in response.content.decode()
    assert client.get(url("relationship_agreement", relationship)).status_code == 302
    assert client.post(url("meeting_delete", relationship, meeting.pk)).status_code == 302

    relationship.refresh_from_db()
    meeting.refresh_from_db()
    assert relationship.goals == "" and meeting.notes == NOTES and Meeting.objects.count() == 1
    page = client.get(url("relationship", relationship)).content.decode()
    assert "Log a meeting" not in page and "Close this relationship" not in page and NOTES in page


# Privacy: anyone but the pair gets a 404 and learns nothing.


@pytest.mark.parametrize("who", ["other_mentor", "organiser", "administrator", "outsider"])
def test_nobody_else_can_see_or_change_the_relationship(
    request: pytest.FixtureRequest, relationship: MentoringRelationship, owner: User, mentor: User, who: str
) -> None:
    signed_in(owner).post(url("relationship_agreement", relationship), AGREEMENT)
    meeting = log(relationship, owner, date(2026, 3, 10))
    client: Client = signed_in(request.getfixturevalue(who))

    pages = [
        url("relationship", relationship),
        url("relationship_agreement", relationship),
        url("meeting_edit", relationship, meeting.pk),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 404, page
        assert GOALS not in response.content.decode() and NOTES not in response.content.decode()
    posts = {
        url("relationship_agreement", relationship): {**AGREEMENT, "goals": "Hijacked"},
        url("relationship_agree", relationship): {"seen": agreement_fingerprint(relationship)},
        url("meeting_add", relationship): meeting_post("2026-03-10"),
        url("meeting_edit", relationship, meeting.pk): meeting_post("2026-03-10", notes="Hijacked"),
        url("meeting_delete", relationship, meeting.pk): {},
        url("relationship_close", relationship): {"reason": "not_working"},
        url("relationship_feedback", relationship): FEEDBACK,
    }
    for page, data in posts.items():
        assert client.post(page, data).status_code == 404, page

    relationship.refresh_from_db()
    meeting.refresh_from_db()
    assert (
        relationship.goals == GOALS and relationship.mentor_agreed_at is None and relationship.mentee_agreed_at is None
    )
    assert (
        relationship.status == RelationshipStatus.ACTIVE
        and Meeting.objects.filter(relationship=relationship).count() == 1
    )
    assert meeting.notes == NOTES and not ClosingFeedback.objects.exists()
    listing = client.get(reverse("mentoring:relationships")).content.decode()
    assert str(owner) not in listing and url("relationship", relationship) not in listing


def test_signed_out_people_are_sent_to_sign_in_and_wrong_methods_are_refused(
    relationship: MentoringRelationship, owner: User
) -> None:
    assert Client().get(url("relationship", relationship)).status_code == 302
    client = signed_in(owner)
    for name in ["relationship_agree", "meeting_add", "relationship_close", "relationship_feedback"]:
        assert client.get(url(name, relationship)).status_code == 405, name
    assert client.post(url("relationship", relationship)).status_code == 405


# Where the pair find it.


def test_the_home_page_links_to_the_relationship_and_the_list_shows_feedback_due(
    relationship: MentoringRelationship, mentor: User, owner: User
) -> None:
    home = signed_in(mentor).get(reverse("mentoring:home")).content.decode()
    assert url("relationship", relationship) in home and "Working together" in home

    relationship_close(relationship=relationship, actor=owner, reason="goals_met", now=timezone.now())
    listing = signed_in(mentor).get(reverse("mentoring:relationships")).content.decode()
    assert "Waiting for your feedback" in listing and f"{url('relationship', relationship)}#feedback" in listing
    feedback_give(
        relationship=relationship,
        actor=mentor,
        usefulness=4,
        goals_met="yes",
        would_recommend=True,
        comment="",
        now=timezone.now(),
    )
    listing = signed_in(mentor).get(reverse("mentoring:relationships")).content.decode()
    assert "Waiting for your feedback" not in listing and "In the past" in listing
    # The mentor's feedback is theirs alone: the mentee still owes their own.
    assert "Waiting for your feedback" in signed_in(owner).get(reverse("mentoring:relationships")).content.decode()


def test_the_relationship_page_has_a_fixed_number_of_queries(
    relationship: MentoringRelationship, owner: User, mentor: User, django_assert_num_queries: object
) -> None:
    Meeting.objects.bulk_create(
        Meeting(
            relationship=relationship,
            met_on=date(2026, 3, 10),
            mode="video",
            notes=f"Meeting {i}",
            recorded_by=owner if i % 2 else mentor,
            created_at=timezone.now(),
        )
        for i in range(60)
    )
    client = signed_in(owner)
    page = url("relationship", relationship)
    assert client.get(page).status_code == 200  # warm the session
    # 1 session, 2 user, 3 the relationship with both people, 4 its meetings with who recorded each; the layout's
    # header: 5 the viewer's roles, 6 their unread reminders. However many meetings.
    with django_assert_num_queries(6):  # type: ignore[operator]
        assert client.get(page).status_code == 200


# --- "Is this working?" after the first meeting ----------------------------------------------------------------


def test_after_the_first_meeting_the_mentee_can_end_it_and_be_matched_again(
    clock: time_machine.Traveller, mentor: User, owner: User
) -> None:
    from apps.mentoring.services.relationships import early_check_answer

    relationship = start(mentor, owner)
    url = reverse("mentoring:relationship", args=[relationship.pk])
    assert "Is this working for you?" not in signed_in(owner).get(url).content.decode()  # not before meeting
    with pytest.raises(MentoringError, match="Meet once first"):
        early_check_answer(relationship=relationship, actor=owner, working=False, now=timezone.now())
    meeting_log(
        relationship=relationship,
        actor=mentor,
        met_on=timezone.localdate(),
        mode="video",
        notes="Intro",
        actions="",
        now=timezone.now(),
    )
    assert "Is this working for you?" in signed_in(owner).get(url).content.decode()
    response = signed_in(owner).post(
        reverse("mentoring:relationship_early_check", args=[relationship.pk]), {"working": "no"}, follow=True
    )
    assert "your request is open again" in response.content.decode()
    relationship.refresh_from_db()
    assert relationship.status == "closed" and relationship.close_reason == "not_working"
    assert MentoringRequest.objects.get(pk=relationship.proposal.request_id).status == "open"


def test_saying_it_is_working_stops_asking_only_that_person(
    clock: time_machine.Traveller, mentor: User, owner: User, outsider: User
) -> None:
    relationship = start(mentor, owner)
    meeting_log(
        relationship=relationship,
        actor=mentor,
        met_on=timezone.localdate(),
        mode="video",
        notes="Intro",
        actions="",
        now=timezone.now(),
    )
    check = reverse("mentoring:relationship_early_check", args=[relationship.pk])
    assert signed_in(outsider).post(check, {"working": "no"}).status_code == 404
    signed_in(mentor).post(check, {"working": "maybe"})
    signed_in(mentor).post(check, {"working": "yes"})
    relationship.refresh_from_db()
    assert relationship.status == "active" and relationship.mentor_working_at and not relationship.mentee_working_at
    url = reverse("mentoring:relationship", args=[relationship.pk])
    assert "Is this working for you?" not in signed_in(mentor).get(url).content.decode()
    assert "Is this working for you?" in signed_in(owner).get(url).content.decode()
