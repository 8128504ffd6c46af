"""Forms for putting oneself forward: they check input and say what is wrong in the person's words; the services
write. No form has a field for a person: whoever is signed in is the one who stands forward, and a post that
tries to name someone is refused."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from apps.common.fields import NameChoiceField
from apps.organisations.models import Organisation
from apps.profiles.models import CareerAimWhen, LeadershipLevel

from .models import Post, Readiness, ShowChoice
from .services.candidacies import AIM_MAX

SEARCH_FROM = 12  # with more organisations than this taking part, step 1 offers a search before the list
# Names a form must never take: a person is never put forward by someone else.
SOMEONE_ELSE = ("person", "person_id", "user", "email")


class OrganisationChoiceForm(forms.Form):
    """Step 1 (a GET): the organisation, from those taking part, narrowed by a search when there are many."""

    q = forms.CharField(label="Search by name or ODS code", required=False, max_length=100)
    organisation = NameChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Choose an organisation",
        error_messages={"invalid_choice": "This organisation is not taking part: choose one from the list."},
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class _NoOneElse(forms.Form):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if any(name in self.data for name in SOMEONE_ELSE):
            raise forms.ValidationError("You can only put yourself forward: this form cannot name anyone else.")
        return cleaned


def _place_choices(posts: list[Post]) -> list[tuple[str, str]]:
    by_post = [(f"post-{p.pk}", f"{p.title} ({LeadershipLevel(p.level).label.lower()})") for p in posts]
    by_level = [
        (f"level-{value}", f"Any {label.lower()} post, or one to come")
        for value, label in reversed(LeadershipLevel.choices)
    ]
    return by_post + by_level


class CandidacyForm(_NoOneElse):
    place = forms.ChoiceField(
        label="What are you putting yourself forward for?",
        widget=forms.RadioSelect,
        help_text="One of the organisation's posts, or a level if the post you want is not listed or not there yet.",
        error_messages={
            "required": "Choose a post or a level",
            "invalid_choice": "Choose one of this organisation's posts, or a level, from the list",
        },
    )
    aim = forms.CharField(
        label="What do you aim for? (optional)",
        required=False,
        max_length=AIM_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A line or two in your own words: the leads see this.",
        error_messages={"max_length": f"Keep it to {AIM_MAX} characters or fewer"},
    )
    timescale = forms.ChoiceField(
        label="When would you like to move?",
        choices=CareerAimWhen.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when you would like to move", "invalid_choice": "Choose from the list"},
    )
    readiness = forms.ChoiceField(
        label="How ready are you?",
        choices=Readiness.choices,
        widget=forms.RadioSelect,
        help_text="Your own word. We will ask you again when the time you give has passed.",
        error_messages={
            "required": "Choose how ready you are",
            "invalid_choice": "Choose ready now, in 1 to 2 years, or in 3 to 5 years",
        },
    )
    emergency_cover = forms.BooleanField(label="I could act up at short notice", required=False)
    show = forms.ChoiceField(
        label="What may the organisation's leads see?",
        choices=ShowChoice.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what the leads may see",
            "invalid_choice": "Choose what the leads may see from the list",
        },
    )

    def __init__(self, *args: Any, posts: list[Post] | None = None, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:  # the post or level is what the candidacy is; another one is a new candidacy
            del self.fields["place"]
        else:
            self._posts = {f"post-{p.pk}": p for p in posts or []}
            self.fields["place"].choices = _place_choices(posts or [])  # type: ignore[attr-defined]

    def post_and_level(self) -> tuple[Post | None, int | None]:
        place = self.cleaned_data["place"]
        if place in self._posts:
            return self._posts[place], None
        return None, int(place.removeprefix("level-"))


class ConfirmForm(_NoOneElse):
    """ "My readiness still holds": nothing to fill in but the button."""
