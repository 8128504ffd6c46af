"""When a bilateral is due and which times the portal proposes (apps/bilaterals/planning.py, pure)."""

from datetime import date, datetime

import pytest

from apps.bilaterals.planning import LONDON, add_months, meeting_options, next_due_on
from apps.learning_sets.calendar import is_bank_holiday


def never(day: date) -> bool:
    return False


def test_a_month_on_keeps_the_day_or_takes_the_months_last() -> None:
    assert add_months(date(2026, 12, 7), 1) == date(2027, 1, 7)
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


def test_the_first_meeting_is_due_a_fortnight_after_agreeing_then_a_cadence_after_the_last() -> None:
    assert next_due_on(cadence_months=2, last_meeting_on=None, agreed_on=date(2026, 12, 7)) == date(2026, 12, 21)
    assert next_due_on(cadence_months=2, last_meeting_on=date(2026, 12, 15), agreed_on=date(2026, 12, 7)) == date(
        2027, 2, 15
    )


@pytest.mark.parametrize("cadence", [0, 4, -1])
def test_a_cadence_other_than_one_to_three_months_is_an_error(cadence: int) -> None:
    with pytest.raises(ValueError, match="every 1, 2 or 3 months"):
        next_due_on(cadence_months=cadence, last_meeting_on=None, agreed_on=date(2026, 12, 7))


def test_times_are_slots_both_can_make_from_a_week_before_the_due_date_skipping_bank_holidays() -> None:
    options = meeting_options(
        slots_a=["mon-10:00", "tue-14:00"],
        slots_b=["mon-10:00", "wed-08:00"],
        due_on=date(2026, 12, 21),
        today=date(2026, 12, 7),
        is_holiday=is_bank_holiday,
    )
    # From Monday 14 December; Monday 28 December is the Boxing Day bank holiday (substitute day), so skipped.
    assert [o.starts_at for o in options] == [
        datetime(2026, 12, 14, 10, 0, tzinfo=LONDON),
        datetime(2026, 12, 21, 10, 0, tzinfo=LONDON),
        datetime(2027, 1, 4, 10, 0, tzinfo=LONDON),
        datetime(2027, 1, 11, 10, 0, tzinfo=LONDON),
    ]
    assert {o.slot for o in options} == {"mon-10:00"}


def test_never_before_tomorrow_even_when_the_meeting_is_overdue() -> None:
    options = meeting_options(
        slots_a=["tue-14:00"],
        slots_b=["tue-14:00"],
        due_on=date(2026, 11, 1),
        today=date(2026, 12, 7),
        is_holiday=never,
    )
    assert options[0].starts_at == datetime(2026, 12, 8, 14, 0, tzinfo=LONDON)


def test_nothing_is_proposed_without_a_time_in_common() -> None:
    assert (
        meeting_options(
            slots_a=[], slots_b=["tue-14:00"], due_on=date(2027, 1, 1), today=date(2026, 12, 7), is_holiday=never
        )
        == []
    )
    assert (
        meeting_options(
            slots_a=["mon-08:00"],
            slots_b=["tue-14:00"],
            due_on=date(2027, 1, 1),
            today=date(2026, 12, 7),
            is_holiday=never,
        )
        == []
    )
