"""The hard rules and the score of one mentee against every mentor at once, with numpy: what a match round needs
for a national pool (millions of candidate pairs), where calling `scoring.refusal` and `scoring.score` pair by pair
takes minutes.

Pure: no Django. It computes exactly what `scoring.refusal(...) is None` and `scoring.score(...)` compute — the
same terms, in the same order, with the same float operations — and a property test compares the two on random
pools. Sets of codes become bit masks (one bit per code seen among the mentors), organisations small integers.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .scoring import MenteeFacts, MentorFacts, Weights

MAX_BITS = 63  # one signed 64-bit mask per set; more distinct codes than this and the caller falls back


class TooManyCodes(ValueError):
    """More distinct codes in one set-valued fact than a 64-bit mask holds."""


def _vocabulary(values: Iterable[Iterable[str]]) -> dict[str, int]:
    codes = sorted({code for group in values for code in group})
    if len(codes) > MAX_BITS:
        raise TooManyCodes(f"{len(codes)} distinct codes")
    return {code: 1 << i for i, code in enumerate(codes)}


def _mask(vocabulary: dict[str, int], codes: Iterable[str]) -> int:
    mask = 0
    for code in codes:
        mask |= vocabulary.get(code, 0)
    return mask


@dataclass(frozen=True)
class Allowed:
    """For one mentee: the positions (into the table's mentors) of the allowed mentors, and their scores."""

    mentors: np.ndarray  # int64 positions
    scores: np.ndarray  # float64


class MentorTable:
    """Every mentor's facts as columns, built once per round."""

    def __init__(self, mentors: list[MentorFacts]) -> None:
        self.mentors = mentors
        self.index = {mentor.id: i for i, mentor in enumerate(mentors)}
        self._expertise = _vocabulary(m.expertise for m in mentors)
        self._sectors = _vocabulary(m.sectors for m in mentors)
        self._regions = _vocabulary(m.regions for m in mentors)
        self._modes = _vocabulary(m.modes for m in mentors)
        self._organisations: dict[str, int] = {}
        self.expertise = np.array([_mask(self._expertise, m.expertise) for m in mentors], dtype=np.int64)
        self.sectors = np.array([_mask(self._sectors, m.sectors) for m in mentors], dtype=np.int64)
        self.regions = np.array([_mask(self._regions, m.regions) for m in mentors], dtype=np.int64)
        self.modes = np.array([_mask(self._modes, m.modes) for m in mentors], dtype=np.int64)
        self.organisation = np.array([self._organisation(m.organisation) for m in mentors], dtype=np.int64)
        self.has_level = np.array([m.level is not None for m in mentors], dtype=bool)
        self.level = np.array([m.level or 0 for m in mentors], dtype=np.int64)
        self.outside_ok = np.array([m.outside_ok for m in mentors], dtype=bool)
        self.active = np.array([m.active for m in mentors], dtype=bool)
        kinds = [m.kind for m in mentors]
        self.offers = {
            "mentor": np.array([k in ("mentor", "both") for k in kinds], dtype=bool),
            "coach": np.array([k in ("coach", "both") for k in kinds], dtype=bool),
        }

    def _organisation(self, code: str | None) -> int:
        """-1 for "no organisation" (never equal to anyone's), otherwise a small integer per code."""
        if code is None:
            return -1
        return self._organisations.setdefault(code, len(self._organisations))

    def allowed(self, mentee: MenteeFacts, weights: Weights) -> Allowed:
        """The mentors `scoring.refusal` allows for this mentee, with `scoring.score` for each."""
        n = len(self.mentors)
        ok = self.active.copy()
        for blocked in {mentee.id, mentee.line_manager, *mentee.excluded} - {None}:
            position = self.index.get(blocked)  # type: ignore[arg-type]
            if position is not None:
                ok[position] = False
        if mentee.kind != "both":
            ok &= self.offers.get(mentee.kind, np.zeros(n, dtype=bool))
        mentee_org = -2 if mentee.organisation is None else self._organisations.get(mentee.organisation, -3)
        same = self.organisation == mentee_org
        if mentee.outside == "required":
            ok &= ~same
        ok &= same | self.outside_ok
        positions = np.flatnonzero(ok)
        return Allowed(mentors=positions, scores=self._scores(mentee, weights, positions, same[positions]))

    def _scores(self, mentee: MenteeFacts, w: Weights, at: np.ndarray, same: np.ndarray) -> np.ndarray:
        total = np.zeros(len(at), dtype=np.float64)
        if mentee.focus:  # focus: w × helped / asked
            helped = np.bitwise_count(self.expertise[at] & _mask(self._expertise, mentee.focus))
            total += w.focus * helped.astype(np.float64) / len(mentee.focus)
        if mentee.outside in ("preferred", "required"):  # outside: the organisations differ (or theirs unknown)
            total += np.where(~same, w.outside, 0.0)
        if mentee.sector is not None:
            knows = (self.sectors[at] & self._sectors.get(mentee.sector, 0)) != 0
            if mentee.sector_preference == "same":
                total += np.where(knows, w.sector, 0.0)
            elif mentee.sector_preference == "different":
                total += np.where((self.sectors[at] != 0) & ~knows, w.sector, 0.0)
        if mentee.same_region and mentee.region is not None:
            total += np.where((self.regions[at] & self._regions.get(mentee.region, 0)) != 0, w.region, 0.0)
        gap = self.level[at] - (mentee.level or 0)
        rungs = np.minimum(gap, 2).astype(np.float64)
        total += np.where(self.has_level[at] & (gap > 0), w.career * rungs / 2, 0.0)
        if mentee.modes:
            total += np.where((self.modes[at] & _mask(self._modes, mentee.modes)) != 0, w.mode, 0.0)
        return total
