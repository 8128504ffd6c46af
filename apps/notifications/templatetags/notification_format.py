"""Dates and times for reminder e-mails, written the NHS.UK way and always in UK time (Europe/London).

Reminder contexts hold ISO 8601 strings ("2026-12-03T14:00:00+00:00", "2026-12-03"). These filters turn them
into "Thursday 3 December 2026 at 2pm": no leading zeros, lowercase am/pm, "midday" and "midnight". English
names are spelt out here rather than taken from the locale, so the server's locale cannot change an e-mail.
Input they cannot read comes back unchanged: a reminder must never fail to send over a date.

    {{ starts_at|london_datetime }}         Thursday 3 December 2026 at 2pm
    {{ starts_at|london_datetime:"day" }}   Thursday 3 December at 2pm
    {{ starts_at|london_datetime:"time" }}  2pm
    {{ due_on|london_date }}                Thursday 3 December 2026
    {{ due_on|london_date:"day" }}          Thursday 3 December
    {{ due_on|london_date:"short" }}        3 December
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import template

register = template.Library()

LONDON = ZoneInfo("Europe/London")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _parse(value: object) -> date | datetime | None:
    """A London datetime for a date-and-time, a date for a date alone, None for anything else."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return value
    elif isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:  # YYYY-MM-DD: a date with no time
                return date.fromisoformat(text)
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
    else:
        return None
    # A time without an offset is taken to be UK time already.
    return moment.replace(tzinfo=LONDON) if moment.tzinfo is None else moment.astimezone(LONDON)


def _date(day: date, style: str) -> str:
    if style == "short":
        return f"{day.day} {MONTHS[day.month - 1]}"
    text = f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    return text if style == "day" else f"{text} {day.year}"


def _time(moment: datetime) -> str:
    if (moment.hour, moment.minute) == (12, 0):
        return "midday"
    if (moment.hour, moment.minute) == (0, 0):
        return "midnight"
    hour, suffix = (moment.hour % 12 or 12), ("am" if moment.hour < 12 else "pm")
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


@register.filter
def london_datetime(value: object, style: str = "full") -> object:
    """A time as "Thursday 3 December 2026 at 2pm" ("day": no year; "time": "2pm"). A date alone gives the date."""
    parsed = _parse(value)
    if parsed is None:
        return value
    if not isinstance(parsed, datetime):
        return _date(parsed, style)
    if style == "time":
        return _time(parsed)
    return f"{_date(parsed.date(), style)} at {_time(parsed)}"


@register.filter
def london_date(value: object, style: str = "full") -> object:
    """A date, or the UK date of a time, as "Thursday 3 December 2026" ("day": no year; "short": "3 December")."""
    parsed = _parse(value)
    if parsed is None:
        return value
    return _date(parsed.date() if isinstance(parsed, datetime) else parsed, style)


@register.filter
def one_line(value: object) -> str:
    """Whitespace, line breaks included, collapsed to single spaces: keeps a subject line on one line."""
    return " ".join(str(value).split())
