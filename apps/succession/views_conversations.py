"""Talent conversations: a lead records one with someone who stands forward at their organisation; the two of them
read and change it; the person deletes it, and takes its next steps into their plan. Thin: each view fetches
through a selector that holds the permission (anyone else's conversation, or a candidacy at another organisation,
is a 404), validates a form, calls one service, shows its refusal with the form (400), and redirects.

A lead reading a conversation is not an access to someone's private record: they are one of its two parties."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role
from apps.accounts.permissions import role_required
from apps.development.selectors import plans_for_owner

from .forms_conversations import ConversationForm, StepToPlanForm
from .models import TalentConversation
from .selectors import candidacies_for_lead, conversations_for
from .services import SuccessionError
from .services.conversations import (
    conversation_create,
    conversation_delete,
    conversation_step_to_plan,
    conversation_update,
)

HOME = ("Talent conversations", "succession:conversations")


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(HOME[0], reverse(HOME[1])), *extra]


def _readable(request: AuthenticatedRequest) -> QuerySet[TalentConversation]:
    return conversations_for(user=request.user).select_related("person", "lead", "organisation", "updated_by")


@login_required
@require_http_methods(["GET"])
def conversations(request: AuthenticatedRequest) -> HttpResponse:
    """The person's own conversations, and those a lead held that are still open to them."""
    readable = list(_readable(request))
    return render(
        request,
        "succession/conversations/list.html",
        {
            "mine": [c for c in readable if c.person_id == request.user.pk],
            "held": [c for c in readable if c.person_id != request.user.pk],
        },
    )


@role_required(Role.ORGANISATION_LEAD, message="Only an organisation lead records talent conversations.")
@require_http_methods(["GET", "POST"])
def conversation_new(request: AuthenticatedRequest, candidacy_id: int) -> HttpResponse:
    candidacy = get_object_or_404(
        candidacies_for_lead(lead=request.user).select_related("person", "post", "organisation"), pk=candidacy_id
    )
    form = ConversationForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            made = conversation_create(
                lead=request.user, candidacy_id=candidacy.pk, now=timezone.now(), **form.cleaned_data
            )
        except SuccessionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"The conversation is recorded. {candidacy.person.display_name} is told, and can read and change it.",
            )
            return redirect("succession:conversation", made.pk)
    context = {"candidacy": candidacy, "form": form, "crumbs": _crumbs()}
    return render(request, "succession/conversations/new.html", context, status=400 if form.errors else 200)


def _page(
    request: AuthenticatedRequest, conversation: TalentConversation, step_form: StepToPlanForm | None = None
) -> HttpResponse:
    is_person = conversation.person_id == request.user.pk
    steps = conversation.next_step_list
    plans = list(plans_for_owner(owner=request.user)) if is_person and steps else []
    context: dict[str, Any] = {
        "conversation": conversation,
        "is_person": is_person,
        "other": conversation.lead if is_person else conversation.person,
        "steps": steps,
        "plans": plans,
        "step_form": step_form or StepToPlanForm(steps=steps, plans=plans, prefix="step"),
        "form": step_form,  # the error summary's, and the page title's "(error)"
        "crumbs": _crumbs(),
    }
    return render(
        request, "succession/conversations/detail.html", context, status=400 if step_form is not None else 200
    )


@login_required
@require_http_methods(["GET"])
def conversation(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    return _page(request, get_object_or_404(_readable(request), pk=conversation_id))


@login_required
@require_http_methods(["GET", "POST"])
def conversation_edit(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    found = get_object_or_404(_readable(request), pk=conversation_id)
    initial = {name: getattr(found, name) for name in ConversationForm.base_fields}
    form = ConversationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            conversation_update(conversation_id=found.pk, actor=request.user, now=timezone.now(), **form.cleaned_data)
        except SuccessionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your changes are saved.")
            return redirect("succession:conversation", found.pk)
    context = {
        "conversation": found,
        "is_person": found.person_id == request.user.pk,
        "form": form,
        "crumbs": _crumbs((str(found), reverse("succession:conversation", args=[found.pk]))),
    }
    return render(request, "succession/conversations/edit.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def conversation_delete_view(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    """The person only: a lead's delete is a 404, as for anything not theirs to do."""
    found = get_object_or_404(_readable(request).filter(person=request.user), pk=conversation_id)
    if request.method == "POST":
        try:
            conversation_delete(conversation_id=found.pk, person=request.user, now=timezone.now())
        except SuccessionError as exc:
            messages.error(request, str(exc))
            return redirect("succession:conversations")
        messages.success(request, "The conversation is deleted, and no reminder about it will come.")
        return redirect("succession:conversations")
    crumbs = _crumbs((str(found), reverse("succession:conversation", args=[found.pk])))
    return render(request, "succession/conversations/delete.html", {"conversation": found, "crumbs": crumbs})


@login_required
@require_http_methods(["POST"])
def conversation_step_to_plan_view(request: AuthenticatedRequest, conversation_id: int) -> HttpResponse:
    """The person only: one agreed next step becomes a goal in one of their own plans."""
    found = get_object_or_404(_readable(request).filter(person=request.user), pk=conversation_id)
    plans = list(plans_for_owner(owner=request.user))
    form = StepToPlanForm(request.POST, steps=found.next_step_list, plans=plans, prefix="step")
    if form.is_valid():
        try:
            goal = conversation_step_to_plan(
                conversation_id=found.pk,
                person=request.user,
                step_index=form.cleaned_data["step"],
                plan_id=form.cleaned_data["plan"],
                now=timezone.now(),
            )
        except SuccessionError as exc:
            form.add_error(None, str(exc))
        else:
            plan = next(p for p in plans if p.pk == goal.plan_id)
            messages.success(request, f"“{goal.title}” is a goal in your plan “{plan.title}”.")
            return redirect("development:plan", plan.pk)
    return _page(request, found, step_form=form)
