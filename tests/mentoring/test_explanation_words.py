"""Explanations in words a person reads: criteria by their titles, and the mentee addressed only when the mentee is
the reader (an organiser reviewing a round reads about "the mentee")."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.competencies.fileformat import parse
from apps.competencies.services import framework_load
from apps.mentoring.models import Proposal, RoundPair
from apps.mentoring.services.rounds import round_publish, round_run
from tests.conftest import signed_in

from ..assessments.conftest import PERSON_SPEC
from .test_rounds import make_scheme, scheme_mentee, scheme_mentor

pytestmark = pytest.mark.django_db
SKI_8 = "“Have strong interpersonal, negotiating and influencing skills"


@pytest.fixture(autouse=True)
def _person_spec(db: None) -> None:
    framework_load(spec=parse(PERSON_SPEC.read_text()))


def test_the_organiser_reads_about_the_mentee_and_the_mentee_reads_to_themself(organiser: User) -> None:
    scheme = make_scheme(organiser)
    scheme_mentor(scheme, "md@example.org", expertise=("SKI-8",))
    request = scheme_mentee(scheme, "mentee@example.org", focus=["SKI-8"])
    match_round = round_run(scheme=scheme, actor=organiser, now=timezone.now())
    pair = RoundPair.objects.get(round=match_round)
    client = signed_in(organiser)

    round_page = client.get(reverse("mentoring:round", args=[scheme.pk, match_round.pk])).content.decode()
    pair_page = client.get(reverse("mentoring:pair", args=[scheme.pk, match_round.pk, pair.pk])).content.decode()
    check = client.get(
        reverse("mentoring:pair_check", args=[scheme.pk, match_round.pk, pair.pk]), {"mentor": pair.mentor_id}
    ).content.decode()
    for page in (round_page, pair_page, check):
        assert "helps with 1 of the mentee&#x27;s 1 focus areas: " in page
        assert f"{SKI_8}" in page and "(SKI-8)" in page
        assert "of your" not in page and "ahead of you" not in page and "as you asked" not in page
    # What the mentee asked for, by title rather than by code.
    assert f"with help on {SKI_8}" in pair_page and "help on SKI-8" not in pair_page

    round_publish(match_round=match_round, actor=organiser, now=timezone.now())
    proposal = Proposal.objects.get(request=request)
    assert proposal.explanation.startswith(f"helps with 1 of your 1 focus areas: {SKI_8}")
    assert "the mentee" not in proposal.explanation
    assert proposal.score == pytest.approx(pair.score)
