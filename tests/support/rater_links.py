"""A rater's private link as they get it: only in the e-mail, minted as it is sent."""

import re

from django.core import mail

from tests.support.outbox import send_outbox

LINK = re.compile(r"https?://[^/\s]+(/feedback/[A-Za-z0-9_-]+/)")


def rater_links_sent() -> dict[str, str]:
    """Send what is due, as the dispatcher does, and read each rater's link from their latest e-mail:
    {address: path}. Works where mail goes to Django's test outbox (locmem)."""
    send_outbox()
    links: dict[str, str] = {}
    for message in mail.outbox:
        found = LINK.search(str(message.body))
        if found:
            links[message.to[0]] = found.group(1)
    return links


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]
