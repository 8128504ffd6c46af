"""Celery tasks for mentoring: computing a big match round away from the organiser's request; lapsing proposals
nobody answered in time."""

import logging

from celery import shared_task
from django.utils import timezone

from .services.proposals import proposals_expire
from .services.rounds import round_compute, round_failed

logger = logging.getLogger(__name__)


# acks_late: a worker that dies mid-computation leaves the task to be redelivered; round_compute does nothing
# for a round that is no longer "running", so a second delivery after success is harmless.
@shared_task(acks_late=True, ignore_result=True)
def compute_match_round(round_id: int) -> None:
    try:
        round_compute(round_id=round_id)
    except Exception as error:  # the organiser must see that it failed, not a round "being computed" forever
        logger.exception("Match round %s failed", round_id)
        round_failed(round_id=round_id, error=f"{type(error).__name__}: {error}")


# Safe to run twice or late: each proposal lapses once, under its row lock, and a late run lapses what was due.
@shared_task(ignore_result=True)
def expire_mentoring_proposals() -> None:
    proposals_expire(now=timezone.now())
