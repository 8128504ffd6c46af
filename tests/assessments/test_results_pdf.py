"""The results as a PDF: the owner's only, the same figures as the results page, the same anonymity."""

import re
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from weasyprint.formatting_structure.boxes import TextBox

from apps.accounts.models import User
from apps.assessments.feedback import feedback_round_close
from apps.assessments.forms import CANT_SAY
from apps.assessments.models import Assessment, FeedbackRound
from apps.assessments.report import results_context, results_document, results_pdf
from apps.competencies.models import Criterion
from tests.assessments.test_feedback import answer_all, invite
from tests.assessments.test_feedback import assessment as assessment  # a fixture
from tests.assessments.test_feedback import feedback_round as feedback_round  # a fixture
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

PEER_COMMENT = "Very visible on the wards"
WITHHELD_COMMENT = "The line manager's unique remark"
UNSURE = "KNO-1"  # one of the three peers can't say: too few ratings to show the others' score for it


@pytest.fixture
def with_feedback(assessment: Assessment, feedback_round: FeedbackRound) -> Assessment:
    """Three peers (shown) and one line manager (withheld: a group of one), as test_feedback sets them up."""
    for i in range(2):
        answer_all(Client(), invite(feedback_round, f"peer{i}@nhs.net"), comment=PEER_COMMENT)
    data = {"action": "submit", "comment_general": PEER_COMMENT}
    for criterion in Criterion.objects.filter(framework=assessment.framework):
        data[f"rating_{criterion.pk}"] = CANT_SAY if criterion.code == UNSURE else "2"
    token = invite(feedback_round, "peer2@nhs.net")
    assert Client().post(reverse("feedback:respond", args=[token]), data).status_code == 200
    answer_all(
        Client(), invite(feedback_round, "boss@nhs.net", category="line_manager"), value="4", comment=WITHHELD_COMMENT
    )
    feedback_round_close(feedback_round=feedback_round, now=timezone.now())  # scores show once it has closed
    return assessment


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as a reader sees it, by poppler's pdftotext (Debian's poppler-utils)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is missing: apt-get install poppler-utils")
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return flat(done.stdout.decode())


def laid_out_text(assessment: Assessment) -> str:
    """The text WeasyPrint lays out on the pages, before the PDF is written: needs nothing but WeasyPrint."""
    document = results_document(assessment=assessment, context=results_context(assessment=assessment), base_url="/")
    texts = [box.text for page in document.pages for box in page._page_box.descendants() if isinstance(box, TextBox)]
    return flat(" ".join(texts))


def flat(text: str) -> str:
    return " ".join(text.split())


def assert_anonymous_and_complete(text: str, assessment: Assessment) -> None:
    results = results_context(assessment=assessment)["results"]
    assert isinstance(results, list) and len(results) == 22
    for result, _ in results:
        assert f"{result.code} {result.title}" in text
        # the three peers' 2s; the line manager's 4 is withheld, and so is the score two peers gave
        assert result.others == (None if result.code == UNSURE else 2.0)
    assert "2.0" in text and "too few to show" in text
    assert "A guide to development, not a test" in text
    assert "Peers 3 answered" in text and "Line manager 1 answered" in text
    assert "1 answer from groups of fewer than 3 is not shown" in text
    assert PEER_COMMENT in text
    assert "unique remark" not in text
    assert "@nhs.net" not in text


def test_the_owner_downloads_a_pdf(owner: User, with_feedback: Assessment) -> None:
    response = signed_in(owner).get(reverse("assessments:results_pdf", args=[with_feedback.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    day = timezone.localdate(with_feedback.submitted_at).isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="self-assessment-{day}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF-")


def test_someone_else_gets_404_and_only_get_is_allowed(owner: User, colleague: User, assessment: Assessment) -> None:
    url = reverse("assessments:results_pdf", args=[assessment.pk])
    assert signed_in(colleague).get(url).status_code == 404
    assert signed_in(owner).post(url).status_code == 405
    assert Client().get(url).status_code == 302  # to sign in


def test_the_pdf_shows_the_criteria_and_combined_score_and_nothing_withheld(
    owner: User, with_feedback: Assessment
) -> None:
    pdf = signed_in(owner).get(reverse("assessments:results_pdf", args=[with_feedback.pk])).content
    text = pdf_text(pdf)
    assert_anonymous_and_complete(text, with_feedback)
    pages = int(re.search(r"Page 1 of (\d+)", text)[1])  # type: ignore[index]
    assert pages >= 2 and f"Page {pages} of {pages}" in text
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "CreationDate" not in info and "ModDate" not in info  # the completion date is the only date


def test_the_laid_out_pages_show_the_same(with_feedback: Assessment) -> None:
    assert_anonymous_and_complete(laid_out_text(with_feedback), with_feedback)


def test_the_results_page_and_the_pdf_use_the_same_context(
    owner: User, with_feedback: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apps.assessments import report, views, views_pdf

    calls: list[dict[str, object]] = []

    def spy(*, assessment: Assessment) -> dict[str, object]:
        context = report.results_context(assessment=assessment)
        calls.append(context)
        return context

    monkeypatch.setattr(views, "results_context", spy)
    monkeypatch.setattr(views_pdf, "results_context", spy)
    client = signed_in(owner)
    page = client.get(reverse("assessments:results", args=[with_feedback.pk]))
    client.get(reverse("assessments:results_pdf", args=[with_feedback.pk]))
    assert len(calls) == 2
    page_context, pdf_context = calls
    for key in ("assessment", "results", "feedback", "summary", "previous", "scale", "top"):
        assert page.context[key] == page_context[key]
    assert page_context == pdf_context


def test_without_feedback_it_says_so(owner: User, assessment: Assessment) -> None:
    # How long it takes is not asserted: timings belong in benchmark commands, not in tests.
    pdf = results_pdf(assessment=assessment, context=results_context(assessment=assessment), base_url="http://x/")
    text = pdf_text(pdf)
    assert "No colleagues have given 360 feedback" in text and "too few to show" not in text and "Others" not in text


def test_rendering_fetches_nothing(completed_assessment: Assessment, monkeypatch: pytest.MonkeyPatch) -> None:
    from apps.assessments import report

    monkeypatch.setattr(report, "render_to_string", lambda *_: '<p>x</p><img src="https://example.org/logo.png">')
    with pytest.raises(RuntimeError, match="must fetch nothing"):
        results_pdf(assessment=completed_assessment, context={}, base_url="http://testserver/")
