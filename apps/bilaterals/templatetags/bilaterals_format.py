"""Filters for the bilaterals pages: a weekly slot and a meeting time in words, London time."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone

from apps.learning_sets.slots import is_valid_slot, slot_label

register = template.Library()
LONDON = ZoneInfo("Europe/London")


@register.filter
def weekly_slot(value: object) -> str:
    """ "tue-14:00" → "Tuesday 14:00 to 16:00"; anything else as it is."""
    return slot_label(value) if is_valid_slot(value) else str(value)  # type: ignore[arg-type]


@register.filter
def meeting_time(value: datetime | None) -> str:
    """ "Tuesday 15 December 2026 at 14:00" in UK time."""
    if value is None:
        return ""
    when = timezone.localtime(value, LONDON)
    return f"{when:%A} {when.day} {when:%B %Y} at {when:%H:%M}"


@register.filter
def long_date(value: date | None) -> str:
    return "" if value is None else f"{value:%A} {value.day} {value:%B %Y}"
