"""The daily retention run (beat: config/settings/base.py)."""

from celery import shared_task
from django.utils import timezone

from .retention import retention_apply


# Safe to run twice or late: every rule removes what is past its time now, so a second run finds nothing more,
# and a run missed for days removes those days' worth at the next.
@shared_task(ignore_result=True)
def apply_retention() -> dict[str, int]:
    return retention_apply(now=timezone.now())
