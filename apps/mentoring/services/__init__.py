"""Writes for mentoring, one module per thing people do: `offers`, `requests`, `proposals` (the handshake),
`relationships` (agreement, meetings, closing, feedback), `rounds` (an organiser's match rounds) and `schemes`.
Each refuses a change it cannot make with the one domain error below, which views show as a message."""

from django.db import models

from apps.common.validation import clean_problem


class MentoringError(Exception):
    """A change that cannot be made as asked; the message is shown, and nothing was written."""


def checked(instance: models.Model) -> None:
    """`full_clean()`, with what it finds said as a MentoringError (forms check first; this is the last guard,
    so that input that slipped past a form is a clear message, never a 500)."""
    problem = clean_problem(instance)
    if problem is not None:
        raise MentoringError(problem)
