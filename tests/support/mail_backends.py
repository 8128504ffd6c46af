"""An e-mail backend for tests that drive real Celery worker processes: each message becomes one file in
TEST_MAIL_DIR, named after its Message-ID, so the test process can count deliveries (and duplicates) across
processes. TEST_MAIL_DELAY_SECONDS slows each send, so a test can kill a worker in the middle of a batch.
`RefusingBackend` is a mail server that is up but turns every message away."""

import os
import smtplib
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class FilePerMessageBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        folder = Path(os.environ["TEST_MAIL_DIR"])
        delay = float(os.environ.get("TEST_MAIL_DELAY_SECONDS", "0"))
        for message in email_messages:
            time.sleep(delay)
            message_id = str(message.extra_headers.get("Message-ID", uuid.uuid4().hex)).strip("<>")
            # One file per delivery: a second delivery of the same reminder is a second file.
            (folder / f"{message_id}.{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(email_messages)


class RefusingBackend(BaseEmailBackend):
    """A mail server that answers every message with 451 (try again later), as smtplib reports it. Counts the
    messages it was offered, so a test can tell whether a request talked to the mail server at all."""

    offered = 0

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        RefusingBackend.offered += len(email_messages)
        raise smtplib.SMTPResponseException(451, b"4.3.0 Mail server temporarily rejected message")
