"""Celery tasks for succession: the daily look for posts falling vacant within six months with no one ready, after
the sweep that cancels reminders still waiting for someone who can no longer see what they name."""

from celery import shared_task
from django.utils import timezone

from .services.vacancies import reminders_sweep, vacancies_remind


# Safe to run twice or late: each post, lead and vacancy date is named once (its reminder's key), and a late run
# names what is uncovered on the day it runs. The sweep comes first, at eight, before the meet-again reminders due
# at nine and before a reminder of today's could be moved back to waiting for a lead who lost sight of it.
@shared_task(ignore_result=True)
def remind_uncovered_vacancies() -> None:
    now = timezone.now()
    reminders_sweep()
    vacancies_remind(now=now)
