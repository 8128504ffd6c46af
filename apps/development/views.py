from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.profiles.selectors import target_level_for

from .crosswalk import also_counting
from .forms import GoalForm, PlanForm
from .models import ActivityStatus, Plan
from .selectors import (
    activity_for_owner,
    criteria_for_goals,
    evidence_by_criterion,
    goal_for_owner,
    opportunity_active,
    plan_for_owner,
    plan_suggestions,
    plan_with_content,
    plans_for_owner,
    progress,
)
from .services import PlanError, activity_set_status, goal_create, goal_update, plan_create, suggestion_accept


def _own_plan(request: AuthenticatedRequest, plan_id: int) -> Plan:
    plan = plan_for_owner(owner=request.user, plan_id=plan_id)
    if plan is None:
        raise Http404("No such plan.")  # another person's plan looks exactly like one that does not exist
    return plan


@login_required
@require_http_methods(["GET", "POST"])
def plan_list(request: AuthenticatedRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, initial={"target_level": target_level_for(user=request.user)})
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_create(owner=request.user, now=timezone.now(), **form.cleaned_data)
        except PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your plan is ready. Add goals, or start from the suggestions.")
            return redirect("development:plan", plan.pk)
    return render(
        request,
        "development/list.html",
        {"plans": plans_for_owner(owner=request.user), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def plan_detail(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = plan_with_content(owner=request.user, plan_id=plan_id)
    if plan is None:
        raise Http404("No such plan.")
    assessment, suggested = plan_suggestions(owner=request.user, now=timezone.now())
    # What the person has already taken from the suggestions, as an activity (by opportunity) or a goal (by title).
    taken = {a.opportunity.code for a in plan.activities.all() if a.opportunity} | {
        g.title.casefold() for g in plan.goals.all()
    }
    done, counted = progress(plan)
    timeline = sorted(
        [(g.target_date, "Goal", g.title, g.get_status_display()) for g in plan.goals.all()]
        + [(a.starts_on, "Activity", a.title, a.get_status_display()) for a in plan.activities.all() if a.starts_on],
        key=lambda row: row[0],
    )
    by_criterion = evidence_by_criterion(plan)
    return render(
        request,
        "development/plan.html",
        {
            "plan": plan,
            "assessment": assessment,
            "suggestions": [(s, s.opportunity in taken or s.title.casefold() in taken) for s in suggested[:8]],
            "done": done,
            "counted": counted,
            "percent": round(100 * done / counted) if counted else 0,
            "timeline": timeline,
            "activity_statuses": ActivityStatus.choices,
            "by_criterion": by_criterion,
            "also_counting": also_counting(by_criterion=by_criterion),
            "goal_activities": _goal_activity_counts(plan),
            "today": timezone.localdate(),
            "crumbs": [("Your development plans", reverse("development:list"))],
        },
    )


def _goal_activity_counts(plan: Plan) -> list[tuple[int, int, int]]:
    """(goal id, activities done, activities) per goal, from the prefetched activities: progress per goal."""
    counts: dict[int, list[int]] = {g.pk: [0, 0] for g in plan.goals.all()}
    for activity in plan.activities.all():
        if activity.goal_id in counts and activity.status != ActivityStatus.CANCELLED:
            counts[activity.goal_id][1] += 1
            counts[activity.goal_id][0] += activity.status == ActivityStatus.DONE
    return [(goal_id, done, total) for goal_id, (done, total) in counts.items()]


@login_required
@require_http_methods(["GET", "POST"])
def goal_add(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = _own_plan(request, plan_id)
    criteria = criteria_for_goals(owner=request.user)
    initial: dict[str, object] = {"target_date": min(plan.ends_on, timezone.localdate() + timedelta(days=90))}
    suggested = opportunity_active(code=request.GET.get("suggestion", ""))
    if suggested is not None:  # "Make it a goal" on a suggestion: everything but the measure, which is theirs
        codes = [c for c in request.GET.getlist("criteria") if c and "\x00" not in c]
        initial |= {
            "title": suggested.title,
            "description": suggested.description,
            "criteria": list(criteria.filter(code__in=codes)),
        }
    form = GoalForm(request.POST or None, criteria=criteria, with_status=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            goal_create(
                plan=plan, now=timezone.now(), **{**form.cleaned_data, "criteria": list(form.cleaned_data["criteria"])}
            )
        except PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Goal added.")
            return redirect("development:plan", plan.pk)
    return render(
        request,
        "development/goal_form.html",
        {
            "plan": plan,
            "form": form,
            "adding": True,
            "crumbs": [("Your plan", reverse("development:plan", args=[plan.pk]))],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: AuthenticatedRequest, plan_id: int, goal_id: int) -> HttpResponse:
    goal = goal_for_owner(owner=request.user, plan_id=plan_id, goal_id=goal_id)
    if goal is None:
        raise Http404("No such goal.")
    initial = {
        "title": goal.title,
        "description": goal.description,
        "measure": goal.measure,
        "target_date": goal.target_date,
        "status": goal.status,
        "criteria": list(goal.criteria.all()),
    }
    form = GoalForm(
        request.POST or None, criteria=criteria_for_goals(owner=request.user), with_status=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            goal_update(
                goal=goal, now=timezone.now(), **{**form.cleaned_data, "criteria": list(form.cleaned_data["criteria"])}
            )
        except PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Goal saved.")
            return redirect("development:plan", goal.plan_id)
    return render(
        request,
        "development/goal_form.html",
        {
            "plan": goal.plan,
            "form": form,
            "adding": False,
            "crumbs": [("Your plan", reverse("development:plan", args=[goal.plan_id]))],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def suggestion_take(request: AuthenticatedRequest, plan_id: int, code: str) -> HttpResponse:
    plan = _own_plan(request, plan_id)
    opportunity = opportunity_active(code=code)
    if opportunity is None:
        raise Http404("No such opportunity.")
    try:
        suggestion_accept(plan=plan, opportunity=opportunity, now=timezone.now())
    except PlanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{opportunity.title}” added to your plan as an activity.")
    return redirect("development:plan", plan.pk)


@login_required
@require_http_methods(["POST"])
def activity_status(request: AuthenticatedRequest, plan_id: int, activity_id: int) -> HttpResponse:
    activity = activity_for_owner(owner=request.user, plan_id=plan_id, activity_id=activity_id)
    if activity is None:
        raise Http404("No such activity.")
    try:
        activity_set_status(activity=activity, status=request.POST.get("status", ""))
    except PlanError as exc:
        messages.error(request, str(exc))
    return redirect("development:plan", plan_id)
