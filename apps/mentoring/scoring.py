"""Which mentor–mentee pairs are allowed, and how well each allowed pair fits, with a plain explanation.

Pure: no Django. The hard rules are never broken; the score adds up terms, and the explanation is made of the
same terms, one phrase per term that actually added points, so every phrase is true of that pair's score.
Weights are per scheme (an organiser tunes them); the defaults favour what the mentee asked for help with.
"""

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


def fit(mentee: MenteeFacts, mentor: MentorFacts, *, weights: Weights, titles: dict[str, str]) -> Fit:
    terms = [
        t
        for t in (
            _focus(mentee, mentor, weights, titles),
            _outside(mentee, mentor, weights),
            _sector(mentee, mentor, weights),
            _region(mentee, mentor, weights),
            _career(mentee, mentor, weights),
            _mode(mentee, mentor, weights),
        )
        if t is not None and t.points > 0
    ]
    return Fit(score=sum(t.points for t in terms), terms=tuple(terms))


def _focus(mentee: MenteeFacts, mentor: MentorFacts, w: Weights, titles: dict[str, str]) -> Term | None:
    if not mentee.focus:
        return None
    helped = [code for code in mentee.focus if code in mentor.expertise]
    if not helped:
        return None
    names = ", ".join(titles.get(code, code) for code in helped)
    return Term(
        "focus",
        w.focus * len(helped) / len(mentee.focus),
        f"helps with {len(helped)} of your {len(mentee.focus)} focus areas: {names}",
    )


def _outside(mentee: MenteeFacts, mentor: MentorFacts, w: Weights) -> Term | None:
    different = mentee.organisation is None or mentee.organisation != mentor.organisation
    if mentee.outside in ("preferred", "required") and different:
        return Term("outside", w.outside, "outside your organisation, as you asked")
    return None


def _sector(mentee: MenteeFacts, mentor: MentorFacts, w: Weights) -> Term | None:
    if mentee.sector is None:
        return None
    knows = mentee.sector in mentor.sectors
    if mentee.sector_preference == "same" and knows:
        return Term("sector", w.sector, f"knows the {mentee.sector} sector, as you asked")
    if mentee.sector_preference == "different" and mentor.sectors and not knows:
        return Term("sector", w.sector, "from a different sector, as you asked")
    return None


def _region(mentee: MenteeFacts, mentor: MentorFacts, w: Weights) -> Term | None:
    if mentee.same_region and mentee.region is not None and mentee.region in mentor.regions:
        return Term("region", w.region, f"knows the {mentee.region} region")
    return None


def _career(mentee: MenteeFacts, mentor: MentorFacts, w: Weights) -> Term | None:
    if mentor.level is None:
        return None
    gap = mentor.level - (mentee.level or 0)
    if gap <= 0:
        return None
    who = LEVEL_NAMES.get(mentor.level, "further up the ladder")
    return Term("career", w.career * min(gap, 2) / 2, f"{who}, {STEPS.get(gap, 'several steps')} ahead of you")


def _mode(mentee: MenteeFacts, mentor: MentorFacts, w: Weights) -> Term | None:
    shared = sorted(mentee.modes & mentor.modes)
    if not shared:
        return None
    ways = {"in_person": "in person", "video": "by video", "phone": "by phone"}
    return Term("mode", w.mode, "can meet " + " or ".join(ways.get(m, m) for m in shared) + ", as you prefer")
