"""Reading a grouping problem from decoded JSON (`als_group`'s input), refusing the first thing wrong with it."""

from typing import Any

from apps.learning_sets.slots import ALL_SLOTS, is_valid_slot

from .problem import Participant, Problem, ProblemError, check


def validate(raw: Any) -> Problem:
    """The problem described by decoded JSON, or ProblemError saying the first thing wrong with it."""
    if not isinstance(raw, dict):
        raise ProblemError("The input must be a JSON object with keys 'set_size', 'participants' and maybe 'sets'.")
    size = _object(raw.get("set_size"), "'set_size'", ("min", "max")) if "set_size" in raw else None
    if size is None:
        raise ProblemError("The key 'set_size' is missing.")
    low = _whole(size["min"], "set_size.min", smallest=1)
    high = _whole(size["max"], "set_size.max", smallest=1)
    sets = _whole(raw["sets"], "'sets'", smallest=1) if "sets" in raw else None
    if "participants" not in raw:
        raise ProblemError("The key 'participants' is missing.")
    if not isinstance(raw["participants"], list):
        raise ProblemError("'participants' must be a list.")
    participants = [_participant(item, n) for n, item in enumerate(raw["participants"])]
    _refuse_duplicates([participant.id for participant in participants])
    problem = Problem(participants=participants, min_size=low, max_size=high, sets=sets)
    check(problem)
    return problem


def _object(item: Any, where: str, keys: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ProblemError(f"{where} must be an object.")
    for key in keys:
        if key not in item:
            raise ProblemError(f"{where} has no '{key}'.")
    return item


def _whole(value: Any, where: str, *, smallest: int) -> int:
    # bool is an int in Python; true/false is not a size.
    if not isinstance(value, int) or isinstance(value, bool) or value < smallest:
        raise ProblemError(f"{where} must be a whole number {smallest} or more, not {value!r}.")
    return value


def _text(value: Any, where: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ProblemError(f"{where}: the {name} must be a non-empty string, not {value!r}.")
    return value


def _participant(item: Any, n: int) -> Participant:
    where = f"participants[{n}]"
    item = _object(item, where, ("id", "organisation", "sector", "stage", "slots"))
    id_ = _text(item["id"], where, "id")
    where = f"{where} ({id_!r})"
    slots = item["slots"]
    if not isinstance(slots, list):
        raise ProblemError(f"{where}: 'slots' must be a list of weekly slots such as 'tue-14:00', not {slots!r}.")
    for slot in slots:
        if not is_valid_slot(slot):
            raise ProblemError(
                f"{where}: {slot!r} is not a weekly slot; slots look like 'tue-14:00' (mon to fri, starting at "
                "08:00, 10:00, 12:00, 14:00, 16:00 or 18:00)."
            )
    return Participant(
        id=id_,
        organisation=_text(item["organisation"], where, "organisation"),
        sector=_text(item["sector"], where, "sector"),
        stage=_text(item["stage"], where, "stage"),
        slots=tuple(slot for slot in ALL_SLOTS if slot in set(slots)),
    )


def _refuse_duplicates(ids: list[str]) -> None:
    seen: set[str] = set()
    for id_ in ids:
        if id_ in seen:
            raise ProblemError(f"The participant id {id_!r} appears more than once.")
        seen.add(id_)
