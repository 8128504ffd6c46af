"""Forms of the set and session pages. They check what a form can (a field is filled in, a date is a date);
the rules that need the database or the clock (a time inside the programme, before the session started) are
the services' (services/sessions.py, services/notes.py), whose message the view shows on the form."""

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms

from apps.accounts.models import User
from apps.common.fields import DateField
from apps.development.models import Plan

from .models import Session

LONDON = ZoneInfo("Europe/London")
TEXT = {"rows": 5}


class ApologyForm(forms.Form):
    message = forms.CharField(
        label="Anything you want your facilitator to know",
        help_text="Only your facilitator sees this.",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Your message must be 500 characters or fewer"},
    )


class AttendanceForm(forms.Form):
    """One yes-or-no question per member. Only the set's members are fields; a posted answer about anyone
    else is an error, not silently dropped, so a tampered form changes nothing."""

    PREFIX = "member_"

    def __init__(
        self, *args: Any, members: list[User], apologised: frozenset[int] = frozenset(), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for member in members:
            self.fields[f"{self.PREFIX}{member.pk}"] = forms.TypedChoiceField(
                label=f"Was {member} there?",
                help_text="Sent apologies" if member.pk in apologised else "",
                choices=[("yes", "Present"), ("no", "Absent")],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
                error_messages={"required": f"Say whether {member} was there"},
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        posted = {key for key in self.data if key.startswith(self.PREFIX)}
        if posted - set(self.fields):
            raise forms.ValidationError("Attendance can only be recorded for the set's members.")
        return cleaned

    def present(self) -> dict[int, bool]:
        """Member id → whether they came, from a valid form."""
        return {int(name.removeprefix(self.PREFIX)): bool(value) for name, value in self.cleaned_data.items()}


class RescheduleForm(forms.Form):
    day = DateField(
        label="New date",
        help_text="For example, 17 March 2027. The programme's dates and bank holidays are checked.",
        error_messages={"required": "Enter the new date", "invalid": "Enter a real date"},
    )
    start = forms.TimeField(
        label="New start time",
        help_text="In UK time, for example 14:00. The session keeps its length.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Enter the new start time", "invalid": "Enter a time like 14:00"},
    )

    def starts_at(self) -> datetime:
        day: date = self.cleaned_data["day"]
        start: time = self.cleaned_data["start"]
        return datetime.combine(day, start, tzinfo=LONDON)


def _session_choices(sessions: Sequence[Session]) -> list[tuple[str, str]]:
    choices = [("", "Not about one session")]
    for session in sessions:
        when = session.starts_at.astimezone(LONDON)
        choices.append((str(session.pk), f"Session {session.number}, {when.day} {when:%B %Y}"))
    return choices


class _SessionChoice(forms.Form):
    session = forms.ChoiceField(label="Which session is this about?", required=False)

    def __init__(self, *args: Any, sessions: Sequence[Session], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sessions = {str(s.pk): s for s in sessions}
        cast(forms.ChoiceField, self.fields["session"]).choices = _session_choices(sessions)
        self.fields["session"].error_messages["invalid_choice"] = "Choose a session from the list"

    def chosen_session(self) -> Session | None:
        return self.sessions.get(self.cleaned_data.get("session") or "")


class NoteForm(_SessionChoice):
    text = forms.CharField(
        label="Note",
        help_text="The set's members can read it. Nobody outside the set can.",
        max_length=6000,
        widget=forms.Textarea(attrs=TEXT),
        error_messages={"required": "Enter the note", "max_length": "The note must be 6,000 characters or fewer"},
    )

    field_order = ["text", "session"]


class ReflectionForm(_SessionChoice):
    what_happened = forms.CharField(
        label="What happened?",
        help_text="The challenge you brought or heard, and what the set asked you.",
        max_length=5000,
        widget=forms.Textarea(attrs=TEXT),
        error_messages={
            "required": "Enter what happened",
            "max_length": "What happened must be 5,000 characters or fewer",
        },
    )
    so_what = forms.CharField(
        label="So what? What did it mean, what did you learn?",
        max_length=5000,
        widget=forms.Textarea(attrs=TEXT),
        error_messages={
            "required": "Enter what it meant to you",
            "max_length": "What it meant must be 5,000 characters or fewer",
        },
    )
    now_what = forms.CharField(
        label="Now what? What will you do differently?",
        max_length=5000,
        widget=forms.Textarea(attrs=TEXT),
        error_messages={
            "required": "Enter what you will do differently",
            "max_length": "What you will do must be 5,000 characters or fewer",
        },
    )


class ReflectionToPlanForm(forms.Form):
    plan = forms.TypedChoiceField(
        label="Which development plan?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a plan", "invalid_choice": "Choose one of your plans from the list"},
    )
    title = forms.CharField(
        label="Title in your plan",
        max_length=200,
        error_messages={"required": "Enter a title", "max_length": "The title must be 200 characters or fewer"},
    )

    def __init__(self, *args: Any, plans: list[Plan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["plan"]).choices = [(p.pk, p.title) for p in plans]
