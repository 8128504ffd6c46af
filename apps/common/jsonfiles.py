"""Reading and writing the JSON files of the what-if commands (`match_solve`, `als_group`): '-' for standard
input or output, and read failures said in words a person can act on."""

import json
import sys
from pathlib import Path
from typing import Any, Protocol


class Writer(Protocol):
    def write(self, text: str) -> Any: ...


EXIT_BAD_INPUT = 2  # Django's CommandError exits with 1; bad input files exit with 2, as the issues ask


class UnreadableJson(ValueError):
    """Valid-looking JSON that `json` still cannot turn into data; the message says why, for a person to read."""


def read_json(source: str) -> Any:
    """The data in `source` ('-' for standard input). Besides `json`'s own errors, two files it reads without a
    JSONDecodeError are refused as `UnreadableJson`: one nested thousands deep (RecursionError) and one with a
    number longer than Python will convert (4,300 digits, a ValueError)."""
    if source == "-":
        return parse_json(sys.stdin.read())
    with Path(source).open(encoding="utf-8") as file:
        return parse_json(file.read())


def parse_json(text: str) -> Any:
    """The data in JSON text, refused as `read_json` refuses it (for text already read, such as standard input
    that a faster parser has consumed)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise UnreadableJson("the JSON is nested too deeply to read.") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise
    except ValueError as error:
        if "integer string conversion" in str(error):
            raise UnreadableJson("a number in the file is too long to read.") from None
        raise


def write_json(target: str, result: dict[str, Any], *, stdout: Writer, indent: int | None = None) -> None:
    if target == "-":
        stdout.write(json.dumps(result))
        return
    # dumps, not dump: dump streams through json's pure-Python encoder, several times slower on large results.
    text = json.dumps(result, indent=indent)
    with Path(target).open("w", encoding="utf-8") as out:
        out.write(text + "\n")


READ_ERRORS = (OSError, UnicodeDecodeError, json.JSONDecodeError, UnreadableJson)
WRITE_ERRORS = (OSError,)  # a folder that does not exist, a path that is a folder, no permission, a full disk


def describe(error: Exception) -> str:
    """What went wrong reading a file, for the person who gave it."""
    if isinstance(error, json.JSONDecodeError):
        return f"not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})."
    if isinstance(error, OSError):
        return f"the file cannot be read ({error.strerror or error})."
    if isinstance(error, UnicodeDecodeError):
        return "the file is not UTF-8 text."
    return str(error)


def describe_write(error: OSError) -> str:
    """What went wrong writing a result file."""
    return f"{error.strerror or error}."
