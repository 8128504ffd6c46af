"""When a set meets: session dates from its weekly slot and the programme's cadence, skipping bank holidays in
England. Plain data in and out, no Django.

The rules, from the organiser's point of view:
- the first session is on the slot's weekday, on or after the programme's "first sessions from" date;
- then one every `cadence_weeks` weeks;
- a session that would fall on a bank holiday (substitute days included, e.g. Boxing Day observed on a Monday)
  moves one week later, again if that is a holiday too, and the sessions after it keep the cadence from the
  day it moved to, so the gap between sessions never shrinks below the cadence.

Times are wall-clock Europe/London: a 14:00 slot starts at 14:00 in GMT and in BST alike, so its UTC time moves
by an hour when the clocks change.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from .slots import WEEKDAYS, is_valid_slot

LONDON = ZoneInfo("Europe/London")
WEEK = timedelta(weeks=1)


@dataclass(frozen=True)
class PlannedSession:
    number: int  # 1, 2, … in date order
    starts_at: datetime  # aware, Europe/London
    ends_at: datetime


@cache
def _holidays_in(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_bank_holiday(day: date) -> bool:
    """A bank holiday in England, substitute days included."""
    return day in _holidays_in(day.year)


def bank_holiday_name(day: date) -> str:
    """The holiday's name ("Easter Monday"), or "" on a working day."""
    return _holidays_in(day.year).get(day, "")


def slot_weekday_and_time(slot: str) -> tuple[int, time]:
    """ "tue-14:00" → (1, 14:00): Monday is 0, as in date.weekday()."""
    if not is_valid_slot(slot):
        raise ValueError(f"{slot!r} is not a weekly slot (expected one like 'tue-14:00').")
    day, start = slot.split("-")
    return WEEKDAYS.index(day), time.fromisoformat(start)


def first_on_or_after(weekday: int, day: date) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def in_london(day: date, at: time) -> datetime:
    """The wall-clock time `at` on `day` in London, whatever the season."""
    return datetime.combine(day, at, tzinfo=LONDON)


def _working_day_from(day: date) -> date:
    """`day`, or the same weekday of the first week after it that is not a bank holiday."""
    while is_bank_holiday(day):
        day += WEEK
    return day


def session_days(*, slot: str, first_from: date, count: int, cadence_weeks: int) -> list[date]:
    """The dates of a set's `count` sessions."""
    if count < 1 or cadence_weeks < 1:
        raise ValueError("A programme has at least one session, at least a week apart.")
    weekday, _ = slot_weekday_and_time(slot)
    days = []
    day = first_on_or_after(weekday, first_from)
    for _ in range(count):
        day = _working_day_from(day)
        days.append(day)
        day += cadence_weeks * WEEK
    return days


def plan_sessions(*, slot: str, first_from: date, count: int, cadence_weeks: int, minutes: int) -> list[PlannedSession]:
    """A set's sessions: the dates of `session_days`, at the slot's start time, `minutes` long."""
    _, start = slot_weekday_and_time(slot)
    days = session_days(slot=slot, first_from=first_from, count=count, cadence_weeks=cadence_weeks)
    planned = []
    for number, day in enumerate(days, 1):
        starts_at = in_london(day, start)
        planned.append(PlannedSession(number, starts_at, starts_at + timedelta(minutes=minutes)))
    return planned


def programme_last_day(*, slots: list[str], first_from: date, count: int, cadence_weeks: int) -> date:
    """The last day a session may be moved to: a cadence after the latest planned session of any of the
    programme's sets. (A session cannot be pushed beyond the programme's natural end by more than one step.)"""
    ends = [session_days(slot=s, first_from=first_from, count=count, cadence_weeks=cadence_weeks)[-1] for s in slots]
    if not ends:
        raise ValueError("A programme with no sets has no sessions.")
    return max(ends) + cadence_weeks * WEEK
