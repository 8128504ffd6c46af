from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role, User
from apps.accounts.selectors import user_roles
from apps.competencies.models import Criterion

from .forms import OfferForm, RequestForm
from .models import (
    MentoringRelationship,
    MentoringRequest,
    MentorOffer,
    Proposal,
    RelationshipStatus,
    RequestStatus,
)
from .proposals import proposal_accept, proposal_decline, propose_best
from .relationships import relationships_awaiting_feedback
from .selectors import proposals_for_mentee, proposals_for_mentor
from .services import MentoringError, offer_save, request_save, request_withdraw


def _criteria() -> list[Criterion]:
    """The criteria of the latest person specification: codes hold across versions."""
    latest = Criterion.objects.filter(framework__slug="md-person-spec").order_by("-framework__loaded_at").first()
    if latest is None:
        return []
    return list(Criterion.objects.filter(framework=latest.framework_id).order_by("position"))


@login_required
@require_http_methods(["GET"])
def mentoring_home(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "mentoring/home.html",
        {
            "offer": MentorOffer.objects.filter(mentor=request.user).first(),
            "is_mentor": Role.MENTOR in user_roles(user=request.user),
            "open_requests": MentoringRequest.objects.filter(mentee=request.user, status=RequestStatus.OPEN),
            "waiting": proposals_for_mentee(user=request.user),
            "asked_to_mentor": proposals_for_mentor(user=request.user),
            "awaiting_feedback": relationships_awaiting_feedback(user=request.user),
            "relationships": MentoringRelationship.objects.filter(
                Q(mentee=request.user) | Q(mentor=request.user), status=RelationshipStatus.ACTIVE
            ).select_related("mentor", "mentee"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request: AuthenticatedRequest) -> HttpResponse:
    if Role.MENTOR not in user_roles(user=request.user):
        messages.error(request, "Only mentors and coaches can make an offer.")
        return redirect("mentoring:home")
    offer = MentorOffer.objects.filter(mentor=request.user).first()
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
    form = OfferForm(request.POST or None, criteria=_criteria(), initial=initial)
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
    existing = MentoringRequest.objects.filter(mentee=request.user, status=RequestStatus.OPEN).first()
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
    form = RequestForm(request.POST or None, criteria=_criteria(), initial=initial)
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
    existing = MentoringRequest.objects.filter(mentee=request.user, status=RequestStatus.OPEN).first()
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
    open_request = MentoringRequest.objects.filter(mentee=request.user, status=RequestStatus.OPEN).first()
    if open_request is None:
        messages.error(request, "Ask for a mentor or coach first: say what you would like help with.")
        return redirect("mentoring:request")
    try:
        proposal = propose_best(request=open_request, now=timezone.now())
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
    mine = Proposal.objects.filter(Q(request__mentee=request.user) | Q(mentor=request.user), pk=proposal_id).first()
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
