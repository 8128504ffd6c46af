"""A person's own career records: their role history, their choice to count it in the routes, and the
"Is now the right time?" reflection. Owner-only: every fetch goes through a selector filtered by owner."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest

from .forms import RightTimeForm, RightTimeToPlanForm, RoleHistoryForm, RoutesConsentForm
from .models import RoleHistoryEntry
from .selectors import (
    gap_to_next_rung,
    history_entry_for_owner,
    history_for_owner,
    plans_to_add_to,
    right_time_for_owner,
    routes_consent_for,
)
from .services import CareersError
from .services.figures import next_month_start, withdrawal_shown_by
from .services.history import history_add, history_delete, history_update, routes_consent_set
from .services.reflection import right_time_save, right_time_to_plan


def _own_entry(request: AuthenticatedRequest, entry_id: int) -> RoleHistoryEntry:
    entry = history_entry_for_owner(owner=request.user, entry_id=entry_id)
    if entry is None:
        raise Http404("No such entry.")  # another person's entry looks exactly like one that does not exist
    return entry


def _history_page(request: AuthenticatedRequest, form: RoleHistoryForm, status: int = 200) -> HttpResponse:
    counted = routes_consent_for(owner=request.user)
    return render(
        request,
        "careers/my_history.html",
        {
            "entries": history_for_owner(owner=request.user),
            "form": form,
            "consent_form": RoutesConsentForm(initial={"counted": "yes" if counted else "no"}),
            "counted": counted,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_history(request: AuthenticatedRequest) -> HttpResponse:
    form = RoleHistoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            history_add(owner=request.user, now=timezone.now(), **form.cleaned_data)
        except CareersError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Role added to your history.")
            return redirect("careers:my_history")
    return _history_page(request, form, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def history_edit(request: AuthenticatedRequest, entry_id: int) -> HttpResponse:
    entry = _own_entry(request, entry_id)
    initial = {
        "title": entry.title,
        "step": entry.step,
        "level": "" if entry.level is None else str(entry.level),
        "organisation_kind": entry.organisation_kind,
        "sector": entry.sector_id,
        "started_on": entry.started_on,
        "ended_on": entry.ended_on,
    }
    form = RoleHistoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            history_update(entry=entry, now=timezone.now(), **form.cleaned_data)
        except CareersError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Role saved.")
            return redirect("careers:my_history")
    return render(
        request, "careers/history_edit.html", {"entry": entry, "form": form}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["POST"])
def history_remove(request: AuthenticatedRequest, entry_id: int) -> HttpResponse:
    history_delete(entry=_own_entry(request, entry_id), now=timezone.now())
    messages.success(request, "Role removed from your history.")
    return redirect("careers:my_history")


@login_required
@require_http_methods(["POST"])
def routes_consent(request: AuthenticatedRequest) -> HttpResponse:
    form = RoutesConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose yes or no.")
        return redirect("careers:my_history")
    now = timezone.now()
    routes_consent_set(owner=request.user, counted=form.cleaned_data["counted"], now=now)
    starting = f"{next_month_start(now):%-d %B %Y}"
    if form.cleaned_data["counted"]:
        messages.success(
            request,
            f"Your history will count in the anonymous routes when they are next worked out: on {starting} at the "
            "earliest, once at least 5 people's histories have changed.",
        )
    else:
        latest = f"{withdrawal_shown_by(now):%-d %B %Y}"
        messages.success(
            request,
            f"Your history will no longer count in the anonymous routes from when they are next worked out: on "
            f"{starting} at the earliest and {latest} at the latest.",
        )
    return redirect("careers:my_history")


@login_required
@require_http_methods(["GET", "POST"])
def right_time(request: AuthenticatedRequest) -> HttpResponse:
    reflection = right_time_for_owner(owner=request.user)
    initial = {}
    if reflection is not None:
        initial = {n: getattr(reflection, n) for n in ("attracts", "experience", "timing", "support")}
    form = RightTimeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            right_time_save(owner=request.user, now=timezone.now(), **form.cleaned_data)
        except CareersError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your answers are saved. Only you can see them.")
            return redirect("careers:right_time")
    plans = plans_to_add_to(owner=request.user) if reflection else []
    return render(
        request,
        "careers/right_time.html",
        {"form": form, "reflection": reflection, "plans": plans, "plan_form": RightTimeToPlanForm(plans=plans)},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def right_time_add_to_plan(request: AuthenticatedRequest) -> HttpResponse:
    reflection = right_time_for_owner(owner=request.user)
    if reflection is None:
        messages.error(request, "Save your answers first.")
        return redirect("careers:right_time")
    plans = plans_to_add_to(owner=request.user)
    form = RightTimeToPlanForm(request.POST, plans=plans)
    if not form.is_valid():
        messages.error(request, "Choose one of your plans from the list.")
        return redirect("careers:right_time")
    plan = next(p for p in plans if p.pk == form.cleaned_data["plan"])
    try:
        right_time_to_plan(reflection=reflection, plan=plan, now=timezone.now())
    except CareersError as exc:
        messages.error(request, str(exc))
        return redirect("careers:right_time")
    messages.success(request, f"Your answers are in your plan “{plan.title}” as a reflection.")
    return redirect("development:plan", plan.pk)


@login_required
@require_http_methods(["GET"])
def my_gap(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "careers/my_gap.html", {"next": gap_to_next_rung(owner=request.user)})
