from typing import Any

from django import forms
from django.utils import timezone

from apps.common.fields import DateField
from apps.competencies.models import Criterion
from apps.profiles.models import LeadershipLevel

from .models import Goal, GoalStatus


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
    starts_on = DateField(
        label="Start", error_messages={"required": "Enter the start date", "invalid": "Enter a real date"}
    )
    ends_on = DateField(
        label="End",
        help_text="A year is usual: it matches your appraisal.",
        error_messages={"required": "Enter the end date", "invalid": "Enter a real date"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        today = timezone.localdate()
        # A calendar year, not 365 days: across 29 February, 365 days falls a day short of the fourth quarterly review.
        next_year = today.replace(year=today.year + 1, day=28) if (today.month, today.day) == (2, 29) else None
        ends = next_year or today.replace(year=today.year + 1)
        kwargs.setdefault("initial", {}).update({"starts_on": today, "ends_on": ends})
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
    target_date = DateField(
        label="Target date",
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


class RecordForm(forms.Form):
    """What a piece of evidence or a reflection is about: the plan, a goal, an activity or a criterion."""

    about = forms.ChoiceField(label="What is it about?", error_messages={"invalid_choice": "Choose from the list"})

    def __init__(self, *args: Any, plan: Any, criteria: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("plan", "The plan as a whole")]
        choices.append(("Goals", [(f"goal:{g.pk}", g.title) for g in plan.goals.all()]))
        choices.append(("Activities", [(f"activity:{a.pk}", a.title) for a in plan.activities.all()]))
        choices.append(("Criteria", [(f"criterion:{c.pk}", f"{c.code}: {c.title}") for c in criteria]))
        self.fields["about"].choices = [c for c in choices if not isinstance(c[1], list) or c[1]]  # type: ignore[attr-defined]
        self.order_fields(["about"])


class ReflectionForm(RecordForm):
    title = forms.CharField(max_length=200, label="Title", error_messages={"required": "Enter a title"})
    written_on = DateField(
        label="When did it happen?",
        error_messages={"required": "Enter the date", "invalid": "Enter a real date"},
    )
    what_happened = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What happened?",
        error_messages={"required": "Say what happened"},
    )
    so_what = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="So what? What did it mean, and what did you learn?",
        error_messages={"required": "Say what it meant and what you learned"},
    )
    now_what = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Now what? What will you do differently?",
        error_messages={"required": "Say what you will do differently"},
    )


class PlanEvidenceForm(RecordForm):
    kind = forms.ChoiceField(
        choices=[("text", "A note"), ("link", "A link"), ("file", "A document")],
        widget=forms.RadioSelect,
        label="What kind of evidence?",
        error_messages={"required": "Choose a note, a link or a document"},
    )
    title = forms.CharField(
        max_length=200, label="Title", error_messages={"required": "Enter a title for your evidence"}
    )
    text = forms.CharField(
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Note (optional for links and documents)",
    )
    url = forms.CharField(required=False, max_length=1000, label="Link (for a link)")
    file = forms.FileField(
        required=False,
        label="Document (for a document)",
        help_text="PDF, Word, Excel, PowerPoint, OpenDocument text, PNG, JPEG or plain text, up to 10 MB.",
    )


class ActivityForm(forms.Form):
    title = forms.CharField(
        max_length=200, label="What will you do?", error_messages={"required": "Enter what you will do"}
    )
    goal: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Goal.objects.none(),
        required=False,
        label="Which goal is it for? (optional)",
        empty_label="None: it is for the plan as a whole",
        error_messages={"invalid_choice": "Choose a goal from the list"},
    )
    provider = forms.CharField(max_length=200, required=False, label="Provider (optional)")
    starts_on = DateField(required=False, label="Start (optional)", error_messages={"invalid": "Enter a real date"})
    ends_on = DateField(required=False, label="End (optional)", error_messages={"invalid": "Enter a real date"})

    def __init__(self, *args: Any, goals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The end must be on or after the start")
        return data
