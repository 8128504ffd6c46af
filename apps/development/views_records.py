"""Adding and removing evidence and reflections in one's own plan; downloading one's own documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.assessments.evidence import EvidenceError

from .forms import ActivityForm, PlanEvidenceForm, ReflectionForm
from .models import PlanEvidence
from .records import (
    anchor_from_choice,
    plan_evidence_add,
    plan_evidence_remove,
    reflection_add,
    reflection_delete,
)
from .report import plan_pdf
from .selectors import criteria_for_goals, plan_with_content
from .services import PlanError, activity_create
from .views import _own_plan


@login_required
@require_http_methods(["GET", "POST"])
def reflection_new(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = _own_plan(request, plan_id)
    criteria = list(criteria_for_goals(owner=request.user))
    form = ReflectionForm(
        request.POST or None,
        plan=plan,
        criteria=criteria,
        initial={"about": request.GET.get("about", "plan"), "written_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            anchor = anchor_from_choice(plan=plan, choice=data.pop("about"), criteria=criteria)
            reflection_add(plan=plan, anchor=anchor, now=timezone.now(), **data)
        except PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your reflection is saved.")
            return redirect("development:plan", plan.pk)
    return render(
        request,
        "development/record_form.html",
        {
            "plan": plan,
            "form": form,
            "heading": "Write a reflection",
            "multipart": False,
            "crumbs": [("Your plan", reverse("development:plan", args=[plan.pk]))],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_new(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = _own_plan(request, plan_id)
    criteria = list(criteria_for_goals(owner=request.user))
    form = PlanEvidenceForm(
        request.POST or None,
        request.FILES or None,
        plan=plan,
        criteria=criteria,
        initial={"about": request.GET.get("about", "plan")},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            anchor = anchor_from_choice(plan=plan, choice=data.pop("about"), criteria=criteria)
            plan_evidence_add(
                plan=plan,
                anchor=anchor,
                kind=data["kind"],
                title=data["title"],
                text=data["text"],
                url=data["url"],
                upload=data["file"],
                now=timezone.now(),
            )
        except EvidenceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        except PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your evidence is saved.")
            return redirect("development:plan", plan.pk)
    return render(
        request,
        "development/record_form.html",
        {
            "plan": plan,
            "form": form,
            "heading": "Add evidence",
            "multipart": True,
            "crumbs": [("Your plan", reverse("development:plan", args=[plan.pk]))],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def record_remove(request: AuthenticatedRequest, plan_id: int, kind: str, record_id: int) -> HttpResponse:
    plan = _own_plan(request, plan_id)
    try:
        if kind == "evidence":
            plan_evidence_remove(plan=plan, evidence_id=record_id)
        elif kind == "reflection":
            reflection_delete(plan=plan, reflection_id=record_id)
        else:
            raise Http404("Nothing of that kind.")
    except PlanError as exc:
        raise Http404(str(exc)) from exc
    messages.success(request, "Removed.")
    return redirect("development:plan", plan.pk)


@login_required
@require_http_methods(["GET"])
def evidence_file(request: AuthenticatedRequest, plan_id: int, evidence_id: int) -> FileResponse:
    evidence = PlanEvidence.objects.filter(
        plan_id=plan_id, plan__owner=request.user, pk=evidence_id, kind="file"
    ).first()
    if evidence is None or not evidence.file:
        raise Http404("No such document.")
    response = FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.file_name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET"])
def plan_download(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = plan_with_content(owner=request.user, plan_id=plan_id)
    if plan is None:
        raise Http404("No such plan.")
    response = HttpResponse(
        plan_pdf(plan=plan, base_url=request.build_absolute_uri("/")), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="development-plan-{timezone.localdate():%Y-%m-%d}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = _own_plan(request, plan_id)
    form = ActivityForm(request.POST or None, goals=plan.goals.all())
    if request.method == "POST" and form.is_valid():
        try:
            activity_create(plan=plan, now=timezone.now(), **form.cleaned_data)
        except PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Activity added.")
            return redirect("development:plan", plan.pk)
    return render(
        request,
        "development/record_form.html",
        {
            "plan": plan,
            "form": form,
            "heading": "Add an activity",
            "multipart": False,
            "crumbs": [("Your plan", reverse("development:plan", args=[plan.pk]))],
        },
        status=400 if form.errors else 200,
    )
