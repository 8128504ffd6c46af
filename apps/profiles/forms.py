from typing import Any, cast

from django import forms
from django.db.models import Q

from apps.common.fields import NameChoiceField
from apps.organisations.models import Organisation

from .models import DiversityInformation, Profile

# Each required field's own message, naming it: an error summary of "This field is required." twice tells a
# person nothing about which fields to fix.
REQUIRED_MESSAGES = {
    "first_name": "Enter your first name",
    "last_name": "Enter your last name",
    "profession": "Choose your profession",
    "career_role": "Choose your current role",
    "organisation": "Choose your organisation",
    "career_aim": "Choose your next career aim",
}
CHOICE_MESSAGES = {
    "profession": "Choose your profession from the list",
    "career_role": "Choose your current role from the list",
    "specialty": "Choose your specialty from the list",
    "organisation": "Choose your organisation from the list",
    "sector": "Choose your sector from the list",
    "region": "Choose your NHS region from the list",
    "working_pattern": "Choose full time or part time",
    "career_aim": "Choose your next career aim from the list",
    "career_aim_when": "Choose when from the list",
}
PA_MESSAGE = "Enter a number of PAs from 0 to 16, for example 2.5"
YEARS_MESSAGE = "Enter a whole number of years from 0 to 50, for example 5"


def _set_choices(form: forms.BaseForm, name: str, *, placeholder: str = "") -> None:
    """Drop the model's blank choice (radios need none) or replace it with a prompt (selects need one)."""
    field = cast(forms.ChoiceField, form.fields[name])
    options: list[tuple[Any, Any]] = [c for c in field.choices if c[0]]  # type: ignore[union-attr, index, misc]
    field.choices = [("", placeholder), *options] if placeholder else options


def _name_every_error(form: forms.BaseForm) -> None:
    """Messages that name the field and say what to do, for every way the profile form can be wrong."""
    fields = form.fields
    for name, message in REQUIRED_MESSAGES.items():
        fields[name].error_messages["required"] = message
    for name, message in CHOICE_MESSAGES.items():
        fields[name].error_messages["invalid_choice"] = message
    for name, label, limit in (("first_name", "first name", 100), ("last_name", "last name", 100)):
        fields[name].error_messages["max_length"] = f"Enter a {label} of {limit} characters or fewer"
    fields["job_title"].error_messages["max_length"] = "Enter a job title of 150 characters or fewer"
    for name in ("clinical_pas", "leadership_pas"):
        for code in ("invalid", "min_value", "max_value", "max_digits", "max_decimal_places", "max_whole_digits"):
            fields[name].error_messages[code] = PA_MESSAGE
    for code in ("invalid", "min_value", "max_value"):
        fields["years_in_leadership"].error_messages[code] = YEARS_MESSAGE


class ProfileForm(forms.ModelForm):
    first_name = forms.CharField(max_length=100, label="First name")
    last_name = forms.CharField(max_length=100, label="Last name")

    class Meta:
        model = Profile
        fields = [
            "profession",
            "career_role",
            "job_title",
            "specialty",
            "organisation",
            "sector",
            "region",
            "years_in_leadership",
            "clinical_pas",
            "leadership_pas",
            "working_pattern",
            "career_aim",
            "career_aim_when",
        ]
        widgets = {
            "profession": forms.RadioSelect,
            "working_pattern": forms.RadioSelect,
            "career_aim_when": forms.RadioSelect,
        }
        labels = {"region": "NHS region"}
        field_classes = {"organisation": NameChoiceField}
        help_texts = {
            "career_role": "Pick the nearest: titles differ between organisations.",
            "clinical_pas": "A programmed activity (PA) is a 4-hour block in your job plan.",
            "organisation": "Your main employer.",
            # The service takes both from the organisation when they are left blank (profiles.services).
            "sector": "Leave this blank to use your organisation's sector, if it works in only one.",
            "region": "Leave this blank to use your organisation's NHS region.",
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        current = self.instance.organisation_id if self.instance and self.instance.pk else None
        # Closed organisations are offered only to someone whose profile already names one.
        cast(NameChoiceField, self.fields["organisation"]).queryset = Organisation.objects.filter(
            Q(closed_on__isnull=True) | Q(pk=current)
        ).order_by("name")
        for name in ("career_role", "organisation", "career_aim"):
            self.fields[name].required = True
        _set_choices(self, "career_role", placeholder="Choose your current role")
        _set_choices(self, "career_aim", placeholder="Choose your next career aim")
        _set_choices(self, "working_pattern")
        _set_choices(self, "career_aim_when")
        cast(forms.ModelChoiceField, self.fields["organisation"]).empty_label = "Choose your organisation"
        cast(forms.ModelChoiceField, self.fields["sector"]).empty_label = "Your organisation's sector"
        cast(forms.ModelChoiceField, self.fields["region"]).empty_label = "Your organisation's NHS region"
        _name_every_error(self)
        self.order_fields(["first_name", "last_name", *self.Meta.fields])


class DiversityForm(forms.ModelForm):
    class Meta:
        model = DiversityInformation
        fields = ["age_band", "gender", "ethnic_group", "disability"]
        widgets = {name: forms.RadioSelect for name in fields}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, field in self.fields.items():
            field.required = False
            _set_choices(self, name)
