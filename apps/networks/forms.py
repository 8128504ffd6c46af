"""Forms of the networks pages. They check what a form can (a field is filled in, a time is a time, the end after
the start); the rules that need the database or the clock are the services', whose message the view shows on the
form."""

from datetime import date, datetime, time
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms

from apps.common.fields import DateField
from apps.organisations.models import Region

from .models import JoinRule, NetworkKind, NetworkMeeting, Topic

LONDON = ZoneInfo("Europe/London")


class NetworkForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=150,
        help_text="For example, North West medical directors' network.",
        error_messages={"required": "Enter the network's name"},
    )
    kind = forms.ChoiceField(
        label="What kind of network is it?",
        choices=NetworkKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what kind of network it is",
            "invalid_choice": "Choose a kind from the list",
        },
    )
    region = forms.ModelChoiceField(
        label="Region (for a regional network)",
        queryset=Region.objects.order_by("name"),
        required=False,
        empty_label="No region",
        error_messages={"invalid_choice": "Choose a region from the list"},
    )
    description = forms.CharField(
        label="What it is for (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    join_rule = forms.ChoiceField(
        label="Who may join?",
        choices=JoinRule.choices,
        initial=JoinRule.OPEN,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who may join", "invalid_choice": "Choose who may join from the list"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == NetworkKind.REGIONAL and not cleaned.get("region"):
            self.add_error("region", "Choose the region of a regional network")
        return cleaned


class MeetingForm(forms.Form):
    day = DateField(
        label="Date",
        help_text="For example, 17 March 2027.",
        error_messages={"required": "Enter the date of the meeting", "invalid": "Enter a real date"},
    )
    start = forms.TimeField(
        label="Start time",
        help_text="In UK time, for example 14:00.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Enter the start time", "invalid": "Enter a time like 14:00"},
    )
    end = forms.TimeField(
        label="End time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Enter the end time", "invalid": "Enter a time like 16:00"},
    )
    place = forms.CharField(label="Place (optional)", max_length=200, required=False)
    online_url = forms.URLField(
        label="Online link (optional)",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="Give a place, an online link, or both.",
        error_messages={"invalid": "Enter a web address, like https://meet.example.org/forum"},
    )

    @classmethod
    def initial_from(cls, meeting: NetworkMeeting) -> dict[str, object]:
        start, end = meeting.starts_at.astimezone(LONDON), meeting.ends_at.astimezone(LONDON)
        return {
            "day": start.date(),
            "start": start.time(),
            "end": end.time(),
            "place": meeting.place,
            "online_url": meeting.online_url,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is not None and end is not None and end <= start:
            self.add_error("end", "The meeting must end after it starts, on the same day")
        if "place" in cleaned and "online_url" in cleaned and not cleaned["place"] and not cleaned["online_url"]:
            self.add_error("place", "Give a place, an online link, or both")
        return cleaned

    def starts_at(self) -> datetime:
        day: date = self.cleaned_data["day"]
        start: time = self.cleaned_data["start"]
        return datetime.combine(day, start, tzinfo=LONDON)

    def ends_at(self) -> datetime:
        day: date = self.cleaned_data["day"]
        end: time = self.cleaned_data["end"]
        return datetime.combine(day, end, tzinfo=LONDON)


class TopicForm(forms.Form):
    title = forms.CharField(
        label="Topic",
        max_length=200,
        help_text="For example, Medical staffing of the new urgent care centre.",
        error_messages={"required": "Enter the topic"},
    )
    detail = forms.CharField(
        label="Why it matters (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The network's members read it; no one else does.",
        error_messages={"required": "Enter your note"},
    )


class AgendaForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label="Topics to take into the agenda",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Most votes first; on a tie, the one proposed first. Those chosen go on the agenda in this order.",
        error_messages={"invalid_choice": "Choose topics from the list"},
    )
    other_items = forms.CharField(
        label="Other items (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line, after the topics: for example, Minutes of the last meeting.",
    )

    def __init__(self, *args: Any, topics: list[Topic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["topics"])
        field.choices = [
            (str(t.pk), f"{t.title} ({t.vote_count} vote{'' if t.vote_count == 1 else 's'})")  # type: ignore[attr-defined]
            for t in topics
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lines = [line.strip() for line in (cleaned.get("other_items") or "").splitlines() if line.strip()]
        if any(len(line) > 200 for line in lines):
            self.add_error("other_items", "Keep each item to 200 characters")
        if not self.errors and not cleaned.get("topics") and not lines:
            self.add_error("topics", "Choose at least one topic or add an item of your own")
        cleaned["other_lines"] = lines
        return cleaned

    def topic_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["topics"]]
