"""Celery tasks: thin wrappers that run the dispatcher. Beat schedules both in config/settings/base.py."""

from celery import shared_task

from .dispatch import dispatch_digests, dispatch_due


# acks_late is off: a dispatch run that dies is not worth redelivering, because the outbox rows it held are
# taken over by the next run once their lease ends.
@shared_task(acks_late=False, ignore_result=True)
def dispatch_due_reminders() -> dict[str, int]:
    return dispatch_due().as_dict()


@shared_task(acks_late=False, ignore_result=True)
def dispatch_daily_digests() -> dict[str, int]:
    return dispatch_digests().as_dict()
