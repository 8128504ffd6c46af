"""Evidence on a criterion: a note, a link or a document checked by its content. Only the owner adds, removes or
downloads it; a refused upload leaves no row and no file behind."""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from apps.accounts.models import User
from apps.assessments.evidence import evidence_add
from apps.assessments.models import Assessment, AssessmentStatus, Evidence, EvidenceKind
from apps.assessments.services import AssessmentError, assessment_start
from apps.assessments.uploads import MAX_NAME, UploadRefused, check_document, safe_name
from apps.competencies.models import Criterion, Framework
from apps.profiles.models import LeadershipLevel
from tests.conftest import signed_in
from tests.support.colleagues import become_mentor_of, share_results_with

MB = 1024 * 1024


# --- Real documents, built byte by byte ------------------------------------------------------------------------


def pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def png() -> bytes:
    """A 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    """The start of a JFIF JPEG (SOI and APP0) and its end marker: what the check reads."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def ooxml(main_part: str) -> bytes:
    return zipped({"[Content_Types].xml": b"<?xml version='1.0'?><Types/>", main_part: b"<?xml version='1.0'?><x/>"})


def odt() -> bytes:
    return zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document/>"})


def check(name: str, data: bytes, max_bytes: int = 10 * MB) -> tuple[str, str]:
    return check_document(name=name, file=io.BytesIO(data), size=len(data), max_bytes=max_bytes)


# --- The pure checks -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("Audit.pdf", pdf(), "application/pdf"),
        ("chart.png", png(), "image/png"),
        ("photo.JPG", jpeg(), "image/jpeg"),
        ("photo.jpeg", jpeg(), "image/jpeg"),
        ("reflection.txt", "Led the rota redesign — 12 weeks".encode(), "text/plain"),
        (
            "Report.docx",
            ooxml("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("Figures.xlsx", ooxml("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "Talk.pptx",
            ooxml("ppt/presentation.xml"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("Notes.odt", odt(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_documents_are_accepted_by_their_content(name: str, data: bytes, content_type: str) -> None:
    assert check(name, data) == (content_type, name)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.pdf", b"", "The selected file is empty"),
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "Programs and scripts cannot be uploaded"),
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 60, "Programs and scripts cannot be uploaded"),
        ("run.txt", b"#!/bin/sh\nrm -rf /\n", "Programs and scripts cannot be uploaded"),
        ("Audit.docx", pdf(), "The selected file is a PDF, but its name ends in .docx"),
        ("Audit.docx", zipped({"word/document.xml": b"<x/>"}), "not a real .docx document"),
        ("Notes.odt", zipped({"content.xml": b"<x/>"}), "not a real .odt document"),
        ("Report.docx", b"PK\x03\x04 truncated", "could not be read"),
        ("bundle.zip", zipped({"a.txt": b"a"}), "Zip archives cannot be uploaded"),
        ("page.html", b"<!DOCTYPE html><script>alert(1)</script>", "Web pages, SVG images"),
        ("page.txt", b"  <html><body onload=alert(1)>", "Web pages, SVG images"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
        ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "SVG"),
        ("binary.txt", b"looks like text\x00\x01\x02", "contains binary data"),
        ("latin1.txt", "Café".encode("latin-1"), "plain text in UTF-8"),
        ("data.csv", b"a,b\n1,2\n", "must be a PDF, a Word, Excel or PowerPoint document"),
        ("noextension", pdf(), "its name ends in nothing"),
    ],
)
def test_anything_else_is_refused_saying_what_is_accepted(name: str, data: bytes, message: str) -> None:
    with pytest.raises(UploadRefused, match=message):
        check(name, data)


def test_too_big_names_the_limit_in_megabytes() -> None:
    data = pdf() + b"%" * (2 * MB)
    with pytest.raises(UploadRefused, match="The selected file must be smaller than 2 MB"):
        check("big.pdf", data, max_bytes=2 * MB)


def test_the_check_leaves_the_file_at_its_start() -> None:
    stream = io.BytesIO(ooxml("word/document.xml"))
    check_document(name="a.docx", file=stream, size=len(stream.getvalue()), max_bytes=MB)
    assert stream.tell() == 0


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\Desktop\\Audit.pdf", "Audit.pdf"),
        ("Audit\r\nX-Injected: 1.pdf", "AuditX-Injected: 1.pdf"),
        ("report\u202efdp.exe", "reportfdp.exe"),  # a right-to-left override would show "exe.pdf"
        ("  spaced   out .pdf ", "spaced out .pdf"),
        ("/", "document"),
        ("a" * 300 + ".pdf", "a" * (MAX_NAME - 4) + ".pdf"),
    ],
)
def test_display_names_are_safe(name: str, safe: str) -> None:
    assert safe_name(name) == safe
    assert len(safe_name(name)) <= MAX_NAME


def test_the_display_name_comes_back_cleaned() -> None:
    assert check("../secret/\x00Audit.pdf", pdf()) == ("application/pdf", "Audit.pdf")


# --- The views ----------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> Path:
    """Every test stores its files in its own folder, removed by pytest."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def assessment(owner: User, person_spec: Framework) -> Assessment:
    return assessment_start(
        owner=owner, framework=person_spec, target_level=LeadershipLevel.MEDICAL_DIRECTOR, now=timezone.now()
    )


@pytest.fixture
def criterion(person_spec: Framework) -> Criterion:
    return Criterion.objects.get(framework=person_spec, code="EXP-1")


def add_url(assessment: Assessment, criterion: Criterion) -> str:
    return reverse("assessments:evidence_add", args=[assessment.pk, criterion.pk])


def stored_files(media: Path) -> list[Path]:
    return [p for p in (media / "evidence").rglob("*") if p.is_file()] if (media / "evidence").exists() else []


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def add_document(assessment: Assessment, criterion: Criterion) -> Evidence:
    return evidence_add(
        assessment=assessment,
        criterion=criterion,
        kind=EvidenceKind.FILE,
        title="Discharge audit",
        upload=upload("Audit.pdf", pdf()),
        now=timezone.now(),
    )


@pytest.mark.django_db
def test_the_owner_adds_a_note_and_a_link(owner: User, assessment: Assessment, criterion: Criterion) -> None:
    client = signed_in(owner)
    assert client.get(add_url(assessment, criterion)).status_code == 200
    note = {"kind": "text", "title": "Rota redesign", "text": "Led the redesign of the junior rota."}
    link = {"kind": "link", "title": "Published audit", "url": "https://example.org/audit", "text": "Co-author"}
    group = reverse("assessments:group", args=[assessment.pk, "EXP"])
    assert client.post(add_url(assessment, criterion), note).url == group
    assert client.post(add_url(assessment, criterion), link).url == group
    rows = list(Evidence.objects.filter(assessment=assessment, criterion=criterion).values_list("kind", "url", "text"))
    assert rows == [
        ("text", "", "Led the redesign of the junior rota."),
        ("link", "https://example.org/audit", "Co-author"),
    ]
    page = client.get(group).content.decode()
    assert "Rota redesign" in page and 'href="https://example.org/audit" rel="noopener noreferrer"' in page


@pytest.mark.django_db
def test_the_owner_uploads_a_pdf_stored_under_a_random_name_and_downloads_it(
    owner: User, assessment: Assessment, criterion: Criterion, media: Path
) -> None:
    client = signed_in(owner)
    data = pdf()
    # The browser's content type is ignored: the file is a PDF whatever it says.
    response = client.post(
        add_url(assessment, criterion),
        {"kind": "file", "title": "Discharge audit", "file": upload("../../Audit 2024.pdf", data, "text/html")},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(assessment=assessment)
    assert (evidence.file_name, evidence.content_type, evidence.size) == (
        "Audit 2024.pdf",
        "application/pdf",
        len(data),
    )
    assert evidence.file.name.startswith(f"evidence/{owner.pk}/") and "Audit" not in evidence.file.name
    assert stored_files(media) == [media / evidence.file.name]

    download = client.get(reverse("assessments:evidence_download", args=[assessment.pk, evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data  # type: ignore[attr-defined]
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="Audit 2024.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    page = client.get(reverse("assessments:group", args=[assessment.pk, "EXP"])).content.decode()
    assert reverse("assessments:evidence_download", args=[assessment.pk, evidence.pk]) in page


@pytest.mark.django_db
def test_the_owner_removes_evidence_and_its_file(
    owner: User,
    assessment: Assessment,
    criterion: Criterion,
    media: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    evidence = add_document(assessment, criterion)
    client = signed_in(owner)
    remove_url = reverse("assessments:evidence_remove", args=[assessment.pk, evidence.pk])
    # Remove is its own form on the evidence page. The group page is one big form: a button there would be its
    # default button, pressed by Enter on a rating, so it only links to the evidence page.
    assert f'<form method="post" action="{remove_url}">' in client.get(add_url(assessment, criterion)).content.decode()
    group_page = client.get(reverse("assessments:group", args=[assessment.pk, "EXP"])).content.decode()
    assert remove_url not in group_page and "Add or remove evidence" in group_page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove_url)
    assert response.url == add_url(assessment, criterion)
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


@pytest.mark.django_db
def test_the_group_page_lists_evidence_without_a_query_per_item(
    owner: User, assessment: Assessment, criterion: Criterion
) -> None:
    client = signed_in(owner)
    group = reverse("assessments:group", args=[assessment.pk, "EXP"])
    with CaptureQueriesContext(connection) as without_evidence:
        client.get(group)
    add_document(assessment, criterion)
    for other in Criterion.objects.filter(group__code="EXP", framework=assessment.framework)[:3]:
        evidence_add(
            assessment=assessment, criterion=other, kind="text", title="Rota redesign", text="x", now=timezone.now()
        )
    with CaptureQueriesContext(connection) as with_evidence:
        page = client.get(group).content.decode()
    assert page.count("Rota redesign") == 3 and "Discharge audit" in page
    assert len(with_evidence) == len(without_evidence)


@pytest.mark.django_db
@pytest.mark.parametrize("shared", [False, True], ids=["nothing shared", "the results shared with them"])
def test_a_colleague_gets_404_everywhere_and_nothing_changes(
    owner: User,
    colleague: User,
    person_spec: Framework,
    assessment: Assessment,
    criterion: Criterion,
    media: Path,
    shared: bool,
) -> None:
    evidence = add_document(assessment, criterion)
    if shared:  # the owner's mentor sees the results, never the evidence behind them
        become_mentor_of(owner, colleague)
        share_results_with(colleague, assessment)
    client = signed_in(colleague)
    theirs = assessment_start(owner=colleague, framework=person_spec, target_level=5, now=timezone.now())
    note = {"kind": "text", "title": "Mine now", "text": "x"}
    assert client.get(add_url(assessment, criterion)).status_code == 404
    assert client.post(add_url(assessment, criterion), note).status_code == 404
    for owner_of_url in (assessment, theirs):  # their own assessment with the owner's evidence id: still 404
        for name, method in (("evidence_remove", client.post), ("evidence_download", client.get)):
            assert method(reverse(f"assessments:{name}", args=[owner_of_url.pk, evidence.pk])).status_code == 404
    assert list(Evidence.objects.values_list("pk", flat=True)) == [evidence.pk]
    assert stored_files(media) == [media / evidence.file.name]


@pytest.mark.django_db
def test_a_criterion_of_another_framework_is_404(owner: User, assessment: Assessment) -> None:
    other = Criterion.objects.exclude(framework=assessment.framework).first()
    missing = other.pk if other else 999_999
    response = signed_in(owner).get(reverse("assessments:evidence_add", args=[assessment.pk, missing]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_signed_out_people_are_sent_to_sign_in(assessment: Assessment, criterion: Criterion) -> None:
    response = Client().get(add_url(assessment, criterion))
    assert response.status_code == 302 and "/account/login/" in response.url


@pytest.mark.django_db
def test_an_outsider_gets_404(outsider: User, assessment: Assessment, criterion: Criterion) -> None:
    assert signed_in(outsider).get(add_url(assessment, criterion)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ({"kind": "text", "title": "", "text": ""}, ["Enter a title for your evidence", "Enter your note"]),
        ({"kind": "link", "title": "A link", "url": "javascript:alert(1)"}, ["Enter a link that starts with https://"]),
        ({"kind": "link", "title": "A link", "url": "ftp://example.org/a"}, ["Enter a link that starts with https://"]),
        ({"kind": "file", "title": "A document"}, ["Select a file to upload"]),
        ({"kind": "video", "title": "A video"}, ["Choose whether your evidence is a note, a link or a document"]),
    ],
)
def test_bad_input_is_400_keeps_what_was_typed_and_adds_nothing(
    owner: User, assessment: Assessment, criterion: Criterion, data: dict[str, str], messages: list[str]
) -> None:
    response = signed_in(owner).post(add_url(assessment, criterion), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert all(message in body for message in messages)
    assert 'class="nhsuk-error-summary"' in body
    if data["title"]:
        assert f'value="{data["title"]}"' in body
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_a_wrong_type_is_400_and_leaves_no_row_and_no_file(
    owner: User, assessment: Assessment, criterion: Criterion, media: Path
) -> None:
    disguised = upload("Audit.docx", pdf(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response = signed_in(owner).post(
        add_url(assessment, criterion), {"kind": "file", "title": "Audit", "file": disguised}
    )
    assert response.status_code == 400
    assert "The selected file is a PDF, but its name ends in .docx" in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


@pytest.mark.django_db
def test_a_file_over_the_limit_is_400_and_leaves_no_row_and_no_file(
    owner: User, assessment: Assessment, criterion: Criterion, media: Path, settings: Settings
) -> None:
    settings.EVIDENCE_MAX_BYTES = MB
    big = upload("Audit.pdf", pdf() + b"%" * MB)
    response = signed_in(owner).post(add_url(assessment, criterion), {"kind": "file", "title": "Audit", "file": big})
    assert response.status_code == 400
    body = response.content.decode()
    assert "The selected file must be smaller than 1 MB" in body and "up to 1 MB" in body
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


@pytest.mark.django_db
def test_a_completed_assessment_refuses_new_evidence_and_removals(
    owner: User, assessment: Assessment, criterion: Criterion, media: Path
) -> None:
    evidence = add_document(assessment, criterion)
    Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.SUBMITTED, submitted_at=timezone.now())
    client = signed_in(owner)
    note = {"kind": "text", "title": "Late", "text": "Too late"}
    response = client.post(add_url(assessment, criterion), note)
    assert response.status_code == 400 and "This self-assessment is completed" in response.content.decode()
    assert client.get(add_url(assessment, criterion)).status_code == 302
    client.post(reverse("assessments:evidence_remove", args=[assessment.pk, evidence.pk]))
    assert list(Evidence.objects.values_list("pk", flat=True)) == [evidence.pk]
    assert stored_files(media) == [media / evidence.file.name]
    # Still the owner's record: it can be downloaded, but not changed, and the page offers no change.
    download = client.get(reverse("assessments:evidence_download", args=[assessment.pk, evidence.pk]))
    assert download.status_code == 200
    page = client.get(reverse("assessments:group", args=[assessment.pk, "EXP"])).content.decode()
    assert "Discharge audit" in page and "evidence_remove" not in page and "/remove/" not in page


@pytest.mark.django_db
def test_the_service_refuses_a_criterion_of_another_framework_and_an_empty_document(
    assessment: Assessment, criterion: Criterion, media: Path
) -> None:
    other = Criterion(framework_id=assessment.framework_id + 1, code="X", title="X", position=1)
    with pytest.raises(AssessmentError, match="another framework"):
        evidence_add(assessment=assessment, criterion=other, kind="text", title="t", text="n", now=timezone.now())
    with pytest.raises(AssessmentError, match="Select a file"):
        evidence_add(assessment=assessment, criterion=criterion, kind="file", title="t", now=timezone.now())
    assert not Evidence.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
def test_a_row_that_cannot_be_written_takes_its_file_back(
    assessment: Assessment, criterion: Criterion, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise IntegrityError("the database refused the row")

    monkeypatch.setattr(Evidence, "save", fail)
    with pytest.raises(IntegrityError):
        add_document(assessment, criterion)
    assert stored_files(media) == []


@pytest.mark.django_db
def test_wrong_methods_are_405(owner: User, assessment: Assessment, criterion: Criterion) -> None:
    evidence = add_document(assessment, criterion)
    client = signed_in(owner)
    assert client.put(add_url(assessment, criterion)).status_code == 405
    assert client.get(reverse("assessments:evidence_remove", args=[assessment.pk, evidence.pk])).status_code == 405
    assert client.post(reverse("assessments:evidence_download", args=[assessment.pk, evidence.pk])).status_code == 405
    assert Evidence.objects.count() == 1
