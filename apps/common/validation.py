"""Model validation for the services: `full_clean()` with what it finds put in one sentence a person can act on.

The forms check the same limits first; this is for whatever reaches a service some other way (another caller, a
limit the form does not know), which should be refused with a message like any other rule, not end in a 500.
"""

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.text import capfirst


def _label(instance: models.Model, name: str) -> str:
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        return capfirst(name.replace("_", " "))
    return capfirst(str(getattr(field, "verbose_name", name)).removesuffix(" (optional)"))


def _sentence(instance: models.Model, error: ValidationError) -> str:
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    parts = [
        " ".join(messages) if name == NON_FIELD_ERRORS else f"{_label(instance, name)}: {' '.join(messages)}"
        for name, messages in error.message_dict.items()
    ]
    return " ".join(parts)


def clean_problem(instance: models.Model) -> str | None:
    """What `full_clean()` finds wrong with the row, in words, or None when it is valid."""
    try:
        instance.full_clean()
    except ValidationError as error:
        return _sentence(instance, error)
    return None
