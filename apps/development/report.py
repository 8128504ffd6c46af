"""The development plan as a PDF for the annual appraisal (WeasyPrint, through apps.assessments.pdf)."""

from django.template.loader import render_to_string
from django.utils import timezone

from apps.assessments.pdf import document_bytes, render_document

from .models import Plan
from .selectors import evidence_by_criterion, progress


def plan_pdf(*, plan: Plan, base_url: str) -> bytes:
    """`plan` must come from `plan_with_content` (everything prefetched)."""
    done, counted = progress(plan)
    html = render_to_string(
        "development/plan_pdf.html",
        {
            "plan": plan,
            "done": done,
            "counted": counted,
            "by_criterion": evidence_by_criterion(plan),
            "printed": timezone.localdate(),
        },
    )
    return document_bytes(render_document(html=html, base_url=base_url, what="development plan"))
