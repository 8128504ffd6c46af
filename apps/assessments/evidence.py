"""Evidence a person links to one criterion of their own draft self-assessment: a note, a link or a document.

Documents are checked by content before anything is stored (uploads.check_document), are stored under a random name
(models.evidence_upload_path) and are served only by a view that checks the owner. Refused means nothing written:
no row, and no file left on disk.
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.http import FileResponse, Http404

from apps.competencies.models import Criterion

from .models import Assessment, Evidence, EvidenceKind
from .services import AssessmentError
from .uploads import UploadRefused, check_document

_COMPLETED = "This self-assessment is completed and cannot change. Start a new one to compare."


class EvidenceError(AssessmentError):
    """An AssessmentError that can name the form field at fault, so the page links the message to it."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def evidence_max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


def evidence_of_assessment(*, assessment: Assessment, evidence_id: int) -> Evidence | None:
    """One item of evidence, only if it belongs to this (already owner-checked) assessment."""
    return Evidence.objects.filter(assessment=assessment, pk=evidence_id).select_related("criterion__group").first()


def evidence_for_criterion(*, assessment: Assessment, criterion: Criterion) -> list[Evidence]:
    return list(Evidence.objects.filter(assessment=assessment, criterion=criterion))


def criterion_of_assessment(*, assessment: Assessment, criterion_id: int) -> Criterion | None:
    """A criterion, only if it is part of the framework this assessment measures against."""
    return Criterion.objects.filter(framework=assessment.framework_id, pk=criterion_id).select_related("group").first()


@transaction.atomic
def evidence_add(
    *,
    assessment: Assessment,
    criterion: Criterion,
    kind: str,
    title: str,
    text: str = "",
    url: str = "",
    upload: UploadedFile | None = None,
    now: datetime,
) -> Evidence:
    locked = _draft(assessment)
    if criterion.framework_id != locked.framework_id:
        raise EvidenceError("That criterion belongs to another framework.")
    evidence = Evidence(assessment=locked, criterion=criterion, kind=kind, title=title.strip(), added_at=now)
    fill_and_save(evidence, kind=kind, text=text, url=url, upload=upload)
    locked.save(update_fields=["updated_at"])
    return evidence


@transaction.atomic
def evidence_remove(*, assessment: Assessment, evidence_id: int) -> None:
    locked = _draft(assessment)
    evidence = Evidence.objects.filter(assessment=locked, pk=evidence_id).first()
    if evidence is None:
        raise EvidenceError("That evidence is not part of this self-assessment.")
    stored = evidence.file.name
    evidence.delete()
    locked.save(update_fields=["updated_at"])
    if stored:
        storage = evidence.file.storage
        # Only once the row is gone for good: a rolled-back removal must still find its file.
        transaction.on_commit(lambda: storage.delete(stored))


def _draft(assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_draft:
        raise EvidenceError(_COMPLETED)
    return locked


# Plans' evidence (apps.development) has the same content fields and uses the same checks.
EvidenceContent = Any


def fill_and_save(evidence: EvidenceContent, *, kind: str, text: str, url: str, upload: UploadedFile | None) -> None:
    """Check and store a piece of evidence's content (a note, a link or a document) on any evidence row with the
    fields kind, title, text, url, file, file_name, content_type and size: self-assessments' and plans' alike."""
    if not evidence.title:
        raise EvidenceError("Enter a title for your evidence", "title")
    if kind == EvidenceKind.TEXT:
        evidence.text = clean_note(text)
    elif kind == EvidenceKind.LINK:
        evidence.url, evidence.text = clean_link(url), text.strip()
    elif kind == EvidenceKind.FILE:
        attach_document(evidence, upload)
        evidence.text = text.strip()
    else:
        raise EvidenceError("Choose whether your evidence is a note, a link or a document", "kind")
    try:
        evidence.full_clean()
    except ValidationError as exc:
        raise EvidenceError(" ".join(exc.messages)) from exc
    save_with_file(evidence, upload if kind == EvidenceKind.FILE else None)


def document_response(evidence: EvidenceContent) -> FileResponse:
    """A stored document as a download to its owner. Never rendered inline: the browser must not second-guess
    the type or run anything in it."""
    try:
        stream = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The document is no longer stored.") from exc
    response = FileResponse(stream, as_attachment=True, filename=evidence.file_name, content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def clean_note(text: str) -> str:
    if not text.strip():
        raise EvidenceError("Enter your note", "text")
    return text.strip()


def clean_link(url: str) -> str:
    url = url.strip()
    if not url:
        raise EvidenceError("Enter a link that starts with https://", "url")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise EvidenceError("Enter a link that starts with https://", "url") from exc
    return url


def attach_document(evidence: EvidenceContent, upload: UploadedFile | None) -> None:
    """Check an upload and put it on any evidence row with file, file_name, content_type and size fields."""
    if upload is None:
        raise EvidenceError("Select a file to upload", "file")
    try:
        content_type, name = check_document(
            name=upload.name or "", file=upload, size=upload.size or 0, max_bytes=evidence_max_bytes()
        )
    except UploadRefused as exc:
        raise EvidenceError(str(exc), "file") from exc
    evidence.file = upload  # checked by full_clean; written by _save under a random name
    evidence.file_name, evidence.content_type, evidence.size = name, content_type, upload.size or 0


def save_with_file(evidence: EvidenceContent, upload: UploadedFile | None) -> None:
    """Write the file under its random name, then the row; if the row cannot be written, take the file back."""
    if upload is not None:
        evidence.file.save("evidence", upload, save=False)  # evidence_upload_path ignores the name given
    try:
        with transaction.atomic():
            evidence.save()
    except Exception:
        if upload is not None:
            evidence.file.delete(save=False)
        raise
