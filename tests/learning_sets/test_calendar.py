"""When a set meets: the slot's weekday on or after the programme's first week, then every cadence, a session on
a bank holiday in England moving a week later (substitute days too), always at London wall-clock time."""

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from apps.learning_sets.calendar import (
    bank_holiday_name,
    first_on_or_after,
    is_bank_holiday,
    plan_sessions,
    programme_last_day,
    session_days,
)
from apps.learning_sets.slots import ALL_SLOTS

LONDON = ZoneInfo("Europe/London")


def days(slot: str, first_from: date, count: int, cadence_weeks: int = 4) -> list[date]:
    return session_days(slot=slot, first_from=first_from, count=count, cadence_weeks=cadence_weeks)


def test_the_first_session_is_the_slots_weekday_on_or_after_the_first_week() -> None:
    # Wednesday 6 January 2027: the first Tuesday on or after it is the 12th.
    assert days("tue-14:00", date(2027, 1, 6), 1) == [date(2027, 1, 12)]
    # On the day itself when the programme starts on the slot's weekday.
    assert days("wed-10:00", date(2027, 1, 6), 1) == [date(2027, 1, 6)]
    assert first_on_or_after(0, date(2027, 1, 6)) == date(2027, 1, 11)


def test_then_one_every_cadence() -> None:
    assert days("thu-10:00", date(2027, 1, 4), 4, cadence_weeks=2) == [
        date(2027, 1, 7),
        date(2027, 1, 21),
        date(2027, 2, 4),
        date(2027, 2, 18),
    ]


def test_easter_monday_moves_a_week_and_the_cadence_runs_on_from_there() -> None:
    # Easter Monday is 6 April 2026.
    assert days("mon-14:00", date(2026, 3, 9), 4) == [
        date(2026, 3, 9),
        date(2026, 4, 13),
        date(2026, 5, 11),
        date(2026, 6, 8),
    ]


def test_good_friday_moves_a_friday_set() -> None:
    assert days("fri-12:00", date(2027, 2, 26), 2) == [date(2027, 2, 26), date(2027, 4, 2)]  # not 26 March


def test_the_late_may_bank_holiday() -> None:
    # Spring bank holiday: Monday 25 May 2026.
    assert days("mon-10:00", date(2026, 4, 27), 3) == [date(2026, 4, 27), date(2026, 6, 1), date(2026, 6, 29)]


def test_the_august_bank_holiday() -> None:
    # Late summer bank holiday: Monday 31 August 2026.
    assert days("mon-16:00", date(2026, 8, 3), 3) == [date(2026, 8, 3), date(2026, 9, 7), date(2026, 10, 5)]


def test_boxing_day_observed_on_a_monday() -> None:
    # Christmas Day 2026 is a Friday and Boxing Day a Saturday: the bank holiday is Monday 28 December.
    assert bank_holiday_name(date(2026, 12, 28)) == "Boxing Day (observed)"
    assert days("mon-14:00", date(2026, 11, 30), 3) == [date(2026, 11, 30), date(2027, 1, 4), date(2027, 2, 1)]


def test_substitute_days_one_after_another_move_a_session_twice() -> None:
    """Christmas 2027 falls on a weekend: Monday 27 December is Christmas Day's substitute, and Monday 3 January
    2028 New Year's Day's, so a Monday set skips two weeks."""
    assert days("mon-14:00", date(2027, 11, 29), 3) == [date(2027, 11, 29), date(2028, 1, 10), date(2028, 2, 7)]
    # Tuesday 28 December 2027 is Boxing Day's substitute; Tuesday 4 January is a working day.
    assert days("tue-14:00", date(2027, 11, 30), 2) == [date(2027, 11, 30), date(2028, 1, 4)]


def test_christmas_day_on_a_weekday() -> None:
    # Friday 25 December 2026 and Friday 1 January 2027 are both bank holidays.
    assert days("fri-10:00", date(2026, 12, 18), 3, cadence_weeks=1) == [
        date(2026, 12, 18),
        date(2027, 1, 8),
        date(2027, 1, 15),
    ]


def test_wall_clock_time_holds_across_the_clock_change() -> None:
    """14:00 in London is 13:00 UTC in summer time and 14:00 UTC in winter: the clocks went back on 25 October."""
    sessions = plan_sessions(slot="tue-14:00", first_from=date(2026, 10, 13), count=3, cadence_weeks=1, minutes=90)
    assert [s.starts_at.astimezone(LONDON).time() for s in sessions] == [time(14, 0)] * 3
    assert [s.starts_at.astimezone(UTC) for s in sessions] == [
        datetime(2026, 10, 13, 13, 0, tzinfo=UTC),
        datetime(2026, 10, 20, 13, 0, tzinfo=UTC),
        datetime(2026, 10, 27, 14, 0, tzinfo=UTC),
    ]
    assert all(s.ends_at - s.starts_at == timedelta(minutes=90) for s in sessions)
    assert [s.number for s in sessions] == [1, 2, 3]


def test_and_across_the_change_to_summer_time() -> None:
    # The clocks went forward on Sunday 29 March 2026.
    sessions = plan_sessions(slot="fri-08:00", first_from=date(2026, 3, 27), count=2, cadence_weeks=1, minutes=120)
    assert [s.starts_at.astimezone(UTC).hour for s in sessions] == [8, 7]
    assert [s.starts_at.astimezone(LONDON).hour for s in sessions] == [8, 8]


def test_bank_holidays_are_englands() -> None:
    assert is_bank_holiday(date(2026, 4, 6))  # Easter Monday
    assert not is_bank_holiday(date(2026, 11, 30))  # St Andrew's Day: a bank holiday in Scotland only
    assert not is_bank_holiday(date(2026, 3, 17))  # St Patrick's Day: Northern Ireland only
    assert bank_holiday_name(date(2026, 3, 17)) == ""


@pytest.mark.parametrize("cadence_weeks", [1, 2, 4, 6])
def test_no_session_ever_falls_on_a_bank_holiday(cadence_weeks: int) -> None:
    """Every slot, starting every week of five years: on the slot's weekday, never on a bank holiday, never
    closer together than the cadence."""
    start = date(2025, 1, 6)
    for week in range(0, 52 * 5, 5):
        for slot in ALL_SLOTS[::6]:  # one slot per weekday: the time of day does not change the dates
            planned = days(slot, start + timedelta(weeks=week), 6, cadence_weeks)
            assert not any(is_bank_holiday(d) for d in planned), (slot, planned)
            assert len({d.weekday() for d in planned}) == 1
            assert all((b - a).days >= 7 * cadence_weeks for a, b in pairwise(planned))


def test_the_last_day_a_session_may_move_to_is_a_cadence_after_the_latest_set_ends() -> None:
    last = programme_last_day(slots=["mon-10:00", "thu-14:00"], first_from=date(2026, 10, 19), count=3, cadence_weeks=4)
    assert last == date(2026, 12, 17) + timedelta(weeks=4)


@pytest.mark.parametrize(
    ("slot", "count", "cadence"), [("sat-10:00", 3, 4), ("tue-14:30", 3, 4), ("tue-14:00", 0, 4), ("tue-14:00", 3, 0)]
)
def test_bad_input_is_refused(slot: str, count: int, cadence: int) -> None:
    with pytest.raises(ValueError):
        days(slot, date(2026, 10, 19), count, cadence)


def test_a_programme_without_sets_has_no_last_day() -> None:
    with pytest.raises(ValueError):
        programme_last_day(slots=[], first_from=date(2026, 10, 19), count=3, cadence_weeks=4)
