"""Checks a document a person uploads as evidence, before anything is stored.

The type is decided by the file's content (its magic bytes), never by the browser's content type, and the name's
extension must agree with it: a PDF renamed .docx, or a page of HTML renamed .txt, is refused. Only documents a
reviewer would open are accepted; anything a browser or an operating system could run is not. Plain data in, plain
data out: no Django here.
"""

import codecs
import unicodedata
import zipfile
from typing import IO

ACCEPTED = (
    "a PDF, a Word, Excel or PowerPoint document (.docx, .xlsx, .pptx), an OpenDocument text (.odt), "
    "a PNG or JPEG image, or a plain text file (.txt)"
)
MAX_NAME = 120
_HEAD = 2048

# Zipped office documents: extension → content type. OOXML files carry [Content_Types].xml;
# ODF files carry a `mimetype` entry whose text is their content type.
_OOXML = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_ODF = {".odt": "application/vnd.oasis.opendocument.text"}

# Content a computer runs: Windows and DOS programs (MZ), Linux (ELF), macOS (Mach-O; Java classes share the header
# of a universal binary), and scripts with a #! line.
_EXECUTABLE = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
# Markup a browser would render and run script in (SVG is XML and can carry <script>).
_MARKUP = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml", b"<iframe", b"<!--")
_RUNNABLE_EXTENSIONS = frozenset(
    [
        ".exe",
        ".com",
        ".bat",
        ".cmd",
        ".msi",
        ".dll",
        ".scr",
        ".ps1",
        ".vbs",
        ".js",
        ".mjs",
        ".jar",
        ".sh",
        ".py",
        ".pl",
        ".rb",
        ".php",
        ".app",
        ".apk",
        ".html",
        ".htm",
        ".xhtml",
        ".shtml",
        ".svg",
        ".svgz",
        ".xml",
        ".hta",
    ]
)


class UploadRefused(Exception):
    """The file cannot be accepted; the message is shown to the person as it is."""


def check_document(*, name: str, file: IO[bytes], size: int, max_bytes: int) -> tuple[str, str]:
    """The content type and a safe display name of an accepted document, or UploadRefused.

    `file` must be seekable: zipped documents are opened as a whole, and text is read to the end. It is left at
    its start. `size` is the number of bytes received, as the server counted them.
    """
    if size <= 0:
        raise UploadRefused("The selected file is empty")
    if size > max_bytes:
        raise UploadRefused(f"The selected file must be smaller than {megabytes(max_bytes)}")
    display = safe_name(name)
    extension = _extension(display)
    file.seek(0)
    head = file.read(_HEAD)
    file.seek(0)
    _refuse_runnable(head, extension)
    content_type = _content_type(head, extension, file)
    file.seek(0)
    return content_type, display


def safe_name(name: str) -> str:
    """The last part of a path, without control or formatting characters, at most MAX_NAME characters.

    Formatting characters go too: a right-to-left override (U+202E) can make a name ending
    in "fdp.exe" display as one ending in "exe.pdf".
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    cleaned = " ".join(cleaned.split()).strip(". ")
    if len(cleaned) > MAX_NAME:
        _, dot, extension = cleaned.rpartition(".")
        keep = f"{dot}{extension}" if dot and len(extension) <= 10 else ""
        cleaned = cleaned[: MAX_NAME - len(keep)].rstrip(". ") + keep
    return cleaned or "document"


def megabytes(limit: int) -> str:
    """A byte limit as people read it: "10 MB"."""
    if limit < 1024 * 1024:  # only ever in tests, but the message should still read well
        return f"{round(limit / 1024, 1):g} KB"
    return f"{round(limit / (1024 * 1024), 1):g} MB"


def _extension(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return f".{extension.lower()}" if dot and stem else ""


def _refuse_runnable(head: bytes, extension: str) -> None:
    if head.startswith(_EXECUTABLE):
        raise UploadRefused(f"Programs and scripts cannot be uploaded. The selected file must be {ACCEPTED}")
    start = head.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    if start.startswith(_MARKUP) or extension in _RUNNABLE_EXTENSIONS:
        raise UploadRefused(
            f"Web pages, SVG images, programs and scripts cannot be uploaded. The selected file must be {ACCEPTED}"
        )


def _content_type(head: bytes, extension: str, file: IO[bytes]) -> str:
    if head.startswith(b"%PDF-"):
        return _agree(extension, (".pdf",), "application/pdf", "a PDF")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _agree(extension, (".png",), "image/png", "a PNG image")
    if head.startswith(b"\xff\xd8\xff"):
        return _agree(extension, (".jpg", ".jpeg"), "image/jpeg", "a JPEG image")
    if head.startswith(b"PK\x03\x04"):
        return _zipped_document(extension, file)
    if extension == ".txt":
        _check_text(file)
        return "text/plain"
    raise UploadRefused(f"The selected file must be {ACCEPTED}")


def _agree(extension: str, expected: tuple[str, ...], content_type: str, what: str) -> str:
    if extension not in expected:
        raise UploadRefused(
            f"The selected file is {what}, but its name ends in {extension or 'nothing'}. "
            f"Rename it to end in {expected[0]}, or choose another file"
        )
    return content_type


def _zipped_document(extension: str, file: IO[bytes]) -> str:
    """An OOXML or ODF document: a ZIP archive with the entry its format requires and the matching extension."""
    if extension not in _OOXML and extension not in _ODF:
        raise UploadRefused(f"Zip archives cannot be uploaded. The selected file must be {ACCEPTED}")
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if extension in _OOXML and "[Content_Types].xml" in names:
                return _OOXML[extension]
            if extension in _ODF and "mimetype" in names:
                with archive.open("mimetype") as entry:
                    declared = entry.read(100).strip().decode("ascii", "replace")  # read a little: no zip bomb
                if declared == _ODF[extension]:
                    return declared
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise UploadRefused(f"The selected file could not be read. It must be {ACCEPTED}") from exc
    raise UploadRefused(f"The selected file is not a real {extension} document. It must be {ACCEPTED}")


def _check_text(file: IO[bytes]) -> None:
    """UTF-8 throughout, without NUL bytes: read in pieces, so a large file is never held whole."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    file.seek(0)
    try:
        while chunk := file.read(64 * 1024):
            if b"\x00" in chunk:
                raise UploadRefused("The selected text file contains binary data. It must be plain text in UTF-8")
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise UploadRefused("The selected text file must be saved as plain text in UTF-8") from exc
