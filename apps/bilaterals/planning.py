"""When a bilateral's next meeting is due, and the times the portal proposes for it. Plain data, no Django.

The rules, in the two people's words:
- the next meeting is due one cadence (one, two or three calendar months) after the last meeting held or booked;
  the first is due a fortnight after the partner agreed, so that the two find a first time while it is fresh;
- the portal proposes the first few dates, from a week before the due date (never before tomorrow), on which a
  weekly slot both people can make falls, at the slot's start (wall-clock London time), skipping bank holidays;
- without availability from both, or with no slot in common, there is nothing to propose: the two type a date.

Bank holidays come in as a function (`is_holiday`), so this module needs neither Django nor the holidays
library: the caller passes `apps.learning_sets.calendar.is_bank_holiday`.
"""

import calendar as months
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apps.learning_sets.slots import WEEKDAYS, common_slots, is_valid_slot

LONDON = ZoneInfo("Europe/London")
FIRST_MEETING_AFTER = timedelta(days=14)
PROPOSE_FROM_BEFORE_DUE = timedelta(days=7)
OPTIONS = 4
# How far the search looks before giving up: more than a quarter, so a three-monthly pair always finds dates.
SEARCH_DAYS = 120


@dataclass(frozen=True)
class Option:
    slot: str  # "tue-14:00"
    starts_at: datetime  # aware, Europe/London


def add_months(day: date, months_ahead: int) -> date:
    """The same day `months_ahead` calendar months later, or the month's last day (31 January + 1 → 28/29 February)."""
    month_index = day.month - 1 + months_ahead
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, months.monthrange(year, month)[1]))


def next_due_on(*, cadence_months: int, last_meeting_on: date | None, agreed_on: date) -> date:
    """The day the next meeting is due: a cadence after the last meeting, or a fortnight after agreeing."""
    if cadence_months not in (1, 2, 3):
        raise ValueError(f"A bilateral meets every 1, 2 or 3 months, not every {cadence_months!r}.")
    if last_meeting_on is None:
        return agreed_on + FIRST_MEETING_AFTER
    return add_months(last_meeting_on, cadence_months)


def _weekday_and_start(slot: str) -> tuple[int, time]:
    day, start = slot.split("-")
    return WEEKDAYS.index(day), time.fromisoformat(start)


def meeting_options(
    *,
    slots_a: list[str],
    slots_b: list[str],
    due_on: date,
    today: date,
    is_holiday: Callable[[date], bool],
    count: int = OPTIONS,
) -> list[Option]:
    """Up to `count` times both can make, in date order, around `due_on` (see the module's rules)."""
    if not slots_a or not slots_b:
        return []
    shared = [slot for slot in common_slots([slots_a, slots_b]) if is_valid_slot(slot)]
    if not shared:
        return []
    by_weekday: dict[int, list[time]] = {}
    for slot in shared:
        weekday, start = _weekday_and_start(slot)
        by_weekday.setdefault(weekday, []).append(start)
    start_day = max(due_on - PROPOSE_FROM_BEFORE_DUE, today + timedelta(days=1))
    options: list[Option] = []
    for offset in range(SEARCH_DAYS):
        day = start_day + timedelta(days=offset)
        if day.weekday() not in by_weekday or is_holiday(day):
            continue
        for start in by_weekday[day.weekday()]:
            slot = f"{WEEKDAYS[day.weekday()]}-{start:%H:%M}"
            options.append(Option(slot, datetime.combine(day, start, tzinfo=LONDON)))
            if len(options) == count:
                return options
    return options
