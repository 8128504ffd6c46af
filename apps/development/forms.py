from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone

from apps.competencies.models import Criterion
from apps.profiles.models import LeadershipLevel

from .models import GoalStatus

DATE = forms.DateInput(attrs={"type": "date"})


class PlanForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        label="Name your plan",
        help_text="For example “Towards deputy medical director, 2026–27”.",
        error_messages={"required": "Enter a name for your plan"},
    )
    target_level = forms.TypedChoiceField(
        choices=LeadershipLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label="Which role are you aiming for?",
        error_messages={
            "required": "Choose the role you are aiming for",
            "invalid_choice": "Choose a role from the list",
        },
    )
    starts_on = forms.DateField(
        label="Start", widget=DATE, error_messages={"required": "Enter the start date", "invalid": "Enter a real date"}
    )
    ends_on = forms.DateField(
        label="End",
        widget=DATE,
        help_text="A year is usual: it matches your appraisal.",
        error_messages={"required": "Enter the end date", "invalid": "Enter a real date"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        today = timezone.localdate()
        kwargs.setdefault("initial", {}).update({"starts_on": today, "ends_on": today + timedelta(days=365)})
        super().__init__(*args, **kwargs)


class GoalForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        label="What do you want to achieve?",
        error_messages={"required": "Enter what you want to achieve"},
    )
    description = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), label="More detail (optional)"
    )
    measure = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="How will you know you have done it?",
        error_messages={"required": "Say how you will know you have done it"},
    )
    target_date = forms.DateField(
        label="Target date",
        widget=DATE,
        error_messages={"required": "Enter a target date", "invalid": "Enter a real date"},
    )
    criteria: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=Criterion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which criteria does it develop?",
        error_messages={
            "invalid_choice": "Choose criteria from the list",
            "invalid_pk_value": "Choose criteria from the list",
        },
    )
    status = forms.ChoiceField(
        choices=GoalStatus.choices,
        widget=forms.RadioSelect,
        label="Status",
        error_messages={"invalid_choice": "Choose a status from the list"},
    )

    def __init__(self, *args: Any, criteria: Any, with_status: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["criteria"]
        field.queryset = criteria  # type: ignore[attr-defined]
        field.label_from_instance = lambda c: f"{c.code}: {c.title}"  # type: ignore[attr-defined]
        if not with_status:
            del self.fields["status"]
