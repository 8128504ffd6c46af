"""Bad values for the form fuzz (test_bad_input_fuzz.py), and what a form may accept of them.

Every field is sent a few values everyone should try (a NUL byte, 10,000 characters, two values where one is
expected, and what is wrong for its kind: 31 February, the year 9999, 1e400, NaN), then a few that hypothesis
makes. `acceptable` says whether a value could be legitimately accepted: a form that takes one it should refuse
fails the test. The limits come from the field's database column where it has one, so a form whose limit is
looser than its column's (the bug this guards against) is caught by the same test.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from django import forms
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_email
from django.db import models
from hypothesis import strategies as st

EARLIEST, LATEST = date(1950, 1, 1), date(2100, 12, 31)  # apps.common.fields: every date the portal takes


class Kind(Enum):
    TEXT = "text"  # free text: anything without NUL and within the column's length is fine
    EMAIL = "email"
    EMAILS = "emails"  # e-mail addresses, one per line
    URL = "url"
    DATE = "date"
    TIME = "time"
    INT = "int"
    NUMBER = "number"  # a float or a decimal
    CHOICE = "choice"  # one value from a list (radios, a select, a raw "action" the view compares)
    MULTI = "multi"  # several values from a list (checkboxes)
    ID = "id"  # the id of a row: a select of organisations, a goal, a session
    IDS = "ids"
    BOOL = "bool"


@dataclass(frozen=True)
class Field:
    """One input of a form. `column` is "app.Model.field" when the value is stored there: its limits are the ones
    the form must keep. `shown`: the value appears as typed on the page the form leads to."""

    name: str
    kind: Kind
    column: str = ""
    required: bool = False
    max_length: int | None = None  # for text stored nowhere (a search box)
    choices: tuple[str, ...] = ()  # for a choice stored nowhere
    related: tuple[str, ...] = ()  # fields an error about this one may be shown on (an end before its start)
    shown: bool = False
    raw: bool = False  # a parameter the view compares with a few words, ignoring anything else: nothing to refuse
    never: bool = False  # no value may be accepted here (a field the form must not have, such as a stranger)

    def model_field(self) -> models.Field | None:
        if not self.column:
            return None
        app_label, model_name, name = self.column.split(".")
        try:
            return apps.get_model(app_label, model_name)._meta.get_field(name)  # type: ignore[return-value]
        except (LookupError, FieldDoesNotExist) as exc:
            raise AssertionError(f"{self.name}: no column {self.column}") from exc

    def model(self) -> type[models.Model]:
        app_label, model_name, _ = self.column.split(".")
        return apps.get_model(app_label, model_name)


NUL = "Dr A\x00Jones"
HUGE = "x" * 10_000
# Control characters, an emoji with a skin tone and a zero-width joiner, a right-to-left override, stacked
# combining accents, a zero-width space and a byte-order mark.
ODD = "line\x01\x07\x1b[2J\x7f\x08 👩🏽‍⚕️🏥 \u202ebraod\u202c e\u0301\u0301\u0301 \u200bmeeting\ufeff"
MARKUP = "<script>alert('x')</script> & \"quoted\" <b>bold</b>"
TWO = ["first", "second"]  # two values where one is expected (a view reads the last: sent to a choice, not text)

EXPLICIT: dict[Kind, list[Any]] = {
    Kind.TEXT: [NUL, HUGE, ODD, MARKUP],  # and only spaces, where the field is required (`explicit`)
    Kind.EMAIL: [NUL, HUGE, "a" * 250 + "@example.org", "<b>x</b>@example.org"],
    Kind.EMAILS: [NUL, HUGE, "ok@example.org\nnot-an-address", "a" * 320 + "@example.org"],
    Kind.URL: [NUL, HUGE, "javascript:alert(1)", "http://[::1"],
    Kind.DATE: [NUL, TWO, "", "0001-01-01", "9999-12-31", "2027-02-30"],
    Kind.TIME: [NUL, TWO, "", "25:00", "NaN"],
    Kind.INT: [NUL, TWO, "9" * 10_000, "100000000000000000000", "1e400", "NaN", "²"],
    Kind.NUMBER: [NUL, TWO, "-1", "1e400", "NaN", "-inf", "0.123456789"],
    Kind.CHOICE: [NUL, TWO, "not-a-choice", ""],
    Kind.MULTI: [NUL, HUGE, ["not-a-choice"], [""]],
    Kind.ID: [NUL, TWO, "", "-1", "100000000000000000000", "²"],
    Kind.IDS: [NUL, ["0"], ["-1", "100000000000000000000"], ["²"]],
    Kind.BOOL: [NUL, TWO],
}

# Any character UTF-8 can carry (a lone surrogate cannot be sent at all), control characters and NUL included.
_characters = st.characters(codec="utf-8")
_text = st.text(_characters, max_size=40)
_numbers = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
_dates = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.tuples(st.integers(0, 99_999), st.integers(-1, 99), st.integers(-1, 99)).map(
        lambda t: f"{t[0]}-{t[1]:02d}-{t[2]:02d}"
    ),
)
GENERATED: dict[Kind, st.SearchStrategy[Any]] = {
    Kind.TEXT: _text,
    Kind.EMAIL: st.one_of(st.emails().map(lambda e: e.replace("@", "\x00@", 0)), st.emails(), _text),
    Kind.EMAILS: st.lists(st.one_of(st.emails(), _text), max_size=3).map("\n".join),
    Kind.URL: st.one_of(_text, _text.map(lambda t: f"https://example.org/{t}")),
    Kind.DATE: st.one_of(_dates, _text),
    Kind.TIME: st.one_of(
        st.tuples(st.integers(-1, 99), st.integers(-1, 99)).map(lambda t: f"{t[0]:02d}:{t[1]:02d}"), _text
    ),
    Kind.INT: st.one_of(_numbers, _text),
    Kind.NUMBER: st.one_of(_numbers, _text),
    Kind.CHOICE: st.one_of(_text, _numbers),
    Kind.MULTI: st.lists(st.one_of(_text, _numbers), max_size=3),
    Kind.ID: st.one_of(st.integers(-(10**20), 10**20).map(str), _text),
    Kind.IDS: st.lists(st.one_of(st.integers(-(10**20), 10**20).map(str), _text), max_size=3),
    Kind.BOOL: _text,
}


def explicit(field: Field) -> list[Any]:
    """The values every field of its kind is sent, and those just past its column's limits: one character more
    than it holds (a two-byte one, in case a limit counted bytes), one below its least and one above its most."""
    values = [*EXPLICIT[field.kind], *(["   \t  "] if field.kind == Kind.TEXT and field.required else [])]
    column = field.model_field()
    if column is None:
        return values
    if field.kind == Kind.TEXT and column.max_length:
        values.append("é" * (column.max_length + 1))
    if field.kind in (Kind.INT, Kind.NUMBER):
        low = max((v.limit_value for v in column.validators if isinstance(v, MinValueValidator)), default=None)
        high = min((v.limit_value for v in column.validators if isinstance(v, MaxValueValidator)), default=None)
        values += [str(low - 1)] if low is not None else []
        values += [str(high + 1)] if high is not None else []
    return values


def sent(field: Field, value: Any) -> Any:
    """What the view reads: `QueryDict.get` gives the last of several values sent for a one-value field."""
    if isinstance(value, list) and field.kind not in (Kind.MULTI, Kind.IDS):
        return value[-1] if value else ""
    return value


def _has_nul(value: Any) -> bool:
    return any("\x00" in str(v) for v in (value if isinstance(value, list) else [value]))


def _fits_column(field: Field, value: Any) -> bool:
    column = field.model_field()
    if column is None:
        return True
    try:
        column.clean(value, None)
    except ValidationError as error:
        # An empty value where the column allows blanks is the form's business (the field may be optional).
        return value in ("", None) and all(e.code in ("blank", "null") for e in error.error_list)
    return True


def _date(value: str) -> date | None:
    try:
        return forms.DateField().clean(value)  # Django's parsing, without the portal's bounds
    except ValidationError:
        return None


def _number(value: str, *, whole: bool) -> Decimal | None:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or (whole and number != number.to_integral_value()):
        return None
    return number


def acceptable(field: Field, value: Any, *, foreign: list[Any]) -> bool:
    """Could a form legitimately accept `value` in this field? False means it must be refused."""
    value = sent(field, value)
    if field.never:
        return False
    if field.raw or field.kind == Kind.BOOL:
        return True  # a checkbox is on for any value sent, and nothing of the value is kept
    if _has_nul(value):
        return False
    values = value if isinstance(value, list) else [value]
    if any(v in foreign for v in values):
        return False
    text = value.strip() if isinstance(value, str) else value
    if field.required and text in ("", []):
        return False
    if text in ("", []):
        return True
    if field.choices:
        return text in field.choices
    if field.kind in (Kind.TEXT, Kind.URL, Kind.CHOICE):
        return (field.max_length is None or len(text) <= field.max_length) and _fits_column(field, text)
    if field.kind == Kind.EMAIL:
        try:
            validate_email(text)
        except ValidationError:
            return False
        return _fits_column(field, text)
    if field.kind == Kind.EMAILS:
        return all(_is_email(line.strip()) for line in text.splitlines() if line.strip())
    if field.kind == Kind.DATE:
        day = _date(text)
        return day is not None and EARLIEST <= day <= LATEST
    if field.kind in (Kind.INT, Kind.NUMBER):
        number = _number(text, whole=field.kind == Kind.INT)
        return number is not None and _fits_column(field, number)
    return True  # times, ids, lists and booleans: whatever gets through was checked by the view against the rows


def _is_email(line: str) -> bool:
    try:
        validate_email(line)
    except ValidationError:
        return False
    return True


def stored_as(field: Field, value: Any) -> str | None:
    """The text a free-text field should be kept as when accepted, or None when there is nothing to compare."""
    value = sent(field, value)
    if field.kind != Kind.TEXT or not field.column or not isinstance(value, str) or not value.strip():
        return None
    return value.strip()  # Django's CharField strips the ends, and nothing else
