from datetime import date
from typing import Any

from django import forms

from apps.common.fields import DateField

from .models import CloseReason, GoalsMet, MeetingFrequency, Mode


class AgreementForm(forms.Form):
    goals = forms.CharField(
        label="What will you work on together?",
        help_text="For example, the criteria of the person specification to develop, or a board role to prepare for.",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter what you will work on together",
            "max_length": "What you will work on must be 4,000 characters or fewer",
        },
    )
    meeting_frequency = forms.ChoiceField(
        label="How often will you meet?",
        choices=MeetingFrequency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how often you will meet",
            "invalid_choice": "Choose how often you will meet from the list",
        },
    )
    confidentiality = forms.CharField(
        label="What stays between you?",
        help_text="For example: what we discuss stays between us, unless someone is at risk of harm.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say what stays between you",
            "max_length": "What stays between you must be 2,000 characters or fewer",
        },
    )


class MeetingForm(forms.Form):
    met_on = DateField(
        label="When did you meet?",
        error_messages={"required": "Enter the date you met", "invalid": "Enter a real date"},
    )
    mode = forms.ChoiceField(
        label="How did you meet?",
        choices=Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you met", "invalid_choice": "Choose how you met from the list"},
    )
    notes = forms.CharField(
        label="What did you talk about?",
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "What you talked about must be 6,000 characters or fewer"},
    )
    actions = forms.CharField(
        label="What actions did you agree?",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The actions must be 3,000 characters or fewer"},
    )

    def __init__(self, *args: Any, today: date, started_on: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today, self.started_on = today, started_on

    def clean_met_on(self) -> date:
        met_on: date = self.cleaned_data["met_on"]
        if met_on > self.today:
            raise forms.ValidationError("The meeting date cannot be in the future")
        if met_on < self.started_on:
            raise forms.ValidationError(
                f"The meeting date cannot be before you started working together, on "
                f"{self.started_on.day} {self.started_on:%B %Y}"
            )
        return met_on


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are you closing it?",
        choices=CloseReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose why you are closing the relationship",
            "invalid_choice": "Choose a reason from the list",
        },
    )


USEFULNESS = [
    (5, "5 – very useful"),
    (4, "4 – useful"),
    (3, "3 – somewhat useful"),
    (2, "2 – not very useful"),
    (1, "1 – not useful at all"),
]
YES_NO = [("yes", "Yes"), ("no", "No")]


class FeedbackForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        label="How useful was it for you?",
        choices=USEFULNESS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how useful it was",
            "invalid_choice": "Choose how useful it was, from 1 to 5",
        },
    )
    goals_met = forms.ChoiceField(
        label="Were your goals met?",
        choices=GoalsMet.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether your goals were met",
            "invalid_choice": "Say whether your goals were met",
        },
    )
    would_recommend = forms.TypedChoiceField(
        label="Would you recommend it to a colleague?",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether you would recommend it",
            "invalid_choice": "Say whether you would recommend it",
        },
    )
    comment = forms.CharField(
        label="Anything else?",
        help_text="Only the two of you see this. Organisers see the answers above only as totals, never this.",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Your comment must be 3,000 characters or fewer"},
    )
