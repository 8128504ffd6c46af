"""Hard rules that are never broken, and explanations that are true: every phrase is a term that scored."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.mentoring.scoring import ABOUT_MENTEE, MenteeFacts, MentorFacts, Weights, fit, refusal, score

TITLES = {"SKI-8": "negotiation and influencing", "SKI-6": "acting corporately", "KNO-2": "governance"}


def mentee(**changes: object) -> MenteeFacts:
    base = dict(
        id="amara",
        organisation="RXT",
        kind="mentor",
        focus=("SKI-8", "SKI-6", "KNO-2", "EXP-1"),
        sector="mental health",
        region="Midlands",
        level=2,
        modes=frozenset({"video"}),
        outside="preferred",
        sector_preference="same",
        same_region=True,
        excluded=frozenset(),
        line_manager="boss",
    )
    base.update(changes)
    return MenteeFacts(**base)  # type: ignore[arg-type]


def mentor(**changes: object) -> MentorFacts:
    base = dict(
        id="richard",
        organisation="RV5",
        kind="both",
        expertise=frozenset({"SKI-8", "SKI-6", "KNO-2"}),
        sectors=frozenset({"mental health"}),
        regions=frozenset({"London"}),
        level=5,
        modes=frozenset({"video", "phone"}),
        outside_ok=True,
    )
    base.update(changes)
    return MentorFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("mentee_changes", "mentor_changes", "reason"),
    [
        ({}, {"id": "amara"}, "the same person"),
        ({}, {"id": "boss"}, "line manager"),
        ({"excluded": frozenset({"richard"})}, {}, "excluded"),
        ({"outside": "required"}, {"organisation": "RXT"}, "asked for someone outside"),
        ({}, {"outside_ok": False}, "only mentors within their own organisation"),
        ({"kind": "coach"}, {"kind": "mentor"}, "not coaching"),
        ({}, {"active": False}, "paused"),
    ],
)
def test_hard_rules(mentee_changes: dict[str, object], mentor_changes: dict[str, object], reason: str) -> None:
    refused = refusal(mentee(**mentee_changes), mentor(**mentor_changes))
    assert refused is not None and reason in refused


def test_an_allowed_pair_is_explained_in_the_words_of_the_issue() -> None:
    assert refusal(mentee(), mentor()) is None
    result = fit(mentee(), mentor(), weights=Weights(), titles=TITLES)
    assert result.explanation.startswith(
        "helps with 3 of your 4 focus areas: “negotiation and influencing” (SKI-8), “acting corporately” (SKI-6), "
        "“governance” (KNO-2); outside your organisation, as you asked; knows the mental health sector, as you asked"
    )
    assert "a medical director, three steps ahead of you" in result.explanation
    assert "region" not in result.explanation  # the mentor does not know the Midlands: no phrase, no points
    assert result.score == pytest.approx(40 * 3 / 4 + 15 + 10 + 20 + 5)


def test_a_criterion_without_a_title_is_named_by_its_code() -> None:
    result = fit(mentee(focus=("SKI-8", "EXP-1")), mentor(expertise=frozenset({"EXP-1"})), weights=Weights(), titles={})
    assert result.explanation.startswith("helps with 1 of your 2 focus areas: EXP-1;")


def test_an_organiser_reads_about_the_mentee_in_the_third_person() -> None:
    to_mentee = fit(mentee(), mentor(), weights=Weights(), titles=TITLES)
    about = fit(mentee(), mentor(), weights=Weights(), titles=TITLES, voice=ABOUT_MENTEE)
    assert about.explanation == (
        "helps with 3 of the mentee's 4 focus areas: “negotiation and influencing” (SKI-8), “acting corporately” "
        "(SKI-6), “governance” (KNO-2); outside the mentee's organisation, as the mentee asked; knows the mental "
        "health sector, as the mentee asked; a medical director, three steps ahead of the mentee; can meet by "
        "video, as the mentee prefers"
    )
    assert " you" not in about.explanation and "your" not in about.explanation
    # The same terms and points, only the words differ.
    assert [(t.name, t.points) for t in about.terms] == [(t.name, t.points) for t in to_mentee.terms]
    different_sector = fit(
        mentee(sector_preference="different"),
        mentor(sectors=frozenset({"acute"})),
        weights=Weights(),
        titles=TITLES,
        voice=ABOUT_MENTEE,
    )
    assert "from a different sector, as the mentee asked" in different_sector.explanation


def test_a_peer_scores_lower_than_someone_further_up() -> None:
    peer = fit(mentee(), mentor(level=2), weights=Weights(), titles=TITLES)
    senior = fit(mentee(), mentor(level=5), weights=Weights(), titles=TITLES)
    assert senior.score > peer.score and "ahead of you" not in peer.explanation


def test_weights_are_tunable() -> None:
    heavy = fit(mentee(), mentor(), weights=Weights(career=100), titles=TITLES)
    assert heavy.score > fit(mentee(), mentor(), weights=Weights(), titles=TITLES).score


codes = st.sampled_from(["SKI-8", "SKI-6", "KNO-2", "EXP-1", "DES-1"])
facts = st.fixed_dictionaries(
    {
        "focus": st.lists(codes, max_size=4, unique=True).map(tuple),
        "expertise": st.frozensets(codes),
        "same_org": st.booleans(),
        "outside": st.sampled_from(["required", "preferred", "either"]),
        "sector_pref": st.sampled_from(["same", "different", "either"]),
        "mentor_sectors": st.frozensets(st.sampled_from(["mental health", "acute", "community"])),
        "same_region": st.booleans(),
        "mentor_regions": st.frozensets(st.sampled_from(["Midlands", "London"])),
        "levels": st.tuples(st.none() | st.integers(1, 5), st.none() | st.integers(1, 5)),
        "modes": st.tuples(
            st.frozensets(st.sampled_from(["video", "phone", "in_person"])),
            st.frozensets(st.sampled_from(["video", "phone", "in_person"])),
        ),
    }
)


@settings(max_examples=300, deadline=None)
@given(facts)
def test_every_phrase_names_a_term_that_scored(f: dict[str, object]) -> None:
    a = mentee(
        focus=f["focus"],
        outside=f["outside"],
        sector_preference=f["sector_pref"],
        same_region=f["same_region"],
        level=f["levels"][0],
        modes=f["modes"][0],
    )  # type: ignore[index]
    b = mentor(
        organisation="RXT" if f["same_org"] else "RV5",
        expertise=f["expertise"],
        sectors=f["mentor_sectors"],
        regions=f["mentor_regions"],
        level=f["levels"][1],  # type: ignore[index]
        modes=f["modes"][1],
    )  # type: ignore[index]
    result = fit(a, b, weights=Weights(), titles=TITLES)
    assert score(a, b, weights=Weights()) == pytest.approx(result.score)  # the rounds' fast path agrees
    assert all(term.points > 0 for term in result.terms)
    assert result.score == pytest.approx(sum(term.points for term in result.terms))
    assert result.explanation.count(";") == max(len(result.terms) - 1, 0)
    if result.score == 0:
        assert result.explanation == "meets every rule, with nothing else in common"
    # Told to an organiser: the same terms, and never a word addressed to the mentee.
    about = fit(a, b, weights=Weights(), titles=TITLES, voice=ABOUT_MENTEE)
    assert [(t.name, t.points) for t in about.terms] == [(t.name, t.points) for t in result.terms]
    assert not re.search(r"\byour?\b", about.explanation)
