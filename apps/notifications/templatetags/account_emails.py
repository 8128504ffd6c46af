"""Account e-mails in templates: their text as HTML paragraphs, and how the last one asked for in this browser
session is getting on (the "confirm your address" page tells the person when the mail server refused it)."""

import re
from typing import Any

from django import template
from django.utils import timezone

from apps.accounts.adapters import ACCOUNT_EMAIL_SESSION_KEY

from ..selectors import AccountEmailDelivery, account_email_delivery

register = template.Library()


@register.filter
def paragraphs(text: str) -> list[str]:
    """Plain text split where a blank line is, each paragraph stripped."""
    return [part.strip() for part in re.split(r"\n\s*\n", str(text)) if part.strip()]


@register.simple_tag(takes_context=True)
def last_account_email(context: dict[str, Any]) -> AccountEmailDelivery | None:
    """`{% last_account_email as delivery %}`: None when this session has not asked for one."""
    request = context.get("request")
    session = getattr(request, "session", None)
    key = session.get(ACCOUNT_EMAIL_SESSION_KEY) if session is not None else None
    return account_email_delivery(dedupe_key=key, now=timezone.now()) if key else None
