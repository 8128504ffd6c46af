"""Browsing the opportunity catalogue where a person adds an activity: by words, criterion, kind, time and cost."""

from django import forms
from django.db.models import Q, QuerySet

from apps.competencies.models import Criterion

from .models import Opportunity, OpportunityKind, TimeBand

# Costs in the catalogue are written for people ("Usually free; agree release time with your employer"), so "free"
# means what the text says first.
FREE = (
    Q(typical_cost__istartswith="free")
    | Q(typical_cost__istartswith="usually free")
    | Q(typical_cost__istartswith="usually funded")
)


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100, help_text="For example “board” or “finance”.")
    criterion = forms.ChoiceField(label="Develops", required=False)
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Any kind"), *OpportunityKind.choices])
    time = forms.ChoiceField(label="Time", required=False, choices=[("", "Any length"), *TimeBand.choices])
    cost = forms.ChoiceField(label="Cost", required=False, choices=[("", "Any cost"), ("free", "Free or usually free")])

    def __init__(self, *args: object, criteria: list[Criterion], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [("", "Any criterion"), *((c.code, f"{c.code}: {c.title[:80]}") for c in criteria)]
        self.fields["criterion"].choices = choices  # type: ignore[attr-defined]


def catalogue_search(
    *, q: str = "", criterion: str = "", kind: str = "", time: str = "", cost: str = ""
) -> QuerySet[Opportunity]:
    """Active opportunities matching every filter given, by title; one query."""
    found = Opportunity.objects.filter(is_active=True)
    for word in q.split()[:8]:
        found = found.filter(Q(title__icontains=word) | Q(description__icontains=word) | Q(providers__icontains=word))
    if criterion:
        found = found.filter(develops__criterion_code=criterion)
    if kind:
        found = found.filter(kind=kind)
    if time:
        found = found.filter(time_band=time)
    if cost == "free":
        found = found.filter(FREE)
    return found.distinct().order_by("title")
