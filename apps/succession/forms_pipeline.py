"""Forms of the lead's pipeline and the regional view: they check input and say what is wrong in the person's
words; the services write (only the lead's view writes anything)."""

from typing import Any

from django import forms

from apps.common.fields import NameChoiceField
from apps.organisations.models import Organisation, Region

from .models import Readiness
from .pipeline import icbs
from .services.lead_views import COMMENT_MAX, OFF_SCALE


class LeadViewForm(forms.Form):
    """The lead's own view of a person's readiness, beside the person's."""

    readiness = forms.ChoiceField(
        label="Your view of their readiness",
        choices=Readiness.choices,
        widget=forms.RadioSelect,
        help_text="They see your view beside their own, and are told you added it.",
        error_messages={"required": OFF_SCALE, "invalid_choice": OFF_SCALE},
    )
    comment = forms.CharField(
        label="A comment for them (optional)",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"Keep your comment to {COMMENT_MAX:,} characters."},
    )


class AreaForm(forms.Form):
    """A GET: the region, or the integrated care board, whose organisations the regional view counts across."""

    region = forms.ModelChoiceField(
        label="A region",
        queryset=Region.objects.order_by("name"),
        required=False,
        empty_label="Choose a region",
        error_messages={"invalid_choice": "Choose a region from the list."},
    )
    icb = NameChoiceField(
        label="Or an integrated care board",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Choose an integrated care board",
        error_messages={"invalid_choice": "Choose an integrated care board from the list."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["icb"].queryset = icbs()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("region") and cleaned.get("icb"):
            raise forms.ValidationError("Choose a region or an integrated care board, not both.")
        if not self.errors and not cleaned.get("region") and not cleaned.get("icb"):
            raise forms.ValidationError("Choose a region or an integrated care board.")
        return cleaned
