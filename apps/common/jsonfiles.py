"""Reading and writing the JSON files of the what-if commands (`match_solve`, `als_group`): '-' for standard
input or output, and read failures said in words a person can act on."""

import json
import sys
from pathlib import Path
from typing import Any, Protocol


class Writer(Protocol):
    def write(self, text: str) -> Any: ...


EXIT_BAD_INPUT = 2  # Django's CommandError exits with 1; bad input files exit with 2, as the issues ask


def read_json(source: str) -> Any:
    if source == "-":
        return json.load(sys.stdin)
    with Path(source).open(encoding="utf-8") as file:
        return json.load(file)


def write_json(target: str, result: dict[str, Any], *, stdout: Writer, indent: int | None = None) -> None:
    if target == "-":
        stdout.write(json.dumps(result))
        return
    with Path(target).open("w", encoding="utf-8") as out:
        json.dump(result, out, indent=indent)
        out.write("\n")


READ_ERRORS = (OSError, UnicodeDecodeError, json.JSONDecodeError)


def describe(error: Exception) -> str:
    """What went wrong reading a file, for the person who gave it."""
    if isinstance(error, json.JSONDecodeError):
        return f"not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})."
    if isinstance(error, OSError):
        return f"the file cannot be read ({error.strerror or error})."
    if isinstance(error, UnicodeDecodeError):
        return "the file is not UTF-8 text."
    return str(error)
