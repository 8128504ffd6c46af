"""Celery tasks for "talk to someone in the role": lapsing requests nobody answered within 14 days."""

from celery import shared_task
from django.utils import timezone

from .services import requests_expire


# Safe to run twice or late: each request lapses once, under its row lock, and a late run lapses what was due.
@shared_task(ignore_result=True)
def expire_shadowing_requests() -> None:
    requests_expire(now=timezone.now())
