"""allauth hooks: where people land after signing up and confirming their e-mail, what account e-mails call the
portal, and how they leave: through the notifications outbox, never straight to the mail server in the request.

A mail server that refuses or hangs must not turn a sign-up or a password reset into a 500, and must not leave
an account made with no e-mail on its way: the e-mail is rendered here as allauth would send it and handed to
the outbox, which sends it straight after commit and retries a refusal. The outbox lives in notifications, above
this app, so it registers itself here when it loads (`account_email_outbox_register`), as features register
colleague providers: imports keep pointing down.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from .models import User

# The outbox key of the last account e-mail this browser session asked for, so that the "confirm your address"
# page can say whether it has gone (notifications' `last_account_email` template tag reads it).
ACCOUNT_EMAIL_SESSION_KEY = "account_email_key"


class AccountEmailOutbox(Protocol):
    def __call__(self, *, address: str, subject: str, heading: str, text: str, html: str, now: datetime) -> str:
        """Queue the rendered e-mail in the caller's transaction; return its outbox key."""
        ...


_outbox: list[AccountEmailOutbox] = []


def account_email_outbox_register(outbox: AccountEmailOutbox) -> None:
    _outbox[:] = [outbox]


@dataclass(frozen=True)
class PortalSite:
    """What allauth's e-mails call `current_site`. Without django.contrib.sites allauth names the site after the
    request's host, so people read "Hello from 127.0.0.1:8102!"; they should read the portal's name."""

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(name=settings.PORTAL_NAME, domain=urlsplit(settings.PORTAL_BASE_URL).netloc)


def _bodies(message: EmailMessage) -> tuple[str, str]:
    """(text, html) of a message allauth rendered: text with an HTML alternative, or either one alone."""
    if isinstance(message, EmailMultiAlternatives):
        html = next((str(content) for content, mimetype in message.alternatives if mimetype == "text/html"), "")
        return str(message.body), html
    if message.content_subtype == "html":
        return "", str(message.body)
    return str(message.body), ""


class AccountAdapter(DefaultAccountAdapter):
    def get_email_verification_redirect_url(self, email_address: EmailAddress) -> str:
        # A new person confirms their address and goes straight on to complete their profile.
        return reverse("profiles:edit")

    def clean_email(self, email: str) -> str:
        """allauth's forms take an address of up to 320 characters; the column and the outbox that sends account
        e-mails hold 254. Without this a longer one was a 500 at sign-up and at "forgot your password" (whose
        e-mail to an unknown address goes through the outbox too), instead of a message on the field."""
        limit = User._meta.get_field("email").max_length
        if limit is not None and len(email) > limit:
            raise ValidationError(f"Enter an e-mail address of {limit} characters or fewer", code="max_length")
        return super().clean_email(email)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return reverse("profiles:edit")

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render the e-mail as allauth does (its templates, with the portal's name and contact address) and
        put it in the outbox instead of sending it."""
        if not _outbox:
            raise ImproperlyConfigured("No outbox for account e-mails: is apps.notifications installed?")
        request = allauth_context.request
        portal = {
            "current_site": portal_site(),
            "portal_name": settings.PORTAL_NAME,
            "portal_contact_email": settings.PORTAL_CONTACT_EMAIL,
        }
        message = self.render_mail(template_prefix, email, {"request": request, "email": email, **context, **portal})
        text, html = _bodies(message)
        key = _outbox[0](
            address=email,
            subject=message.subject,
            heading=message.subject.removeprefix(self.format_email_subject("")),
            text=text,
            html=html,
            now=timezone.now(),
        )
        session = getattr(request, "session", None)
        if session is not None:
            session[ACCOUNT_EMAIL_SESSION_KEY] = key
