"""People and offers for the shadowing tests, made through the services as people make them."""

from datetime import date

from django.utils import timezone

from apps.accounts.models import User
from apps.organisations.models import Organisation
from apps.profiles.models import CareerRole
from apps.shadowing.models import ShadowingOffer, ShadowingRequest
from apps.shadowing.services import offer_create, request_accept, request_create
from tests.factories import ProfileFactory

WHY = "I am applying for deputy medical director and want to see a board day from the inside."


def person_in_role(
    email: str,
    *,
    role: str = CareerRole.MEDICAL_DIRECTOR,
    title: str = "Medical Director",
    organisation: Organisation | None = None,
) -> User:
    extra = {"organisation": organisation} if organisation is not None else {}
    return ProfileFactory(user__email=email, career_role=role, job_title=title, **extra).user


def make_offer(
    person: User, *, kind: str = "shadowing", per_year: int = 4, who_may_ask: str = "anyone", setting: str = "in_person"
) -> ShadowingOffer:
    return offer_create(
        person=person,
        kind=kind,
        setting=setting,
        who_may_ask=who_may_ask,
        per_year=per_year,
        note="Board day and the executive meeting.",
        now=timezone.now(),
    )


def ask(offer: ShadowingOffer, requester: User, *, suggested_on: date | None = None) -> ShadowingRequest:
    return request_create(
        offer_id=offer.pk, requester=requester, why=WHY, suggested_on=suggested_on, now=timezone.now()
    )


def accepted(offer: ShadowingOffer, requester: User, *, agreed_on: date | None = None) -> ShadowingRequest:
    request = ask(offer, requester)
    return request_accept(
        request_id=request.pk,
        offerer=offer.person,
        agreed_on=agreed_on,
        message="Looking forward to it.",
        now=timezone.now(),
    )
