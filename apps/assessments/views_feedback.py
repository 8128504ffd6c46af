"""360 feedback: the person asks colleagues (their page), and colleagues answer through a private link (no account)."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.competencies.models import Criterion

from .feedback import (
    FeedbackClosed,
    feedback_round_close,
    feedback_round_open,
    invitation_for_token,
    rater_decline,
    rater_invite,
    rater_respond,
    rater_withdraw,
)
from .forms import InviteForm, OpenRoundForm, RaterForm
from .models import FeedbackRound, RaterCategory, RaterInvitation
from .services import AssessmentError
from .views import _own


@login_required
@require_http_methods(["GET", "POST"])
def feedback_manage(request: AuthenticatedRequest, assessment_id: int) -> HttpResponse:
    assessment = _own(request, assessment_id)
    feedback_round = FeedbackRound.objects.filter(assessment=assessment).first()
    now = timezone.now()
    open_form = OpenRoundForm(
        request.POST if request.POST.get("action") == "open" else None,
        initial={"closes_on": timezone.localdate() + timedelta(days=21)},
    )
    invite_form = InviteForm(request.POST if request.POST.get("action") == "invite" else None)
    if request.method == "POST":
        outcome = _act(request, assessment, feedback_round, open_form, invite_form, now)
        if outcome is not None:
            return outcome
    return render(
        request,
        "assessments/feedback_manage.html",
        {
            "assessment": assessment,
            "round": feedback_round,
            "is_open": feedback_round.is_open(now) if feedback_round else False,
            "open_form": open_form,
            "invite_form": invite_form,
            "summary": _summary(feedback_round),
            "invited": list(RaterInvitation.objects.filter(round=feedback_round).values_list("email", flat=True))
            if feedback_round
            else [],
            "crumbs": [("This self-assessment", reverse("assessments:overview", args=[assessment.pk]))],
        },
        status=400 if open_form.errors or invite_form.errors else 200,
    )


def _act(
    request: AuthenticatedRequest,
    assessment: object,
    feedback_round: FeedbackRound | None,
    open_form: OpenRoundForm,
    invite_form: InviteForm,
    now: object,
) -> HttpResponse | None:
    action = request.POST.get("action")
    here = reverse("assessments:feedback", args=[assessment.pk])  # type: ignore[attr-defined]
    try:
        if action == "open" and open_form.is_valid():
            feedback_round_open(assessment=assessment, now=now, **open_form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, "Now add the people you would like feedback from.")
            return redirect(here)
        if action == "invite" and feedback_round and invite_form.is_valid():
            rater_invite(feedback_round=feedback_round, now=now, **invite_form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, f"We have e-mailed {invite_form.cleaned_data['email']} a private link.")
            return redirect(here)
        if action == "close" and feedback_round:
            feedback_round_close(feedback_round=feedback_round, now=now)  # type: ignore[arg-type]
            messages.success(request, "Feedback is closed. No more answers will be taken.")
            return redirect(here)
    except AssessmentError as exc:
        (open_form if action == "open" else invite_form).add_error(None, str(exc))
    return None


def _summary(feedback_round: FeedbackRound | None) -> list[tuple[str, int, int]]:
    """(category, asked, answered): counts only, never who."""
    if feedback_round is None:
        return []
    counts = {
        row["category"]: (row["asked"], row["answered"])
        for row in RaterInvitation.objects.filter(round=feedback_round)
        .values("category")
        .annotate(asked=Count("id"), answered=Count("id", filter=Q(answered=True)))
    }
    return [(label, *counts[value]) for value, label in RaterCategory.choices if value in counts]


# --- The rater's side: no account, a private link ------------------------------------------------------------

# same-origin, not no-referrer: the token in the address never reaches another site, while the rater's own form
# posts still carry an Origin (under no-referrer Chromium sends "Origin: null" and the CSRF check refuses them).
RATER_HEADERS = {"Referrer-Policy": "same-origin", "X-Robots-Tag": "noindex, nofollow", "Cache-Control": "no-store"}


def _rater_page(request: HttpRequest, template: str, context: dict[str, object], status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    for header, value in RATER_HEADERS.items():
        response[header] = value
    return response


def _answered(
    request: HttpRequest, token: str, invitation: RaterInvitation, feedback_round: FeedbackRound, now: datetime
) -> HttpResponse:
    """After answering, until the close: the rater may withdraw their answer (and then answer again)."""
    context: dict[str, object] = {"invitation": invitation, "round": feedback_round}
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        try:
            rater_withdraw(token=token, now=now)
        except FeedbackClosed:
            return _rater_page(request, "assessments/rater_closed.html", context, status=410)
        except AssessmentError as exc:
            return _rater_page(request, "assessments/rater_answered.html", {**context, "error": str(exc)}, 400)
        return _rater_page(request, "assessments/rater_withdrawn.html", context)
    return _rater_page(request, "assessments/rater_answered.html", context)


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def feedback_respond(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token=token)
    if invitation is None:
        return _rater_page(request, "assessments/rater_invalid.html", {}, status=404)
    feedback_round = invitation.round
    assessment = feedback_round.assessment
    now = timezone.now()
    if invitation.answered and feedback_round.is_open(now):
        return _answered(request, token, invitation, feedback_round, now)
    if invitation.answered or invitation.declined or not feedback_round.is_open(now):
        return _rater_page(
            request, "assessments/rater_closed.html", {"invitation": invitation, "round": feedback_round}, status=410
        )
    criteria = list(
        Criterion.objects.filter(framework=assessment.framework_id).select_related("group").order_by("position")
    )
    scale = list(assessment.framework.scale.all())
    form = RaterForm(request.POST if request.POST.get("action") == "submit" else None, criteria=criteria, scale=scale)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "decline":
                rater_decline(token=token, now=now)
                return _rater_page(request, "assessments/rater_thanks.html", {"declined": True})
            if form.is_valid():
                ratings, comments = form.split()
                rater_respond(token=token, ratings=ratings, comments=comments, now=now)
                return _rater_page(request, "assessments/rater_thanks.html", {"declined": False})
        except FeedbackClosed:
            return _rater_page(
                request,
                "assessments/rater_closed.html",
                {"invitation": invitation, "round": feedback_round},
                status=410,
            )
        except AssessmentError as exc:
            form.add_error(None, str(exc))
    for criterion in criteria:
        criterion.rating_field = form[f"rating_{criterion.pk}"]  # type: ignore[attr-defined]
        criterion.comment_field = form[f"comment_{criterion.pk}"]  # type: ignore[attr-defined]
    return _rater_page(
        request,
        "assessments/rater_form.html",
        {
            "invitation": invitation,
            "round": feedback_round,
            "assessment": assessment,
            "criteria": criteria,
            "form": form,
            "scale": scale,
            "person": assessment.owner.full_name or "your colleague",
        },
        status=400 if form.errors else 200,
    )
