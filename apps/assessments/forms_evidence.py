from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from .models import EvidenceKind
from .uploads import megabytes

LINK_MESSAGE = "Enter a link that starts with https://"


class EvidenceForm(forms.Form):
    """One item of evidence. Which of note, link and file is needed depends on the kind chosen."""

    kind = forms.ChoiceField(
        choices=EvidenceKind.choices,
        widget=forms.RadioSelect,
        label="What kind of evidence is it?",
        error_messages={
            "required": "Choose whether your evidence is a note, a link or a document",
            "invalid_choice": "Choose whether your evidence is a note, a link or a document",
        },
    )
    title = forms.CharField(
        max_length=200,
        label="Title",
        help_text="A few words to recognise it by, for example 'Audit of discharge summaries, 2024'.",
        error_messages={
            "required": "Enter a title for your evidence",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    text = forms.CharField(
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Your note",
        help_text="Needed for a note. For a link or a document, say what it shows.",
        error_messages={"max_length": "Your note must be 10,000 characters or fewer"},
    )
    url = forms.CharField(
        required=False,
        max_length=1000,
        label="Link",
        help_text="For a link: the full address, starting with https://",
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "url"}),
        error_messages={"max_length": "Link must be 1,000 characters or fewer"},
    )
    file = forms.FileField(
        required=False,
        label="Document",
        error_messages={"empty": "The selected file is empty", "invalid": "Select a file to upload"},
    )

    def __init__(self, *args: Any, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "For a document: a PDF, Word, Excel, PowerPoint or OpenDocument text file, a PNG or JPEG image, "
            f"or a plain text file, up to {megabytes(max_bytes)}."
        )

    def clean(self) -> dict[str, Any]:
        """Only the field the chosen kind needs is checked: what was typed in the others is ignored."""
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == EvidenceKind.TEXT and not data.get("text", "").strip() and "text" not in self.errors:
            self.add_error("text", "Enter your note")
        if kind == EvidenceKind.LINK and "url" not in self.errors and not _is_web_link(data.get("url", "")):
            self.add_error("url", LINK_MESSAGE)
        if kind == EvidenceKind.FILE and not data.get("file") and "file" not in self.errors:
            self.add_error("file", "Select a file to upload")
        return data


def _is_web_link(url: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return True
