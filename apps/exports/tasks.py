"""Celery tasks for downloads of a person's data: build one; tidy up (expire, queue lost requests again)."""

import logging

from celery import shared_task
from django.utils import timezone

from .services import export_build, export_failed, exports_tidy

logger = logging.getLogger(__name__)


# acks_late: a worker that dies mid-build leaves the task to be redelivered, and the build takes over the row
# (its lock died with the worker). A second delivery after success finds the download ready and does nothing.
@shared_task(acks_late=True, ignore_result=True)
def build_data_export(export_id: int) -> None:
    try:
        export_build(export_id=export_id, now=timezone.now())
    except Exception as error:  # the person must see that it failed, not "being prepared" for ever
        logger.exception("Data export %s failed", export_id)
        export_failed(export_id=export_id, error=f"{type(error).__name__}: {error}")


# Safe to run twice or late: each expired download is deleted once, under its row lock.
@shared_task(ignore_result=True)
def tidy_data_exports() -> None:
    tidied = exports_tidy(now=timezone.now())
    if tidied.expired or tidied.queued_again or tidied.given_up or tidied.orphans_deleted:
        logger.info(
            "Data exports: %s expired, %s queued again, %s given up, %s files without a download deleted",
            tidied.expired,
            len(tidied.queued_again),
            tidied.given_up,
            tidied.orphans_deleted,
        )
