"""Match rounds: an organiser runs the solver over a scheme's pool, reviews every pair, changes pairs by hand with
the hard rules checked, and publishes the pairs as proposals.

The pool is the scheme's open requests that have no proposal waiting and whose mentee has no active mentor of
that kind, and the scheme's unpaused offers with a place free (a waiting proposal holds a place, so a round never
proposes more mentees to a mentor than they have room for). The round keeps the weights it was scored with.

Publishing checks every pair again, because people act between the run and the publish: a request withdrawn, an
offer paused or filled through "find me a mentor now". A pair that no longer holds is skipped and reported, and
the rest are published. Edits of a draft round lock the round's row, so two organisers' edits queue rather than
interleave (two edits could otherwise both take a mentor's last place in the round).
"""

import logging
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.services import change_record
from apps.notifications.services import schedule_many

from ..models import MatchRound, MentoringRequest, Proposal, RoundPair, RoundStatus, Scheme
from ..scoring import ABOUT_MENTEE, MenteeFacts, Weights, fit, refusal
from ..scoring import score as pair_score
from ..scoring_table import MentorTable, TooManyCodes
from ..selectors import (
    RULES_REFUSE,
    Place,
    criterion_titles,
    mentee_facts,
    mentees_facts,
    mentors_with_places,
    pair_check,
    places_count,
    places_in_round,
    pool_requests,
    round_weights,
    scheme_weights,
)
from ..solver import SCALE, Block, Edge, Mentor, Problem, solve, solve_blocks
from . import MentoringError
from .proposals import REPLY_WITHIN, proposal_notices

# A round still "being computed" after this long is taken to have lost its worker, and may be replaced.
ROUND_GIVE_UP_AFTER = timedelta(minutes=30)
BLOCK_PAIRS = 1 << 20
logger = logging.getLogger(__name__)


def round_run(*, scheme: Scheme, actor: User, now: datetime) -> MatchRound:
    """Run a round at once, whatever its size (tests, benchmarks, the demo)."""
    return round_start(scheme=scheme, actor=actor, now=now, background=False)


@transaction.atomic
def round_start(*, scheme: Scheme, actor: User, now: datetime, background: bool | None = None) -> MatchRound:
    """Start a round (replacing an unpublished one). A small pool is computed at once; one with more candidate
    pairs than MENTORING_ROUND_SYNC_PAIRS is computed by a Celery task after this transaction commits, and the
    round reads "being computed" until then. `background` forces either way."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if not scheme.organisers.filter(pk=actor.pk).exists():
        raise MentoringError("Only the scheme's organisers can run its match rounds.")
    # A round still "being computed" long after it started lost its worker (or its task): replace it.
    MatchRound.objects.filter(
        scheme=scheme, status=RoundStatus.RUNNING, created_at__lt=now - ROUND_GIVE_UP_AFTER
    ).update(status=RoundStatus.FAILED, error="It took too long to compute: the worker may have stopped.")
    if MatchRound.objects.filter(scheme=scheme, status=RoundStatus.RUNNING).exists():
        raise MentoringError("A round for this scheme is already being computed: wait for it to finish.")
    MatchRound.objects.filter(scheme=scheme, status__in=[RoundStatus.DRAFT, RoundStatus.FAILED]).delete()
    mentees = pool_requests(scheme).count()
    mentors = places_count(scheme=scheme)
    if mentees == 0:
        raise MentoringError("Nobody in the scheme is waiting for a mentor: there is nothing to match.")
    if mentors == 0:
        raise MentoringError("No mentor in the scheme has a place free: there is nobody to match with.")
    match_round = MatchRound.objects.create(
        scheme=scheme,
        status=RoundStatus.RUNNING,
        weights=asdict(scheme_weights(scheme)),
        pool_mentees=mentees,
        pool_mentors=mentors,
        created_by=actor,
        created_at=now,
    )
    if background is None:
        background = mentees * mentors > settings.MENTORING_ROUND_SYNC_PAIRS
    if background:
        from ..tasks import compute_match_round  # tasks import this module

        round_id = match_round.pk
        transaction.on_commit(lambda: _queue(compute_match_round, round_id))
        return match_round
    return round_compute(round_id=match_round.pk)


def _queue(task: Any, round_id: int) -> None:
    """After commit: hand the round to a worker, or mark it failed at once if the broker cannot be reached."""
    from config.celery import app

    try:
        # One quick try, as notifications does: left to itself kombu retries for seconds inside the request.
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
            task.apply_async((round_id,), connection=connection, retry=False)
    except Exception as error:  # kombu raises several kinds of connection error
        logger.warning("Could not queue match round %s: %s", round_id, error)
        round_failed(round_id=round_id, error="The task queue could not be reached. Try again in a few minutes.")


@transaction.atomic
def round_compute(*, round_id: int) -> MatchRound:
    """Score every allowed pair of the pool as it is now, solve, and keep the pairs: the round becomes a draft."""
    match_round = MatchRound.objects.select_for_update().select_related("scheme").get(pk=round_id)
    if match_round.status != RoundStatus.RUNNING:
        return match_round  # computed already (a redelivered task), or replaced
    scheme = match_round.scheme
    weights = round_weights(match_round)
    requests = list(pool_requests(scheme).select_related("mentee"))
    places = mentors_with_places(scheme=scheme, reserve_waiting=True)
    facts = mentees_facts(requests)
    titles = criterion_titles()

    started = time.perf_counter()
    chosen = _solve_pool(requests, facts, places, weights)
    seconds = time.perf_counter() - started

    by_id = {place.facts.id: place.facts for place in places}
    pairs = []
    for request in requests:
        mentor = chosen.get(request.pk)
        # Explanations only for the chosen pairs, from the same terms as the score.
        chosen_fit = (
            fit(facts[request.pk], by_id[mentor], weights=weights, titles=titles, voice=ABOUT_MENTEE)
            if mentor
            else None
        )
        pairs.append(
            RoundPair(
                round=match_round,
                request=request,
                mentor_id=int(mentor) if mentor else None,
                score=chosen_fit.score if chosen_fit else 0,
                explanation=chosen_fit.explanation if chosen_fit else "",
            )
        )
    RoundPair.objects.bulk_create(pairs, batch_size=2000)
    match_round.status, match_round.solve_seconds = RoundStatus.DRAFT, seconds
    match_round.pool_mentees, match_round.pool_mentors = len(requests), len(places)
    match_round.save(update_fields=["status", "solve_seconds", "pool_mentees", "pool_mentors"])
    return match_round


def _solve_pool(
    requests: list[MentoringRequest], facts: dict[int, MenteeFacts], places: list[Place], weights: Weights
) -> dict[int, str]:
    """The optimal assignment of the pool, request id → mentor id. The numpy table scores blocks of mentees
    against every mentor; the solver keeps each mentee's best candidates, solves that, and proves with the flow's
    duals, over every allowed pair block by block, that nothing left out could do better (adding what could and
    solving again): the same optimum as solving every allowed pair, without ever holding them all."""
    try:
        table = MentorTable([place.facts for place in places])
    except TooManyCodes:
        return _solve_pool_pair_by_pair(requests, facts, places, weights)
    if not requests:
        return {}
    pool = [facts[request.pk] for request in requests]
    # About a million pairs per block: big enough that numpy's per-call overhead is nothing, small enough to stay
    # in a few tens of MB.
    rows = max(1, BLOCK_PAIRS // max(1, len(places)))  # places can be gone by the time a worker computes

    def blocks() -> Iterator[Block]:
        for start in range(0, len(pool), rows):
            yield Block(start=start, costs=table.block(pool[start : start + rows], weights, scale=SCALE))

    solution = solve_blocks(
        mentees=len(requests), capacities=np.asarray([place.free for place in places], dtype=np.int64), blocks=blocks
    )
    return {
        requests[mentee].pk: places[mentor].facts.id
        for mentee, mentor in zip(solution.mentee.tolist(), solution.mentor.tolist(), strict=True)
    }


def _solve_pool_pair_by_pair(
    requests: list[MentoringRequest], facts: dict[int, MenteeFacts], places: list[Place], weights: Weights
) -> dict[int, str]:
    """The same, one pair at a time with `scoring` (only when a fact has more codes than a bit mask holds)."""
    edges = [
        Edge(mentee=str(request.pk), mentor=place.facts.id, score=pair_score(mentee, place.facts, weights=weights))
        for request in requests
        for mentee in (facts[request.pk],)
        for place in places
        if refusal(mentee, place.facts) is None
    ]
    problem = Problem(
        mentors=[Mentor(id=place.facts.id, capacity=place.free) for place in places],
        mentees=[str(request.pk) for request in requests],
        edges=edges,
    )
    return {int(mentee): mentor for mentee, mentor in solve(problem).assignments}


def round_failed(*, round_id: int, error: str) -> None:
    MatchRound.objects.filter(pk=round_id, status=RoundStatus.RUNNING).update(
        status=RoundStatus.FAILED, error=error[:300]
    )


def _locked_draft(match_round: MatchRound, actor: User) -> MatchRound:
    locked = MatchRound.objects.select_for_update().select_related("scheme").get(pk=match_round.pk)
    if not locked.scheme.organisers.filter(pk=actor.pk).exists():
        raise MentoringError("Only the scheme's organisers can change its match rounds.")
    if locked.status == RoundStatus.RUNNING:
        raise MentoringError("This round is still being computed: wait for it to finish.")
    if locked.status != RoundStatus.DRAFT:
        raise MentoringError(f"This round is {locked.get_status_display().lower()}: it can no longer be changed.")
    return locked


@transaction.atomic
def pair_change(*, pair: RoundPair, mentor_id: int | None, actor: User) -> RoundPair:
    """Give this pair's mentee another mentor (checked against the hard rules and room), or none."""
    match_round = _locked_draft(pair.round, actor)
    pair = RoundPair.objects.select_related("request__mentee", "round__scheme").get(pk=pair.pk, round=match_round)
    was = pair.mentor_id
    if mentor_id is None:
        pair.mentor_id, pair.score, pair.explanation = None, 0, ""
    else:
        check = pair_check(pair=pair, mentor_id=mentor_id)
        if not check.allowed or check.fit is None:
            raise MentoringError(f"That pair is not allowed: {check.reason}.")
        pair.mentor_id, pair.score, pair.explanation = mentor_id, check.fit.score, check.fit.explanation
    _record_pair_change(pair, was=was, actor=actor)
    pair.changed_by_hand = True
    pair.save(update_fields=["mentor", "score", "explanation", "changed_by_hand"])
    return pair


def _record_pair_change(pair: RoundPair, *, was: int | None, actor: User) -> None:
    """On record for the mentee and for both mentors, the one taken off and the one put on."""
    people = {u.pk: u for u in User.objects.filter(pk__in=[p for p in (was, pair.mentor_id) if p is not None])}
    match_round = pair.round
    change_record(
        actor=actor,
        capacity="organiser",
        action="changed a proposed mentoring pair",
        target=f"{match_round.scheme.name}, match round of {timezone.localdate(match_round.created_at):%-d %B %Y}",
        subjects=[pair.request.mentee, *people.values()],
        before={"mentor": str(people[was]) if was in people else None},
        after={"mentor": str(people[pair.mentor_id]) if pair.mentor_id in people else None},
        now=timezone.now(),
    )


@transaction.atomic
def pair_swap(*, pair: RoundPair, other: RoundPair, actor: User) -> None:
    """Swap the mentors of two pairs in the round; both new pairs must keep the hard rules."""
    match_round = _locked_draft(pair.round, actor)
    pairs = {
        p.pk: p
        for p in RoundPair.objects.select_related("request__mentee", "round__scheme").filter(
            round=match_round, pk__in=[pair.pk, other.pk]
        )
    }
    if len(pairs) != 2:
        raise MentoringError("Choose two different mentees of this round to swap.")
    first, second = pairs[pair.pk], pairs[other.pk]
    if first.mentor_id is None and second.mentor_id is None:
        raise MentoringError("Neither has a mentor: there is nothing to swap.")
    places = places_in_round(match_round)
    titles = criterion_titles()
    weights = round_weights(match_round)
    changes: list[tuple[RoundPair, int | None, float, str]] = []
    for this, mentor_id in ((first, second.mentor_id), (second, first.mentor_id)):
        if mentor_id is None:
            changes.append((this, None, 0.0, ""))
            continue
        place = places.get(str(mentor_id))
        if place is None:
            raise MentoringError(f"{this.request.mentee} cannot have that mentor: they have left the scheme's pool.")
        if refusal(mentee_facts(this.request), place.facts) is not None:
            raise MentoringError(f"{this.request.mentee} cannot have that mentor: {RULES_REFUSE}.")
        pair_fit = fit(mentee_facts(this.request), place.facts, weights=weights, titles=titles, voice=ABOUT_MENTEE)
        changes.append((this, mentor_id, pair_fit.score, pair_fit.explanation))
    for this, mentor_id, score, explanation in changes:
        was = this.mentor_id
        this.mentor_id, this.score, this.explanation, this.changed_by_hand = mentor_id, score, explanation, True
        this.save(update_fields=["mentor", "score", "explanation", "changed_by_hand"])
        _record_pair_change(this, was=was, actor=actor)


@dataclass(frozen=True)
class Published:
    proposals: int
    skipped: list[str]


@transaction.atomic
def round_publish(*, match_round: MatchRound, actor: User, now: datetime) -> Published:
    """Turn every pair with a mentor into a proposal, checking each again; skipped pairs are reported."""
    match_round = _locked_draft(match_round, actor)
    pairs = list(
        RoundPair.objects.filter(round=match_round, mentor__isnull=False).select_related("request__mentee", "mentor")
    )
    # Lock the requests so that none is withdrawn or given a proposal while this publish decides.
    open_ids = set(
        pool_requests(match_round.scheme)
        .filter(pk__in=[pair.request_id for pair in pairs])
        .select_for_update(of=("self",))
        .values_list("pk", flat=True)
    )
    places = places_in_round(match_round)
    facts = mentees_facts([pair.request for pair in pairs])
    titles, weights = criterion_titles(), round_weights(match_round)
    used: Counter[str] = Counter()
    skipped: list[str] = []
    created = []
    for pair in pairs:
        mentor = str(pair.mentor_id)
        place = places.get(mentor)
        if pair.request_id not in open_ids:
            skipped.append(f"{pair.request.mentee}: their request is no longer open, or already has a proposal")
        elif place is None or used[mentor] >= place.free:
            skipped.append(f"{pair.request.mentee}: {pair.mentor} has no place free any more")
        elif refusal(facts[pair.request_id], place.facts) is not None:
            skipped.append(f"{pair.request.mentee}: no longer allowed with {pair.mentor} ({RULES_REFUSE})")
        else:
            used[mentor] += 1
            # The round's explanations speak about the mentee to the organiser; the proposal speaks to the
            # mentee, so it is scored and explained again, as the pair stands now.
            pair_fit = fit(facts[pair.request_id], place.facts, weights=weights, titles=titles)
            created.append(
                Proposal(
                    request=pair.request,
                    mentor=pair.mentor,
                    round=match_round,
                    score=pair_fit.score,
                    explanation=pair_fit.explanation,
                    created_at=now,
                    reply_by=now + REPLY_WITHIN,
                )
            )
    Proposal.objects.bulk_create(created, batch_size=2000)
    # Both sides of every proposal told at once: a few queries, however many pairs the round publishes.
    schedule_many(proposal_notices(created, now=now, tell_mentee=True))
    match_round.status, match_round.published_at = RoundStatus.PUBLISHED, now
    match_round.save(update_fields=["status", "published_at"])
    return Published(proposals=len(created), skipped=skipped)
