"""Reads for mentoring, filtered to what the person may see as part of the query: a pair's relationship is theirs
alone, a scheme's rounds its organisers' alone, so anyone else's lookup finds nothing (a 404 in the views)."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Avg, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from apps.accounts.colleagues import Colleague
from apps.accounts.models import User
from apps.common.reporting import ReportRow, suppress_small_counts, suppressed_total
from apps.competencies.models import Criterion
from apps.profiles.models import LEVEL_OF_ROLE, Profile

from .models import (
    ClosingFeedback,
    GoalsMet,
    MatchRound,
    Meeting,
    MentoringKind,
    MentoringRelationship,
    MentoringRequest,
    MentorOffer,
    Proposal,
    ProposalStatus,
    RelationshipStatus,
    RequestStatus,
    RoundPair,
    Scheme,
)
from .scoring import ABOUT_MENTEE, Fit, MenteeFacts, MentorFacts, Weights, fit, refusal

# What an organiser is told when the hard rules refuse a pair. Never the rule itself: the mentee's line manager
# and the people they asked not to be matched with are private to the mentee ("Nobody is told"), and naming the
# rule for one candidate after another would reveal them.
RULES_REFUSE = "the matching rules do not allow this pair"


# Criteria: mentoring stores person-specification codes (they hold across versions); people read titles.


def criterion_titles() -> dict[str, str]:
    """Each person-specification code's title, the latest version's winning: one query."""
    rows = Criterion.objects.filter(framework__slug="md-person-spec").order_by("framework__loaded_at")
    return dict(rows.values_list("code", "title"))


def person_spec_criteria() -> list[Criterion]:
    """The criteria of the latest person specification, for the offer and request forms."""
    latest = Criterion.objects.filter(framework__slug="md-person-spec").order_by("-framework__loaded_at").first()
    if latest is None:
        return []
    return list(Criterion.objects.filter(framework=latest.framework_id).order_by("position"))


# Offers and requests: each person's own.


def offer_for_mentor(*, mentor: User) -> MentorOffer | None:
    return MentorOffer.objects.filter(mentor=mentor).first()


def offer_to_edit(*, mentor: User) -> MentorOffer | None:
    """The mentor's offer with the sectors, regions and schemes its form shows."""
    return MentorOffer.objects.filter(mentor=mentor).prefetch_related("sectors", "regions", "schemes").first()


def open_requests_for(*, mentee: User) -> QuerySet[MentoringRequest]:
    return MentoringRequest.objects.filter(mentee=mentee, status=RequestStatus.OPEN)


def open_request_for(*, mentee: User) -> MentoringRequest | None:
    return open_requests_for(mentee=mentee).first()


# Proposals: the mentee's and the mentor's, never anyone else's.


def proposal_for(*, person: User, proposal_id: int) -> Proposal | None:
    """A proposal to this person, as its mentee or its mentor."""
    return Proposal.objects.filter(Q(request__mentee=person) | Q(mentor=person), pk=proposal_id).first()


def proposals_for_mentee(*, user: User) -> QuerySet[Proposal]:
    """Open proposals of a mentor for this person, whether or not they have said yes yet."""
    return Proposal.objects.filter(request__mentee=user, status=ProposalStatus.PROPOSED).select_related("mentor")


def proposals_for_mentor(*, user: User) -> QuerySet[Proposal]:
    """Open proposals of a mentee for this mentor, with what the mentee asked for and who they are (their
    profile's role and organisation: never contact details before both have said yes)."""
    return (
        Proposal.objects.filter(mentor=user, status=ProposalStatus.PROPOSED)
        .select_related("request__mentee__profile__organisation")
        .order_by("created_at", "pk")
    )


def proposals_waiting_for(*, user: User) -> QuerySet[Proposal]:
    """Open proposals waiting for this person's own yes or no, as mentee or mentor."""
    return Proposal.objects.filter(
        Q(request__mentee=user, mentee_accepted_at__isnull=True) | Q(mentor=user, mentor_accepted_at__isnull=True),
        status=ProposalStatus.PROPOSED,
    )


def proposals_needing_reply(*, user: User) -> int:
    """How many open proposals wait for this person's own yes or no, as mentee or mentor: one query."""
    return proposals_waiting_for(user=user).count()


# Relationships. Membership of the pair is part of every query: nobody else learns that a relationship exists.


def _of_pair(user: User, prefix: str = "") -> Q:
    return Q(**{f"{prefix}mentor": user}) | Q(**{f"{prefix}mentee": user})


def relationships_for(*, user: User) -> QuerySet[MentoringRelationship]:
    return MentoringRelationship.objects.filter(_of_pair(user)).select_related("mentor", "mentee")


def active_relationships_for(*, user: User) -> QuerySet[MentoringRelationship]:
    return relationships_for(user=user).filter(status=RelationshipStatus.ACTIVE)


def relationship_for(*, user: User, relationship_id: int) -> MentoringRelationship | None:
    """One of the person's relationships, with both people's organisations and who closed it, for its page."""
    people = ("closed_by", "mentor__profile__organisation", "mentee__profile__organisation")
    return relationships_for(user=user).select_related(*people).filter(pk=relationship_id).first()


def relationships_awaiting_feedback(*, user: User) -> QuerySet[MentoringRelationship]:
    """Closed relationships this person has not yet given their closing feedback on."""
    return relationships_for(user=user).filter(status=RelationshipStatus.CLOSED).exclude(feedback__author=user)


def relationship_ids_awaiting_feedback(*, user: User) -> set[int]:
    return set(relationships_awaiting_feedback(user=user).values_list("pk", flat=True))


def meetings_for(*, user: User, relationship_id: int) -> QuerySet[Meeting]:
    return Meeting.objects.filter(_of_pair(user, "relationship__"), relationship=relationship_id)


def meeting_recorded_by(*, user: User, relationship_id: int, meeting_id: int) -> Meeting | None:
    """A meeting of the person's relationship that they recorded: only they may change it, so to anyone else
    (their partner included) its change page does not exist."""
    return meetings_for(user=user, relationship_id=relationship_id).filter(pk=meeting_id, recorded_by=user).first()


def meetings_in(*, relationship: MentoringRelationship) -> QuerySet[Meeting]:
    """The meeting log of a relationship already fetched through `relationship_for`."""
    return relationship.meetings.select_related("recorded_by")


def feedback_on(*, relationship: MentoringRelationship) -> list[ClosingFeedback]:
    """The closing feedback on a relationship already fetched through `relationship_for`: the pair see both."""
    return list(relationship.feedback.select_related("author"))


def agreement_fingerprint(relationship: MentoringRelationship) -> str:
    """A short digest of the agreement's wording: a confirmation counts only for the wording the person saw."""
    text = "\x1f".join([relationship.goals, relationship.meeting_frequency, relationship.confidentiality])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def colleagues_in_mentoring(user: User) -> list[Colleague]:
    """The person's mentors and coaches (active), and the organisers of the schemes they asked through: two
    queries."""
    # A mentor who closes their account ends the relationship first; one left by a raw delete is nobody to share with.
    found = [
        Colleague(rel.mentor, "your coach" if rel.kind == "coach" else "your mentor")
        for rel in MentoringRelationship.objects.filter(mentee=user, status=RelationshipStatus.ACTIVE)
        .select_related("mentor")
        .order_by("started_at")
        if rel.mentor is not None
    ]
    schemes = Scheme.objects.filter(requests__mentee=user).prefetch_related("organisers").distinct().order_by("name")
    for scheme in schemes:
        found += [Colleague(organiser, f"organiser of {scheme.name}") for organiser in scheme.organisers.all()]
    return found


# The facts the scoring reads, for mentees' requests and for mentors with room.


def _profile_facts(profile: Profile | None) -> tuple[str | None, str | None, str | None, int | None]:
    if profile is None:
        return None, None, None, None
    return (
        profile.organisation.ods_code if profile.organisation else None,
        profile.sector.name.lower() if profile.sector else None,
        profile.region.name if profile.region else None,
        LEVEL_OF_ROLE.get(profile.career_role),
    )


def mentee_facts(request: MentoringRequest) -> MenteeFacts:
    return mentees_facts([request])[request.pk]


def mentees_facts(requests: list[MentoringRequest]) -> dict[int, MenteeFacts]:
    """The facts of each request, by request id, in two queries however many requests."""
    profiles = {
        p.user_id: p
        for p in Profile.objects.filter(user__in=[r.mentee_id for r in requests]).select_related(
            "organisation", "sector", "region"
        )
    }
    named = set().union(*({e.lower() for e in r.excluded_emails} | {r.line_manager_email.lower()} for r in requests))
    named.discard("")
    ids = {u.email.lower(): str(u.pk) for u in User.objects.filter(email__in=named)} if named else {}
    facts = {}
    for request in requests:
        organisation, sector, region, level = _profile_facts(profiles.get(request.mentee_id))
        facts[request.pk] = MenteeFacts(
            id=str(request.mentee_id),
            organisation=organisation,
            kind=request.kind,
            focus=tuple(request.focus),
            sector=sector,
            region=region,
            level=level,
            modes=frozenset(request.modes),
            outside=request.outside,
            sector_preference=request.sector_preference,
            same_region=request.same_region,
            excluded=frozenset(ids[e] for e in request.excluded_emails if e in ids),
            line_manager=ids.get(request.line_manager_email.lower()),
        )
    return facts


@dataclass(frozen=True)
class Place:
    """A mentor with places free: their facts and how many more mentees they can take."""

    facts: MentorFacts
    free: int


def _offers_with_places(*, scheme: Scheme | None, reserve_waiting: bool) -> QuerySet[MentorOffer]:
    """Unpaused offers with a place free, each annotated with `taken`. The places taken are counted by one
    correlated subquery per kind through the mentor's index, not by joining both tables at once: the join made a
    row for every relationship × proposal pair of a mentor and took seconds at 4,000 mentors."""
    offers = MentorOffer.objects.filter(paused=False)
    if scheme is not None:
        offers = offers.filter(schemes=scheme)
    active = _count_of(
        MentoringRelationship.objects.filter(mentor=OuterRef("mentor"), status=RelationshipStatus.ACTIVE), "mentor"
    )
    waiting = _count_of(Proposal.objects.filter(mentor=OuterRef("mentor"), status=ProposalStatus.PROPOSED), "mentor")
    return offers.annotate(taken=active + waiting if reserve_waiting else active).filter(taken__lt=F("capacity"))


def _count_of(rows: QuerySet, field: str) -> Coalesce:
    """How many rows, as a subquery that can be added to others (0 rather than NULL when there are none)."""
    counted = rows.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def places_count(*, scheme: Scheme) -> int:
    """How many mentors of the scheme a round would match (an offer with a place free), in one query."""
    return _offers_with_places(scheme=scheme, reserve_waiting=True).count()


def mentors_with_places(*, scheme: Scheme | None = None, reserve_waiting: bool = False) -> list[Place]:
    """Every unpaused offer with a place free (in a scheme, when given), in three queries however many mentors.

    A place is taken by an active relationship; with `reserve_waiting`, also by a proposal waiting for a reply
    (a match round must not propose more mentees to a mentor than they have room for)."""
    counted = (
        _offers_with_places(scheme=scheme, reserve_waiting=reserve_waiting)
        .select_related("mentor__profile__organisation")
        .prefetch_related("sectors", "regions")
        .order_by("mentor_id")
    )
    places = []
    for offer in counted:
        profile = getattr(offer.mentor, "profile", None)
        facts = MentorFacts(
            id=str(offer.mentor_id),
            organisation=profile.organisation.ods_code if profile and profile.organisation else None,
            kind=offer.kind,
            expertise=frozenset(offer.expertise),
            sectors=frozenset(s.name.lower() for s in offer.sectors.all()),
            regions=frozenset(r.name for r in offer.regions.all()),
            level=LEVEL_OF_ROLE.get(profile.career_role) if profile else None,
            modes=frozenset(offer.modes),
            outside_ok=offer.outside_own_organisation,
        )
        taken: int = getattr(offer, "taken")  # noqa: B009 (annotated by _offers_with_places, unknown to mypy)
        places.append(Place(facts=facts, free=offer.capacity - taken))
    return places


def available_mentors() -> list[MentorFacts]:
    """Every unpaused offer with a place free."""
    return [place.facts for place in mentors_with_places()]


def scheme_weights(scheme: Scheme | None) -> Weights:
    if scheme is None:
        return Weights()
    return Weights(
        focus=scheme.weight_focus,
        outside=scheme.weight_outside,
        sector=scheme.weight_sector,
        region=scheme.weight_region,
        career=scheme.weight_career,
        mode=scheme.weight_mode,
    )


# Schemes and match rounds: an organiser's own. Every organiser page starts from `schemes_run_by`.


def schemes_run_by(user: User) -> QuerySet[Scheme]:
    """The schemes this person organises: every organiser view starts from this queryset."""
    return Scheme.objects.filter(organisers=user)


def scheme_for_organiser(*, user: User, scheme_id: int) -> Scheme | None:
    return schemes_run_by(user).filter(pk=scheme_id).first()


@dataclass(frozen=True)
class SchemeRow:
    """A scheme on the organiser's list, with how many are waiting in it and how many mentor for it."""

    scheme: Scheme
    open_requests: int
    mentors: int


def scheme_rows_run_by(*, user: User) -> list[SchemeRow]:
    """The organiser's schemes with their counts: one query."""
    schemes = schemes_run_by(user).annotate(
        open_requests=Count("requests", filter=Q(requests__status="open"), distinct=True),
        mentors=Count("offers", distinct=True),
    )
    return [SchemeRow(scheme=s, open_requests=s.open_requests, mentors=s.mentors) for s in schemes]


def co_organiser_emails(*, scheme: Scheme, user: User) -> list[str]:
    """The addresses of the scheme's other organisers, for its form."""
    return list(scheme.organisers.exclude(pk=user.pk).order_by("email").values_list("email", flat=True))


def pool_requests(scheme: Scheme) -> QuerySet[MentoringRequest]:
    """The scheme's requests a round would match: open, no proposal waiting, and not already served."""
    waiting = Proposal.objects.filter(request=OuterRef("pk"), status=ProposalStatus.PROPOSED)
    # Already served: an active relationship of the kind asked for (any kind, for someone who would take either).
    active = MentoringRelationship.objects.filter(mentee=OuterRef("mentee"), status=RelationshipStatus.ACTIVE)
    return (
        MentoringRequest.objects.filter(scheme=scheme, status=RequestStatus.OPEN)
        .exclude(Exists(waiting))
        .exclude(Exists(active.filter(kind=OuterRef("kind"))))
        .annotate(served=Exists(active))
        .exclude(kind=MentoringKind.BOTH, served=True)
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class Pool:
    """Who a round run now would match: mentees waiting, mentors with room, and their places."""

    mentees: int
    mentors: int
    places: int


def pool_of(*, scheme: Scheme) -> Pool:
    places = mentors_with_places(scheme=scheme, reserve_waiting=True)
    return Pool(mentees=pool_requests(scheme).count(), mentors=len(places), places=sum(place.free for place in places))


@dataclass(frozen=True)
class RoundRow:
    """A round on its scheme's page, with how many of its mentees it paired."""

    round: MatchRound
    matched: int
    size: int


def round_rows_of(*, scheme: Scheme) -> list[RoundRow]:
    """The scheme's rounds, newest first, with their counts: one query."""
    rounds = MatchRound.objects.filter(scheme=scheme).annotate(
        matched=Count("pairs", filter=Q(pairs__mentor__isnull=False)), size=Count("pairs")
    )
    return [RoundRow(round=r, matched=r.matched, size=r.size) for r in rounds]


def round_for_organiser(*, user: User, scheme_id: int, round_id: int) -> MatchRound | None:
    """A round of a scheme this person organises, with its scheme: one query."""
    return (
        MatchRound.objects.filter(scheme__organisers=user, scheme_id=scheme_id, pk=round_id)
        .select_related("scheme")
        .first()
    )


@dataclass(frozen=True)
class RoundSummary:
    matched: int
    unmatched: int
    total: float | None  # None: no pairs
    by_hand: int


def round_summary(*, match_round: MatchRound) -> RoundSummary:
    row = RoundPair.objects.filter(round=match_round).aggregate(
        matched=Count("pk", filter=Q(mentor__isnull=False)),
        unmatched=Count("pk", filter=Q(mentor__isnull=True)),
        total=Sum("score"),
        by_hand=Count("pk", filter=Q(changed_by_hand=True)),
    )
    return RoundSummary(**row)


def round_pairs_to_review(*, match_round: MatchRound, show: str) -> QuerySet[RoundPair]:
    """The round's pairs, all or only the matched or unmatched ones, unmatched first: they are what a reviewer
    most often wants to look at."""
    pairs = RoundPair.objects.filter(round=match_round).select_related("request__mentee", "mentor")
    if show == "unmatched":
        pairs = pairs.filter(mentor__isnull=True)
    elif show == "matched":
        pairs = pairs.filter(mentor__isnull=False)
    return pairs.order_by(F("mentor").asc(nulls_first=True), "pk")


def pair_for_organiser(*, user: User, scheme_id: int, round_id: int, pair_id: int) -> RoundPair | None:
    """A pair of a round of a scheme this person organises, with its mentee, mentor, round and scheme."""
    return (
        RoundPair.objects.filter(
            round__scheme__organisers=user, round__scheme_id=scheme_id, round_id=round_id, pk=pair_id
        )
        .select_related("request__mentee", "mentor", "round__scheme")
        .first()
    )


def pairs_in_round(*, match_round: MatchRound) -> QuerySet[RoundPair]:
    return RoundPair.objects.filter(round=match_round).select_related("request__mentee", "mentor")


def other_pairs(*, pair: RoundPair) -> QuerySet[RoundPair]:
    """The round's other pairs, to swap mentors with."""
    return pairs_in_round(match_round=pair.round).exclude(pk=pair.pk).order_by("pk")


@dataclass(frozen=True)
class MentorChoice:
    """A mentor an organiser may choose for a pair: their places free, and how many this round already uses."""

    id: str
    user: User
    free: int
    used: int


def mentor_choices(*, match_round: MatchRound) -> list[MentorChoice]:
    """The scheme's mentors with room, by name, with their places used in this round: five queries."""
    places = mentors_with_places(scheme=match_round.scheme, reserve_waiting=True)
    names = {str(u.pk): u for u in User.objects.filter(pk__in=[int(p.facts.id) for p in places])}
    used = dict(
        RoundPair.objects.filter(round=match_round, mentor__isnull=False)
        .values_list("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    choices = [
        MentorChoice(id=p.facts.id, user=names[p.facts.id], free=p.free, used=used.get(int(p.facts.id), 0))
        for p in places
        if p.facts.id in names
    ]
    return sorted(choices, key=lambda choice: str(choice.user))


def round_weights(match_round: MatchRound) -> Weights:
    """The weights the round was scored with (kept with it, so changing the scheme's does not rescore it)."""
    return Weights(**match_round.weights) if match_round.weights else Weights()


def places_in_round(match_round: MatchRound) -> dict[str, Place]:
    return {place.facts.id: place for place in mentors_with_places(scheme=match_round.scheme, reserve_waiting=True)}


@dataclass(frozen=True)
class Check:
    """Whether a pair may be made, and if so how well it fits; `reason` says why not, in plain words."""

    allowed: bool
    reason: str = ""
    fit: Fit | None = None


def pair_check(*, pair: RoundPair, mentor_id: int, places: dict[str, Place] | None = None) -> Check:
    """The hard rules, and the mentor's room within this round, for giving this pair's mentee this mentor."""
    match_round = pair.round
    places = places_in_round(match_round) if places is None else places
    place = places.get(str(mentor_id))
    if place is None:
        return Check(False, "not in this scheme's pool: no offer in the scheme, paused, or no place free")
    if refusal(mentee_facts(pair.request), place.facts) is not None:
        return Check(False, RULES_REFUSE)
    used = RoundPair.objects.filter(round=match_round, mentor_id=mentor_id).exclude(pk=pair.pk).count()
    if used >= place.free:
        return Check(False, f"no room: {place.free} place{'s' if place.free != 1 else ''} free, all used in this round")
    titles = criterion_titles()
    pair_fit = fit(
        mentee_facts(pair.request), place.facts, weights=round_weights(match_round), titles=titles, voice=ABOUT_MENTEE
    )
    return Check(True, fit=pair_fit)


# The scheme report: aggregate only. It never shows a comment or anything about one person; counts under
# REPORT_MIN_COUNT (5) are hidden as in every report (apps/common/reporting.py), and an average over fewer answers
# is not shown, so nobody is picked out of a small scheme.


@dataclass(frozen=True)
class FeedbackSummary:
    answers: int | None  # None: fewer than the minimum, not shown
    average_usefulness: str  # "4.2 out of 5", or a sentence saying why it is not shown
    goals_met: list[ReportRow]
    would_recommend: list[ReportRow]


@dataclass(frozen=True)
class SchemeReport:
    minimum: int
    requests: int | None
    proposals: list[ReportRow]
    relationships: list[ReportRow]
    mentees: FeedbackSummary
    mentors: FeedbackSummary


PROPOSAL_ROWS = (
    ("proposed", "Waiting for a reply"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("withdrawn", "Withdrawn"),
)


def scheme_report(scheme: Scheme) -> SchemeReport:
    """Counts for the scheme, in five queries however big it is. Every count goes through the same small-number
    suppression as the community overview, with the second-smallest hidden too when one would be given away."""
    minimum = settings.REPORT_MIN_COUNT
    requests = MentoringRequest.objects.filter(scheme=scheme).count()
    proposals = dict(
        Proposal.objects.filter(request__scheme=scheme)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    # By the relationship's own scheme, not its proposal's request: a pair stays counted after either person
    # closes their account (their request and proposals go with them).
    relationships = MentoringRelationship.objects.filter(scheme=scheme).aggregate(
        active=Count("pk", filter=Q(status="active")), closed=Count("pk", filter=Q(status="closed"))
    )
    feedback = ClosingFeedback.objects.filter(relationship__scheme=scheme)
    return SchemeReport(
        minimum=minimum,
        requests=suppressed_total(requests, minimum=minimum) if requests else 0,
        proposals=suppress_small_counts(
            [(label, proposals.get(status, 0)) for status, label in PROPOSAL_ROWS], minimum=minimum
        ),
        relationships=suppress_small_counts(
            [("Working together", relationships["active"]), ("Closed", relationships["closed"])], minimum=minimum
        ),
        mentees=_summary(feedback.filter(as_mentor=False), minimum),
        mentors=_summary(feedback.filter(as_mentor=True), minimum),
    )


def _summary(feedback: QuerySet[ClosingFeedback], minimum: int) -> FeedbackSummary:
    row = feedback.aggregate(
        n=Count("pk"),
        average=Avg("usefulness"),
        recommend=Count("pk", filter=Q(would_recommend=True)),
        **{f"goals_{value}": Count("pk", filter=Q(goals_met=value)) for value in GoalsMet.values},
    )
    n = row["n"]
    if n == 0:
        average = "No answers yet."
    elif n < minimum:
        average = f"Not shown: fewer than {minimum} answers."
    else:
        average = f"{row['average']:.1f} out of 5"
    return FeedbackSummary(
        answers=suppressed_total(n, minimum=minimum) if n else 0,
        average_usefulness=average,
        goals_met=suppress_small_counts(
            [(label, row[f"goals_{value}"]) for value, label in GoalsMet.choices], minimum=minimum
        ),
        would_recommend=suppress_small_counts(
            [("Would recommend it", row["recommend"]), ("Would not", n - row["recommend"])], minimum=minimum
        ),
    )
