from allauth.core.internal.cryptokit import normalize_user_code
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.models import Authenticator
from django import forms
from django.core.cache import cache

from apps.organisations.models import Organisation

from .models import Role, User

ROLE_PROBLEM = "Choose a role and whether to grant or revoke it."


class RoleChangeForm(forms.Form):
    """A role to grant or revoke. An organisation lead is granted for one organisation, named by its ODS code (the
    code every NHS organisation is known by, shown in the directory); no other role takes one. Whether the
    organisation is open is role_grant's rule."""

    role = forms.ChoiceField(choices=Role.choices, error_messages={"invalid_choice": "Choose a role from the list."})
    action = forms.ChoiceField(choices=[("grant", "Grant"), ("revoke", "Revoke")])
    ods_code = forms.CharField(
        label="ODS code, for an organisation lead",
        required=False,
        max_length=10,
        error_messages={"max_length": "An ODS code is at most 10 characters, for example RXT or RWK."},
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        code = (data.get("ods_code") or "").upper()
        data["organisation"] = None
        if data.get("action") != "grant" or "role" not in data:
            return data  # revoking takes no organisation: a live grant is revoked wherever it is
        if data["role"] != Role.ORGANISATION_LEAD:
            if code:
                label = Role(data["role"]).label.lower()
                self.add_error("ods_code", f"Only an organisation lead is granted for an organisation, not {label}.")
            return data
        if not code:
            self.add_error("ods_code", "Enter the ODS code of the organisation they are to lead.")
            return data
        data["organisation"] = Organisation.objects.filter(ods_code__iexact=code).first()
        if data["organisation"] is None:
            self.add_error("ods_code", f"No organisation has the ODS code {code}; check it in the directory.")
        return data

    def problem(self) -> str:
        """What to say when the form is refused: the ODS code's own message, else the general one."""
        return str(self.errors["ods_code"][0]) if "ods_code" in self.errors else ROLE_PROBLEM


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
