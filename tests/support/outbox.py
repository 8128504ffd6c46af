"""Sending what waits in the notifications outbox, as a worker does straight after a request commits.

Account e-mails (confirm an address, reset a password) leave through the outbox too, so a test that reads
`mail.outbox` after signing up calls `send_outbox()` first. Works where mail goes to Django's test outbox (locmem)."""

from apps.notifications.dispatch import DispatchReport, dispatch_due


def send_outbox() -> DispatchReport:
    return dispatch_due()
