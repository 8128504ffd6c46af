"""Celery tasks for profiles: the community overview's counts checked every few minutes, so that no organiser's
view recounts every profile (issue 20)."""

from celery import shared_task
from django.utils import timezone

from .community_counts import renew_community_counts as renew


# Safe to run twice or late: it stores new counts only once at least 5 people changed since the stored ones.
@shared_task(ignore_result=True)
def renew_community_counts() -> None:
    renew(now=timezone.now())
