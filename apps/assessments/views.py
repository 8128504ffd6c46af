from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.competencies.selectors import frameworks
from apps.profiles.selectors import target_level_for

from .crosswalk import crosswalk_sections
from .forms import GroupForm, StartForm
from .models import Assessment
from .report import expected_of, results_context
from .selectors import (
    assessment_for_owner,
    assessments_for_owner,
    group_entries,
    group_for_assessment,
    group_progress,
)
from .services import (
    AssessmentError,
    assessment_delete_draft,
    assessment_save_group,
    assessment_start,
    assessment_submit,
)


def _own(request: AuthenticatedRequest, assessment_id: int) -> Assessment:
    """The signed-in person's assessment, or 404: another person's looks exactly like one that does not exist."""
    assessment = assessment_for_owner(owner=request.user, assessment_id=assessment_id)
    if assessment is None:
        raise Http404("No such self-assessment.")
    return assessment


@login_required
@require_http_methods(["GET"])
def assessment_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "assessments/list.html", {"assessments": assessments_for_owner(owner=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def assessment_new(request: AuthenticatedRequest) -> HttpResponse:
    initial = {"target_level": target_level_for(user=request.user)}
    form = StartForm(request.POST or None, frameworks=frameworks(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessment_start(
                owner=request.user,
                framework=form.cleaned_data["framework"],
                target_level=form.cleaned_data["target_level"],
                now=timezone.now(),
            )
        except AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("assessments:overview", assessment.pk)
    return render(request, "assessments/new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET"])
def assessment_overview(request: AuthenticatedRequest, assessment_id: int) -> HttpResponse:
    assessment = _own(request, assessment_id)
    progress = group_progress(assessment=assessment)
    rated = sum(r for _, r, _ in progress)
    total = sum(t for _, _, t in progress)
    return render(
        request,
        "assessments/overview.html",
        {
            "assessment": assessment,
            "progress": progress,
            "rated": rated,
            "total": total,
            "expected_of": expected_of(level=assessment.target_level),
            "level_description": assessment.framework.level_description(assessment.target_level),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_group(request: AuthenticatedRequest, assessment_id: int, code: str) -> HttpResponse:
    assessment = _own(request, assessment_id)
    # A NUL in the address would reach PostgreSQL, which refuses it (a 500): no part has one in its code.
    group = group_for_assessment(assessment=assessment, code=code) if "\x00" not in code else None
    if group is None:
        raise Http404("No such part of this framework.")
    entries = group_entries(assessment=assessment, group=group)
    scale = list(assessment.framework.scale.all())
    form = GroupForm(request.POST or None, entries=entries, scale=scale, readonly=not assessment.is_draft)
    saved: int | None = None
    if request.method == "POST":
        valid = form.is_valid()
        if not assessment.is_draft:
            form.add_error(None, "This self-assessment is completed and cannot change. Start a new one to compare.")
        elif valid:
            try:
                ratings, notes, answers = form.split()
                saved = assessment_save_group(
                    assessment=assessment, group=group, ratings=ratings, notes=notes, answers=answers
                )
            except AssessmentError as exc:
                form.add_error(None, str(exc))
        if request.htmx:  # autosave: answer with the status line only
            return render(
                request, "assessments/_save_status.html", {"form": form, "saved": saved, "now": timezone.now()}
            )
        if saved is not None:
            messages.success(request, f"{group.title}: saved.")
            return redirect("assessments:overview", assessment.pk)
    crumbs = [
        ("Your self-assessments", reverse("assessments:list")),
        ("This self-assessment", reverse("assessments:overview", args=[assessment.pk])),
    ]
    return render(
        request,
        "assessments/group.html",
        {
            "assessment": assessment,
            "group": group,
            "rows": form.rows(),
            "form": form,
            "scale": scale,
            "expected_of": expected_of(level=assessment.target_level),
            "crumbs": crumbs,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def assessment_complete(request: AuthenticatedRequest, assessment_id: int) -> HttpResponse:
    assessment = _own(request, assessment_id)
    try:
        assessment_submit(assessment=assessment, now=timezone.now())
    except AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:overview", assessment.pk)
    messages.success(request, "Your self-assessment is complete. Here is what it shows.")
    return redirect("assessments:results", assessment.pk)


@login_required
@require_http_methods(["POST"])
def assessment_discard(request: AuthenticatedRequest, assessment_id: int) -> HttpResponse:
    assessment = _own(request, assessment_id)
    try:
        assessment_delete_draft(assessment=assessment)
    except AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:overview", assessment.pk)
    messages.success(request, "The draft self-assessment is deleted.")
    return redirect("assessments:list")


@login_required
@require_http_methods(["GET"])
def assessment_results(request: AuthenticatedRequest, assessment_id: int) -> HttpResponse:
    assessment = _own(request, assessment_id)
    context = results_context(assessment=assessment)
    return render(
        request,
        "assessments/results.html",
        {
            **context,
            "crosswalk": crosswalk_sections(assessment=assessment, figures=context["figures"]),
            "crumbs": [("Your self-assessments", reverse("assessments:list"))],
        },
    )
