"""Writes for mentoring: a mentor's offer and a mentee's request."""

from datetime import datetime

from django.db import transaction

from apps.accounts.models import Role, User
from apps.accounts.selectors import user_roles
from apps.organisations.models import Region, Sector

from .models import MentoringRequest, MentorOffer, Mode, RequestStatus, Scheme


class MentoringError(Exception):
    """A change that cannot be made as asked; the message is shown, and nothing was written."""


@transaction.atomic
def offer_save(
    *,
    mentor: User,
    capacity: int,
    kind: str,
    expertise: list[str],
    sectors: list[Sector],
    regions: list[Region],
    modes: list[str],
    outside_own_organisation: bool,
    paused: bool,
    schemes: list[Scheme] | None = None,
) -> MentorOffer:
    if Role.MENTOR not in user_roles(user=mentor):
        raise MentoringError(
            "Only mentors and coaches can make an offer. Ask an administrator, or offer from your "
            "dashboard if you are at medical director level."
        )
    if not 1 <= capacity <= 4:
        raise MentoringError("Take on between 1 and 4 mentees at a time.")
    if not modes or not set(modes) <= set(Mode.values):
        raise MentoringError("Choose at least one way you can meet.")
    offer = MentorOffer.objects.filter(mentor=mentor).first() or MentorOffer(mentor=mentor, capacity=capacity)
    offer.capacity, offer.kind, offer.expertise = capacity, kind, sorted(set(expertise))
    offer.modes, offer.outside_own_organisation, offer.paused = sorted(set(modes)), outside_own_organisation, paused
    offer.full_clean()
    offer.save()
    offer.sectors.set(sectors)
    offer.regions.set(regions)
    if schemes is not None:
        current = set(offer.schemes.values_list("pk", flat=True))
        if any(not s.open_to_requests and s.pk not in current for s in schemes):
            raise MentoringError("That scheme is closed to new mentors.")
        offer.schemes.set(schemes)
    return offer


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
) -> MentoringRequest:
    own = mentee.email.lower()
    if own in {e.lower() for e in excluded_emails} or line_manager_email.lower() == own:
        raise MentoringError("You cannot name yourself: you are never matched with yourself anyway.")
    if not focus and not focus_text.strip():
        raise MentoringError("Say what you would like help with: choose criteria, or describe it.")
    if not modes or not set(modes) <= set(Mode.values):
        raise MentoringError("Choose at least one way to meet.")
    request = MentoringRequest.objects.select_for_update().filter(
        mentee=mentee, kind=kind, status=RequestStatus.OPEN
    ).first() or MentoringRequest(mentee=mentee, kind=kind, created_at=now)
    request.focus, request.focus_text, request.outside = sorted(set(focus)), focus_text.strip(), outside
    request.sector_preference, request.same_region, request.modes = sector_preference, same_region, sorted(set(modes))
    request.line_manager_email = line_manager_email.strip().lower()
    request.excluded_emails = sorted({e.strip().lower() for e in excluded_emails if e.strip()})
    if scheme is not None and not scheme.open_to_requests and scheme.pk != request.scheme_id:
        raise MentoringError("That scheme is closed to new mentees.")
    request.scheme = scheme
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def request_withdraw(*, request: MentoringRequest) -> None:
    if request.status != RequestStatus.OPEN:
        raise MentoringError("This request is no longer open.")
    request.status = RequestStatus.WITHDRAWN
    request.save(update_fields=["status"])
