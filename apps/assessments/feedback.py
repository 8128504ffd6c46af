"""Writes for 360 feedback: open a round, invite raters, take their anonymous answers, let them withdraw, close.

A rater's private link carries a random token minted when each e-mail is sent (`rater_link_mint`, called by the
dispatcher through notifications.links); only its SHA-256 is kept, so no stored row holds a usable link. Raters
are e-mailed through the notifications app (an invitation now, nudges a week and two days before the close), and
their reminders stop when they answer or decline. The person is never told when someone answers, and sees scores
and comments only once the round has closed (selectors.feedback_answers): nothing changes after that, so no
before-and-after comparison can isolate one answer.
"""

import hashlib
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.competencies.models import Criterion
from apps.notifications.services import cancel_all, schedule

from .models import (
    Assessment,
    FeedbackRound,
    RaterCategory,
    RaterComment,
    RaterInvitation,
    RaterRating,
    RaterResponse,
    RaterToken,
)
from .services import AssessmentError

MAX_RATERS = 40
LONGEST_ROUND = timedelta(days=90)
NUDGES = {"nudge-7d": timedelta(days=7), "nudge-2d": timedelta(days=2)}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _close_at(closes_on: date) -> datetime:
    """A round closes at the end of its last day, London time."""
    return timezone.make_aware(datetime.combine(closes_on, datetime.max.time().replace(microsecond=0)))


@transaction.atomic
def feedback_round_open(*, assessment: Assessment, closes_on: date, message: str, now: datetime) -> FeedbackRound:
    if FeedbackRound.objects.filter(assessment=assessment).exists():
        raise AssessmentError("You have already asked for 360 feedback on this self-assessment.")
    closes_at = _close_at(closes_on)
    if closes_at <= now + timedelta(days=1):
        raise AssessmentError("Give your colleagues at least a day: choose a closing date after tomorrow.")
    if closes_at > now + LONGEST_ROUND:
        raise AssessmentError("Choose a closing date within 90 days.")
    feedback_round = FeedbackRound(assessment=assessment, opened_at=now, closes_at=closes_at, message=message.strip())
    feedback_round.full_clean()
    feedback_round.save()
    return feedback_round


@transaction.atomic
def rater_invite(*, feedback_round: FeedbackRound, email: str, category: str, now: datetime) -> RaterInvitation:
    locked = FeedbackRound.objects.select_for_update().select_related("assessment__owner").get(pk=feedback_round.pk)
    owner = locked.assessment.owner
    address = email.strip().lower()
    _check_invitation(locked, address=address, category=category, owner_email=owner.email.lower(), now=now)
    invitation = RaterInvitation.objects.create(round=locked, email=address, category=category, invited_at=now)
    context = {
        "person_name": owner.full_name or "A colleague",
        "closes_on": timezone.localdate(locked.closes_at).isoformat(),
        "url": "",  # minted when each e-mail is sent: see rater_link_mint
        "invitation": invitation.pk,
    }
    key = f"rater:{invitation.pk}:"
    schedule(email=address, kind="rater_invitation", due_at=now, dedupe_key=key + "invite", context=context)
    for name, before in NUDGES.items():
        due = locked.closes_at - before
        if due > now + timedelta(days=1):
            schedule(email=address, kind="rater_nudge", due_at=due, dedupe_key=key + name, context=context)
    return invitation


def _check_invitation(
    feedback_round: FeedbackRound, *, address: str, category: str, owner_email: str, now: datetime
) -> None:
    if not feedback_round.is_open(now):
        raise AssessmentError("This request for feedback has closed.")
    if category not in RaterCategory.values:
        raise AssessmentError("Choose how this person works with you.")
    try:
        validate_email(address)
    except ValidationError:
        raise AssessmentError(f"“{address}” is not an e-mail address.") from None
    if address == owner_email:
        raise AssessmentError("You cannot ask yourself: your own ratings are your self-assessment.")
    if RaterInvitation.objects.filter(round=feedback_round, email=address).exists():
        raise AssessmentError(f"You have already asked {address}.")
    if RaterInvitation.objects.filter(round=feedback_round).count() >= MAX_RATERS:
        raise AssessmentError(f"You can ask up to {MAX_RATERS} people.")


def rater_link_mint(*, invitation_id: int, now: datetime) -> str | None:
    """A new private link for this rater, for the e-mail being sent now; only its hash is kept. None when the
    invitation is gone (its round deleted with the assessment)."""
    if not RaterInvitation.objects.filter(pk=invitation_id).exists():
        return None
    token = secrets.token_urlsafe(32)
    RaterToken.objects.create(invitation_id=invitation_id, token_hash=token_hash(token), created_at=now)
    return reverse("feedback:respond", args=[token])


def rater_context_to_send(context: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The link minter for rater e-mails (registered in AssessmentsConfig.ready)."""
    invitation = context.get("invitation")
    link = rater_link_mint(invitation_id=invitation, now=now) if isinstance(invitation, int) else None
    return {**context, "url": link} if link else context


def invitation_for_token(*, token: str) -> RaterInvitation | None:
    if not token or len(token) > 100:
        return None
    return (
        RaterInvitation.objects.filter(tokens__token_hash=token_hash(token))
        .select_related("round__assessment__framework", "round__assessment__owner")
        .first()
    )


class FeedbackClosed(AssessmentError):
    """The link can no longer be used: the round closed, or this rater has already answered or declined."""


def _usable(token: str, now: datetime) -> RaterInvitation:
    invitation = (
        RaterInvitation.objects.select_for_update(of=("self",)).filter(tokens__token_hash=token_hash(token)).first()
    )
    if invitation is None:
        raise AssessmentError("This link does not work.")
    if invitation.answered:
        raise FeedbackClosed("You have already given your feedback. Thank you.")
    if invitation.declined:
        raise FeedbackClosed("You said you would rather not give feedback this time.")
    if not FeedbackRound.objects.get(pk=invitation.round_id).is_open(now):
        raise FeedbackClosed("This request for feedback has closed.")
    return invitation


@transaction.atomic
def rater_respond(
    *, token: str, ratings: dict[int, int | None], comments: dict[int | None, str], now: datetime
) -> None:
    invitation = _usable(token, now)
    assessment = Assessment.objects.select_related("framework").get(feedback_round=invitation.round_id)
    criteria = set(Criterion.objects.filter(framework=assessment.framework_id).values_list("pk", flat=True))
    scale = set(assessment.framework.scale.values_list("value", flat=True))
    if set(ratings) != criteria:
        raise AssessmentError("Give a rating, or say you cannot, for every part.")
    if any(v is not None and v not in scale for v in ratings.values()):
        raise AssessmentError("Ratings must be on the scale.")
    if not {k for k in comments if k is not None} <= criteria:
        raise AssessmentError("Some comments are for criteria outside this framework.")
    response = RaterResponse.objects.create(
        round_id=invitation.round_id, category=invitation.category, withdraw_hash=withdraw_hash(token)
    )
    RaterRating.objects.bulk_create(
        RaterRating(response=response, criterion_id=pk, value=v) for pk, v in ratings.items()
    )
    RaterComment.objects.bulk_create(
        RaterComment(response=response, criterion_id=pk, text=text.strip())
        for pk, text in comments.items()
        if text.strip()
    )
    invitation.answered = True
    invitation.save(update_fields=["answered"])
    cancel_all(prefix=f"rater:{invitation.pk}:")


def withdraw_hash(token: str) -> str:
    return hashlib.sha256(f"withdraw:{token}".encode()).hexdigest()


@transaction.atomic
def rater_withdraw(*, token: str, now: datetime) -> None:
    """Before the close a rater may take their answer back, through the link they answered with (only that
    link's hash finds the answer). They may then answer again, or not; nudges do not restart."""
    invitation = RaterInvitation.objects.select_for_update(of=("self",)).filter(tokens__token_hash=token_hash(token))
    found = invitation.select_related("round").first()
    if found is None:
        raise AssessmentError("This link does not work.")
    if not found.round.is_open(now):
        raise FeedbackClosed("Feedback has closed, so answers can no longer be withdrawn.")
    response = RaterResponse.objects.filter(round_id=found.round_id, withdraw_hash=withdraw_hash(token)).first()
    if not found.answered or response is None:
        raise AssessmentError(
            "We cannot find an answer given through this link. Use the link in the e-mail you answered from."
        )
    response.delete()  # its ratings and comments go with it
    found.answered = False
    found.save(update_fields=["answered"])


@transaction.atomic
def rater_decline(*, token: str, now: datetime) -> None:
    invitation = _usable(token, now)
    invitation.declined = True
    invitation.save(update_fields=["declined"])
    cancel_all(prefix=f"rater:{invitation.pk}:")


@transaction.atomic
def feedback_round_close(*, feedback_round: FeedbackRound, now: datetime) -> None:
    locked = FeedbackRound.objects.select_for_update().get(pk=feedback_round.pk)
    if not locked.is_open(now):
        raise AssessmentError("This request for feedback has already closed.")
    locked.closed_early_at = now
    locked.save(update_fields=["closed_early_at"])
    for pk in RaterInvitation.objects.filter(round=locked).values_list("pk", flat=True):
        cancel_all(prefix=f"rater:{pk}:")
