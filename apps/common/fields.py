"""Form fields every app shares."""

from collections.abc import Iterator
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue

from .widgets import DateInput

# Nothing in a leadership career is planned, met or recorded outside these years; beyond them arithmetic on a date
# (a reminder the day after 31 December 9999, a quarterly review past it) would fail rather than be refused.
EARLIEST = date(1950, 1, 1)
LATEST = date(2100, 12, 31)


class DateField(forms.DateField):
    """A date picker that refuses dates outside 1950–2100 with a message naming the field."""

    widget = DateInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DateInput())
        super().__init__(*args, **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not EARLIEST <= value <= LATEST:
            label = str(self.label or "The date").rstrip("?")
            raise ValidationError(
                f"{label}: enter a date between {EARLIEST.year} and {LATEST.year}", code="out_of_range"
            )


class _NameChoiceIterator(ModelChoiceIterator):
    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, name in self.queryset.values_list("pk", "name").iterator():
            yield (ModelChoiceIteratorValue(pk, None), name)  # type: ignore[arg-type]  # no instance: the point


class NameChoiceField(forms.ModelChoiceField):
    """A choice of model (an organisation) whose options are read as (id, name) pairs, labelled by the name.

    Django builds a model instance per option to label it: a select of 250 organisations spent more time making
    them than drawing the page (issue 20). The chosen value is still cleaned to a model instance as usual. The model
    needs a `name` field; options are valued by id, so `to_field_name` and relabelling are refused.
    """

    iterator = _NameChoiceIterator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pk = self.queryset.model._meta.pk if self.queryset is not None else None
        if self.to_field_name is not None and (pk is None or self.to_field_name not in (pk.name, pk.attname)):
            field = self.to_field_name
            raise ImproperlyConfigured(f"NameChoiceField offers ids: to_field_name={field!r} would not clean them")
        if type(self).label_from_instance is not NameChoiceField.label_from_instance:
            raise ImproperlyConfigured("NameChoiceField labels options by their name: use ModelChoiceField to relabel")
