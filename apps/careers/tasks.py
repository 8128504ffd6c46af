"""Celery tasks for careers: this month's routes figures built ahead of the first person who opens the page, so
that nobody waits while 20,000 histories are read."""

from celery import shared_task
from django.utils import timezone

from .services.figures import routes_figures_current


# Safe to run twice or late: it stores the month's row only when there is none (a second run reads it back).
@shared_task(ignore_result=True)
def build_routes_figures() -> None:
    routes_figures_current(now=timezone.now())
