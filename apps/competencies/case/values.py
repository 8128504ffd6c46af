"""Reading JSON values leniently: real CASE packages put strings, numbers, lists and LinkURI objects in the same
fields."""

import re
from collections.abc import Mapping
from typing import Any


def text_of(value: Any) -> str:
    """Text from a JSON value: strings stripped, numbers as written, anything else empty."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def link_part(link: Any, key: str) -> str:
    if isinstance(link, Mapping):
        return text_of(link.get(key))
    return text_of(link) if key == "uri" else ""


def strings(raw: Any) -> list[str]:
    """A list of strings (CASE 1.0) or one string, perhaps comma-separated (older exports)."""
    values = raw if isinstance(raw, list) else re.split(r"[,;]", raw) if isinstance(raw, str) else []
    return [text for text in (text_of(v) for v in values) if text]


def integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    return None
