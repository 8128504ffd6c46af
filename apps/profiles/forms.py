from typing import Any, cast

from django import forms
from django.db.models import Q

from apps.organisations.models import Organisation

from .models import DiversityInformation, Profile


def _set_choices(form: forms.BaseForm, name: str, *, placeholder: str = "") -> None:
    """Drop the model's blank choice (radios need none) or replace it with a prompt (selects need one)."""
    field = cast(forms.ChoiceField, form.fields[name])
    options: list[tuple[Any, Any]] = [c for c in field.choices if c[0]]  # type: ignore[union-attr, index, misc]
    field.choices = [("", placeholder), *options] if placeholder else options


class ProfileForm(forms.ModelForm):
    first_name = forms.CharField(max_length=100, label="First name")
    last_name = forms.CharField(max_length=100, label="Last name")

    class Meta:
        model = Profile
        fields = [
            "profession", "career_role", "job_title", "specialty", "organisation", "sector", "region",
            "years_in_leadership", "clinical_pas", "leadership_pas", "working_pattern", "career_aim",
            "career_aim_when",
        ]
        widgets = {
            "profession": forms.RadioSelect,
            "working_pattern": forms.RadioSelect,
            "career_aim_when": forms.RadioSelect,
        }
        help_texts = {
            "career_role": "Pick the nearest: titles differ between organisations.",
            "clinical_pas": "A programmed activity (PA) is a 4-hour block in your job plan.",
            "organisation": "Your main employer.",
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        current = self.instance.organisation_id if self.instance and self.instance.pk else None
        # Closed organisations are offered only to someone whose profile already names one.
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = Organisation.objects.filter(
            Q(closed_on__isnull=True) | Q(pk=current)
        ).order_by("name")
        for name in ("career_role", "organisation", "sector", "region", "career_aim"):
            self.fields[name].required = True
        _set_choices(self, "career_role", placeholder="Choose your current role")
        _set_choices(self, "career_aim", placeholder="Choose your next career aim")
        _set_choices(self, "working_pattern")
        _set_choices(self, "career_aim_when")
        for name in ("clinical_pas", "leadership_pas"):
            for code in ("min_value", "max_value"):
                self.fields[name].error_messages[code] = "Enter a number of PAs from 0 to 16, for example 2.5"
        self.fields["years_in_leadership"].error_messages["max_value"] = "Enter a number of years from 0 to 50"
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
