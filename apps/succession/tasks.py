"""Celery tasks for succession: the daily look for posts falling vacant within six months with no one ready."""

from celery import shared_task
from django.utils import timezone

from .services.vacancies import vacancies_remind


# Safe to run twice or late: each post, lead and vacancy date is named once (its reminder's key), and a late run
# names what is uncovered on the day it runs.
@shared_task(ignore_result=True)
def remind_uncovered_vacancies() -> None:
    vacancies_remind(now=timezone.now())
