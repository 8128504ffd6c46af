"""360 feedback: the person asks colleagues (their page), and colleagues answer through a private link (no account)."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest

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
from .models import Assessment, FeedbackRound, RaterInvitation
from .selectors import criteria_to_rate, feedback_round_for, invitation_summary, invited_emails
from .services import AssessmentError
from .views import _own


@login_required
@require_http_methods(["GET", "POST"])
def feedback_manage(request: AuthenticatedRequest, assessment_id: int) -> HttpResponse:
    assessment = _own(request, assessment_id)
    feedback_round = feedback_round_for(assessment=assessment)
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
            "summary": invitation_summary(feedback_round=feedback_round),
            "invited": invited_emails(feedback_round=feedback_round),
            "crumbs": [("This self-assessment", reverse("assessments:overview", args=[assessment.pk]))],
        },
        status=400 if open_form.errors or invite_form.errors else 200,
    )


def _act(
    request: AuthenticatedRequest,
    assessment: Assessment,
    feedback_round: FeedbackRound | None,
    open_form: OpenRoundForm,
    invite_form: InviteForm,
    now: datetime,
) -> HttpResponse | None:
    action = request.POST.get("action")
    here = reverse("assessments:feedback", args=[assessment.pk])
    try:
        if action == "open" and open_form.is_valid():
            feedback_round_open(assessment=assessment, now=now, **open_form.cleaned_data)
            messages.success(request, "Now add the people you would like feedback from.")
            return redirect(here)
        if action == "invite" and feedback_round and invite_form.is_valid():
            rater_invite(feedback_round=feedback_round, now=now, **invite_form.cleaned_data)
            messages.success(request, f"We have e-mailed {invite_form.cleaned_data['email']} a private link.")
            return redirect(here)
        if action == "close" and feedback_round:
            feedback_round_close(feedback_round=feedback_round, now=now)
            messages.success(request, "Feedback is closed. No more answers will be taken.")
            return redirect(here)
    except AssessmentError as exc:
        (open_form if action == "open" else invite_form).add_error(None, str(exc))
    return None


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
    criteria = criteria_to_rate(assessment=assessment)
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
    return _rater_page(
        request,
        "assessments/rater_form.html",
        {
            "invitation": invitation,
            "round": feedback_round,
            "assessment": assessment,
            "rows": form.rows(),
            "form": form,
            "scale": scale,
            "person": assessment.owner.full_name or "your colleague",
        },
        status=400 if form.errors else 200,
    )
