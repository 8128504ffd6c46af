"""Adding and removing evidence and reflections in one's own plan; downloading one's own documents."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.assessments.evidence import EvidenceError, document_response

from .forms import ActivityForm, PlanEvidenceForm, ReflectionForm
from .models import Plan
from .records import (
    anchor_from_choice,
    plan_evidence_add,
    plan_evidence_remove,
    reflection_add,
    reflection_delete,
)
from .report import plan_pdf
from .selectors import criteria_for_goals, plan_document_for_owner, plan_with_content
from .selectors_catalogue import CatalogueSearchForm, catalogue_search
from .services import PlanError, activity_create
from .views import _own_plan


def _record_page(
    request: AuthenticatedRequest,
    plan: Plan,
    form: forms.Form,
    *,
    heading: str,
    done: str,
    save: Callable[[dict[str, Any]], object],
    multipart: bool = False,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The one shape of every "add to your plan" page: validate, save through a service, say so, or show why not."""
    if request.method == "POST" and form.is_valid():
        try:
            save(dict(form.cleaned_data))
        except EvidenceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        except PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect("development:plan", plan.pk)
    context = {
        "plan": plan,
        "form": form,
        "heading": heading,
        "multipart": multipart,
        "crumbs": [("Your plan", reverse("development:plan", args=[plan.pk]))],
        **(extra or {}),
    }
    return render(request, "development/record_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def reflection_new(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = _own_plan(request, plan_id)
    criteria = list(criteria_for_goals(owner=request.user))
    initial = {"about": request.GET.get("about", "plan"), "written_on": timezone.localdate()}
    form = ReflectionForm(request.POST or None, plan=plan, criteria=criteria, initial=initial)

    def save(data: dict[str, Any]) -> object:
        anchor = anchor_from_choice(plan=plan, choice=data.pop("about"), criteria=criteria)
        return reflection_add(plan=plan, anchor=anchor, now=timezone.now(), **data)

    return _record_page(request, plan, form, heading="Write a reflection", done="Your reflection is saved.", save=save)


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

    def save(data: dict[str, Any]) -> object:
        anchor = anchor_from_choice(plan=plan, choice=data.pop("about"), criteria=criteria)
        return plan_evidence_add(
            plan=plan,
            anchor=anchor,
            kind=data["kind"],
            title=data["title"],
            text=data["text"],
            url=data["url"],
            upload=data["file"],
            now=timezone.now(),
        )

    return _record_page(
        request, plan, form, heading="Add evidence", done="Your evidence is saved.", save=save, multipart=True
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = _own_plan(request, plan_id)
    form = ActivityForm(request.POST or None, goals=plan.goals.all())
    search = CatalogueSearchForm(request.GET or None, criteria=list(criteria_for_goals(owner=request.user)))
    found = catalogue_search(**search.cleaned_data) if search.is_valid() else catalogue_search()
    taken = {a.opportunity_id for a in plan.activities.all()}
    catalogue = {"search": search, "found": [(o, o.pk in taken) for o in found]}
    if request.htmx and request.method == "GET":  # the search updates its results in place
        return render(request, "development/_catalogue_results.html", {"plan": plan, **catalogue})
    return _record_page(
        request,
        plan,
        form,
        heading="Add an activity",
        done="Activity added.",
        save=lambda data: activity_create(plan=plan, now=timezone.now(), **data),
        extra=catalogue,
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
    evidence = plan_document_for_owner(owner=request.user, plan_id=plan_id, evidence_id=evidence_id)
    if evidence is None or not evidence.file:
        raise Http404("No such document.")
    return document_response(evidence)


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
