"""The forms of buddies: an organiser names a cohort, adds a person, pairs two people by hand; a person joins."""

from typing import Any

from django import forms

from apps.accounts.models import User
from apps.common.fields import DateField

from .models import Cohort, CohortStatus

STARTED_HELP = "The month is enough: pairing prefers a buddy a little further into the role."


class CohortForm(forms.Form):
    name = forms.CharField(
        max_length=150,
        label="Name the cohort",
        help_text="For example “New medical directors, spring 2027”.",
        error_messages={"required": "Enter a name for the cohort", "max_length": "Keep the name under 150 characters"},
    )


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label="Their e-mail address",
        help_text="The address they sign in with.",
        error_messages={"required": "Enter their e-mail address", "invalid": "Enter a real e-mail address"},
    )
    started_in_role = DateField(
        label="When did they start in the role?",
        help_text=STARTED_HELP,
        error_messages={"required": "Enter when they started in the role", "invalid": "Enter a real date"},
    )

    def clean_email(self) -> User:
        user = User.objects.filter(email__iexact=self.cleaned_data["email"], is_active=True).first()
        if user is None:
            raise forms.ValidationError("Nobody with that e-mail address has an account")
        return user


class JoinForm(forms.Form):
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(),
        label="Which cohort?",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a cohort", "invalid_choice": "Choose an open cohort from the list"},
    )
    started_in_role = DateField(
        label="When did you start in your role?",
        help_text=STARTED_HELP,
        error_messages={"required": "Enter when you started in the role", "invalid": "Enter a real date"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cohort"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Cohort.objects.filter(status=CohortStatus.OPEN).order_by("created_at", "pk")


class PairForm(forms.Form):
    """Two people of the cohort who have no buddy in the draft."""

    first = forms.TypedChoiceField(
        coerce=int, label="First person", error_messages={"required": "Choose the first person"}
    )
    second = forms.TypedChoiceField(
        coerce=int, label="Second person", error_messages={"required": "Choose the second person"}
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first", "second"):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = [("", "Choose a person"), *people]
            field.error_messages["invalid_choice"] = "Choose someone from the list of people without a buddy"
