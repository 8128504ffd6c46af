"""allauth hooks: where people land after signing up and confirming their e-mail, and what account e-mails call
the portal."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class PortalSite:
    """What allauth's e-mails call `current_site`. Without django.contrib.sites allauth names the site after the
    request's host, so people read "Hello from 127.0.0.1:8102!"; they should read the portal's name."""

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(name=settings.PORTAL_NAME, domain=urlsplit(settings.PORTAL_BASE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def get_email_verification_redirect_url(self, email_address: EmailAddress) -> str:
        # A new person confirms their address and goes straight on to complete their profile.
        return reverse("profiles:edit")

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return reverse("profiles:edit")

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        portal = {
            "current_site": portal_site(),
            "portal_name": settings.PORTAL_NAME,
            "portal_contact_email": settings.PORTAL_CONTACT_EMAIL,
        }
        super().send_mail(template_prefix, email, {**context, **portal})
