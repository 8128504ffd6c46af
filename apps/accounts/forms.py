from allauth.core.internal.cryptokit import normalize_user_code
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.models import Authenticator
from django import forms
from django.core.cache import cache

from .models import Role, User


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, error_messages={"invalid_choice": "Choose a role from the list."})
    action = forms.ChoiceField(choices=[("grant", "Grant"), ("revoke", "Revoke")])


class PeopleSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search by name or e-mail")


class DirectorySearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search by name, ODS code or postcode")
    closed = forms.BooleanField(required=False, label="Include closed organisations")


def _spend_totp_code(*, user: User, authenticator: Authenticator, code: str) -> str:
    """Refuse an authenticator-app code that was used before, for as long as it would still be accepted.

    With MFA_TOTP_TOLERANCE a code is accepted in (2 x tolerance + 1) periods, but allauth remembers a used code
    for one period only: without this, a code seen over someone's shoulder would work again 30 seconds later.
    `cache.add` is atomic, so of two sign-ins racing with one code only one gets through."""
    if authenticator.type != Authenticator.Type.TOTP:
        return code  # a recovery code is spent by allauth for good
    accepted_for = (2 * mfa_settings.TOTP_TOLERANCE + 1) * mfa_settings.TOTP_PERIOD
    key = f"accounts.totp.spent:{user.pk}:{normalize_user_code(code)}"
    if not cache.add(key, "spent", timeout=accepted_for):
        raise get_mfa_adapter().validation_error("incorrect_code")
    return code


class MFAAuthenticateForm(AuthenticateForm):
    """The code asked for at sign-in (settings.MFA_FORMS)."""

    def clean_code(self) -> str:
        code = super().clean_code()
        return _spend_totp_code(user=self.user, authenticator=self.authenticator, code=code)


class MFAReauthenticateForm(ReauthenticateForm):
    """The code asked for before a sensitive change (settings.MFA_FORMS)."""

    def clean_code(self) -> str:
        code = super().clean_code()
        return _spend_totp_code(user=self.user, authenticator=self.authenticator, code=code)
