"""Reads for "talk to someone in the role". Permission is part of each query: a request is seen only by the two
people in it, answered only through `requests_to_answer` (the offerer's), withdrawn only through `requests_made_by`
(the requester's); the list of offers shows only live offers the person may ask for, never an e-mail address."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from apps.accounts.models import User
from apps.careers.models import RoleGroup, RoleProfile

from .models import (
    PLACE_TAKING,
    OfferStatus,
    RequestStatus,
    ShadowingOffer,
    ShadowingReflection,
    ShadowingRequest,
    WhoMayAsk,
)

# The limit a person set ("how many a year") counts the requests of the last twelve months.
YEAR = timedelta(days=365)


def places_taken(*, offer: ShadowingOffer, now: datetime) -> int:
    """Requests waiting or accepted in the last twelve months: the places of the year already spoken for."""
    return ShadowingRequest.objects.filter(offer=offer, status__in=PLACE_TAKING, created_at__gt=now - YEAR).count()


def organisation_id_of(user: User) -> int | None:
    profile = getattr(user, "profile", None)
    return profile.organisation_id if profile is not None else None


def _who_may_ask(organisation_id: int | None) -> Q:
    """Offers this person may ask for, by the offerer's choice of who may ask. Someone with no organisation on
    their profile counts as from outside every organisation."""
    if organisation_id is None:
        return ~Q(who_may_ask=WhoMayAsk.INSIDE)
    return (
        Q(who_may_ask=WhoMayAsk.ANYONE)
        | (Q(who_may_ask=WhoMayAsk.OUTSIDE) & ~Q(organisation_id=organisation_id))
        | Q(who_may_ask=WhoMayAsk.INSIDE, organisation_id=organisation_id)
    )


def offers_to_browse(*, user: User, now: datetime) -> QuerySet[ShadowingOffer]:
    """Live offers of other people that `user` may ask for, each with its person, organisation and region, and
    `taken`: its places spoken for in the last twelve months, and `role_slug`: the explorer's profile of the rung
    at the offerer's level, if there is one (one query, whatever the number of offers). The profile is looked up,
    not stored on the offer: each edit of a profile is a new row, and the level is already copied here."""
    rung = RoleProfile.objects.filter(is_current=True, group=RoleGroup.LADDER, level=OuterRef("level"))
    return (
        ShadowingOffer.objects.filter(status=OfferStatus.LIVE, person__is_active=True)
        .filter(_who_may_ask(organisation_id_of(user)))
        .exclude(person=user)
        .select_related("person", "organisation", "region")
        .annotate(
            taken=Count(
                "requests",
                filter=Q(requests__status__in=PLACE_TAKING, requests__created_at__gt=now - YEAR),
            ),
            role_slug=Subquery(rung.order_by("position", "slug").values("slug")[:1]),
        )
        .order_by("-level", "role_title", "id")
    )


def offer_to_request(*, user: User, offer_id: int, now: datetime) -> ShadowingOffer | None:
    """An offer `user` may ask for, or None (their own, paused, withdrawn, not for them, or not there)."""
    return offers_to_browse(user=user, now=now).filter(pk=offer_id).first()


def offers_of(*, person: User) -> QuerySet[ShadowingOffer]:
    """A person's own offers, withdrawn ones last."""
    return ShadowingOffer.objects.filter(person=person).order_by("status", "kind", "-id")


def offer_of(*, person: User, offer_id: int) -> ShadowingOffer | None:
    return offers_of(person=person).filter(pk=offer_id).first()


def _with_people(requests: QuerySet[ShadowingRequest]) -> QuerySet[ShadowingRequest]:
    return requests.select_related("offer", "offerer__profile", "requester__profile", "reflection")


def requests_for(*, user: User) -> QuerySet[ShadowingRequest]:
    """Requests `user` made or was asked: anyone else's is not in the query, so its page is a 404."""
    return _with_people(ShadowingRequest.objects.filter(Q(requester=user) | Q(offerer=user)))


def requests_made_by(*, user: User) -> QuerySet[ShadowingRequest]:
    return _with_people(ShadowingRequest.objects.filter(requester=user))


def requests_asked_of(*, user: User) -> QuerySet[ShadowingRequest]:
    return _with_people(ShadowingRequest.objects.filter(offerer=user))


def requests_to_answer(*, user: User) -> QuerySet[ShadowingRequest]:
    """Requests waiting for `user`'s answer as the offerer: the only way to reach the accept and decline views."""
    return requests_asked_of(user=user).filter(status=RequestStatus.PENDING)


def pending_answers_for(*, user: User) -> QuerySet[ShadowingRequest]:
    """Requests waiting for this person's answer (the dashboard counts them)."""
    return ShadowingRequest.objects.filter(offerer=user, status=RequestStatus.PENDING)


def pending_answer_count(*, user: User) -> int:
    """How many requests wait for this person's answer (one query)."""
    return pending_answers_for(user=user).count()


def reflections_of(*, author: User) -> QuerySet[ShadowingReflection]:
    return ShadowingReflection.objects.filter(author=author).select_related("plan_reflection__plan")


@dataclass(frozen=True)
class OfferFilters:
    level: int | None = None
    kind: str = ""
    region_id: int | None = None


def filtered(offers: QuerySet[ShadowingOffer], filters: OfferFilters) -> QuerySet[ShadowingOffer]:
    if filters.level is not None:
        offers = offers.filter(level=filters.level)
    if filters.kind:
        offers = offers.filter(kind=filters.kind)
    if filters.region_id is not None:
        offers = offers.filter(region_id=filters.region_id)
    return offers
