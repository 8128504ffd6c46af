"""Sharing a plan: the owner names a mentor who may read it; the mentor sees it read-only, each look logged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.colleagues import colleague_choices
from apps.accounts.http import AuthenticatedRequest
from apps.common.sharing_form import ShareWithForm

from .selectors import progress
from .selectors_sharing import live_plan_shares, plan_share_for_viewer, plans_shared_with
from .services import PlanError
from .sharing import plan_share_grant, plan_share_revoke, plan_share_viewed
from .views import _own_plan


@login_required
@require_http_methods(["GET", "POST"])
def plan_sharing(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = _own_plan(request, plan_id)
    here = reverse("development:plan_sharing", args=[plan.pk])
    if request.method == "POST" and request.POST.get("action") == "revoke":
        try:
            share = plan_share_revoke(plan=plan, share_id=_int(request.POST.get("share")), now=timezone.now())
        except PlanError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{share.viewer} can no longer see this plan.")
        return redirect(here)
    form = ShareWithForm(
        request.POST if request.method == "POST" else None, colleagues=colleague_choices(user=request.user)
    )
    if form.is_valid():
        try:
            share = plan_share_grant(plan=plan, viewer_email=form.address(), now=timezone.now())
        except PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{share.viewer} can now read this plan.")
            return redirect(here)
    return render(
        request,
        "development/sharing.html",
        {
            "plan": plan,
            "form": form,
            "shares": live_plan_shares(plan),
            "crumbs": [("Your plan", reverse("development:plan", args=[plan.pk]))],
        },
        status=400 if form.errors else 200,
    )


def _int(value: str | None) -> int:
    """The share's id, or 0 (no share) for anything else. Not `str.isdigit()`: "²" passes it but not `int()`."""
    try:
        return int(value or "")
    except ValueError:
        return 0


@login_required
@require_http_methods(["GET"])
def shared_plans(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "development/shared_list.html", {"shares": plans_shared_with(viewer=request.user)})


@login_required
@require_http_methods(["GET"])
def shared_plan(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    share = plan_share_for_viewer(viewer=request.user, plan_id=plan_id)
    if share is None:
        raise Http404("Nothing is shared with you here.")  # the same whether the plan exists or not
    plan_share_viewed(share=share, viewer=request.user, now=timezone.now(), path=request.path)
    done, counted = progress(share.plan)
    return render(
        request,
        "development/shared_plan.html",
        {
            "plan": share.plan,
            "owner": share.plan.owner,
            "done": done,
            "counted": counted,
            "percent": round(100 * done / counted) if counted else 0,
            "today": timezone.localdate(),
            "crumbs": [("Plans shared with you", reverse("development:shared_plans"))],
        },
    )
