"""The confirmations asked before an account is closed."""

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.core import context
from django import forms

from apps.accounts.forms import MFAReauthenticateForm
from apps.accounts.models import User
from apps.accounts.selectors import user_has_authenticator_app

REFUSED = "The password is not right. Your account has not been closed."
REFUSED_CODE = "The code is not right, or it has been used. Your account has not been closed."


class CloseAccountForm(forms.Form):
    """The person's current password, and a code from their authenticator app when they use two-factor
    authentication. A wrong password is counted against the same limits as a wrong password at sign-in
    (allauth's `login_failed`), so this page is no way round them."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    code = forms.CharField(
        label="A code from your authenticator app",
        help_text="Or one of your recovery codes.",
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": "Enter a code from your authenticator app"},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user_has_authenticator_app(user=user):
            del self.fields["code"]

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        # allauth's authenticate: the sign-in rate limits apply (too many wrong tries is its own message).
        found = get_adapter().authenticate(context.request, email=self.user.email, password=password)
        if found is None or found.pk != self.user.pk:
            raise forms.ValidationError(REFUSED, code="wrong_password")
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The code is checked (and spent) only once the password is right: a wrong password costs no code.
        if "code" in self.fields and "password" in cleaned and cleaned.get("code"):
            second = MFAReauthenticateForm(data={"code": cleaned["code"]}, user=self.user)
            if not second.is_valid():
                self.add_error("code", REFUSED_CODE)
        return cleaned


class CloseSomeoneForm(forms.Form):
    """An administrator confirms that the person asked. Nothing else to type: their request is the authority."""

    confirm = forms.BooleanField(
        label="They asked us to close their account",
        error_messages={"required": "Confirm that they asked us to close their account"},
    )
