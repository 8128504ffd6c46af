"""Forms of the first-year pathway: they check input and say what is wrong in the person's words; the services
write (and check the same rules again)."""

from datetime import date
from typing import Any

from django import forms
from django.core.validators import validate_email
from django.utils import timezone

from apps.common.fields import DateField

from .models import TickState
from .services import start_date_problem

TEXT_MAX = 4000
CHECKIN_MAX = 3000
COHORT_NAME_MAX = 120


class EnrolForm(forms.Form):
    started_on = DateField(
        label="When did you start, or when will you start, as medical director?",
        help_text="Up to three months ahead, or up to two years ago. Your check-ins fall 3, 6 and 12 months after it.",
        error_messages={"required": "Enter the date you started as medical director", "invalid": "Enter a real date"},
    )

    def clean_started_on(self) -> date:
        started_on: date = self.cleaned_data["started_on"]
        problem = start_date_problem(started_on=started_on, today=timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return started_on


class ScopeForm(forms.Form):
    scope = forms.CharField(
        label="The scope of your role (optional)",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you lead on and what you do not: for example responsible officer, Caldicott guardian, "
        "research, the portfolios your deputies hold.",
        error_messages={"max_length": f"The scope must be {TEXT_MAX} characters or fewer"},
    )
    objectives = forms.CharField(
        label="The objectives you agreed",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Write the objectives you agreed",
            "max_length": f"The objectives must be {TEXT_MAX} characters or fewer",
        },
    )
    agreed_on = DateField(
        label="The date you agreed them with your chief executive",
        error_messages={"required": "Enter the date you agreed them", "invalid": "Enter a real date"},
    )

    def __init__(self, *args: Any, started_on: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.started_on = started_on

    def clean_objectives(self) -> str:
        objectives: str = self.cleaned_data["objectives"].strip()
        if not objectives:
            raise forms.ValidationError("Write the objectives you agreed")
        return objectives

    def clean_agreed_on(self) -> date:
        agreed_on: date = self.cleaned_data["agreed_on"]
        if agreed_on > timezone.localdate():
            raise forms.ValidationError("The date you agreed them cannot be in the future")
        if agreed_on < self.started_on:
            raise forms.ValidationError(
                f"The date you agreed them cannot be before you started, on {self.started_on:%-d %B %Y}"
            )
        return agreed_on


class TickForm(forms.Form):
    state = forms.ChoiceField(
        label="Where you are with it",
        choices=[("", "Not yet"), *TickState.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose done, does not apply, or not yet"},
    )


class CheckInForm(forms.Form):
    going = forms.CharField(
        label="How is it going?",
        max_length=CHECKIN_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Write a few words on how it is going",
            "max_length": f"Write {CHECKIN_MAX} characters or fewer on how it is going",
        },
    )
    support = forms.CharField(
        label="What support do you need? (optional)",
        required=False,
        max_length=CHECKIN_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"Write {CHECKIN_MAX} characters or fewer on the support you need"},
    )

    def clean_going(self) -> str:
        going: str = self.cleaned_data["going"].strip()
        if not going:
            raise forms.ValidationError("Write a few words on how it is going")
        return going


class CohortForm(forms.Form):
    name = forms.CharField(
        label="Name of the cohort",
        max_length=COHORT_NAME_MAX,
        help_text="For example “New MDs 2026/27”.",
        error_messages={
            "required": "Enter a name for the cohort",
            "max_length": f"The name must be {COHORT_NAME_MAX} characters or fewer",
        },
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter a name for the cohort")
        return name


class InviteForm(forms.Form):
    email = forms.CharField(
        label="Their e-mail address",
        max_length=254,
        help_text="The address they sign in with, exactly.",
        error_messages={
            "required": "Enter an e-mail address",
            "max_length": "An e-mail address is 254 characters or fewer",
        },
    )

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip()
        try:
            validate_email(email)
        except forms.ValidationError:
            raise forms.ValidationError("Enter an e-mail address, like name@example.nhs.uk") from None
        return email
