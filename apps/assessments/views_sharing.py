"""Sharing: the owner chooses who else may see a self-assessment's results; those people see them read-only."""

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

from .crosswalk import crosswalk_sections
from .selectors import live_shares, share_for_viewer, shared_with
from .services import AssessmentError
from .sharing import share_grant, share_revoke, share_viewed
from .views import _own


@login_required
@require_http_methods(["GET", "POST"])
def sharing_manage(request: AuthenticatedRequest, assessment_id: int) -> HttpResponse:
    assessment = _own(request, assessment_id)
    form = ShareWithForm(
        request.POST if request.POST.get("action") == "share" else None,
        colleagues=colleague_choices(user=request.user),
    )
    here = reverse("assessments:sharing", args=[assessment.pk])
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                share = share_revoke(
                    assessment=assessment, share_id=_int(request.POST.get("share")), now=timezone.now()
                )
                messages.success(request, f"{share.viewer} can no longer see this self-assessment.")
                return redirect(here)
            if form.is_valid():
                share = share_grant(assessment=assessment, viewer_email=form.address(), now=timezone.now())
                messages.success(request, f"{share.viewer} can now see the results of this self-assessment.")
                return redirect(here)
        except AssessmentError as exc:
            if request.POST.get("action") == "revoke":
                messages.error(request, str(exc))
                return redirect(here)
            form.add_error(None, str(exc))
    return render(
        request,
        "assessments/sharing.html",
        {
            "assessment": assessment,
            "form": form,
            "shares": live_shares(assessment=assessment),
            "crumbs": [("This self-assessment", reverse("assessments:overview", args=[assessment.pk]))],
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
def shared_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "assessments/shared_list.html", {"shares": shared_with(viewer=request.user)})


@login_required
@require_http_methods(["GET"])
def shared_results(request: AuthenticatedRequest, assessment_id: int) -> HttpResponse:
    share = share_for_viewer(viewer=request.user, assessment_id=assessment_id)
    if share is None:
        raise Http404("Nothing is shared with you here.")
    from .report import results_context

    share_viewed(share=share, viewer=request.user, now=timezone.now(), path=request.path)
    results = results_context(assessment=share.assessment)
    context = {
        **results,
        # the shared ratings only
        "crosswalk": crosswalk_sections(assessment=share.assessment, figures=results["figures"]),
        "shared_view": True,
        "owner": share.assessment.owner,
        "crumbs": [("Shared with you", reverse("assessments:shared_list"))],
    }
    return render(request, "assessments/results.html", context)
