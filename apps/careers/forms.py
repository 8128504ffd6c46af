"""The explorer's forms: they check input and say what is wrong in the person's words; the services write."""

from typing import Any, cast

from django import forms

from apps.common.fields import DateField
from apps.development.models import Plan
from apps.organisations.models import OrganisationKind, Sector
from apps.profiles.models import LeadershipLevel

from .models import RoleProfile, Step

LEVEL_CHOICES = [("", "None of these, or I am not sure"), *[(str(v), label) for v, label in LeadershipLevel.choices]]


def _level(value: str) -> int | None:
    return int(value) if value else None


class RoleHistoryForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        label="Job title",
        help_text="As your organisation called it, for example “Associate medical director for quality”.",
        error_messages={
            "required": "Enter the job title",
            "max_length": "The job title must be 200 characters or fewer",
        },
    )
    step = forms.ChoiceField(
        choices=Step.choices,
        widget=forms.RadioSelect,
        label="What kind of role was it?",
        error_messages={"required": "Choose the kind of role", "invalid_choice": "Choose a kind of role from the list"},
    )
    level = forms.TypedChoiceField(
        choices=LEVEL_CHOICES,
        coerce=_level,
        empty_value=None,
        required=False,
        label="Leadership level",
        help_text="Titles differ between organisations; the level says how senior the role was.",
        error_messages={"invalid_choice": "Choose a level from the list"},
    )
    organisation_kind = forms.ChoiceField(
        choices=[("", "Choose or leave empty"), *OrganisationKind.choices],
        required=False,
        label="Kind of organisation (optional)",
        error_messages={"invalid_choice": "Choose a kind of organisation from the list"},
    )
    sector = forms.ModelChoiceField(
        queryset=Sector.objects.all(),
        required=False,
        empty_label="Choose or leave empty",
        label="Sector (optional)",
        error_messages={"invalid_choice": "Choose a sector from the list"},
    )
    started_on = DateField(
        label="Started", error_messages={"required": "Enter the date you started", "invalid": "Enter a real date"}
    )
    ended_on = DateField(
        required=False,
        label="Ended",
        help_text="Leave empty if you are still in the role.",
        error_messages={"invalid": "Enter a real date"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", "The end date must be on or after the start date")
        return data


class RoutesConsentForm(forms.Form):
    counted = forms.TypedChoiceField(
        choices=[("no", "No, keep my history out of them"), ("yes", "Yes, count my history")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="Count my history in the portal's anonymous routes?",
        help_text="Only moves made by at least 5 people are shown, and never who made them. You can change this at "
        "any time; your choice takes effect when the figures are next worked out: at the start of a month once at "
        "least 5 people's histories have changed, and within 3 months if you stop.",
        error_messages={"required": "Choose yes or no", "invalid_choice": "Choose yes or no"},
    )


class CompareForm(forms.Form):
    roles = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label="Choose two or three roles to compare",
        error_messages={"required": "Choose two or three roles", "invalid_choice": "Choose roles from the list"},
    )

    def __init__(self, *args: Any, profiles: list[RoleProfile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["roles"]).choices = [(p.slug, p.title) for p in profiles]

    def clean_roles(self) -> list[str]:
        chosen = list(dict.fromkeys(self.cleaned_data["roles"]))
        if not 2 <= len(chosen) <= 3:
            raise forms.ValidationError("Choose two or three roles")
        return chosen


def _text_field(name: str, *, rows: int, max_length: int, required: bool = True) -> forms.CharField:
    label = str(getattr(RoleProfile._meta.get_field(name), "verbose_name", name))
    return forms.CharField(
        label=label[0].upper() + label[1:],
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"Enter {label.split(',')[0]}",
            "max_length": f"{label[0].upper() + label[1:].split(',')[0]}: at most {max_length} characters",
        },
    )


class RoleProfileForm(forms.Form):
    title = forms.CharField(
        max_length=120,
        label="Title",
        error_messages={"required": "Enter the title", "max_length": "The title must be 120 characters or fewer"},
    )
    level = forms.TypedChoiceField(
        choices=LEVEL_CHOICES,
        coerce=_level,
        empty_value=None,
        required=False,
        label="Leadership level",
        error_messages={"invalid_choice": "Choose a level from the list"},
    )
    summary = _text_field("summary", rows=4, max_length=3000)
    responsibilities = _text_field("responsibilities", rows=6, max_length=5000)
    portfolio = _text_field("portfolio", rows=3, max_length=3000, required=False)
    typical_pas = _text_field("typical_pas", rows=2, max_length=1000)
    reports_to = forms.CharField(
        max_length=300,
        label="Reports to",
        error_messages={"required": "Enter who the role reports to", "max_length": "At most 300 characters"},
    )
    hardest = _text_field("hardest", rows=4, max_length=3000)
    job_description = _text_field("job_description", rows=6, max_length=5000)
    person_specification = _text_field("person_specification", rows=4, max_length=3000)
    sources = _text_field("sources", rows=3, max_length=2000)
    # The version the administrator opened: if another has saved one since, the edit is refused, not laid over it.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": "This form is out of date: open the profile again to edit it.",
            "invalid": "This form is out of date: open the profile again to edit it.",
            "min_value": "This form is out of date: open the profile again to edit it.",
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Lines are what the pages list; spaces at their ends and empty lines are not part of what was meant.
        for name in ("responsibilities", "portfolio", "hardest", "person_specification", "sources"):
            if isinstance(data.get(name), str):
                data[name] = "\n".join(line.strip() for line in data[name].splitlines() if line.strip())
        return data


def _question(label: str, help_text: str) -> forms.CharField:
    """One of seed 003's questions: a private answer, as long as the person needs (up to 5,000 characters)."""
    return forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), label=label, help_text=help_text
    )


class RightTimeForm(forms.Form):
    attracts = _question(
        "What attracts you to the role?",
        "Do you understand what it entails, its opportunities and challenges? Are you keen to improve "
        "your organisation's culture and the quality of care? Are you ready to make an impact at a system level?",
    )
    experience = _question(
        "Do you have the right experience?",
        "Have you held a leadership role you found challenging and rewarding? Have you led quality "
        "improvement? What would your peers say about your leadership?",
    )
    timing = _question(
        "Is now the right time?",
        "Have you accomplished all you can in your current roles? Are you happy to give up some clinical "
        "time? Have you considered what might come after the medical director's role?",
    )
    support = _question(
        "Do you have support?",
        "Don't decide alone: what support will you need inside and outside work, and how will you get it?",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(str(data.get(name) or "").strip() for name in ("attracts", "experience", "timing", "support")):
            raise forms.ValidationError("Answer at least one of the questions before saving")
        return data


class RightTimeToPlanForm(forms.Form):
    plan = forms.TypedChoiceField(
        label="Which development plan?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a plan", "invalid_choice": "Choose one of your plans from the list"},
    )

    def __init__(self, *args: Any, plans: list[Plan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["plan"]).choices = [(p.pk, p.title) for p in plans]
