"""The one form for sharing a record: choose from the people you work with, or give someone else's address."""

from typing import Any

from django import forms

SOMEONE_ELSE = "else"


class ShareWithForm(forms.Form):
    person = forms.ChoiceField(
        label="Who would you like to share it with?",
        widget=forms.RadioSelect,
        required=False,  # an address typed without choosing "Someone else" says who just as well (clean)
        error_messages={"invalid_choice": "Choose someone from the list"},
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
        self._addresses = {key: email for key, _, email in colleagues}
        choices = [(key, label) for key, label, _ in colleagues]
        self.fields["person"].choices = [*choices, (SOMEONE_ELSE, "Someone else")]  # type: ignore[attr-defined]
        if not colleagues:  # nobody to choose from: just the address
            self.fields["person"].widget = forms.HiddenInput()
            self.initial["person"] = SOMEONE_ELSE

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "person" in self.errors or "email" in self.errors:
            return data
        if not data.get("person") and not data.get("email") and self._addresses:
            self.add_error("person", "Choose who to share it with")
        elif data.get("person") in ("", SOMEONE_ELSE) and not data.get("email"):
            self.add_error("email", "Enter their e-mail address")
        elif not data.get("person"):
            data["person"] = SOMEONE_ELSE
        return data

    def address(self) -> str:
        person = self.cleaned_data["person"]
        return str(self.cleaned_data["email"] if person == SOMEONE_ELSE else self._addresses[person])
