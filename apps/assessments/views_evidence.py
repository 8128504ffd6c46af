"""Evidence on one criterion of one's own self-assessment. Another person's assessment, criterion or evidence is a
404, exactly like one that does not exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest

from .crosswalk import evidence_also_counting
from .evidence import (
    EvidenceError,
    criterion_of_assessment,
    document_response,
    evidence_add,
    evidence_for_criterion,
    evidence_max_bytes,
    evidence_of_assessment,
    evidence_remove,
)
from .forms_evidence import EvidenceForm
from .models import Assessment, Evidence, EvidenceKind
from .services import AssessmentError
from .views import _own


@login_required
@require_http_methods(["GET", "POST"])
def evidence_new(request: AuthenticatedRequest, assessment_id: int, criterion_id: int) -> HttpResponse:
    assessment = _own(request, assessment_id)
    criterion = criterion_of_assessment(assessment=assessment, criterion_id=criterion_id)
    if criterion is None:
        raise Http404("No such criterion in this self-assessment.")
    group_url = reverse("assessments:group", args=[assessment.pk, criterion.group.code])
    if not assessment.is_draft and request.method == "GET":
        messages.error(request, "This self-assessment is completed, so its evidence cannot change.")
        return redirect(group_url)
    form = EvidenceForm(request.POST or None, request.FILES or None, max_bytes=evidence_max_bytes())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evidence_add(
                assessment=assessment,
                criterion=criterion,
                kind=data["kind"],
                title=data["title"],
                text=data["text"],
                url=data["url"] if data["kind"] == EvidenceKind.LINK else "",
                upload=data["file"] if data["kind"] == EvidenceKind.FILE else None,
                now=timezone.now(),
            )
        except EvidenceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, f"Evidence added to {criterion.code}.")
            return redirect(group_url)
    crumbs = [
        ("Your self-assessments", reverse("assessments:list")),
        ("This self-assessment", reverse("assessments:overview", args=[assessment.pk])),
        (criterion.group.title, group_url),
    ]
    return render(
        request,
        "assessments/evidence_add.html",
        {
            "assessment": assessment,
            "criterion": criterion,
            "evidence": evidence_for_criterion(assessment=assessment, criterion=criterion),
            "also_counting": evidence_also_counting(assessment=assessment, criterion=criterion),
            "form": form,
            "crumbs": crumbs,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def evidence_discard(request: AuthenticatedRequest, assessment_id: int, evidence_id: int) -> HttpResponse:
    assessment = _own(request, assessment_id)
    evidence = _evidence(assessment, evidence_id)
    try:
        evidence_remove(assessment=assessment, evidence_id=evidence.pk)
    except AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:group", assessment.pk, evidence.criterion.group.code)
    messages.success(request, f"“{evidence.title}” is removed from {evidence.criterion.code}.")
    return redirect("assessments:evidence_add", assessment.pk, evidence.criterion_id)


@login_required
@require_http_methods(["GET"])
def evidence_file(request: AuthenticatedRequest, assessment_id: int, evidence_id: int) -> FileResponse:
    evidence = _evidence(_own(request, assessment_id), evidence_id)
    if evidence.kind != EvidenceKind.FILE or not evidence.file:
        raise Http404("This evidence is not a document.")
    return document_response(evidence)


def _evidence(assessment: Assessment, evidence_id: int) -> Evidence:
    evidence = evidence_of_assessment(assessment=assessment, evidence_id=evidence_id)
    if evidence is None:
        raise Http404("No such evidence.")
    return evidence
