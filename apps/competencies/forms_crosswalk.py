"""The crosswalk pages' forms: which two frameworks to compare, and what one criterion maps to."""

from typing import Any

from django import forms

from .models import Criterion, Framework


class CrosswalkPickForm(forms.Form):
    """Two different frameworks, by slug (the latest version of each is shown)."""

    first = forms.ChoiceField(
        label="Criteria of", error_messages={"invalid_choice": "Choose a framework from the list"}
    )
    second = forms.ChoiceField(label="Mapped to", error_messages={"invalid_choice": "Choose a framework from the list"})

    def __init__(self, *args: Any, frameworks: list[Framework], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(f.slug, f.name) for f in frameworks]
        for name in ("first", "second"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") and data.get("first") == data.get("second"):
            self.add_error("second", "Choose a different framework to map to: a framework does not map to itself")
        return data


class CriterionLinksForm(forms.Form):
    """What one criterion maps to in another framework: a box per criterion of that framework."""

    codes = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose criteria from the list: “%(value)s” is not one of them"},
    )

    def __init__(self, *args: Any, criteria: list[Criterion], other: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["codes"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(c.code, f"{c.code}: {c.title}") for c in criteria]
        self.fields["codes"].label = f"Which criteria of {other.name} does it correspond to?"
        self.fields["codes"].help_text = "Select all that ask for the same thing. Select none if nothing does."
