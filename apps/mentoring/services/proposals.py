"""Proposals: the best available mentor for one request, at once; a handshake that never breaks a rule.

Both people are asked, by e-mail and on their dashboards. The relationship starts with the second yes; until then
neither sees how to reach the other. A mentor who declines, or who has not answered by `reply_by`, passes the
request to the next best mentor, and the mentee is told. A mentee who declines or lets it lapse is free to ask
again.

Acceptance is safe under concurrency: the proposal row and then the mentor's offer row are locked, so two
acceptances for the same mentor queue and the second finds the capacity used; and the database's partial unique
constraint refuses a mentee a second active mentor of the same kind, however two acceptances interleave. The
acceptance that loses is not an error: its proposal is withdrawn, with the reason, and the mentee is told.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from apps.accounts.models import User
from apps.notifications.services import Scheduled, cancel, cancel_all, schedule, schedule_many

from ..models import (
    MentoringKind,
    MentoringRelationship,
    MentoringRequest,
    MentorOffer,
    Proposal,
    ProposalStatus,
    RelationshipStatus,
    RequestStatus,
    Side,
)
from ..scoring import Weights, fit, refusal
from ..selectors import available_mentors, criterion_titles, mentee_facts, scheme_weights
from . import MentoringError
from .relationships import relationship_started

WAITING_REMINDER = timedelta(days=3)
REPLY_WITHIN = timedelta(days=7)


def proposal_notices(proposals: list[Proposal], *, now: datetime, tell_mentee: bool) -> list[Scheduled]:
    """What a new proposal sends: the mentor is asked at once; each side is reminded after three days if they
    have not answered; the mentee is told at once when they did not ask on the page (a match round)."""
    notices = []
    url = reverse("mentoring:home")
    for proposal in proposals:
        mentee, mentor = proposal.request.mentee, proposal.mentor
        key = f"proposal:{proposal.pk}"
        # (to, about, kind, due, key): the mentor asked at once, each side reminded after three days.
        plan = [
            (mentor, mentee, "mentoring_proposal_for_mentor", now, f"{key}:asked:mentor"),
            (mentor, mentee, "mentoring_proposal_waiting", now + WAITING_REMINDER, f"{key}:waiting:mentor"),
            (mentee, mentor, "mentoring_proposal_waiting", now + WAITING_REMINDER, f"{key}:waiting"),
        ]
        if tell_mentee:
            plan.append((mentee, mentor, "mentoring_proposal_made", now, f"{key}:asked:mentee"))
        notices += [
            Scheduled(
                recipient=to, kind=kind, due_at=due, dedupe_key=dedupe, context={"url": url, "other_name": str(about)}
            )
            for to, about, kind, due, dedupe in plan
        ]
    return notices


@transaction.atomic
def proposal_make_best(
    *, request: MentoringRequest, now: datetime, weights: Weights | None = None, tell_mentee: bool = False
) -> Proposal:
    """The best allowed mentor with a free place who has not already been proposed for this request."""
    locked = MentoringRequest.objects.select_for_update(of=("self",)).select_related("scheme").get(pk=request.pk)
    if locked.status != RequestStatus.OPEN:
        raise MentoringError("This request is no longer open.")
    if Proposal.objects.filter(request=locked, status=ProposalStatus.PROPOSED).exists():
        raise MentoringError("You already have a proposal waiting for your reply.")
    tried = {str(pk) for pk in Proposal.objects.filter(request=locked).values_list("mentor_id", flat=True)}
    mentee = mentee_facts(locked)
    titles = criterion_titles()
    candidates = [m for m in available_mentors() if m.id not in tried and refusal(mentee, m) is None]
    if not candidates:
        raise MentoringError(
            "No mentor who fits your request has a place free right now. Your request stays open, "
            "and an organiser's next match round will include it."
        )
    scored = [(fit(mentee, m, weights=weights or scheme_weights(locked.scheme), titles=titles), m) for m in candidates]
    best_fit, best = max(scored, key=lambda pair: (pair[0].score, -int(pair[1].id)))
    proposal = Proposal.objects.create(
        request=locked,
        mentor_id=int(best.id),
        score=best_fit.score,
        explanation=best_fit.explanation,
        created_at=now,
        reply_by=now + REPLY_WITHIN,
    )
    schedule_many(proposal_notices([proposal], now=now, tell_mentee=tell_mentee))
    return proposal


@dataclass(frozen=True)
class Outcome:
    accepted: bool  # this person's yes is recorded
    message: str
    started: bool = False  # the relationship started with it
    relationship_id: int | None = None


def _side(proposal: Proposal, person: User) -> str:
    return Side.MENTOR if proposal.mentor_id == person.pk else Side.MENTEE


def _locked(proposal_id: int, person: User | None) -> Proposal | None:
    """The proposal, locked after its request (the lock order everywhere: request, proposal, mentor's offer);
    with `person`, only if they are its mentee or mentor."""
    mine = Proposal.objects.filter(pk=proposal_id)
    if person is not None:
        mine = mine.filter(Q(request__mentee=person) | Q(mentor=person))
    request_id = mine.values_list("request_id", flat=True).first()
    if request_id is None:
        return None
    MentoringRequest.objects.select_for_update().filter(pk=request_id).first()
    return (
        Proposal.objects.select_for_update(of=("self",)).select_related("request__mentee", "mentor").get(pk=proposal_id)
    )


def proposal_accept(*, proposal_id: int, person: User, now: datetime) -> Outcome:
    """One side says yes. The second yes starts the relationship: first acceptance of a mentor's last place
    wins, and a losing one withdraws its proposal (committed) and says why."""
    with transaction.atomic():
        proposal = _locked(proposal_id, person)
        if proposal is None:
            raise MentoringError("No such proposal.")
        if proposal.status != ProposalStatus.PROPOSED:
            return Outcome(False, f"This proposal is no longer open ({proposal.get_status_display().lower()}).")
        if proposal.request.status == RequestStatus.WITHDRAWN:
            return _withdraw(proposal, now, "the request was withdrawn")
        side = _side(proposal, person)
        other = proposal.request.mentee if side == Side.MENTOR else proposal.mentor
        if side == Side.MENTOR:
            proposal.mentor_accepted_at = proposal.mentor_accepted_at or now
            cancel(dedupe_key=f"proposal:{proposal.pk}:waiting:mentor")
        else:
            proposal.mentee_accepted_at = proposal.mentee_accepted_at or now
            cancel(dedupe_key=f"proposal:{proposal.pk}:waiting")
        proposal.save(update_fields=["mentor_accepted_at", "mentee_accepted_at"])
        if proposal.mentor_accepted_at is None or proposal.mentee_accepted_at is None:
            return Outcome(True, f"Thank you. We have asked {other} too; you will start as soon as they say yes.")
        return _start(proposal, now, other)


def _start(proposal: Proposal, now: datetime, other: User) -> Outcome:
    """Both have said yes: the relationship starts if the mentor still has room, and the other side is told."""
    offer = MentorOffer.objects.select_for_update().filter(mentor=proposal.mentor_id).first()
    active = MentoringRelationship.objects.filter(mentor=proposal.mentor_id, status=RelationshipStatus.ACTIVE).count()
    if offer is None or offer.paused or active >= offer.capacity:
        return _withdraw(proposal, now, "the mentor's last place was taken moments ago")
    try:
        with transaction.atomic():
            relationship = MentoringRelationship.objects.create(
                mentor_id=proposal.mentor_id,
                mentee=proposal.request.mentee,
                kind=relationship_kind(proposal.request.kind, offer.kind),
                proposal=proposal,
                scheme_id=proposal.request.scheme_id,
                started_at=now,
            )
            relationship_started(relationship=relationship, now=now)
    except IntegrityError:
        return _withdraw(proposal, now, "the mentee already has an active mentor of this kind")
    proposal.status, proposal.decided_at = ProposalStatus.ACCEPTED, now
    proposal.save(update_fields=["status", "decided_at"])
    MentoringRequest.objects.filter(pk=proposal.request_id).update(status=RequestStatus.MATCHED)
    cancel_all(prefix=f"proposal:{proposal.pk}:")
    schedule(
        recipient=other,
        kind="mentoring_match_confirmed",
        due_at=now,
        dedupe_key=f"proposal:{proposal.pk}:confirmed",
        context={
            "other_name": str(proposal.request.mentee if other == proposal.mentor else proposal.mentor),
            "url": reverse("mentoring:relationship", args=[relationship.pk]),
        },
    )
    return Outcome(
        True,
        f"You and {other} are now working together. You can see how to reach each other below.",
        started=True,
        relationship_id=relationship.pk,
    )


def relationship_kind(requested: str, offered: str) -> str:
    """What the pair will be: what was asked for, or, when the mentee would take either, what the mentor offers
    (mentoring when they offer both). A relationship is always mentoring or coaching, never "both", so the
    one-active-per-kind constraint means what it says."""
    if requested != MentoringKind.BOTH:
        return requested
    return offered if offered != MentoringKind.BOTH else MentoringKind.MENTOR


def _withdraw(proposal: Proposal, now: datetime, reason: str) -> Outcome:
    proposal.status, proposal.decided_at, proposal.withdrawn_reason = ProposalStatus.WITHDRAWN, now, reason
    proposal.save(update_fields=["status", "decided_at", "withdrawn_reason"])
    cancel_all(prefix=f"proposal:{proposal.pk}:")
    return Outcome(False, f"This proposal was withdrawn: {reason}.")


@transaction.atomic
def proposal_decline(*, proposal_id: int, person: User, now: datetime) -> Proposal:
    """Either side can say no. The declined mentor is not proposed again for this request; when the mentor
    declines, the request passes to the next best mentor at once and the mentee is told."""
    proposal = _locked(proposal_id, person)
    if proposal is None:
        raise MentoringError("No such proposal.")
    if proposal.status != ProposalStatus.PROPOSED:
        raise MentoringError("This proposal is no longer open.")
    side = _side(proposal, person)
    proposal.status, proposal.decided_at, proposal.declined_by = ProposalStatus.DECLINED, now, side
    proposal.save(update_fields=["status", "decided_at", "declined_by"])
    cancel_all(prefix=f"proposal:{proposal.pk}:")
    if side == Side.MENTOR:
        _pass_on(proposal, now, "could not take you on")
    return proposal


def _pass_on(proposal: Proposal, now: datetime, what_happened: str) -> Proposal | None:
    """The mentor said no or did not answer: propose the next best and tell the mentee either way."""
    try:
        following = proposal_make_best(request=proposal.request, now=now)
    except MentoringError:
        following = None
    schedule(
        recipient=proposal.request.mentee,
        kind="mentoring_proposal_passed",
        due_at=now,
        dedupe_key=f"proposal:{proposal.pk}:passed",
        context={
            "other_name": str(proposal.mentor),
            "what_happened": what_happened,
            "next_name": str(following.mentor) if following else "",
            "url": reverse("mentoring:home"),
        },
    )
    return following


def proposals_expire(*, now: datetime) -> int:
    """Proposals past their reply date lapse, each in its own transaction. Where the mentor had not answered,
    the request passes to the next best mentor. Returns how many lapsed; safe to run twice."""
    due = list(Proposal.objects.filter(status=ProposalStatus.PROPOSED, reply_by__lt=now).values_list("pk", flat=True))
    for proposal_id in due:
        with transaction.atomic():
            proposal = _locked(proposal_id, None)
            if proposal is not None and proposal.status != ProposalStatus.PROPOSED:
                proposal = None
            if proposal is None:  # answered meanwhile
                continue
            proposal.status, proposal.decided_at = ProposalStatus.EXPIRED, now
            proposal.save(update_fields=["status", "decided_at"])
            cancel_all(prefix=f"proposal:{proposal.pk}:")
            if proposal.mentor_accepted_at is None and proposal.request.status == RequestStatus.OPEN:
                _pass_on(proposal, now, "did not answer in time")
    return len(due)
