"""Calendar arithmetic the apps share."""

import calendar
from datetime import datetime

from django.utils import timezone


def months_after(moment: datetime, months: int) -> datetime:
    """The same London day and time `months` calendar months later; the month's last day when it is shorter
    (31 January + 1 month is 28 or 29 February)."""
    local = timezone.localtime(moment)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)
