"""Form widgets every app shares."""

from django import forms


class DateInput(forms.DateInput):
    """A native date picker. Browsers accept only ISO dates (2026-12-27) in `value`; the en-GB display format
    (27/12/2026) is discarded silently, so a stored or default date would show blank and be lost on submit."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
