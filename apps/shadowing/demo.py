"""Demo "talk to someone in the role": a medical director and a medical chief executive offer their time, and the
demo aspiring leader has asked the medical director for a shadowing day, so that `make run` shows both sides of a
request. Idempotent: an offer or request already there is left as it is."""

from typing import TextIO

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.profiles.demo import demo_person
from apps.profiles.models import CareerRole

from .models import OfferKind, Setting, ShadowingOffer, ShadowingRequest, WhoMayAsk
from .services import offer_create, request_create

# (e-mail, first, last, role, ODS code, [(kind, where, who may ask, how many a year, note)])
OFFERERS = [
    (
        "mentor@example.org",
        "Richard",
        "Hale",
        CareerRole.MEDICAL_DIRECTOR,
        "RV5",
        [
            (OfferKind.SHADOWING, Setting.IN_PERSON, WhoMayAsk.OUTSIDE, 4, "Board day and the executive meeting."),
            (OfferKind.CONVERSATION, Setting.REMOTE, WhoMayAsk.ANYONE, 12, "An hour on video, any Friday."),
        ],
    ),
    (
        "demo.ceo@example.org",
        "Ruth",
        "Lewis",
        CareerRole.MEDICAL_CEO,
        "RRK",
        [(OfferKind.CONVERSATION, Setting.EITHER, WhoMayAsk.ANYONE, 6, "From medical director to chief executive.")],
    ),
]
ASPIRING = "aspiring@example.org"


def seed(*, scale: str, stdout: TextIO) -> None:
    _seed()


@transaction.atomic
def _seed() -> None:
    now = timezone.now()
    for email, first, last, role, ods, offers in OFFERERS:
        person = User.objects.filter(email=email).first() or demo_person(email, first, last, role, ods)
        for kind, setting, who, per_year, note in offers:
            if not ShadowingOffer.objects.filter(person=person, kind=kind).exists():
                offer_create(
                    person=person, kind=kind, setting=setting, who_may_ask=who, per_year=per_year, note=note, now=now
                )
    aspiring = User.objects.filter(email=ASPIRING).first()
    shadowing = ShadowingOffer.objects.filter(person__email="mentor@example.org", kind=OfferKind.SHADOWING).first()
    if aspiring is None or shadowing is None or ShadowingRequest.objects.filter(requester=aspiring).exists():
        return
    request_create(
        offer_id=shadowing.pk,
        requester=aspiring,
        why="I am applying for deputy medical director next year and want to see a board day from the inside.",
        suggested_on=None,
        now=now,
    )
