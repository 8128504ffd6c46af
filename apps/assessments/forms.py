from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms import BoundField

from apps.common.fields import DateField
from apps.competencies.models import Criterion, Framework, ScalePoint
from apps.profiles.models import LeadershipLevel

from .models import RaterCategory
from .selectors import CriterionEntry


class StartForm(forms.Form):
    framework = forms.ModelChoiceField(
        queryset=Framework.objects.none(),
        widget=forms.RadioSelect,
        label="Which framework do you want to measure yourself against?",
        error_messages={"required": "Choose a framework", "invalid_choice": "Choose a framework from the list"},
    )
    target_level = forms.TypedChoiceField(
        choices=LeadershipLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label="Which role are you aiming for?",
        help_text="Your ratings are compared with what this role expects.",
        error_messages={
            "required": "Choose the role you are aiming for",
            "invalid_choice": "Choose a role from the list",
        },
    )

    def __init__(self, *args: Any, frameworks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks  # type: ignore[attr-defined]
        self.fields["framework"].label_from_instance = lambda f: f"{f.name} ({f.version})"  # type: ignore[attr-defined]


@dataclass(frozen=True)
class GroupFormRow:
    """One criterion of the group page: its entry and the form's fields for it, in the order the page shows them,
    and the label of the rating its target role is expected to reach ("" when none is suggested)."""

    entry: CriterionEntry
    answer_fields: list[BoundField]
    rating_field: BoundField
    note_field: BoundField
    expected_label: str = ""


class GroupForm(forms.Form):
    """One part of the framework: a rating, notes and prompt answers for each of its criteria."""

    def __init__(
        self, *args: Any, entries: list[CriterionEntry], scale: list[ScalePoint], readonly: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.entries = entries
        self.labels = {p.value: p.label for p in scale}
        choices = [(str(p.value), f"{p.value}: {p.label}") for p in scale]
        for entry in entries:
            criterion, rating = entry.criterion, entry.rating
            self.fields[f"rating_{criterion.pk}"] = forms.ChoiceField(
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                label=f"How would you rate yourself on {criterion.code}?",
                initial=str(rating.value) if rating and rating.value is not None else None,
                error_messages={"invalid_choice": f"Choose a rating on the scale for {criterion.code}"},
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
                label="Your notes",
                initial=rating.note if rating else "",
            )
            for prompt in entry.prompts:
                self.fields[f"answer_{prompt.prompt.pk}"] = forms.CharField(
                    required=False,
                    max_length=10000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    label=prompt.prompt.text,
                    initial=prompt.answer,
                )
        # A completed self-assessment is a record: show its answers, but never as inputs that look editable.
        for field in self.fields.values():
            field.disabled = readonly

    def rows(self) -> list[GroupFormRow]:
        return [
            GroupFormRow(
                entry=entry,
                answer_fields=[self[f"answer_{p.prompt.pk}"] for p in entry.prompts],
                rating_field=self[f"rating_{entry.criterion.pk}"],
                note_field=self[f"note_{entry.criterion.pk}"],
                expected_label=self.labels.get(entry.expected, "") if entry.expected is not None else "",
            )
            for entry in self.entries
        ]

    def split(self) -> tuple[dict[int, int | None], dict[int, str], dict[int, str]]:
        ratings: dict[int, int | None] = {}
        notes: dict[int, str] = {}
        answers: dict[int, str] = {}
        for name, value in self.cleaned_data.items():
            kind, _, pk = name.partition("_")
            if kind == "rating":
                ratings[int(pk)] = int(value) if value else None
            elif kind == "note":
                notes[int(pk)] = value
            elif kind == "answer":
                answers[int(pk)] = value
        return ratings, notes, answers


CANT_SAY = "cant_say"


class OpenRoundForm(forms.Form):
    closes_on = DateField(
        label="When should feedback close?",
        help_text="Three weeks is usual. Reminders go to anyone who has not answered a week and two days before.",
        error_messages={"required": "Enter the date feedback closes", "invalid": "Enter a real date"},
    )
    message = forms.CharField(
        label="A note to the people you ask (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Their e-mail address",
        max_length=254,  # the column's length: a longer address is refused here, not by the database
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "max_length": "An e-mail address is at most 254 characters",
            "required": "Enter their e-mail address",
            "invalid": "Enter an e-mail address like name@nhs.net",
        },
    )
    category = forms.ChoiceField(
        label="How do they work with you?",
        choices=RaterCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how they work with you", "invalid_choice": "Choose from the list"},
    )


@dataclass(frozen=True)
class RaterFormRow:
    """One criterion of the rater's page with the form's fields for it."""

    criterion: Criterion
    rating_field: BoundField
    comment_field: BoundField


class RaterForm(forms.Form):
    """A colleague's anonymous ratings: one per criterion (or "I can't say"), and optional comments."""

    def __init__(
        self, *args: Any, criteria: list[Criterion], scale: list[ScalePoint], readonly: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        choices = [(str(p.value), f"{p.value}: {p.label}") for p in scale] + [(CANT_SAY, "I can't say")]
        for criterion in criteria:
            self.fields[f"rating_{criterion.pk}"] = forms.ChoiceField(
                choices=choices,
                widget=forms.RadioSelect,
                label=f"How would you rate them on {criterion.code}?",
                error_messages={
                    "required": f"Choose a rating for {criterion.code}, or “I can't say”",
                    "invalid_choice": f"Choose a rating for {criterion.code} from the list",
                },
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label="Comment (optional)", required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 2})
            )
        self.fields["comment_general"] = forms.CharField(
            label="Anything else you would like to say (optional)",
            required=False,
            max_length=3000,
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def rows(self) -> list[RaterFormRow]:
        return [
            RaterFormRow(
                criterion=criterion,
                rating_field=self[f"rating_{criterion.pk}"],
                comment_field=self[f"comment_{criterion.pk}"],
            )
            for criterion in self.criteria
        ]

    def split(self) -> tuple[dict[int, int | None], dict[int | None, str]]:
        ratings: dict[int, int | None] = {}
        comments: dict[int | None, str] = {}
        for name, value in self.cleaned_data.items():
            kind, _, key = name.partition("_")
            if kind == "rating":
                ratings[int(key)] = None if value == CANT_SAY else int(value)
            elif kind == "comment" and value.strip():
                comments[None if key == "general" else int(key)] = value
        return ratings, comments
