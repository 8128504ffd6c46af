"""The one form for sharing a record: choose from the people you work with, or give someone else's address."""

from typing import Any

from django import forms

SOMEONE_ELSE = "else"


class ShareWithForm(forms.Form):
    person = forms.ChoiceField(
        label="Who would you like to share it with?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who to share it with", "invalid_choice": "Choose someone from the list"},
    )
    email = forms.EmailField(
        label="Their e-mail address",
        required=False,
        max_length=254,
        help_text="The address they sign in to Stepping Up with.",
        error_messages={"invalid": "Enter an e-mail address like name@nhs.net"},
    )

    def __init__(self, *args: Any, colleagues: list[tuple[str, str, str]], **kwargs: Any) -> None:
        """`colleagues`: (id, "Dr A Jones, your mentor", e-mail address) for each person the owner works with. The
        page carries ids, not addresses."""
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.data.get("person") and self.data.get("email"):
            # An address typed without choosing "Someone else" first says who just as well.
            self.data = {**self.data.dict(), "person": SOMEONE_ELSE} if hasattr(self.data, "dict") else {
                **self.data,
                "person": SOMEONE_ELSE,
            }
        self._addresses = {key: email for key, _, email in colleagues}
        choices = [(key, label) for key, label, _ in colleagues]
        self.fields["person"].choices = [*choices, (SOMEONE_ELSE, "Someone else")]  # type: ignore[attr-defined]
        if not colleagues:  # nobody to choose from: just the address
            self.fields["person"].widget = forms.HiddenInput()
            self.fields["person"].required = False
            self.initial["person"] = SOMEONE_ELSE
            self.fields["email"].label = "Their e-mail address"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("person") and "person" not in self.errors:
            data["person"] = SOMEONE_ELSE
        if data.get("person") == SOMEONE_ELSE and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter their e-mail address")
        return data

    def address(self) -> str:
        person = self.cleaned_data["person"]
        return str(self.cleaned_data["email"] if person == SOMEONE_ELSE else self._addresses[person])
