"""The places a round may fill, counted by one correlated subquery per kind (`_offers_with_places`, `places_count`),
must be those the former join counted (`Count` with `distinct` over the mentor's relationships and proposals):
compared on a seeded pool of mentors with several schemes, paused offers, relationships of both kinds and both
statuses, in and out of schemes, proposals in every status, and mentors whose relationship lost its mentee."""

import random

import pytest
from django.db.models import Count, F, Q
from django.utils import timezone

from apps.mentoring.models import (
    MentoringRelationship,
    MentorOffer,
    Proposal,
    ProposalStatus,
    RelationshipStatus,
    Scheme,
)
from apps.mentoring.selectors import mentors_with_places, places_count
from tests.factories import ProfileFactory
from tests.mentoring.test_proposals import make_mentor, make_request


def former_places(*, scheme: Scheme | None, reserve_waiting: bool) -> dict[int, int]:
    """mentor id → free places, as the code before the subqueries counted them (both joins at once, distinct)."""
    offers = MentorOffer.objects.filter(paused=False)
    if scheme is not None:
        offers = offers.filter(schemes=scheme)
    active = Count("mentor__mentees_as_mentor", filter=Q(mentor__mentees_as_mentor__status="active"), distinct=True)
    waiting = Count(
        "mentor__mentoring_proposals",
        filter=Q(mentor__mentoring_proposals__status=ProposalStatus.PROPOSED),
        distinct=True,
    )
    counted = (
        offers.annotate(active=active, waiting=waiting)
        .annotate(taken=F("active") + F("waiting") if reserve_waiting else F("active"))
        .filter(taken__lt=F("capacity"))
    )
    return {offer.mentor_id: offer.capacity - offer.taken for offer in counted}


@pytest.mark.django_db
def test_places_are_counted_as_the_former_join_counted_them() -> None:
    rng = random.Random(20)
    now = timezone.now()
    schemes = [Scheme.objects.create(name=f"Scheme {i}", created_at=now) for i in range(3)]
    people = iter(ProfileFactory(user__email=f"e{i}@example.org").user for i in range(400))
    for n in range(14):
        mentor = make_mentor(f"m{n}@example.org", capacity=rng.randint(1, 4))
        offer = MentorOffer.objects.get(mentor=mentor)
        offer.schemes.set(rng.sample(schemes, rng.randint(0, 3)))
        offer.paused = rng.random() < 0.2
        offer.save()
        for _ in range(rng.randint(0, 5)):
            status = rng.choice(list(ProposalStatus))
            request = make_request(next(people), kind=rng.choice(["mentor", "coach"]), scheme=rng.choice(schemes))
            proposal = Proposal.objects.create(
                request=request, mentor=mentor, score=1, explanation="x", created_at=now, status=status
            )
            if status == ProposalStatus.ACCEPTED and rng.random() < 0.7:
                # A relationship from a proposal (joins both tables at once in the former query).
                MentoringRelationship.objects.create(
                    mentor=mentor, mentee=request.mentee, kind=request.kind, proposal=proposal, started_at=now
                )
        for _ in range(rng.randint(0, 4)):
            MentoringRelationship.objects.create(
                mentor=mentor,
                mentee=None if rng.random() < 0.2 else next(people),  # a mentee who closed their account
                kind=rng.choice(["mentor", "coach"]),
                scheme=rng.choice([None, *schemes]),
                status=rng.choice(list(RelationshipStatus)),
                started_at=now,
            )
    seen_full = seen_free = 0
    for scheme in [None, *schemes]:
        for reserve_waiting in (False, True):
            expected = former_places(scheme=scheme, reserve_waiting=reserve_waiting)
            places = mentors_with_places(scheme=scheme, reserve_waiting=reserve_waiting)
            assert {int(place.facts.id): place.free for place in places} == expected
            seen_free += len(expected)
            offers = MentorOffer.objects.filter(paused=False)
            seen_full += (offers.filter(schemes=scheme) if scheme else offers).count() - len(expected)
        if scheme is not None:
            assert places_count(scheme=scheme) == len(former_places(scheme=scheme, reserve_waiting=True))
    assert seen_full > 5 and seen_free > 5  # the pool had both mentors with a place and mentors without
