"""What both directions share: the names our export gives CASE item types, the extension key, the import error,
and the wording of notes."""

from collections.abc import Sequence

EXTENSION = "steppingUp"
GROUP, CRITERION, PROMPT = "Group", "Criterion", "Prompt question"
ITEM_TYPES = {GROUP: "Groups of criteria", CRITERION: "What is assessed", PROMPT: "A question to reflect on"}


class CaseImportError(Exception):
    """The package cannot be read as a CASE framework at all; the message names the JSON path."""


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def were(n: int) -> str:
    return "was" if n == 1 else "were"


def examples(codes: Sequence[str]) -> str:
    return ", ".join(codes[:5]) + (", …" if len(codes) > 5 else "")
