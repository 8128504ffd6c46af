"""Forms for bilaterals: they check input and say what is wrong in the person's words; the services write."""

from datetime import date, datetime, time
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from apps.common.fields import DateField
from apps.learning_sets.slots import DAY_NAMES, SLOT_HOURS, START_TIMES, WEEKDAYS

from .models import Cadence
from .planning import Option

LONDON = ZoneInfo("Europe/London")
MESSAGE_MAX = 1000
NOTE_MAX = 5000
OTHER = "other"
CADENCE_ERROR = "Choose how often: every month, every two months or every three months (not more often than monthly)"


class ProposeForm(forms.Form):
    partner_email = forms.EmailField(
        label="Their e-mail address",
        max_length=254,
        help_text="The address they use on the portal. Bilaterals are between people at medical director level "
        "(deputy medical director and above).",
        error_messages={
            "required": "Enter the e-mail address of the person you would like to meet",
            "invalid": "Enter an e-mail address like name@nhs.net",
            "max_length": "The e-mail address must be 254 characters or fewer",
        },
    )
    cadence_months = forms.TypedChoiceField(
        label="How often would you like to meet?",
        choices=[(str(value), label) for value, label in Cadence.choices],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": CADENCE_ERROR, "invalid_choice": CADENCE_ERROR},
    )
    message = forms.CharField(
        label="A message with your proposal (optional)",
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"The message must be {MESSAGE_MAX} characters or fewer"},
    )


def slot_field_name(day: str) -> str:
    return f"slots_{day}"


def _time_label(start: str) -> str:
    return f"{start} to {int(start[:2]) + SLOT_HOURS:02d}:00"


class AvailabilityForm(forms.Form):
    """Weekly times, one fieldset of checkboxes per weekday, as the learning set application asks them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day in WEEKDAYS:
            self.fields[slot_field_name(day)] = forms.MultipleChoiceField(
                label=DAY_NAMES[day],
                required=False,
                choices=[(f"{day}-{start}", _time_label(start)) for start in START_TIMES],
                widget=forms.CheckboxSelectMultiple(attrs={"class": "nhsuk-checkboxes__input"}),
                error_messages={
                    "invalid_choice": "“%(value)s” is not one of the weekly times offered: choose from the boxes",
                },
            )

    def slot_fields(self) -> list[forms.BoundField]:
        return [self[slot_field_name(day)] for day in WEEKDAYS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [slot for day in WEEKDAYS for slot in data.get(slot_field_name(day), [])]
        if not chosen and not any(slot_field_name(day) in self.errors for day in WEEKDAYS):
            raise forms.ValidationError("Choose at least one weekly time you can make")
        data["slots"] = chosen
        return data


def initial_slots(slots: list[str]) -> dict[str, list[str]]:
    return {slot_field_name(day): [s for s in slots if s.startswith(f"{day}-")] for day in WEEKDAYS}


class DateTimeForm(forms.Form):
    day = DateField(
        label="Date",
        required=False,
        help_text="For example, 17 3 2027. A weekday that is not a bank holiday.",
        error_messages={"invalid": "Enter a real date"},
    )
    start = forms.TimeField(
        label="Start time",
        required=False,
        help_text="In UK time, for example 14:00. A bilateral is booked for an hour.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Enter a time like 14:00"},
    )

    def needs_date(self, data: dict[str, Any]) -> bool:
        return True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.needs_date(data) and not self.errors:
            if data.get("day") is None:
                self.add_error("day", "Enter the date")
            if data.get("start") is None:
                self.add_error("start", "Enter the start time")
        return data

    def starts_at(self) -> datetime:
        day: date = self.cleaned_data["day"]
        start: time = self.cleaned_data["start"]
        return datetime.combine(day, start, tzinfo=LONDON)


def option_value(option: Option) -> str:
    return option.starts_at.isoformat()


def option_label(option: Option) -> str:
    when = timezone.localtime(option.starts_at, LONDON)
    return f"{when:%A} {when.day} {when:%B %Y} at {when:%H:%M}"


class ChooseTimeForm(DateTimeForm):
    """One of the times the portal proposes, or another date and time typed in."""

    field_order = ["choice", "day", "start"]
    choice = forms.ChoiceField(
        label="When shall we meet?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose one of the times, or another date and time",
            "invalid_choice": "Choose one of the times offered, or another date and time",
        },
    )

    def __init__(self, *args: Any, options: list[Option], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options = {option_value(o): o for o in options}
        choices = [(value, option_label(o)) for value, o in self.options.items()]
        cast(forms.ChoiceField, self.fields["choice"]).choices = [*choices, (OTHER, "Another date and time")]

    def needs_date(self, data: dict[str, Any]) -> bool:
        return data.get("choice") == OTHER

    def starts_at(self) -> datetime:
        picked = self.cleaned_data["choice"]
        if picked != OTHER:
            return self.options[picked].starts_at
        return super().starts_at()


class MoveForm(DateTimeForm):
    pass


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Your note",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you talked about, what you agreed, what to pick up next time. Only the two of you see it.",
        error_messages={
            "required": "Write the note first",
            "max_length": f"The note must be {NOTE_MAX} characters or fewer",
        },
    )
