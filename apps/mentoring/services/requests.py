"""A mentee's request for a mentor or coach: saving it (one open request of each kind) and withdrawing it."""

from datetime import datetime

from django.db import transaction

from apps.accounts.models import User
from apps.notifications.services import cancel_all

from ..models import MentoringRequest, Mode, Proposal, ProposalStatus, RequestStatus, Scheme
from . import MentoringError, checked


@transaction.atomic
def request_save(
    *,
    mentee: User,
    kind: str,
    focus: list[str],
    focus_text: str,
    outside: str,
    sector_preference: str,
    same_region: bool,
    modes: list[str],
    line_manager_email: str,
    excluded_emails: list[str],
    now: datetime,
    scheme: Scheme | None = None,
    editing: MentoringRequest | None = None,
) -> MentoringRequest:
    own = mentee.email.lower()
    if own in {e.lower() for e in excluded_emails} or line_manager_email.lower() == own:
        raise MentoringError("You cannot name yourself: you are never matched with yourself anyway.")
    if not focus and not focus_text.strip():
        raise MentoringError("Say what you would like help with: choose criteria, or describe it.")
    if not modes or not set(modes) <= set(Mode.values):
        raise MentoringError("Choose at least one way to meet.")
    open_requests = MentoringRequest.objects.select_for_update().filter(mentee=mentee, status=RequestStatus.OPEN)
    same_kind = open_requests.filter(kind=kind).first()
    edited = open_requests.filter(pk=editing.pk).first() if editing is not None else None
    if edited is not None and same_kind is not None and same_kind.pk != edited.pk:
        raise MentoringError(
            f"You already have an open request for {same_kind.get_kind_display().lower()}: change that one instead."
        )
    # Changing what you ask for (mentoring to coaching, say) changes this request; it does not open a second one.
    request = edited or same_kind or MentoringRequest(mentee=mentee, kind=kind, created_at=now)
    request.kind = kind
    request.focus, request.focus_text, request.outside = sorted(set(focus)), focus_text.strip(), outside
    request.sector_preference, request.same_region, request.modes = sector_preference, same_region, sorted(set(modes))
    request.line_manager_email = line_manager_email.strip().lower()
    request.excluded_emails = sorted({e.strip().lower() for e in excluded_emails if e.strip()})
    if scheme is not None and not scheme.open_to_requests and scheme.pk != request.scheme_id:
        raise MentoringError("That scheme is closed to new mentees.")
    request.scheme = scheme
    checked(request)
    request.save()
    return request


@transaction.atomic
def request_withdraw(*, request: MentoringRequest, now: datetime) -> None:
    """Withdraw the request, and with it any proposal still waiting for the mentee's reply: it frees the mentor's
    place and its reminder is cancelled."""
    locked = MentoringRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != RequestStatus.OPEN:
        raise MentoringError("This request is no longer open.")
    locked.status = RequestStatus.WITHDRAWN
    locked.save(update_fields=["status"])
    waiting = list(Proposal.objects.select_for_update().filter(request=locked, status=ProposalStatus.PROPOSED))
    for proposal in waiting:
        proposal.status, proposal.decided_at = ProposalStatus.WITHDRAWN, now
        proposal.withdrawn_reason = "you withdrew your request"
        proposal.save(update_fields=["status", "decided_at", "withdrawn_reason"])
        cancel_all(prefix=f"proposal:{proposal.pk}:")
    request.status = locked.status
