"""Forms for an organisation lead's posts: they check input and say what is wrong in the lead's words; the services
(services/posts.py) write, and hold the same rules for anyone calling them."""

from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from apps.accounts.models import User
from apps.common.fields import DateField
from apps.organisations.models import Organisation
from apps.profiles.models import LeadershipLevel

from .selectors import possible_holders
from .services.posts import PostFields
from .structures import shipped

PA_MESSAGE = "Enter a number of PAs from 0 to 16, for example 2.5"


class HolderField(forms.ModelChoiceField):
    """People at the organisation, by name: never by address."""

    def label_from_instance(self, obj: Any) -> str:
        return cast(User, obj).display_name


class PostForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=150,
        help_text="As your organisation writes it, for example “Deputy medical director for quality”.",
        error_messages={
            "required": "Enter the post's title",
            "max_length": "Keep the title to 150 characters or fewer",
        },
    )
    level = forms.TypedChoiceField(
        label="Level",
        choices=[("", "Choose a level"), *LeadershipLevel.choices],
        coerce=int,
        help_text="Titles differ between organisations; the ladder does not.",
        error_messages={
            "required": "Choose the post's level",
            "invalid_choice": "Choose the post's level from the list",
        },
    )
    portfolio = forms.CharField(
        label="Portfolio (optional)",
        required=False,
        max_length=200,
        help_text="What the post covers, for example “physical health” or “quality”.",
        error_messages={"max_length": "Keep the portfolio to 200 characters or fewer"},
    )
    pas = forms.DecimalField(
        label="Programmed activities (optional)",
        required=False,
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("16"))],
        help_text="The PAs the post carries in the job plan: a PA is a 4-hour block.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-4"}),
    )
    holder = HolderField(
        label="Who holds it, if they are on the portal (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="No one on the portal",
        help_text="People whose profile is at your organisation.",
        error_messages={"invalid_choice": "Choose the holder from the list of people at your organisation"},
    )
    holder_name = forms.CharField(
        label="Or their name, if they are not on the portal (optional)",
        required=False,
        max_length=200,
        error_messages={"max_length": "Keep the name to 200 characters or fewer"},
    )
    expected_vacancy = DateField(
        label="When it is expected to fall vacant (optional)",
        required=False,
        help_text="For example when the holder's term ends or they plan to retire.",
        error_messages={"invalid": "Enter a real date"},
    )

    def __init__(self, *args: Any, organisation: Organisation, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        cast(HolderField, self.fields["holder"]).queryset = possible_holders(organisation=organisation)
        for code in ("invalid", "min_value", "max_value", "max_digits", "max_decimal_places", "max_whole_digits"):
            self.fields["pas"].error_messages[code] = PA_MESSAGE

    def clean_expected_vacancy(self) -> date | None:
        day: date | None = self.cleaned_data.get("expected_vacancy")
        if day is not None and day < self.today:
            raise forms.ValidationError("The date it is expected to fall vacant cannot be in the past")
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("holder") is not None and data.get("holder_name"):
            self.add_error("holder_name", "Choose the holder from the list or type their name, not both")
        return data

    def post_fields(self) -> PostFields:
        data = self.cleaned_data
        return PostFields(
            title=data["title"],
            level=data["level"],
            portfolio=data["portfolio"],
            pas=data["pas"],
            holder=data["holder"],
            holder_name=data["holder_name"],
            expected_vacancy=data["expected_vacancy"],
        )

    @staticmethod
    def initial_from(post: Any) -> dict[str, Any]:
        return {
            "title": post.title,
            "level": post.level,
            "portfolio": post.portfolio,
            "pas": post.pas,
            "holder": post.holder_id,
            "holder_name": post.holder_name,
            "expected_vacancy": post.expected_vacancy,
        }


class StructureForm(forms.Form):
    """Which of seed 001's structures to start from (the buttons on the structures page)."""

    structure = forms.ChoiceField(
        choices=(),
        error_messages={
            "required": "Choose a structure to start from",
            "invalid_choice": "Choose one of the three structures",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["structure"]).choices = [
            (example.slug, example.name) for example in shipped().examples
        ]
