"""Celery tasks for mentoring: computing a big match round away from the organiser's request."""

import logging

from celery import shared_task

from .rounds import round_compute, round_failed

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
