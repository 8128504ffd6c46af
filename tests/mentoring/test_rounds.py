"""Schemes and match rounds: an organiser sets up a scheme with its weights, runs the solver over the pool,
reviews and changes pairs by hand with the rules checked live, and publishes; the report suppresses small counts."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.mentoring.models import (
    ClosingFeedback,
    MatchRound,
    MentoringRelationship,
    MentoringRequest,
    MentorOffer,
    Proposal,
    ProposalStatus,
    RoundPair,
    RoundStatus,
    Scheme,
)
from apps.mentoring.selectors import pair_check, scheme_report
from apps.mentoring.services.rounds import round_publish, round_run
from apps.notifications.models import Reminder
from apps.profiles.models import CareerRole
from tests.conftest import signed_in
from tests.factories import ProfileFactory, UserFactory, grant
from tests.mentoring.test_proposals import make_mentor, make_request

WEIGHTS = {
    "weight_focus": "40",
    "weight_outside": "15",
    "weight_sector": "10",
    "weight_region": "10",
    "weight_career": "20",
    "weight_mode": "5",
}


def make_scheme(organiser: User, **changes: object) -> Scheme:
    scheme = Scheme.objects.create(name="North West aspiring MDs", created_at=timezone.now(), **changes)
    scheme.organisers.add(organiser)
    return scheme


def scheme_mentor(scheme: Scheme, email: str, **kwargs: object) -> User:
    mentor = make_mentor(email, **kwargs)  # type: ignore[arg-type]
    MentorOffer.objects.get(mentor=mentor).schemes.add(scheme)
    return mentor


def scheme_mentee(scheme: Scheme, email: str, **changes: object) -> MentoringRequest:
    mentee = ProfileFactory(user__email=email, career_role=CareerRole.CLINICAL_DIRECTOR).user
    return make_request(mentee, scheme=scheme, **changes)


# Setting up a scheme


@pytest.mark.django_db
def test_an_organiser_sets_up_a_scheme_with_weights(organiser: User) -> None:
    other = UserFactory(email="co@example.org")
    grant(other, Role.ORGANISER)
    client = signed_in(organiser)
    response = client.post(
        reverse("mentoring:scheme_new"),
        {"name": "Wales 2027", "open_to_requests": "on", "co_organiser_emails": "co@example.org", **WEIGHTS},
    )
    scheme = Scheme.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("mentoring:scheme", args=[scheme.pk])
    assert set(scheme.organisers.all()) == {organiser, other}
    assert scheme.weight_focus == 40 and scheme.open_to_requests
    assert "Wales 2027" in signed_in(other).get(reverse("mentoring:schemes")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weight_focus": "150"}, "A weight cannot be above 100"),
        ({"weight_mode": "-1"}, "A weight cannot be below 0"),
        ({"weight_sector": "lots"}, "Enter a number from 0 to 100"),
        ({"name": ""}, "Enter a name for the scheme"),
        ({"co_organiser_emails": "not-an-address"}, "is not an e-mail address"),
        ({"co_organiser_emails": "member@example.org"}, "do not belong to organisers"),
        ({k: "0" for k in WEIGHTS}, "Give at least one weight above 0"),
    ],
)
def test_bad_scheme_input_is_refused_and_nothing_is_saved(organiser: User, changes: dict, message: str) -> None:
    UserFactory(email="member@example.org")
    data = {"name": "Wales 2027", **WEIGHTS, **changes}
    response = signed_in(organiser).post(reverse("mentoring:scheme_new"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Scheme.objects.exists()


@pytest.mark.django_db
def test_schemes_are_for_their_organisers_only(organiser: User, owner: User, administrator: User) -> None:
    scheme = make_scheme(organiser, description="A secret description")
    another_organiser = UserFactory(email="another.organiser@example.org")
    grant(another_organiser, Role.ORGANISER)
    assert signed_in(owner).get(reverse("mentoring:schemes")).status_code == 403
    assert signed_in(owner).get(reverse("mentoring:scheme", args=[scheme.pk])).status_code == 403
    assert signed_in(administrator).get(reverse("mentoring:scheme", args=[scheme.pk])).status_code == 403
    for url in (
        reverse("mentoring:scheme", args=[scheme.pk]),
        reverse("mentoring:scheme_edit", args=[scheme.pk]),
    ):
        response = signed_in(another_organiser).get(url)
        assert response.status_code == 404 and "secret" not in response.content.decode()
    response = signed_in(another_organiser).post(reverse("mentoring:round_run", args=[scheme.pk]))
    assert response.status_code == 404 and not MatchRound.objects.exists()
    response = signed_in(another_organiser).post(
        reverse("mentoring:scheme_edit", args=[scheme.pk]), {"name": "Taken over", **WEIGHTS}
    )
    scheme.refresh_from_db()
    assert response.status_code == 404 and scheme.name == "North West aspiring MDs"


@pytest.mark.django_db
def test_mentees_and_mentors_join_open_schemes_only(owner: User, organiser: User) -> None:
    open_scheme = make_scheme(organiser)
    closed = Scheme.objects.create(name="Closed scheme", created_at=timezone.now(), open_to_requests=False)
    client = signed_in(owner)
    page = client.get(reverse("mentoring:request")).content.decode()
    assert "North West aspiring MDs" in page and "Closed scheme" not in page
    data = {"kind": "mentor", "focus_text": "Board work", "outside": "preferred", "sector_preference": "either"}
    response = client.post(reverse("mentoring:request"), {**data, "modes": ["video"], "scheme": closed.pk})
    assert response.status_code == 400 and not MentoringRequest.objects.exists()
    client.post(reverse("mentoring:request"), {**data, "modes": ["video"], "scheme": open_scheme.pk})
    assert MentoringRequest.objects.get().scheme == open_scheme


# Running, reviewing and publishing a round


@pytest.mark.django_db
def test_a_round_matches_the_most_mentees_with_the_best_total(organiser: User) -> None:
    scheme = make_scheme(organiser)
    # The MD helps with everything; the peer helps with fewer areas. The solver must not give the MD to the
    # first mentee if that leaves the second with nobody allowed.
    md = scheme_mentor(scheme, "md@example.org", capacity=1, expertise=("SKI-8", "SKI-9"))
    peer = scheme_mentor(scheme, "peer@example.org", role=CareerRole.ASSOCIATE_MD, capacity=1, expertise=("SKI-8",))
    picky = scheme_mentee(scheme, "picky@example.org", focus=["SKI-8", "SKI-9"], line_manager_email="peer@example.org")
    easy = scheme_mentee(scheme, "easy@example.org", focus=["SKI-8", "SKI-9"])
    outside = scheme_mentee(scheme, "notinscheme@example.org")
    MentoringRequest.objects.filter(pk=outside.pk).update(scheme=None)

    response = signed_in(organiser).post(reverse("mentoring:round_run", args=[scheme.pk]))
    match_round = MatchRound.objects.get()
    assert response["Location"] == reverse("mentoring:round", args=[scheme.pk, match_round.pk])
    pairs = {pair.request_id: pair for pair in RoundPair.objects.filter(round=match_round)}
    assert set(pairs) == {picky.pk, easy.pk}
    assert pairs[picky.pk].mentor == md and pairs[easy.pk].mentor == peer
    # The organiser reads about the mentee, not words addressed to the mentee.
    assert "helps with 2 of the mentee's 2 focus areas" in pairs[picky.pk].explanation
    assert "your" not in pairs[picky.pk].explanation and "ahead of the mentee" in pairs[picky.pk].explanation
    assert match_round.weights["focus"] == 40 and match_round.pool_mentees == 2 and match_round.pool_mentors == 2
    page = signed_in(organiser).get(reverse("mentoring:round", args=[scheme.pk, match_round.pk])).content.decode()
    assert "md@example.org" in page or str(md) in page
    assert "Publish: send 2 proposals" in page


@pytest.mark.django_db
def test_scheme_weights_change_the_scores(organiser: User) -> None:
    scheme = make_scheme(organiser, weight_focus=0, weight_career=100)
    scheme_mentor(scheme, "md@example.org")
    scheme_mentee(scheme, "mentee@example.org")
    pair = RoundPair.objects.get(round=round_run(scheme=scheme, actor=organiser, now=timezone.now()))
    assert "focus areas" not in pair.explanation
    assert pair.score >= 100  # a medical director three steps ahead scores the full career weight


@pytest.mark.django_db
def test_the_live_check_names_the_broken_rule_and_a_refused_change_changes_nothing(organiser: User) -> None:
    scheme = make_scheme(organiser)
    chosen = scheme_mentor(scheme, "md@example.org", capacity=1)
    boss = scheme_mentor(scheme, "boss@example.org", capacity=2)
    full = scheme_mentor(scheme, "full@example.org", capacity=1)
    first = scheme_mentee(scheme, "first@example.org", line_manager_email="boss@example.org")
    scheme_mentee(scheme, "second@example.org", line_manager_email="boss@example.org")
    match_round = round_run(scheme=scheme, actor=organiser, now=timezone.now())
    pair = RoundPair.objects.get(round=match_round, request=first)
    other = RoundPair.objects.exclude(pk=pair.pk).get(round=match_round)
    assert {pair.mentor, other.mentor} == {chosen, full}
    client = signed_in(organiser)
    check_url = reverse("mentoring:pair_check", args=[scheme.pk, match_round.pk, pair.pk])

    refused = client.get(check_url, {"mentor": boss.pk}, HTTP_HX_REQUEST="true").content.decode()
    # The organiser learns that the rules refuse the pair, never which: the line manager is the mentee's secret.
    assert "Not allowed" in refused and "matching rules do not allow" in refused
    assert "line manager" not in refused and "boss@example.org" not in refused
    taken = other.mentor
    assert taken is not None
    no_room = client.get(check_url, {"mentor": taken.pk}).content.decode()
    assert "Not allowed" in no_room and "no room" in no_room

    before = (pair.mentor_id, pair.score, pair.explanation)
    url = reverse("mentoring:pair_change", args=[scheme.pk, match_round.pk, pair.pk])
    response = client.post(url, {"mentor": boss.pk})
    assert response.status_code == 400 and "matching rules do not allow" in response.content.decode()
    assert "line manager" not in response.content.decode()
    response = client.post(url, {"mentor": "nonsense"})
    assert response.status_code == 400 and "Choose a mentor" in response.content.decode()
    pair.refresh_from_db()
    assert (pair.mentor_id, pair.score, pair.explanation) == before and not pair.changed_by_hand


@pytest.mark.django_db
def test_changing_swapping_and_unmatching_by_hand(organiser: User) -> None:
    scheme = make_scheme(organiser)
    a = scheme_mentor(scheme, "a@example.org", capacity=1)
    b = scheme_mentor(scheme, "b@example.org", capacity=1, role=CareerRole.DEPUTY_MD)
    spare = scheme_mentor(scheme, "spare@example.org", capacity=1, role=CareerRole.ASSOCIATE_MD)
    first = scheme_mentee(scheme, "first@example.org")
    second = scheme_mentee(scheme, "second@example.org")
    match_round = round_run(scheme=scheme, actor=organiser, now=timezone.now())
    client = signed_in(organiser)
    pairs = {p.request_id: p for p in RoundPair.objects.filter(round=match_round)}
    assert {pairs[first.pk].mentor, pairs[second.pk].mentor} == {a, b}
    page = client.get(reverse("mentoring:pair", args=[scheme.pk, match_round.pk, pairs[first.pk].pk]))
    assert "spare@example.org" in page.content.decode() or str(spare) in page.content.decode()

    args = [scheme.pk, match_round.pk, pairs[first.pk].pk]
    client.post(reverse("mentoring:pair_change", args=args), {"mentor": spare.pk})
    changed = RoundPair.objects.get(pk=pairs[first.pk].pk)
    assert changed.mentor == spare and changed.changed_by_hand
    assert "an associate medical director" in changed.explanation

    before_second = RoundPair.objects.get(pk=pairs[second.pk].pk).mentor
    client.post(reverse("mentoring:pair_swap", args=args), {"other": pairs[second.pk].pk})
    assert RoundPair.objects.get(pk=pairs[first.pk].pk).mentor == before_second
    assert RoundPair.objects.get(pk=pairs[second.pk].pk).mentor == spare

    client.post(reverse("mentoring:pair_unmatch", args=args))
    unmatched = RoundPair.objects.get(pk=pairs[first.pk].pk)
    assert unmatched.mentor is None and unmatched.score == 0


@pytest.mark.django_db
def test_publishing_sends_proposals_and_skips_pairs_that_no_longer_hold(organiser: User) -> None:
    scheme = make_scheme(organiser)
    scheme_mentor(scheme, "a@example.org", capacity=2)
    kept = scheme_mentee(scheme, "kept@example.org")
    gone = scheme_mentee(scheme, "gone@example.org")
    now = timezone.now()
    match_round = round_run(scheme=scheme, actor=organiser, now=now)
    MentoringRequest.objects.filter(pk=gone.pk).update(status="withdrawn")  # withdrawn before the publish
    response = signed_in(organiser).post(
        reverse("mentoring:round_publish", args=[scheme.pk, match_round.pk]), follow=True
    )
    page = response.content.decode()
    assert "Published: 1 proposal sent." in page
    assert "gone@example.org" in page or "their request is no longer open" in page
    proposal = Proposal.objects.get()
    assert proposal.request == kept and proposal.round == match_round and proposal.status == ProposalStatus.PROPOSED
    # Both people are told at once, and each is reminded after three days if they have not answered.
    assert Reminder.objects.get(kind="mentoring_proposal_made").recipient == kept.mentee
    assert Reminder.objects.get(kind="mentoring_proposal_for_mentor").recipient == proposal.mentor
    waiting = Reminder.objects.filter(kind="mentoring_proposal_waiting")
    assert {r.recipient for r in waiting} == {kept.mentee, proposal.mentor}
    match_round.refresh_from_db()
    assert match_round.status == RoundStatus.PUBLISHED

    # Published rounds are final, and their proposals hold the mentor's place in the next round.
    pair = RoundPair.objects.get(round=match_round, request=kept)
    response = signed_in(organiser).post(reverse("mentoring:pair_unmatch", args=[scheme.pk, match_round.pk, pair.pk]))
    assert response.status_code == 400 and "published" in response.content.decode()
    with pytest.raises(Exception, match="published"):
        round_publish(match_round=match_round, actor=organiser, now=now)
    assert Proposal.objects.count() == 1
    # kept has a proposal waiting and gone withdrew: the next round has nobody to match, and is not made.
    response = signed_in(organiser).post(reverse("mentoring:round_run", args=[scheme.pk]), follow=True)
    assert "Nobody in the scheme is waiting for a mentor" in response.content.decode()
    assert MatchRound.objects.filter(scheme=scheme).count() == 1


@pytest.mark.django_db
def test_a_proposal_from_a_round_can_be_accepted(organiser: User) -> None:
    scheme = make_scheme(organiser)
    mentor = scheme_mentor(scheme, "a@example.org", capacity=1)
    request = scheme_mentee(scheme, "mentee@example.org")
    round_publish(
        match_round=round_run(scheme=scheme, actor=organiser, now=timezone.now()), actor=organiser, now=timezone.now()
    )
    proposal = Proposal.objects.get()
    signed_in(request.mentee).post(reverse("mentoring:reply", args=[proposal.pk]), {"reply": "accept"})
    assert not MentoringRelationship.objects.exists()
    signed_in(mentor).post(reverse("mentoring:reply", args=[proposal.pk]), {"reply": "accept"})
    assert MentoringRelationship.objects.get().mentor == mentor


@pytest.mark.django_db
def test_check_reports_a_mentor_outside_the_pool(organiser: User) -> None:
    scheme = make_scheme(organiser)
    scheme_mentor(scheme, "in@example.org")
    outsider_mentor = make_mentor("elsewhere@example.org")
    request = scheme_mentee(scheme, "mentee@example.org")
    match_round = round_run(scheme=scheme, actor=organiser, now=timezone.now())
    pair = RoundPair.objects.select_related("round__scheme", "request").get(round=match_round, request=request)
    check = pair_check(pair=pair, mentor_id=outsider_mentor.pk)
    assert not check.allowed and "not in this scheme's pool" in check.reason


# Report


def _closed_pair(scheme: Scheme, n: int, usefulness: int) -> None:
    mentor = scheme_mentor(scheme, f"m{n}@example.org")
    request = scheme_mentee(scheme, f"e{n}@example.org")
    proposal = Proposal.objects.create(
        request=request, mentor=mentor, score=1, explanation="x", created_at=timezone.now(), status="accepted"
    )
    relationship = MentoringRelationship.objects.create(
        mentor=mentor,
        mentee=request.mentee,
        kind="mentor",
        proposal=proposal,
        scheme=scheme,
        started_at=timezone.now(),
        status="closed",
        closed_at=timezone.now(),
    )
    ClosingFeedback.objects.create(
        relationship=relationship,
        author=request.mentee,
        as_mentor=False,
        usefulness=usefulness,
        goals_met="yes",
        would_recommend=True,
        comment=f"Private comment {n}",
        created_at=timezone.now(),
    )


@pytest.mark.django_db
def test_the_report_suppresses_small_counts_and_never_shows_comments(organiser: User) -> None:
    scheme = make_scheme(organiser)
    for n in range(3):
        _closed_pair(scheme, n, usefulness=5)
    report = scheme_report(scheme)
    assert {row.label: row.count for row in report.relationships} == {"Working together": 0, "Closed": None}
    assert report.mentees.answers is None and report.mentees.average_usefulness.startswith("Not shown")
    assert report.mentors.answers == 0
    for n in range(3, 6):
        _closed_pair(scheme, n, usefulness=2)
    report = scheme_report(scheme)
    assert report.mentees.answers == 6 and report.mentees.average_usefulness == "3.5 out of 5"
    assert {row.label: row.count for row in report.mentees.goals_met} == {"Yes": 6, "Partly": 0, "No": 0}
    # One "partly" among 7 would be given away by subtraction from the total: the next smallest is hidden too.
    _closed_pair(scheme, 6, usefulness=3)
    ClosingFeedback.objects.filter(comment="Private comment 6").update(goals_met="partly")
    goals = {row.label: row.count for row in scheme_report(scheme).mentees.goals_met}
    assert goals == {"Yes": None, "Partly": None, "No": 0}
    page = signed_in(organiser).get(reverse("mentoring:scheme", args=[scheme.pk])).content.decode()
    assert "3.4 out of 5" in page and "Private comment" not in page


# Query counts


@pytest.mark.django_db
def test_round_and_scheme_pages_query_counts_are_constant(organiser: User, django_assert_num_queries) -> None:
    scheme = make_scheme(organiser)
    for i in range(12):
        scheme_mentor(scheme, f"mentor{i}@example.org", capacity=2)
    for i in range(30):
        scheme_mentee(scheme, f"mentee{i}@example.org")
    match_round = round_run(scheme=scheme, actor=organiser, now=timezone.now())
    pair = RoundPair.objects.filter(round=match_round).first()
    assert pair is not None
    client: Client = signed_in(organiser)
    client.get(reverse("mentoring:schemes"))  # warm the session
    # 1 session, 2 user, 3 roles, 4 the round with its scheme (only if the viewer organises it), 5 the number of
    # pairs for the paginator, 6 the summary's counts, 7 the header's unread reminders, 8 the page of pairs with
    # their mentees and mentors.
    with django_assert_num_queries(8):
        assert client.get(reverse("mentoring:round", args=[scheme.pk, match_round.pk])).status_code == 200
    # 1 session, 2 user, 3 roles, 4 the scheme (only if the viewer organises it); the report: 5 requests,
    # 6 proposals by status, 7 pairs active and closed, 8 mentees' feedback, 9 mentors' feedback; the pool:
    # 10 offers with a place free, 11 their sectors, 12 their regions, 13 mentees waiting; 14 the rounds with their
    # counts, 15 the header's unread reminders.
    with django_assert_num_queries(15):
        assert client.get(reverse("mentoring:scheme", args=[scheme.pk])).status_code == 200
    # 1 session, 2 user, 3 roles, 4 the pair with its mentee, mentor, round and scheme (only if the viewer
    # organises it); the mentors to choose from: 5 offers with a place free, 6 their sectors, 7 their regions,
    # 8 their names, 9 their places used in this round; 10 the header's unread reminders, 11 the titles of the
    # criteria the mentee named, 12 the round's other pairs to swap with.
    with django_assert_num_queries(12):
        assert client.get(reverse("mentoring:pair", args=[scheme.pk, match_round.pk, pair.pk])).status_code == 200


@pytest.mark.django_db
def test_round_pages_of_another_scheme_are_404(organiser: User) -> None:
    mine = make_scheme(organiser)
    theirs_organiser = UserFactory(email="theirs@example.org")
    grant(theirs_organiser, Role.ORGANISER)
    theirs = make_scheme(theirs_organiser)
    scheme_mentor(theirs, "md@example.org")
    scheme_mentee(theirs, "mentee@example.org")
    match_round = round_run(scheme=theirs, actor=theirs_organiser, now=timezone.now())
    pair = RoundPair.objects.get(round=match_round)
    client = signed_in(organiser)
    # Their round under my scheme's id, and under theirs: both 404.
    for scheme in (mine, theirs):
        assert client.get(reverse("mentoring:round", args=[scheme.pk, match_round.pk])).status_code == 404
        url = reverse("mentoring:pair_unmatch", args=[scheme.pk, match_round.pk, pair.pk])
        assert client.post(url).status_code == 404
        assert client.post(reverse("mentoring:round_publish", args=[scheme.pk, match_round.pk])).status_code == 404
        assert client.get(reverse("mentoring:round_status", args=[scheme.pk, match_round.pk])).status_code == 404
        check = reverse("mentoring:pair_check", args=[scheme.pk, match_round.pk, pair.pk])
        response = client.get(check, {"mentor": pair.mentor_id})
        assert response.status_code == 404 and "Allowed" not in response.content.decode()
    pair.refresh_from_db()
    assert pair.mentor is not None and not Proposal.objects.exists()


@pytest.mark.django_db
def test_find_me_a_mentor_now_scores_with_the_schemes_weights(organiser: User) -> None:
    from apps.mentoring.services.proposals import proposal_make_best

    scheme = make_scheme(organiser, weight_focus=0)
    scheme_mentor(scheme, "md@example.org")
    proposal = proposal_make_best(request=scheme_mentee(scheme, "mentee@example.org"), now=timezone.now())
    assert "focus areas" not in proposal.explanation and "a medical director" in proposal.explanation


@pytest.mark.django_db
def test_the_demo_scheme_is_ready_for_a_round() -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent
    scheme = Scheme.objects.get()
    organiser = scheme.organisers.get()
    match_round = round_run(scheme=scheme, actor=organiser, now=timezone.now())
    assert match_round.pool_mentees == 4 and match_round.pool_mentors == 3
    assert RoundPair.objects.filter(round=match_round, mentor__isnull=False).count() == 4


# Big pools are computed by a Celery task


@pytest.mark.django_db
def test_a_big_pool_is_computed_in_the_background(
    organiser: User, settings: object, django_capture_on_commit_callbacks: object
) -> None:
    from apps.mentoring.tasks import compute_match_round

    settings.MENTORING_ROUND_SYNC_PAIRS = 0  # type: ignore[attr-defined]
    scheme = make_scheme(organiser)
    scheme_mentor(scheme, "md@example.org")
    scheme_mentee(scheme, "mentee@example.org")
    client = signed_in(organiser)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        response = client.post(reverse("mentoring:round_run", args=[scheme.pk]), follow=True)
    assert len(callbacks) == 1  # the task is queued only once the round is committed
    match_round = MatchRound.objects.get()
    assert match_round.status == RoundStatus.RUNNING and match_round.pool_mentees == 1
    assert "being computed" in response.content.decode()
    status_url = reverse("mentoring:round_status", args=[scheme.pk, match_round.pk])
    assert client.get(status_url).status_code == 204
    again = client.post(reverse("mentoring:round_run", args=[scheme.pk]), follow=True)
    assert "already being computed" in again.content.decode() and MatchRound.objects.count() == 1
    publish = client.post(reverse("mentoring:round_publish", args=[scheme.pk, match_round.pk]), follow=True)
    assert "still being computed" in publish.content.decode() and not Proposal.objects.exists()

    compute_match_round(match_round.pk)  # what the worker runs
    match_round.refresh_from_db()
    assert match_round.status == RoundStatus.DRAFT and RoundPair.objects.get().mentor is not None
    assert client.get(status_url)["HX-Refresh"] == "true"
    compute_match_round(match_round.pk)  # a redelivery changes nothing
    assert RoundPair.objects.count() == 1


@pytest.mark.django_db
def test_a_round_that_fails_says_so_and_can_be_run_again(organiser: User, monkeypatch: pytest.MonkeyPatch) -> None:
    from apps.mentoring.services import rounds
    from apps.mentoring.solver import SolverError
    from apps.mentoring.tasks import compute_match_round

    scheme = make_scheme(organiser)
    scheme_mentor(scheme, "md@example.org")
    scheme_mentee(scheme, "mentee@example.org")
    match_round = rounds.round_start(scheme=scheme, actor=organiser, now=timezone.now(), background=True)

    def broken(**problem: object) -> None:
        raise SolverError("The flow solver stopped with status 'INFEASIBLE'.")

    monkeypatch.setattr(rounds, "solve_blocks", broken)
    compute_match_round(match_round.pk)
    match_round.refresh_from_db()
    assert match_round.status == RoundStatus.FAILED and "INFEASIBLE" in match_round.error
    assert not RoundPair.objects.exists()
    page = signed_in(organiser).get(reverse("mentoring:round", args=[scheme.pk, match_round.pk])).content.decode()
    assert "could not be computed" in page
    monkeypatch.undo()
    assert round_run(scheme=scheme, actor=organiser, now=timezone.now()).status == RoundStatus.DRAFT


@pytest.mark.django_db(transaction=True)
def test_a_round_that_cannot_be_queued_fails_at_once_and_a_stale_one_is_replaced(
    reference_data: None, organiser: User, settings: object
) -> None:
    from apps.mentoring.services.rounds import ROUND_GIVE_UP_AFTER, round_start
    from tests.support.processes import broker_for_this_process, free_port

    settings.MENTORING_ROUND_SYNC_PAIRS = 0  # type: ignore[attr-defined]
    scheme = make_scheme(organiser)
    scheme_mentor(scheme, "md@example.org")
    scheme_mentee(scheme, "mentee@example.org")
    with broker_for_this_process(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
        match_round = round_start(scheme=scheme, actor=organiser, now=timezone.now())
    match_round.refresh_from_db()
    assert match_round.status == RoundStatus.FAILED and "task queue could not be reached" in match_round.error

    # A round whose worker never finished: it blocks new runs for a while, then is replaced.
    started = timezone.now()
    stuck = MatchRound.objects.create(
        scheme=scheme, status=RoundStatus.RUNNING, created_by=organiser, created_at=started
    )
    with pytest.raises(Exception, match="already being computed"):
        round_start(scheme=scheme, actor=organiser, now=started + timedelta(minutes=5), background=False)
    later = round_run(scheme=scheme, actor=organiser, now=started + ROUND_GIVE_UP_AFTER + timedelta(minutes=1))
    assert later.status == RoundStatus.DRAFT and not MatchRound.objects.filter(pk=stuck.pk).exists()


@pytest.mark.django_db
def test_someone_already_working_with_a_mentor_is_not_in_the_pool_for_either_kind(organiser: User) -> None:
    from apps.mentoring.selectors import pool_requests

    scheme = make_scheme(organiser)
    mentor = scheme_mentor(scheme, "md@example.org", capacity=2)
    served = scheme_mentee(scheme, "served@example.org")
    proposal = Proposal.objects.create(
        request=served, mentor=mentor, score=1, explanation="x", created_at=timezone.now(), status="accepted"
    )
    MentoringRelationship.objects.create(
        mentor=mentor, mentee=served.mentee, kind="mentor", proposal=proposal, started_at=timezone.now()
    )
    MentoringRequest.objects.filter(pk=served.pk).update(status="matched")
    either = make_request(served.mentee, kind="both", scheme=scheme)
    coaching = make_request(served.mentee, kind="coach", scheme=scheme)
    assert set(pool_requests(scheme)) == {coaching}
    assert either.pk not in {r.pk for r in pool_requests(scheme)}


@pytest.mark.django_db
def test_more_codes_than_a_bit_mask_holds_falls_back_to_pair_by_pair_scoring(organiser: User) -> None:
    scheme = make_scheme(organiser)
    many = tuple(f"X-{n}" for n in range(70))  # more distinct codes than MentorTable's 63-bit masks
    scheme_mentor(scheme, "md1@example.org", capacity=1, expertise=("SKI-8", *many[:35]))
    scheme_mentor(scheme, "md2@example.org", capacity=1, expertise=("SKI-8", *many[35:]))
    scheme_mentee(scheme, "one@example.org")
    scheme_mentee(scheme, "two@example.org")
    match_round = round_run(scheme=scheme, actor=organiser, now=timezone.now())
    pairs = RoundPair.objects.filter(round=match_round)
    assert {p.mentor.email for p in pairs if p.mentor} == {"md1@example.org", "md2@example.org"}
    assert all("helps with 1 of the mentee's 1 focus areas" in p.explanation for p in pairs)
