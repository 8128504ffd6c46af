"""A person's own mentoring: their offer to mentor, their request for a mentor, and their yes or no to a proposal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role, User
from apps.accounts.permissions import role_required
from apps.accounts.selectors import user_has_role

from .forms import OfferForm, RequestForm
from .models import Proposal
from .selectors import (
    active_relationships_for,
    offer_for_mentor,
    offer_to_edit,
    open_request_for,
    open_requests_for,
    person_spec_criteria,
    proposal_for,
    proposals_for_mentee,
    proposals_for_mentor,
    relationships_awaiting_feedback,
)
from .services import MentoringError
from .services.offers import offer_save
from .services.proposals import proposal_accept, proposal_decline, proposal_make_best
from .services.requests import request_save, request_withdraw


@login_required
@require_http_methods(["GET"])
def mentoring_home(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "mentoring/home.html",
        {
            "offer": offer_for_mentor(mentor=request.user),
            "is_mentor": user_has_role(user=request.user, role=Role.MENTOR),
            "open_requests": open_requests_for(mentee=request.user),
            "waiting": proposals_for_mentee(user=request.user),
            "asked_to_mentor": proposals_for_mentor(user=request.user),
            "awaiting_feedback": relationships_awaiting_feedback(user=request.user),
            "relationships": active_relationships_for(user=request.user),
        },
    )


# Not a 403: someone without the role is taken back to their mentoring page and told why.
@role_required(Role.MENTOR, message="Only mentors and coaches can make an offer.", redirect_to="mentoring:home")
@require_http_methods(["GET", "POST"])
def offer_edit(request: AuthenticatedRequest) -> HttpResponse:
    offer = offer_to_edit(mentor=request.user)
    initial: dict[str, object] = {"capacity": 2, "kind": "mentor", "modes": ["video"], "outside_own_organisation": True}
    if offer:
        initial = {
            "capacity": offer.capacity,
            "kind": offer.kind,
            "expertise": offer.expertise,
            "sectors": list(offer.sectors.all()),
            "regions": list(offer.regions.all()),
            "modes": offer.modes,
            "outside_own_organisation": offer.outside_own_organisation,
            "paused": offer.paused,
            "schemes": list(offer.schemes.all()),
        }
    form = OfferForm(request.POST or None, criteria=person_spec_criteria(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            offer_save(
                mentor=request.user,
                **{
                    **form.cleaned_data,
                    "sectors": list(form.cleaned_data["sectors"]),
                    "regions": list(form.cleaned_data["regions"]),
                    "schemes": list(form.cleaned_data["schemes"]),
                },
            )
        except MentoringError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your offer is saved.")
            return redirect("mentoring:home")
    return render(
        request,
        "mentoring/form.html",
        {"form": form, "heading": "Your offer to mentor or coach"},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request: AuthenticatedRequest) -> HttpResponse:
    existing = open_request_for(mentee=request.user)
    initial: dict[str, object] = {
        "kind": "mentor",
        "outside": "preferred",
        "sector_preference": "either",
        "modes": ["video"],
    }
    if existing:
        initial = {
            "kind": existing.kind,
            "focus": existing.focus,
            "focus_text": existing.focus_text,
            "outside": existing.outside,
            "sector_preference": existing.sector_preference,
            "same_region": existing.same_region,
            "modes": existing.modes,
            "line_manager_email": existing.line_manager_email,
            "excluded_emails": "\n".join(existing.excluded_emails),
            "scheme": existing.scheme,
        }
    form = RequestForm(request.POST or None, criteria=person_spec_criteria(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            request_save(mentee=request.user, now=timezone.now(), editing=existing, **form.cleaned_data)
        except MentoringError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your request is saved. We will propose the best available mentor.")
            return redirect("mentoring:home")
    return render(
        request,
        "mentoring/form.html",
        {"form": form, "heading": "Ask for a mentor or coach"},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def request_cancel(request: AuthenticatedRequest) -> HttpResponse:
    existing = open_request_for(mentee=request.user)
    if existing is None:
        messages.error(request, "You have no open request.")
        return redirect("mentoring:home")
    try:
        request_withdraw(request=existing, now=timezone.now())
    except MentoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your request is withdrawn.")
    return redirect("mentoring:home")


@login_required
@require_http_methods(["POST"])
def find_now(request: AuthenticatedRequest) -> HttpResponse:
    open_request = open_request_for(mentee=request.user)
    if open_request is None:
        messages.error(request, "Ask for a mentor or coach first: say what you would like help with.")
        return redirect("mentoring:request")
    try:
        proposal = proposal_make_best(request=open_request, now=timezone.now())
    except MentoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"We propose {proposal.mentor}, and have asked them too. See why below, and accept or decline."
        )
    return redirect("mentoring:home")


@login_required
@require_http_methods(["POST"])
def proposal_reply(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    """Either side's yes or no."""
    mine = proposal_for(person=request.user, proposal_id=proposal_id)
    if mine is None:
        raise Http404("No such proposal.")
    try:
        if request.POST.get("reply") == "accept":
            outcome = proposal_accept(proposal_id=proposal_id, person=request.user, now=timezone.now())
            (messages.success if outcome.accepted else messages.error)(request, outcome.message)
            if outcome.started and outcome.relationship_id:
                return redirect("mentoring:relationship", outcome.relationship_id)
        elif request.POST.get("reply") == "decline":
            proposal_decline(proposal_id=proposal_id, person=request.user, now=timezone.now())
            messages.success(request, _declined_message(mine, request.user))
        else:
            messages.error(request, "Choose accept or decline.")
    except MentoringError as exc:
        messages.error(request, str(exc))
    return redirect("mentoring:home")


def _declined_message(proposal: Proposal, person: User) -> str:
    if proposal.mentor_id == person.pk:
        return "Declined. Thank you for saying so quickly: we have told them and proposed the next best mentor."
    return "Declined. Ask again and we will propose the next best mentor."
