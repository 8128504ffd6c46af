"""Pages of a mentoring relationship, for the two people in it and nobody else: every lookup goes through a
queryset filtered to the pair, so anyone else gets a 404 whatever their role."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest

from .forms_relationships import AgreementForm, CloseForm, FeedbackForm, MeetingForm
from .models import Meeting, MentoringRelationship, RelationshipStatus
from .selectors import (
    agreement_fingerprint,
    feedback_on,
    meeting_recorded_by,
    meetings_in,
    relationship_for,
    relationship_ids_awaiting_feedback,
    relationships_for,
)
from .services import MentoringError
from .services.relationships import (
    agreement_confirm,
    agreement_save,
    early_check_answer,
    feedback_give,
    meeting_delete,
    meeting_log,
    meeting_update,
    relationship_close,
)


def _relationship(request: AuthenticatedRequest, relationship_id: int) -> MentoringRelationship:
    relationship = relationship_for(user=request.user, relationship_id=relationship_id)
    if relationship is None:
        raise Http404("No such mentoring relationship.")  # someone else's looks exactly like one that does not exist
    return relationship


def _own_meeting(request: AuthenticatedRequest, relationship: MentoringRelationship, meeting_id: int) -> Meeting:
    # Only the person who recorded a meeting may change it; to anyone else the change page does not exist.
    meeting = meeting_recorded_by(user=request.user, relationship_id=relationship.pk, meeting_id=meeting_id)
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def _meeting_form(relationship: MentoringRelationship, *args: Any, **kwargs: Any) -> MeetingForm:
    return MeetingForm(
        *args,
        today=timezone.localdate(),
        started_on=timezone.localdate(relationship.started_at),
        **kwargs,
    )


def _crumbs() -> list[tuple[str, str]]:
    return [("Mentoring and coaching", reverse("mentoring:home"))]


def _page(
    request: AuthenticatedRequest,
    relationship: MentoringRelationship,
    *,
    invalid: dict[str, forms.Form] | None = None,
) -> HttpResponse:
    """The relationship page. `invalid` holds a form that failed, shown with its errors and what was typed."""
    active = relationship.status == RelationshipStatus.ACTIVE
    feedback = [] if active else feedback_on(relationship=relationship)
    given = any(f.author_id == request.user.pk for f in feedback)
    page_forms: dict[str, forms.Form | None] = {
        "meeting_form": _meeting_form(relationship) if active else None,
        "close_form": CloseForm() if active else None,
        "feedback_form": FeedbackForm() if not active and not given else None,
        **(invalid or {}),
    }
    is_mentor = relationship.mentor_id == request.user.pk
    context = {
        "relationship": relationship,
        "other": relationship.mentee if is_mentor else relationship.mentor,
        "is_mentor": is_mentor,
        "you_agreed": relationship.mentor_agreed_at if is_mentor else relationship.mentee_agreed_at,
        "you_said_working": relationship.mentor_working_at if is_mentor else relationship.mentee_working_at,
        "fingerprint": agreement_fingerprint(relationship),
        "meetings": meetings_in(relationship=relationship),
        "feedback": feedback,
        "crumbs": _crumbs(),
        # base.html marks the page title when a form on it has errors.
        "form": next(iter(invalid.values())) if invalid else None,
        **page_forms,
    }
    return render(request, "mentoring/relationship.html", context, status=400 if invalid else 200)


@login_required
@require_http_methods(["GET"])
def relationship_list(request: AuthenticatedRequest) -> HttpResponse:
    relationships = list(relationships_for(user=request.user).order_by("-started_at"))
    awaiting = relationship_ids_awaiting_feedback(user=request.user)
    return render(
        request,
        "mentoring/relationship_list.html",
        {
            "active": [r for r in relationships if r.status == RelationshipStatus.ACTIVE],
            "awaiting_feedback": [r for r in relationships if r.pk in awaiting],
            "past": [r for r in relationships if r.status == RelationshipStatus.CLOSED and r.pk not in awaiting],
            "crumbs": _crumbs(),
        },
    )


@login_required
@require_http_methods(["GET"])
def relationship_detail(request: AuthenticatedRequest, relationship_id: int) -> HttpResponse:
    return _page(request, _relationship(request, relationship_id))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: AuthenticatedRequest, relationship_id: int) -> HttpResponse:
    relationship = _relationship(request, relationship_id)
    if request.method == "GET" and relationship.status != RelationshipStatus.ACTIVE:
        messages.error(request, "This relationship has closed, so its agreement can no longer be changed.")
        return redirect("mentoring:relationship", relationship.pk)
    form = AgreementForm(
        request.POST or None,
        initial={
            "goals": relationship.goals,
            "meeting_frequency": relationship.meeting_frequency,
            "confidentiality": relationship.confidentiality,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement_save(relationship=relationship, actor=request.user, now=timezone.now(), **form.cleaned_data)
        except MentoringError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The agreement is saved. Ask your partner to read and confirm it.")
            return redirect("mentoring:relationship", relationship.pk)
    return render(
        request,
        "mentoring/relationship_agreement.html",
        {
            "form": form,
            "relationship": relationship,
            "crumbs": [*_crumbs(), ("Working together", reverse("mentoring:relationship", args=[relationship.pk]))],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def agreement_agree(request: AuthenticatedRequest, relationship_id: int) -> HttpResponse:
    relationship = _relationship(request, relationship_id)
    try:
        agreement_confirm(
            relationship=relationship, actor=request.user, seen=request.POST.get("seen", ""), now=timezone.now()
        )
    except MentoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "You have agreed to the agreement.")
    return redirect("mentoring:relationship", relationship.pk)


@login_required
@require_http_methods(["POST"])
def meeting_add(request: AuthenticatedRequest, relationship_id: int) -> HttpResponse:
    relationship = _relationship(request, relationship_id)
    form = _meeting_form(relationship, request.POST)
    if form.is_valid():
        try:
            meeting_log(relationship=relationship, actor=request.user, now=timezone.now(), **form.cleaned_data)
        except MentoringError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The meeting is logged.")
            return redirect("mentoring:relationship", relationship.pk)
    return _page(request, relationship, invalid={"meeting_form": form})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: AuthenticatedRequest, relationship_id: int, meeting_id: int) -> HttpResponse:
    relationship = _relationship(request, relationship_id)
    meeting = _own_meeting(request, relationship, meeting_id)
    if request.method == "GET" and relationship.status != RelationshipStatus.ACTIVE:
        messages.error(request, "This relationship has closed, so its meetings can no longer be changed.")
        return redirect("mentoring:relationship", relationship.pk)
    form = _meeting_form(
        relationship,
        request.POST or None,
        initial={"met_on": meeting.met_on, "mode": meeting.mode, "notes": meeting.notes, "actions": meeting.actions},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting_update(meeting=meeting, actor=request.user, now=timezone.now(), **form.cleaned_data)
        except MentoringError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The meeting is saved.")
            return redirect("mentoring:relationship", relationship.pk)
    return render(
        request,
        "mentoring/relationship_meeting.html",
        {
            "form": form,
            "relationship": relationship,
            "meeting": meeting,
            "crumbs": [*_crumbs(), ("Working together", reverse("mentoring:relationship", args=[relationship.pk]))],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def meeting_remove(request: AuthenticatedRequest, relationship_id: int, meeting_id: int) -> HttpResponse:
    relationship = _relationship(request, relationship_id)
    meeting = _own_meeting(request, relationship, meeting_id)
    try:
        meeting_delete(meeting=meeting, actor=request.user, now=timezone.now())
    except MentoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The meeting is deleted.")
    return redirect("mentoring:relationship", relationship.pk)


@login_required
@require_http_methods(["POST"])
def close(request: AuthenticatedRequest, relationship_id: int) -> HttpResponse:
    relationship = _relationship(request, relationship_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            relationship_close(
                relationship=relationship, actor=request.user, reason=form.cleaned_data["reason"], now=timezone.now()
            )
        except MentoringError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The relationship is closed. Please tell us how it went.")
            return redirect("mentoring:relationship", relationship.pk)
    return _page(request, relationship, invalid={"close_form": form})


@login_required
@require_http_methods(["POST"])
def early_check(request: AuthenticatedRequest, relationship_id: int) -> HttpResponse:
    relationship = _relationship(request, relationship_id)
    answer = request.POST.get("working")
    if answer not in ("yes", "no"):
        messages.error(request, "Choose whether it is working.")
        return redirect("mentoring:relationship", relationship.pk)
    try:
        early_check_answer(relationship=relationship, actor=request.user, working=answer == "yes", now=timezone.now())
    except MentoringError as exc:
        messages.error(request, str(exc))
    else:
        if answer == "yes":
            messages.success(request, "Good to hear. We will not ask again.")
        elif relationship.mentee_id == request.user.pk:
            messages.success(request, "The relationship is closed, and your request is open again: ask to be matched.")
        else:
            messages.success(request, "The relationship is closed. They can now be matched with someone else.")
    return redirect("mentoring:relationship", relationship.pk)


@login_required
@require_http_methods(["POST"])
def feedback(request: AuthenticatedRequest, relationship_id: int) -> HttpResponse:
    relationship = _relationship(request, relationship_id)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            feedback_give(relationship=relationship, actor=request.user, now=timezone.now(), **form.cleaned_data)
        except MentoringError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Thank you for your feedback.")
            return redirect("mentoring:relationship", relationship.pk)
    return _page(request, relationship, invalid={"feedback_form": form})
