"""The results as a PDF to keep or print: the owner's only, built from the same context as the results page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest

from .report import results_context, results_pdf
from .views import _own


@login_required
@require_http_methods(["GET"])
def assessment_results_pdf(request: AuthenticatedRequest, assessment_id: int) -> HttpResponse:
    assessment = _own(request, assessment_id)  # 404 for anyone else's
    pdf = results_pdf(
        assessment=assessment,
        context=results_context(assessment=assessment),
        base_url=request.build_absolute_uri("/"),
    )
    day = timezone.localdate(assessment.submitted_at) if assessment.submitted_at else timezone.localdate()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="self-assessment-{day.isoformat()}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
