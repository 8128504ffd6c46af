"""Which mentor–mentee pairs are allowed, and how well each allowed pair fits, with a plain explanation.

Pure: no Django. The hard rules are never broken; the score adds up terms, and the explanation is made of the
same terms, one phrase per term that actually added points, so every phrase is true of that pair's score.
Weights are per scheme (an organiser tunes them); the defaults favour what the mentee asked for help with.
An explanation speaks to whoever reads it: the mentee reads "your focus areas", an organiser reviewing a round
reads "the mentee's focus areas" (a `Voice`). Criteria are named by their titles, passed in as data.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

LEVEL_NAMES = {
    1: "a clinical lead",
    2: "a clinical director",
    3: "an associate medical director",
    4: "a deputy medical director",
    5: "a medical director",
}
STEPS = {1: "one step", 2: "two steps", 3: "three steps", 4: "four steps"}


@dataclass(frozen=True)
class Voice:
    """The words an explanation uses for the mentee: to the mentee themself, or about them to someone else."""

    whose: str  # "your focus areas"
    whom: str  # "two steps ahead of you"
    asked: str  # "as you asked"
    prefers: str  # "as you prefer"


TO_MENTEE = Voice(whose="your", whom="you", asked="as you asked", prefers="as you prefer")
ABOUT_MENTEE = Voice(
    whose="the mentee's", whom="the mentee", asked="as the mentee asked", prefers="as the mentee prefers"
)


@dataclass(frozen=True)
class Weights:
    focus: float = 40.0  # share of the mentee's focus areas the mentor can help with
    outside: float = 15.0  # outside the mentee's organisation, when they preferred that
    sector: float = 10.0  # sector as the mentee wished (same or different)
    region: float = 10.0  # knows the mentee's region, when they wanted that
    career: float = 20.0  # further up the leadership ladder: two or more rungs scores fully
    mode: float = 5.0  # can meet the way the mentee prefers


@dataclass(frozen=True)
class MentorFacts:
    id: str
    organisation: str | None
    kind: str  # mentor, coach or both
    expertise: frozenset[str]
    sectors: frozenset[str]
    regions: frozenset[str]
    level: int | None
    modes: frozenset[str]
    outside_ok: bool
    active: bool = True


@dataclass(frozen=True)
class MenteeFacts:
    id: str
    organisation: str | None
    kind: str  # mentor, coach or both
    focus: tuple[str, ...]
    sector: str | None
    region: str | None
    level: int | None
    modes: frozenset[str]
    outside: str  # required, preferred or either
    sector_preference: str  # same, different or either
    same_region: bool
    excluded: frozenset[str] = frozenset()
    line_manager: str | None = None


@dataclass(frozen=True)
class Term:
    name: str
    points: float
    phrase: str


@dataclass(frozen=True)
class Fit:
    score: float
    terms: tuple[Term, ...] = field(default_factory=tuple)

    @property
    def explanation(self) -> str:
        return "; ".join(t.phrase for t in self.terms) or "meets every rule, with nothing else in common"


def refusal(mentee: MenteeFacts, mentor: MentorFacts) -> str | None:
    """Why this pair may never be matched, or None when it may."""
    if mentor.id == mentee.id:
        return "the same person"
    if not mentor.active:
        return "the offer is paused"
    if mentor.id == mentee.line_manager:
        return "the mentee's line manager"
    if mentor.id in mentee.excluded:
        return "excluded by the mentee"
    if mentee.kind != "both" and mentor.kind not in (mentee.kind, "both"):
        return f"offers {mentor.kind}ing, not {mentee.kind}ing"
    same_organisation = mentee.organisation is not None and mentee.organisation == mentor.organisation
    if same_organisation and mentee.outside == "required":
        return "the same organisation, and the mentee asked for someone outside it"
    if not same_organisation and not mentor.outside_ok:
        return "the mentor only mentors within their own organisation"
    return None


def score(mentee: MenteeFacts, mentor: MentorFacts, *, weights: Weights) -> float:
    """The pair's score without its explanation: what a match round computes for every allowed pair. The same
    point functions as `fit`, so the two always agree (a property test checks it)."""
    return sum(points(mentee, mentor, weights) for points, _ in _TERMS.values())


def fit(
    mentee: MenteeFacts,
    mentor: MentorFacts,
    *,
    weights: Weights,
    titles: dict[str, str],
    voice: Voice = TO_MENTEE,
) -> Fit:
    """The score and its explanation: one phrase for each term that added points. `titles` names each criterion
    code (a code missing from it is shown as it is); `voice` says whom the explanation speaks to."""
    words = _Words(titles=titles, voice=voice)
    terms = []
    for name, (points, phrase) in _TERMS.items():
        value = points(mentee, mentor, weights)
        if value > 0:
            terms.append(Term(name, value, phrase(mentee, mentor, words)))
    return Fit(score=sum(t.points for t in terms), terms=tuple(terms))


@dataclass(frozen=True)
class _Words:
    """What a phrase needs besides the facts: the criteria's titles and whom it speaks to."""

    titles: dict[str, str]
    voice: Voice


def criterion_name(code: str, titles: dict[str, str]) -> str:
    """A criterion as a person reads it: its title, with the code after it for reference."""
    title = titles.get(code)
    return f"“{title}” ({code})" if title else code


def _helped(mentee: MenteeFacts, mentor: MentorFacts) -> list[str]:
    return [code for code in mentee.focus if code in mentor.expertise]


def _focus_points(mentee: MenteeFacts, mentor: MentorFacts, w: Weights) -> float:
    if not mentee.focus:
        return 0.0
    return w.focus * len(_helped(mentee, mentor)) / len(mentee.focus)


def _focus_phrase(mentee: MenteeFacts, mentor: MentorFacts, words: _Words) -> str:
    helped = _helped(mentee, mentor)
    names = ", ".join(criterion_name(code, words.titles) for code in helped)
    return f"helps with {len(helped)} of {words.voice.whose} {len(mentee.focus)} focus areas: {names}"


def _outside_points(mentee: MenteeFacts, mentor: MentorFacts, w: Weights) -> float:
    different = mentee.organisation is None or mentee.organisation != mentor.organisation
    return w.outside if mentee.outside in ("preferred", "required") and different else 0.0


def _outside_phrase(mentee: MenteeFacts, mentor: MentorFacts, words: _Words) -> str:
    return f"outside {words.voice.whose} organisation, {words.voice.asked}"


def _sector_points(mentee: MenteeFacts, mentor: MentorFacts, w: Weights) -> float:
    if mentee.sector is None:
        return 0.0
    knows = mentee.sector in mentor.sectors
    if mentee.sector_preference == "same" and knows:
        return w.sector
    if mentee.sector_preference == "different" and mentor.sectors and not knows:
        return w.sector
    return 0.0


def _sector_phrase(mentee: MenteeFacts, mentor: MentorFacts, words: _Words) -> str:
    if mentee.sector_preference == "same":
        return f"knows the {mentee.sector} sector, {words.voice.asked}"
    return f"from a different sector, {words.voice.asked}"


def _region_points(mentee: MenteeFacts, mentor: MentorFacts, w: Weights) -> float:
    wanted = mentee.same_region and mentee.region is not None and mentee.region in mentor.regions
    return w.region if wanted else 0.0


def _region_phrase(mentee: MenteeFacts, mentor: MentorFacts, words: _Words) -> str:
    return f"knows the {mentee.region} region"


def _gap(mentee: MenteeFacts, mentor: MentorFacts) -> int:
    return 0 if mentor.level is None else mentor.level - (mentee.level or 0)


def _career_points(mentee: MenteeFacts, mentor: MentorFacts, w: Weights) -> float:
    gap = _gap(mentee, mentor)
    return w.career * min(gap, 2) / 2 if gap > 0 else 0.0


def _career_phrase(mentee: MenteeFacts, mentor: MentorFacts, words: _Words) -> str:
    gap = _gap(mentee, mentor)
    who = LEVEL_NAMES.get(mentor.level or 0, "further up the ladder")
    return f"{who}, {STEPS.get(gap, 'several steps')} ahead of {words.voice.whom}"


def _mode_points(mentee: MenteeFacts, mentor: MentorFacts, w: Weights) -> float:
    return w.mode if mentee.modes & mentor.modes else 0.0


def _mode_phrase(mentee: MenteeFacts, mentor: MentorFacts, words: _Words) -> str:
    ways = {"in_person": "in person", "video": "by video", "phone": "by phone"}
    shared = sorted(mentee.modes & mentor.modes)
    return "can meet " + " or ".join(ways.get(m, m) for m in shared) + f", {words.voice.prefers}"


PointsFn = Callable[[MenteeFacts, MentorFacts, Weights], float]
PhraseFn = Callable[[MenteeFacts, MentorFacts, _Words], str]
# Each term: how many points it adds to a pair, and the phrase that says so (used only when it added some).
_TERMS: dict[str, tuple[PointsFn, PhraseFn]] = {
    "focus": (_focus_points, _focus_phrase),
    "outside": (_outside_points, _outside_phrase),
    "sector": (_sector_points, _sector_phrase),
    "region": (_region_points, _region_phrase),
    "career": (_career_points, _career_phrase),
    "mode": (_mode_points, _mode_phrase),
}
