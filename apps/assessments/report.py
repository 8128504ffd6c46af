"""A person's self-assessment results, built once for every output: the results page and the PDF both take their
figures from `results_context`, so both follow the same anonymity rules (`visible_feedback`) and show the same
numbers. The PDF is rendered by WeasyPrint from a self-contained template: no fonts, images or stylesheets are
fetched, so rendering never touches the network or the file system beyond the installed fonts."""

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils.timezone import now

from .anonymity import visible_feedback
from .models import Assessment, FeedbackRound, RaterCategory
from .pdf import document_bytes, render_document
from .results import CriterionInput, criterion_results, readiness
from .selectors import all_entries, feedback_answers, previous_submitted, ratings_by_code

if TYPE_CHECKING:
    from weasyprint.document import Document

PDF_TEMPLATE = "assessments/results_pdf.html"


def results_context(*, assessment: Assessment) -> dict[str, object]:
    """What the results show: each criterion's result beside the raters' figures the anonymity rules allow."""
    previous = previous_submitted(assessment=assessment)
    before = ratings_by_code(assessment=previous) if previous else {}
    entries = all_entries(assessment=assessment)
    feedback = visible_feedback(
        feedback_answers(assessment=assessment),
        labels=dict(RaterCategory.choices),
        criteria=[c.code for c in entries],
    )
    inputs = [
        CriterionInput(
            code=c.code,
            title=c.title,
            group=c.group.title,
            self_rating=c.own_rating.value if c.own_rating else None,  # type: ignore[attr-defined]
            expected=c.expected,  # type: ignore[attr-defined]
            previous=before.get(c.code),
            others=feedback.criteria[c.code].others_mean,
        )
        for c in entries
    ]
    results = criterion_results(inputs)
    scale = list(assessment.framework.scale.all())
    top = max((p.value for p in scale), default=1)
    feedback_round = FeedbackRound.objects.filter(assessment=assessment).first()
    return {
        "assessment": assessment,
        # Open: answers are coming in and none is shown yet (selectors.feedback_answers says why).
        "feedback_open_until": feedback_round.closes_at if feedback_round and feedback_round.is_open(now()) else None,
        "results": [(r, feedback.criteria[r.code]) for r in results],
        "feedback": feedback,
        "summary": readiness(results),
        "previous": previous,
        "scale": scale,
        "top": top,
    }


def results_document(*, assessment: Assessment, context: dict[str, object], base_url: str) -> "Document":
    """The results laid out on A4 pages by WeasyPrint, before they are written as a PDF."""
    html = render_to_string(PDF_TEMPLATE, {**context, "assessment": assessment})
    return render_document(html=html, base_url=base_url, what="results")


def results_pdf(*, assessment: Assessment, context: dict[str, object], base_url: str) -> bytes:
    """The results as an A4 PDF. `context` is `results_context(assessment=...)`; `base_url` resolves links."""
    return document_bytes(results_document(assessment=assessment, context=context, base_url=base_url))
