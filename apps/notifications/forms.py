from django import forms

from .kinds import Kind
from .selectors import MODE_LABELS


class PreferencesForm(forms.Form):
    """One set of radios per kind: immediately, in the daily summary, or off."""

    def __init__(self, *args: object, preferences: list[tuple[Kind, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for kind, mode in preferences:
            self.fields[kind.code] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=list(MODE_LABELS.items()),
                initial=mode,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose how to hear about: {kind.label.lower()}",
                    "invalid_choice": "Choose immediately, in a daily summary, or off",
                },
            )
