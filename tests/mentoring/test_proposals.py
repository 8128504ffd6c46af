"""Ask for one mentor and get the best available proposal at once; accept or decline; and, with concurrent
transactions on PostgreSQL, capacity is never exceeded and nobody gets two active mentors of one kind."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.mentoring.models import (
    MentoringRelationship,
    MentoringRequest,
    MentorOffer,
    Proposal,
    ProposalStatus,
    RelationshipStatus,
)
from apps.mentoring.services import MentoringError
from apps.mentoring.services.proposals import proposal_accept, proposal_make_best
from apps.notifications.models import Reminder
from apps.organisations.models import Sector
from apps.profiles.models import CareerRole
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, ProfileFactory, grant
from tests.support.races import race


def make_mentor(
    email: str, *, role: str = CareerRole.MEDICAL_DIRECTOR, capacity: int = 1, expertise: tuple[str, ...] = ("SKI-8",)
) -> User:
    user = ProfileFactory(user__email=email, career_role=role, organisation=OrganisationFactory()).user
    grant(user, Role.MENTOR)
    offer = MentorOffer.objects.create(
        mentor=user,
        capacity=capacity,
        kind="both",
        expertise=list(expertise),
        modes=["video"],
        outside_own_organisation=True,
    )
    offer.sectors.set(Sector.objects.filter(code="mental_health"))
    return user


def mentor_says_yes(proposal: Proposal) -> None:
    assert proposal_accept(proposal_id=proposal.pk, person=proposal.mentor, now=timezone.now()).accepted


def make_request(mentee: User, **changes: object) -> MentoringRequest:
    fields = dict(
        mentee=mentee,
        kind="mentor",
        focus=["SKI-8"],
        outside="preferred",
        sector_preference="same",
        modes=["video"],
        created_at=timezone.now(),
    )
    fields.update(changes)
    return MentoringRequest.objects.create(**fields)


@pytest.mark.django_db
def test_the_best_available_mentor_is_proposed_with_the_reasons(owner: User) -> None:
    owner.profile.career_role = CareerRole.CLINICAL_DIRECTOR
    owner.profile.save()
    make_mentor("peer@example.org", role=CareerRole.CLINICAL_DIRECTOR)
    best = make_mentor("md@example.org")
    proposal = proposal_make_best(request=make_request(owner), now=timezone.now())
    assert proposal.mentor == best
    assert "helps with 1 of your 1 focus areas" in proposal.explanation
    assert "a medical director, three steps ahead of you" in proposal.explanation
    assert Reminder.objects.filter(kind="mentoring_proposal_waiting", recipient=owner).exists()


@pytest.mark.django_db
def test_hard_rules_hold_for_proposals(owner: User) -> None:
    boss = make_mentor("boss@example.org")
    excluded = make_mentor("avoid@example.org")
    same_org = make_mentor("colleague.md@example.org")
    MentorOffer.objects.filter(mentor=make_mentor("paused@example.org")).update(paused=True)
    owner.profile.organisation = same_org.profile.organisation
    owner.profile.save()
    request = make_request(owner, outside="required", line_manager_email=boss.email, excluded_emails=[excluded.email])
    with pytest.raises(MentoringError, match="No mentor who fits"):
        proposal_make_best(request=request, now=timezone.now())
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_a_decline_frees_the_mentee_for_the_next_best(owner: User) -> None:
    first, second = make_mentor("md1@example.org"), make_mentor("md2@example.org", role=CareerRole.DEPUTY_MD)
    request = make_request(owner)
    client = signed_in(owner)
    client.post(reverse("mentoring:find"))
    proposal = Proposal.objects.get()
    assert proposal.mentor == first
    client.post(reverse("mentoring:reply", args=[proposal.pk]), {"reply": "decline"})
    client.post(reverse("mentoring:find"))
    assert Proposal.objects.get(status=ProposalStatus.PROPOSED, request=request).mentor == second


@pytest.mark.django_db
def test_accepting_starts_the_relationship_and_a_withdrawn_proposal_cannot_be_accepted(owner: User) -> None:
    make_mentor("md@example.org")
    proposal = proposal_make_best(request=make_request(owner), now=timezone.now())
    client = signed_in(owner)
    response = client.post(reverse("mentoring:reply", args=[proposal.pk]), {"reply": "accept"}, follow=True)
    assert "We have asked" in response.content.decode()
    assert not MentoringRelationship.objects.exists()  # the mentor has not said yes yet
    response = signed_in(proposal.mentor).post(
        reverse("mentoring:reply", args=[proposal.pk]), {"reply": "accept"}, follow=True
    )
    assert MentoringRelationship.objects.get().mentee == owner
    assert owner.email in response.content.decode()  # now each can see how to reach the other
    told = Reminder.objects.get(kind="mentoring_match_confirmed")
    assert told.recipient == owner and str(proposal.mentor) in told.context["other_name"]
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.WITHDRAWN)
    outcome = proposal_accept(proposal_id=proposal.pk, person=owner, now=timezone.now())
    assert not outcome.accepted and "no longer open" in outcome.message


@pytest.mark.django_db
def test_someone_elses_proposal_is_404_and_unchanged(owner: User, colleague: User) -> None:
    make_mentor("md@example.org")
    proposal = proposal_make_best(request=make_request(owner), now=timezone.now())
    assert (
        signed_in(colleague).post(reverse("mentoring:reply", args=[proposal.pk]), {"reply": "accept"}).status_code
        == 404
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED and not MentoringRelationship.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_mentees_race_for_the_last_place(reference_data: None) -> None:
    mentor = make_mentor("md@example.org", capacity=1)
    mentees = [ProfileFactory(user__email=f"mentee{i}@example.org").user for i in range(2)]
    proposals = [proposal_make_best(request=make_request(m), now=timezone.now()) for m in mentees]
    assert all(p.mentor == mentor for p in proposals)
    for proposal in proposals:
        mentor_says_yes(proposal)
    outcomes = race(
        *[
            (lambda p=p, m=m: proposal_accept(proposal_id=p.pk, person=m, now=timezone.now()))
            for p, m in zip(proposals, mentees, strict=True)
        ]
    )
    assert sorted(o.accepted for o in outcomes) == [False, True]  # type: ignore[attr-defined]
    assert MentoringRelationship.objects.filter(mentor=mentor, status=RelationshipStatus.ACTIVE).count() == 1
    loser = next(o for o in outcomes if not o.accepted)  # type: ignore[attr-defined]
    assert "last place was taken" in loser.message  # type: ignore[attr-defined]
    assert Proposal.objects.filter(status=ProposalStatus.WITHDRAWN).count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_mentee_accepting_two_proposals_at_once_gets_one_mentor(reference_data: None) -> None:
    mentee = ProfileFactory(user__email="keen@example.org").user
    mentors = [make_mentor(f"md{i}@example.org", capacity=2) for i in range(2)]
    requests = [make_request(mentee), make_request(mentee, kind="coach")]
    # Two open proposals of the same kind, made directly (the services allow one at a time per mentee and kind):
    # only the database's constraint stands between them.
    MentoringRequest.objects.filter(pk=requests[1].pk).update(kind="mentor", status="matched")
    proposals = [
        Proposal.objects.create(
            request=requests[i],
            mentor=mentors[i],
            score=1,
            explanation="x",
            created_at=timezone.now(),
            mentor_accepted_at=timezone.now(),
        )
        for i in range(2)
    ]
    outcomes = race(
        *[(lambda p=p: proposal_accept(proposal_id=p.pk, person=mentee, now=timezone.now())) for p in proposals]
    )
    assert sorted(o.accepted for o in outcomes) == [False, True]  # type: ignore[attr-defined]
    assert MentoringRelationship.objects.filter(mentee=mentee, status=RelationshipStatus.ACTIVE).count() == 1
    loser = next(o for o in outcomes if not o.accepted)  # type: ignore[attr-defined]
    assert "already has an active mentor" in loser.message  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_wrong_methods(owner: User) -> None:
    client = signed_in(owner)
    assert client.get(reverse("mentoring:find")).status_code == 405
    assert client.get(reverse("mentoring:reply", args=[1])).status_code == 405


@pytest.mark.django_db
def test_finding_without_a_request_says_what_to_do(owner: User) -> None:
    response = signed_in(owner).post(reverse("mentoring:find"), follow=True)
    assert "Ask for a mentor or coach first" in response.content.decode()


@pytest.mark.django_db
def test_withdrawing_a_request_withdraws_its_waiting_proposal(owner: User) -> None:
    mentor = make_mentor("md@example.org", capacity=1)
    request = make_request(owner)
    proposal = proposal_make_best(request=request, now=timezone.now())
    assert Reminder.objects.filter(dedupe_key=f"proposal:{proposal.pk}:waiting", status="pending").exists()
    signed_in(owner).post(reverse("mentoring:withdraw"))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN and proposal.withdrawn_reason == "you withdrew your request"
    assert not Reminder.objects.filter(dedupe_key=f"proposal:{proposal.pk}:waiting", status="pending").exists()
    outcome = proposal_accept(proposal_id=proposal.pk, person=owner, now=timezone.now())
    assert not outcome.accepted and not MentoringRelationship.objects.exists()
    # The mentor's place is free again for someone else.
    other = ProfileFactory(user__email="next@example.org").user
    assert proposal_make_best(request=make_request(other), now=timezone.now()).mentor == mentor


@pytest.mark.django_db
def test_someone_who_would_take_either_gets_the_kind_the_mentor_offers(owner: User) -> None:
    from apps.mentoring.services.proposals import relationship_kind

    assert relationship_kind("coach", "both") == "coach"
    assert relationship_kind("both", "coach") == "coach"
    assert relationship_kind("both", "both") == "mentor"
    coach = make_mentor("coach@example.org")
    MentorOffer.objects.filter(mentor=coach).update(kind="coach")
    proposal = proposal_make_best(request=make_request(owner, kind="both"), now=timezone.now())
    mentor_says_yes(proposal)
    assert proposal_accept(proposal_id=proposal.pk, person=owner, now=timezone.now()).accepted
    assert MentoringRelationship.objects.get(mentee=owner).kind == "coach"


# --- The mentor's side of the handshake ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_mentor_is_asked_at_once_and_sees_what_the_mentee_wants_but_not_how_to_reach_them(owner: User) -> None:
    from apps.competencies.fileformat import parse
    from apps.competencies.services import framework_load

    from ..assessments.conftest import PERSON_SPEC

    framework_load(spec=parse(PERSON_SPEC.read_text()))
    mentor = make_mentor("md@example.org")
    proposal = proposal_make_best(request=make_request(owner), now=timezone.now())
    asked = Reminder.objects.get(kind="mentoring_proposal_for_mentor")
    assert asked.recipient == mentor and asked.due_at <= timezone.now() and str(owner) == asked.context["other_name"]
    page = signed_in(mentor).get(reverse("mentoring:home")).content.decode()
    assert f"Will you mentor {owner}?" in page
    assert "Yes, I will" in page
    assert "<li>SKI-8</li>" not in page and "<li>Have strong interpersonal" in page  # titles, not codes
    assert owner.email not in page  # contact details only once both have said yes
    assert proposal.reply_by is not None


@pytest.mark.django_db
def test_only_the_two_people_can_answer_a_proposal(owner: User, colleague: User) -> None:
    make_mentor("md@example.org")
    other_mentor = make_mentor("md2@example.org")
    proposal = proposal_make_best(request=make_request(owner), now=timezone.now())
    for outsider in (colleague, other_mentor if other_mentor != proposal.mentor else colleague):
        response = signed_in(outsider).post(reverse("mentoring:reply", args=[proposal.pk]), {"reply": "decline"})
        assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED and proposal.mentor_accepted_at is None


@pytest.mark.django_db
def test_a_mentor_who_declines_passes_the_mentee_to_the_next_best_and_the_mentee_is_told(owner: User) -> None:
    first, second = make_mentor("md1@example.org"), make_mentor("md2@example.org", role=CareerRole.DEPUTY_MD)
    request = make_request(owner)
    proposal = proposal_make_best(request=request, now=timezone.now())
    assert proposal.mentor == first
    response = signed_in(first).post(reverse("mentoring:reply", args=[proposal.pk]), {"reply": "decline"}, follow=True)
    assert "proposed the next best mentor" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED and proposal.declined_by == "mentor"
    assert Proposal.objects.get(request=request, status=ProposalStatus.PROPOSED).mentor == second
    told = Reminder.objects.get(kind="mentoring_proposal_passed", recipient=owner)
    assert told.context["what_happened"] == "could not take you on" and told.context["next_name"] == str(second)
    assert Reminder.objects.filter(kind="mentoring_proposal_for_mentor", recipient=second).exists()


@pytest.mark.django_db
def test_a_proposal_nobody_answered_lapses_and_passes_on(owner: User) -> None:
    import time_machine

    from apps.mentoring.services.proposals import proposals_expire

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        make_mentor("md1@example.org")
        request = make_request(owner)
        proposal = proposal_make_best(request=request, now=start)
        proposal_accept(proposal_id=proposal.pk, person=owner, now=start)  # the mentee said yes; the mentor did not
    assert proposals_expire(now=start + timedelta(days=6)) == 0
    assert proposals_expire(now=start + timedelta(days=7, minutes=1)) == 1
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.EXPIRED
    told = Reminder.objects.get(kind="mentoring_proposal_passed", recipient=owner)
    assert told.context["what_happened"] == "did not answer in time" and told.context["next_name"] == ""
    request.refresh_from_db()
    assert request.status == "open"  # an organiser's next round includes it
    assert proposals_expire(now=start + timedelta(days=8)) == 0  # running again changes nothing
