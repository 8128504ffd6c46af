from typing import Any

from django import forms
from django.core.validators import validate_email
from django.db.models import Q

from apps.organisations.models import Region, Sector

from .models import MentoringKind, Mode, OutsidePreference, Scheme, SectorPreference


def _joinable_schemes(current: Any) -> Any:
    """Open schemes, and any the person is already in (closing a scheme does not drop its members)."""
    ids = [scheme.pk for scheme in current or []]
    return Scheme.objects.filter(Q(open_to_requests=True) | Q(pk__in=ids)).order_by("name")


def _criteria_choices(criteria: Any) -> list[tuple[str, str]]:
    return [(c.code, f"{c.code}: {c.title}") for c in criteria]


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def _model_field(form: forms.Form, name: str) -> forms.ModelChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class OfferForm(forms.Form):
    capacity = forms.IntegerField(
        label="How many mentees can you take on at a time?",
        min_value=1,
        max_value=4,
        help_text="Between 1 and 4.",
        error_messages={
            "min_value": "Take on at least 1 mentee",
            "max_value": "Take on no more than 4 mentees at a time",
            "required": "Say how many mentees you can take on",
            "invalid": "Enter a whole number",
        },
    )
    kind = forms.ChoiceField(label="What do you offer?", choices=MentoringKind.choices, widget=forms.RadioSelect)
    expertise = forms.MultipleChoiceField(
        label="What can you help with?", required=False, widget=forms.CheckboxSelectMultiple
    )
    sectors = forms.ModelMultipleChoiceField(
        label="Which sectors do you know?",
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = forms.ModelMultipleChoiceField(
        label="Which regions do you know?",
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    modes = forms.MultipleChoiceField(
        label="How can you meet?",
        choices=Mode.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one way you can meet"},
    )
    outside_own_organisation = forms.BooleanField(label="I will mentor people from other organisations", required=False)
    paused = forms.BooleanField(label="Pause my offer for now (no new matches)", required=False)
    schemes = forms.ModelMultipleChoiceField(
        label="Mentoring schemes you mentor for (optional)",
        queryset=Scheme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Organisers include you in their schemes' match rounds. Anyone can still ask you directly.",
    )

    def __init__(self, *args: Any, criteria: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "expertise").choices = _criteria_choices(criteria)
        current = kwargs.get("initial", {}).get("schemes")
        _model_field(self, "schemes").queryset = _joinable_schemes(current)


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label="What are you looking for?", choices=MentoringKind.choices, widget=forms.RadioSelect)
    focus = forms.MultipleChoiceField(
        label="Which criteria would you like help with?", required=False, widget=forms.CheckboxSelectMultiple
    )
    focus_text = forms.CharField(
        label="Anything else you would like help with (optional)",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="If you join a scheme, its organisers see this when they review matches.",
    )
    outside = forms.ChoiceField(
        label="From your organisation or outside it?", choices=OutsidePreference.choices, widget=forms.RadioSelect
    )
    sector_preference = forms.ChoiceField(
        label="Which sector?", choices=SectorPreference.choices, widget=forms.RadioSelect
    )
    same_region = forms.BooleanField(label="I would prefer someone who knows my region", required=False)
    modes = forms.MultipleChoiceField(
        label="How would you like to meet?",
        choices=Mode.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one way to meet"},
    )
    line_manager_email = forms.EmailField(
        label="Your line manager's e-mail address (optional)",
        required=False,
        max_length=254,
        help_text="You will never be matched with your line manager.",
        error_messages={
            "invalid": "Enter an e-mail address like name@nhs.net",
            "max_length": "Enter an e-mail address of 254 characters or fewer",
        },
    )
    scheme = forms.ModelChoiceField(
        label="Are you part of a mentoring scheme? (optional)",
        queryset=Scheme.objects.none(),
        required=False,
        empty_label="No, or I am not sure",
        help_text="If your region or organisation runs one, its organisers will include you in their match rounds.",
    )
    excluded_emails = forms.CharField(
        label="Anyone you must not be matched with (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Their e-mail addresses, one per line. Nobody is told.",
    )

    def __init__(self, *args: Any, criteria: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "focus").choices = _criteria_choices(criteria)
        current = kwargs.get("initial", {}).get("scheme")
        _model_field(self, "scheme").queryset = _joinable_schemes([current] if current else [])

    def clean_excluded_emails(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["excluded_emails"].splitlines() if line.strip()]
        for line in lines:
            try:
                validate_email(line)
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"“{line}” is not an e-mail address: put one address on each line"
                ) from None
        return lines
