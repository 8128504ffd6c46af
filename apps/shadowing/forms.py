"""Forms for "talk to someone in the role": they check input and say what is wrong in the person's words; the
services write."""

from typing import Any, cast

from django import forms

from apps.common.fields import DateField
from apps.development.models import Plan
from apps.organisations.models import Region
from apps.profiles.models import LeadershipLevel

from .models import PER_YEAR_MAX, PER_YEAR_MIN, OfferKind, Setting, WhoMayAsk

WHY_MAX = 1000
MESSAGE_MAX = 1000
TEXT_MAX = 5000


class OfferForm(forms.Form):
    kind = forms.ChoiceField(
        label="What do you offer?",
        choices=OfferKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you offer", "invalid_choice": "Choose what you offer from the list"},
    )
    per_year = forms.IntegerField(
        label="How many a year?",
        min_value=PER_YEAR_MIN,
        max_value=PER_YEAR_MAX,
        help_text=f"Between {PER_YEAR_MIN} and {PER_YEAR_MAX}. Nobody can ask once this many are waiting or agreed "
        "in the last 12 months.",
        error_messages={
            "required": "Say how many you can offer a year",
            "min_value": f"Offer at least {PER_YEAR_MIN} a year",
            "max_value": f"Offer no more than {PER_YEAR_MAX} a year",
            "invalid": "Enter a whole number",
        },
    )
    setting = forms.ChoiceField(
        label="Where?",
        choices=Setting.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where", "invalid_choice": "Choose where from the list"},
    )
    who_may_ask = forms.ChoiceField(
        label="Who may ask?",
        choices=WhoMayAsk.choices,
        widget=forms.RadioSelect,
        initial=WhoMayAsk.ANYONE,
        error_messages={"required": "Choose who may ask", "invalid_choice": "Choose who may ask from the list"},
    )
    note = forms.CharField(
        label="A short note (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, what a day with you usually includes, or the weeks that suit you.",
        error_messages={"max_length": "The note must be 1000 characters or fewer"},
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:  # the kind is what the offer is; a different kind is a new offer
            del self.fields["kind"]


class RequestForm(forms.Form):
    why = forms.CharField(
        label="Why would you like to?",
        max_length=WHY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A line or two: what you hope to understand about the role.",
        error_messages={
            "required": "Say why you would like to",
            "max_length": f"Keep it to {WHY_MAX} characters or fewer",
        },
    )
    suggested_on = DateField(
        label="A date that suits you (optional)",
        required=False,
        help_text="They can agree it or choose another when they answer.",
        error_messages={"invalid": "Enter a real date"},
    )


class AcceptForm(forms.Form):
    agreed_on = DateField(
        label="The date (optional)",
        required=False,
        help_text="You can set or change it later.",
        error_messages={"invalid": "Enter a real date"},
    )
    message = forms.CharField(
        label="A message (optional)",
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Keep the message to {MESSAGE_MAX} characters or fewer"},
    )


class DeclineForm(forms.Form):
    message = forms.CharField(
        label="A message (optional)",
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, someone else who could help, or a better time to ask.",
        error_messages={"max_length": f"Keep the message to {MESSAGE_MAX} characters or fewer"},
    )


class DateForm(forms.Form):
    agreed_on = DateField(
        label="The date you agreed", error_messages={"required": "Enter the date", "invalid": "Enter a real date"}
    )


class ReflectionForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter a title", "max_length": "The title must be 200 characters or fewer"},
    )
    what_happened = forms.CharField(
        label="What happened",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what happened", "max_length": f"Keep it to {TEXT_MAX} characters or fewer"},
    )
    so_what = forms.CharField(
        label="So what: what it meant, what you learned",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what you learned", "max_length": f"Keep it to {TEXT_MAX} characters or fewer"},
    )
    now_what = forms.CharField(
        label="Now what: what you will do differently",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Say what you will do differently",
            "max_length": f"Keep it to {TEXT_MAX} characters or fewer",
        },
    )
    plan = forms.TypedChoiceField(
        label="Add it to a development plan?",
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of your plans from the list"},
    )

    def __init__(self, *args: Any, plans: list[Plan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "No, keep it here only"), *((str(p.pk), f"Yes, to “{p.title}”") for p in plans)]
        cast(forms.TypedChoiceField, self.fields["plan"]).choices = choices


class BrowseForm(forms.Form):
    """The filters of the list of offers: a GET that ignores what it does not understand."""

    level = forms.TypedChoiceField(
        label="Leadership level",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any level"), *LeadershipLevel.choices],
    )
    kind = forms.ChoiceField(label="What", required=False, choices=[("", "Anything"), *OfferKind.choices])
    region = forms.ModelChoiceField(
        label="Region", required=False, queryset=Region.objects.order_by("name"), empty_label="Any region"
    )
