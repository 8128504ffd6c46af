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
# A pair's score depends on the mentee and on a few small facts about the pair: how many focus areas the mentor
# helps with, and whether they are outside the organisation, suit the sector wish, know the region, are one or two
# rungs up, meet the preferred way. `block` numbers those combinations (the focus count times _COMBOS, plus the
# rest), so a block scores each mentee's few combinations and looks every pair's score up.
_COMBOS = 2 * 2 * 2 * 3 * 2  # outside × sector × region × rungs (0, 1, 2) × mode
_REFUSED = -10_000  # below −(63 × _COMBOS + _COMBOS): a combination number stays negative


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
        self._cache: dict[tuple[object, ...], np.ndarray] = {}
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

    def block(self, mentees: list[MenteeFacts], weights: Weights, *, scale: float) -> np.ndarray:
        """Every pair of these mentees with every mentor, as a (mentees × mentors) int64 matrix: the score times
        `scale`, rounded to an integer (`np.rint`), where `allowed` allows the pair, and −1 where it does not.
        What a round scores its pool with, block by block: whole matrices, not one short row per mentee.

        The same scores as `allowed`, bit for bit before scaling: each mentee's score for each combination of pair
        facts (see _COMBOS) is computed with `_scores`' terms, in its order, with its float operations (a term that
        does not apply to a mentee adds 0.0, which leaves a float unchanged); each pair then looks its combination
        up. A test checks it against `allowed`."""
        rows = len(mentees)
        focus = np.array([_mask(self._expertise, m.focus) for m in mentees], dtype=np.int64)
        helped_most = int(np.bitwise_count(focus).max()) if rows else 0
        table = self._combination_costs(mentees, weights, helped_most, scale)
        mentee_org = np.array(
            [-2 if m.organisation is None else self._organisations.get(m.organisation, -3) for m in mentees],
            dtype=np.int64,
        )
        same = self.organisation[None, :] == mentee_org[:, None]
        n = len(self.mentors)
        combination = np.stack([self._profile_row(m) for m in mentees]) if rows else np.zeros((0, n), np.int16)
        combination += np.bitwise_count(self.expertise[None, :] & focus[:, None]).astype(np.int16) * np.int16(_COMBOS)
        np.subtract(combination, np.int16(_COMBOS // 2), out=combination, where=same)  # not outside, after all
        # The organisation rules: the same one is refused to a mentee who asked for outside, a different one by a
        # mentor who only mentors within their own.
        required = np.array([m.outside == "required" for m in mentees], dtype=bool).reshape(-1, 1)
        refused = np.where(same, required, ~self.outside_ok[None, :])
        refused |= combination < 0  # kind or pause (see _profile_row)
        for row, mentee in enumerate(mentees):
            for blocked in {mentee.id, mentee.line_manager, *mentee.excluded} - {None}:
                position = self.index.get(blocked)  # type: ignore[arg-type]
                if position is not None:
                    refused[row, position] = True
        combination[refused] = table.shape[1] - 1  # the "not allowed" column
        # One flat look-up (row offset + combination) is twice as fast as take_along_axis.
        offsets = (np.arange(rows, dtype=np.int32) * np.int32(table.shape[1]))[:, None]
        return np.take(table.ravel(), combination + offsets)

    def _profile_row(self, mentee: MenteeFacts) -> np.ndarray:
        """The part of each pair's combination number that depends on the mentee only through a few facts (kind,
        sector wish, region wish, level, modes), cached per distinct facts: sector, region, rungs and mode as in
        _COMBOS, the "outside" part already added (`block` takes it off where the organisation is the same), and
        a large negative number where the mentor's kind or pause refuses the pair."""
        wish = mentee.sector_preference if mentee.sector is not None else "either"
        sector_code = self._sectors.get(mentee.sector, 0) if mentee.sector is not None else 0
        region = self._regions.get(mentee.region, 0) if mentee.same_region and mentee.region is not None else 0
        level, modes = mentee.level or 0, _mask(self._modes, mentee.modes)
        key = (mentee.kind, wish, sector_code, region, level, modes)
        found = self._cache.get(key)
        if found is not None:
            return found
        # The sector term pays as `_scores` decides it: the mentor knows the sector, or knows others but not it.
        knows = (self.sectors & sector_code) != 0
        sector = {"same": knows, "different": (self.sectors != 0) & ~knows}.get(wish, np.zeros_like(knows))
        gap = self.level - level
        rungs = np.where(self.has_level & (gap > 0), np.minimum(gap, 2), 0)  # 0, 1 or 2 rungs, as `_scores`
        row = (
            sector.astype(np.int16) * 12
            + ((self.regions & region) != 0).astype(np.int16) * 6
            + rungs.astype(np.int16) * 2
            + ((self.modes & modes) != 0).astype(np.int16)
            + _COMBOS // 2
        ).astype(np.int16)
        offered = self.active if mentee.kind == "both" else self.active & self.offers.get(mentee.kind, False)
        row[~offered] = _REFUSED
        self._cache[key] = row
        return row

    def _combination_costs(self, mentees: list[MenteeFacts], w: Weights, helped_most: int, scale: float) -> np.ndarray:
        """(mentees × combinations + 1): each mentee's scaled score for every combination of pair facts, and −1 in
        the last column (not allowed). Floats as `_scores` makes them: the same terms in the same order."""
        combos = np.arange((helped_most + 1) * _COMBOS)
        helped, rest = np.divmod(combos, _COMBOS)
        outside, rest = np.divmod(rest, _COMBOS // 2)
        sector, rest = np.divmod(rest, 12)
        region, rest = np.divmod(rest, 6)
        rungs, mode = np.divmod(rest, 2)

        def column(values: list[float] | list[bool], dtype: type) -> np.ndarray:
            return np.asarray(values, dtype=dtype).reshape(-1, 1)

        total = np.zeros((len(mentees), len(combos)), dtype=np.float64)
        # No focus: helped is 0, and 0 / 1 adds 0.0.
        asked = column([float(len(m.focus) or 1) for m in mentees], np.float64)
        total += w.focus * helped.astype(np.float64)[None, :] / asked
        wants_outside = column([m.outside in ("preferred", "required") for m in mentees], bool)
        total += np.where(wants_outside & (outside[None, :] == 1), w.outside, 0.0)
        total += np.where(sector[None, :] == 1, w.sector, 0.0)
        total += np.where(region[None, :] == 1, w.region, 0.0)
        total += np.where(rungs[None, :] > 0, w.career * rungs.astype(np.float64)[None, :] / 2, 0.0)
        total += np.where(mode[None, :] == 1, w.mode, 0.0)
        costs = np.rint(total * scale).astype(np.int64)
        return np.concatenate([costs, np.full((len(mentees), 1), -1, dtype=np.int64)], axis=1)
