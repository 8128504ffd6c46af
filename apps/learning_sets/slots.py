"""The weekly availability vocabulary for action learning sets: plain data, no Django.

A slot is a two-hour meeting time in the working week, named like "tue-14:00" (Tuesday 14:00 to 16:00). The web app
offers exactly these slots as checkboxes and the grouping command refuses any other, so both speak the same words.
"""

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
START_TIMES: tuple[str, ...] = ("08:00", "10:00", "12:00", "14:00", "16:00", "18:00")
SLOT_HOURS = 2

DAY_NAMES: dict[str, str] = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
}

# Ordered day by day, then by time of day: the order the web app lists them and the grouping breaks ties in.
ALL_SLOTS: tuple[str, ...] = tuple(f"{day}-{start}" for day in WEEKDAYS for start in START_TIMES)
_VALID = frozenset(ALL_SLOTS)


def is_valid_slot(value: object) -> bool:
    """Whether `value` is one of ALL_SLOTS (anything that is not such a string is not a slot)."""
    return isinstance(value, str) and value in _VALID


def slot_label(slot: str) -> str:
    """ "tue-14:00" → "Tuesday 14:00 to 16:00"; ValueError for a string that is not a slot."""
    if not is_valid_slot(slot):
        raise ValueError(f"{slot!r} is not a weekly slot (expected one like 'tue-14:00').")
    day, start = slot.split("-")
    hour = int(start[:2])
    return f"{DAY_NAMES[day]} {start} to {hour + SLOT_HOURS:02d}:00"


def common_slots(availabilities: list[list[str]]) -> list[str]:
    """The slots every one of these people can make, in week order; every slot when there is nobody."""
    common = set(ALL_SLOTS)
    for slots in availabilities:
        common &= set(slots)
    return [slot for slot in ALL_SLOTS if slot in common]
