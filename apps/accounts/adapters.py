"""allauth hooks: where people land after signing up and confirming their e-mail."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.http import HttpRequest
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_email_verification_redirect_url(self, email_address: EmailAddress) -> str:
        # A new person confirms their address and goes straight on to complete their profile.
        return reverse("profiles:edit")

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return reverse("profiles:edit")
