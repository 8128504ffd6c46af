"""Suggestions for a development plan: catalogue opportunities that address a person's weakest criteria, each
with a plain explanation built from the same facts that ranked it. Pure: no Django."""

from dataclasses import dataclass

WEAKEST = 5  # criteria considered
PER_CRITERION = 3  # opportunities offered for each


@dataclass(frozen=True)
class CriterionState:
    code: str
    title: str
    own: int | None
    others: float | None  # None: no 360 feedback shown for it
    expected: int | None
    # Answered "No chance to demonstrate" (the scale's point that is not a rating): `own` is then None.
    no_chance: bool = False


@dataclass(frozen=True)
class OpportunityOption:
    code: str
    title: str
    develops: frozenset[str]  # criterion codes in the assessed framework


@dataclass(frozen=True)
class Suggestion:
    opportunity: str
    title: str
    criteria: tuple[str, ...]
    reasons: tuple[str, ...]


def weakest(states: list[CriterionState], *, limit: int = WEAKEST) -> list[CriterionState]:
    """Largest shortfall below the expected level first, then the lowest score (raters' where shown).

    A criterion the person has had no chance to show ranks as if rated 0, below every rating, unless raters' score
    shows: what they need is the opportunity, and an opportunity is exactly what a plan can give. This is not a
    judgement of them (the reason says so); it is only the simplest order that puts getting the chance first."""

    def key(s: CriterionState) -> tuple[float, float, str]:
        own = 0 if s.no_chance else (s.own if s.own is not None else 99)
        score = s.others if s.others is not None else own
        shortfall = (s.expected - score) if s.expected is not None else 0
        return (-shortfall, score, s.code)

    rated = [s for s in states if s.own is not None or s.others is not None or s.no_chance]
    return sorted(rated, key=key)[:limit]


def reason(state: CriterionState, *, lowest_own: int | None) -> str:
    name = f"“{state.title}”"
    if state.no_chance:
        return f"you have not had the chance to show {name} yet"
    if (
        state.own is not None
        and state.own == lowest_own
        and state.others is not None
        and state.others <= state.own + 0.5
    ):
        return f"you rated {name} among your lowest, and your raters agree"
    if state.own is not None and state.others is not None and state.others < state.own - 0.5:
        return f"your raters scored {name} lower than you did ({state.others} against your {state.own})"
    if state.own is not None and state.expected is not None and state.own < state.expected:
        return f"you rated {name} {state.own}; the suggested level for your target role is {state.expected}"
    return f"you rated {name} {state.own}, one of your lowest"


def suggestions(states: list[CriterionState], options: list[OpportunityOption]) -> list[Suggestion]:
    weak = weakest(states)
    lowest_own = min((s.own for s in states if s.own is not None), default=None)
    chosen: dict[str, list[CriterionState]] = {}
    titles = {o.code: o.title for o in options}
    for state in weak:
        matching = sorted(
            (o for o in options if state.code in o.develops),
            key=lambda o: (-len(o.develops & {w.code for w in weak}), o.title),
        )
        for option in matching[:PER_CRITERION]:
            chosen.setdefault(option.code, []).append(state)
    ranked = sorted(chosen.items(), key=lambda item: (-len(item[1]), weak.index(item[1][0]), titles[item[0]]))
    return [
        Suggestion(
            opportunity=code,
            title=titles[code],
            criteria=tuple(s.code for s in states_),
            reasons=tuple(reason(s, lowest_own=lowest_own) for s in states_),
        )
        for code, states_ in ranked
    ]
