"""Forms for talent conversations: they check input and say what is wrong in the person's words; the services
write (and check the dates again against the time they are given)."""

from datetime import date
from typing import Any, cast

from django import forms
from django.utils import timezone

from apps.common.fields import DateField
from apps.development.models import Plan

TEXT_MAX = 3000


def _text(label: str, help_text: str, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={"max_length": f"{label}: keep it to {TEXT_MAX} characters or fewer"},
    )


class ConversationForm(forms.Form):
    held_on = DateField(
        label="When did you meet?",
        error_messages={"required": "Enter the date you met", "invalid": "Enter the date you met as a real date"},
    )
    aspiration = _text("Aspiration", "What they want to do next, and when.")
    strengths = _text("Strengths", "What they do well, in the examples you talked about.")
    to_develop = _text("What to develop", "What would make them ready, and what would help.")
    next_steps = _text(
        "Agreed next steps",
        "One a line. Each can become a goal in their development plan.",
        rows=5,
    )
    meet_again_on = DateField(
        label="Meet again on (optional)",
        required=False,
        help_text="You are both reminded that morning.",
        error_messages={"invalid": "Enter the date to meet again as a real date"},
    )

    def clean_held_on(self) -> date:
        held_on = cast(date, self.cleaned_data["held_on"])
        if held_on > timezone.localdate():
            raise forms.ValidationError("The date you met cannot be in the future", code="future")
        return held_on

    def clean_meet_again_on(self) -> date | None:
        day = cast(date | None, self.cleaned_data.get("meet_again_on"))
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError("The date to meet again cannot be in the past", code="past")
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        written = [data.get(n, "").strip() for n in ("aspiration", "strengths", "to_develop", "next_steps")]
        if not self.errors and not any(written):
            raise forms.ValidationError("Write at least one of aspiration, strengths, what to develop or next steps")
        return data


class StepToPlanForm(forms.Form):
    """One agreed next step into one of the person's own plans: both choices only from the lists shown, so another
    person's plan or a step that is not there is a choice that does not exist."""

    step = forms.TypedChoiceField(
        label="Which next step?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a next step",
            "invalid_choice": "Choose one of the agreed next steps from the list",
        },
    )
    plan = forms.TypedChoiceField(
        label="Into which development plan?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a plan", "invalid_choice": "Choose one of your plans from the list"},
    )

    def __init__(self, *args: Any, steps: list[str], plans: list[Plan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["step"]).choices = list(enumerate(steps))
        cast(forms.TypedChoiceField, self.fields["plan"]).choices = [(p.pk, p.title) for p in plans]
