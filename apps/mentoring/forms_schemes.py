from typing import Any

from django import forms
from django.core.validators import validate_email
from django.db.models import QuerySet

from .models import RoundPair

WEIGHT_LABELS = {
    "weight_focus": "Help with the mentee's focus areas",
    "weight_outside": "Outside the mentee's organisation, when they preferred that",
    "weight_sector": "Sector as the mentee wished",
    "weight_region": "Knows the mentee's region, when they wanted that",
    "weight_career": "Further up the leadership ladder than the mentee",
    "weight_mode": "Can meet the way the mentee prefers",
}


def _weight_field(label: str) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4", "step": "any"}),
        error_messages={
            "required": "Give a weight from 0 to 100",
            "invalid": "Enter a number from 0 to 100",
            "min_value": "A weight cannot be below 0",
            "max_value": "A weight cannot be above 100",
        },
    )


class SchemeForm(forms.Form):
    name = forms.CharField(
        label="Name of the scheme", max_length=120, error_messages={"required": "Enter a name for the scheme"}
    )
    description = forms.CharField(
        label="Who it is for and how it works (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    open_to_requests = forms.BooleanField(label="Open for mentees and mentors to join", required=False)
    weight_focus = _weight_field(WEIGHT_LABELS["weight_focus"])
    weight_outside = _weight_field(WEIGHT_LABELS["weight_outside"])
    weight_sector = _weight_field(WEIGHT_LABELS["weight_sector"])
    weight_region = _weight_field(WEIGHT_LABELS["weight_region"])
    weight_career = _weight_field(WEIGHT_LABELS["weight_career"])
    weight_mode = _weight_field(WEIGHT_LABELS["weight_mode"])
    co_organiser_emails = forms.CharField(
        label="Other organisers of this scheme (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Their e-mail addresses, one per line. They must hold the organiser role.",
    )

    def clean_co_organiser_emails(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["co_organiser_emails"].splitlines() if line.strip()]
        for line in lines:
            try:
                validate_email(line)
            except forms.ValidationError:
                message = f"“{line}” is not an e-mail address: put one address on each line"
                raise forms.ValidationError(message) from None
        return lines

    def weights(self) -> dict[str, float]:
        return {name: self.cleaned_data[name] for name in WEIGHT_LABELS}


# One form for each thing an organiser can do to a pair of a draft round (leaving a mentee unmatched needs no
# input, so it has none). Each says what to choose in the same words whatever was sent.
CHOOSE_MENTOR = "Choose a mentor from the list."
CHOOSE_OTHER = "Choose whose mentor to swap with."


class PairChangeForm(forms.Form):
    """Another mentor for the pair's mentee: whether the rules and room allow it is the service's to say."""

    mentor = forms.IntegerField(error_messages={"required": CHOOSE_MENTOR, "invalid": CHOOSE_MENTOR})


class PairSwapForm(forms.Form):
    """Another pair of the same round, whose mentor this pair's mentee takes (and the other way round)."""

    other = forms.ModelChoiceField(
        queryset=RoundPair.objects.none(),
        error_messages={"required": CHOOSE_OTHER, "invalid_choice": CHOOSE_OTHER},
    )

    def __init__(self, *args: Any, pairs: QuerySet[RoundPair], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        other = self.fields["other"]
        assert isinstance(other, forms.ModelChoiceField)
        other.queryset = pairs
