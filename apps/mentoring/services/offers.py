"""A mentor's offer: how many mentees, what they help with, where and how they meet, and the schemes they mentor
for."""

from django.db import transaction

from apps.accounts.models import Role, User
from apps.accounts.selectors import user_has_role
from apps.organisations.models import Region, Sector

from ..models import MentorOffer, Mode, Scheme
from . import MentoringError, checked


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
    if not user_has_role(user=mentor, role=Role.MENTOR):
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
    checked(offer)
    offer.save()
    offer.sectors.set(sectors)
    offer.regions.set(regions)
    if schemes is not None:
        current = set(offer.schemes.values_list("pk", flat=True))
        if any(not s.open_to_requests and s.pk not in current for s in schemes):
            raise MentoringError("That scheme is closed to new mentors.")
        offer.schemes.set(schemes)
    return offer
