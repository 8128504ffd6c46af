"""Pages of bilaterals. Thin: each fetches through a selector that holds the permission (a bilateral, meeting or log
that is not the person's is a 404, whoever they are), validates a form, calls one service, shows its refusal (400
with the form, or a message for a button), and redirects."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest

from .events import meeting_ics
from .forms import AvailabilityForm, ChooseTimeForm, MoveForm, NoteForm, ProposeForm, initial_slots
from .models import Bilateral, BilateralMeeting, BilateralStatus
from .selectors import (
    bilaterals_for,
    bilaterals_listed_for,
    due_on_for,
    live_bilaterals_for,
    meetings_for,
    meetings_of,
    notes_for,
    proposed_times,
    upcoming_meeting,
)
from .services import (
    BilateralError,
    availability_set,
    bilateral_accept,
    bilateral_decline,
    bilateral_end,
    bilateral_propose,
    meeting_cancel,
    meeting_move,
    meeting_schedule,
    note_add,
)

HOME = ("Your bilaterals", "bilaterals:list")


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(HOME[0], reverse(HOME[1])), *extra]


def _bilateral_crumbs(bilateral: Bilateral, user_id: int) -> list[tuple[str, str]]:
    other = bilateral.other(user_id).display_name
    return _crumbs((f"Bilateral with {other}", reverse("bilaterals:detail", args=[bilateral.pk])))


@login_required
@require_http_methods(["GET"])
def bilateral_list(request: AuthenticatedRequest) -> HttpResponse:
    rows = list(bilaterals_listed_for(user=request.user, now=timezone.now()))
    context = {
        "to_answer": [b for b in rows if b.is_proposed and b.partner_id == request.user.pk],
        "waiting": [b for b in rows if b.is_proposed and b.proposer_id == request.user.pk],
        "agreed": [b for b in rows if b.is_agreed],
        "past": [b for b in rows if b.status in (BilateralStatus.DECLINED, BilateralStatus.ENDED)],
    }
    return render(request, "bilaterals/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: AuthenticatedRequest) -> HttpResponse:
    form = ProposeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            bilateral = bilateral_propose(proposer=request.user, now=timezone.now(), **form.cleaned_data)
        except BilateralError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Your proposal is with {bilateral.partner.display_name}. Nothing is booked until they agree.",
            )
            return redirect("bilaterals:detail", bilateral.pk)
    context = {"form": form, "crumbs": _crumbs()}
    return render(request, "bilaterals/propose.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET"])
def detail(request: AuthenticatedRequest, bilateral_id: int) -> HttpResponse:
    bilateral = get_object_or_404(bilaterals_for(user=request.user), pk=bilateral_id)
    now = timezone.now()
    me = request.user.pk
    context: dict[str, Any] = {
        "bilateral": bilateral,
        "other": bilateral.other(me),
        "is_partner": bilateral.partner_id == me,
        "my_slots": bilateral.slots_of(me),
        "their_slots": bilateral.slots_of(bilateral.other(me).pk),
        "upcoming": upcoming_meeting(bilateral=bilateral, now=now) if bilateral.is_agreed else None,
        "due_on": due_on_for(bilateral=bilateral),
        "meetings": list(meetings_of(bilateral=bilateral)),
        "now": now,
        "crumbs": _crumbs(),
    }
    return render(request, "bilaterals/detail.html", context)


def _button(request: AuthenticatedRequest, bilateral: Bilateral, action: Any, done: str, **kwargs: Any) -> HttpResponse:
    try:
        action(bilateral_id=bilateral.pk, now=timezone.now(), **kwargs)
    except BilateralError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("bilaterals:detail", bilateral.pk)


@login_required
@require_http_methods(["POST"])
def accept(request: AuthenticatedRequest, bilateral_id: int) -> HttpResponse:
    bilateral = get_object_or_404(bilaterals_for(user=request.user).filter(partner=request.user), pk=bilateral_id)
    done = (
        f"You agreed to meet {bilateral.proposer.display_name} {bilateral.get_cadence_months_display().lower()}. "
        "Add your weekly times so the portal can propose dates."
    )
    return _button(request, bilateral, bilateral_accept, done, partner=request.user)


@login_required
@require_http_methods(["POST"])
def decline(request: AuthenticatedRequest, bilateral_id: int) -> HttpResponse:
    # Any bilateral proposed to them, as for agreeing: a second click or a withdrawn proposal gets the service's
    # message, not a 404.
    bilateral = get_object_or_404(bilaterals_for(user=request.user).filter(partner=request.user), pk=bilateral_id)
    try:
        bilateral_decline(bilateral_id=bilateral.pk, partner=request.user, now=timezone.now())
    except BilateralError as exc:
        messages.error(request, str(exc))
        return redirect("bilaterals:detail", bilateral.pk)
    messages.success(request, f"You declined. {bilateral.proposer.display_name} is told.")
    return redirect("bilaterals:list")


@login_required
@require_http_methods(["GET", "POST"])
def availability(request: AuthenticatedRequest, bilateral_id: int) -> HttpResponse:
    bilateral = get_object_or_404(live_bilaterals_for(user=request.user), pk=bilateral_id)
    form = AvailabilityForm(
        request.POST if request.method == "POST" else None, initial=initial_slots(bilateral.slots_of(request.user.pk))
    )
    if request.method == "POST" and form.is_valid():
        try:
            availability_set(
                bilateral_id=bilateral.pk, person=request.user, slots=form.cleaned_data["slots"], now=timezone.now()
            )
        except BilateralError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your weekly times are saved.")
            return redirect("bilaterals:detail", bilateral.pk)
    context = {"form": form, "bilateral": bilateral, "crumbs": _bilateral_crumbs(bilateral, request.user.pk)}
    return render(request, "bilaterals/availability.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def choose_time(request: AuthenticatedRequest, bilateral_id: int) -> HttpResponse:
    bilateral = get_object_or_404(live_bilaterals_for(user=request.user), pk=bilateral_id)
    now = timezone.now()
    options = proposed_times(bilateral=bilateral, now=now)
    form = ChooseTimeForm(request.POST if request.method == "POST" else None, options=options)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_schedule(
                bilateral_id=bilateral.pk, person=request.user, starts_at=form.starts_at(), now=now
            )
        except BilateralError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The meeting is booked. You both have an invitation for your calendar.")
            return redirect("bilaterals:meeting", meeting.pk)
    context = {
        "form": form,
        "bilateral": bilateral,
        "options": options,
        "due_on": due_on_for(bilateral=bilateral),
        "crumbs": _bilateral_crumbs(bilateral, request.user.pk),
    }
    return render(request, "bilaterals/choose_time.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def end(request: AuthenticatedRequest, bilateral_id: int) -> HttpResponse:
    bilateral = get_object_or_404(live_bilaterals_for(user=request.user), pk=bilateral_id)
    if request.method == "POST":
        try:
            bilateral_end(bilateral_id=bilateral.pk, person=request.user, now=timezone.now())
        except BilateralError as exc:
            messages.error(request, str(exc))
            return redirect("bilaterals:detail", bilateral.pk)
        messages.success(request, f"The bilateral has ended. {bilateral.other(request.user.pk).display_name} is told.")
        return redirect("bilaterals:list")
    context = {"bilateral": bilateral, "crumbs": _bilateral_crumbs(bilateral, request.user.pk)}
    return render(request, "bilaterals/end.html", context)


# --- Meetings -----------------------------------------------------------------------------------------------------


def _meeting_page(
    request: AuthenticatedRequest, meeting: BilateralMeeting, note_form: NoteForm | None = None
) -> HttpResponse:
    bilateral = meeting.bilateral
    now = timezone.now()
    context = {
        "meeting": meeting,
        "bilateral": bilateral,
        "other": bilateral.other(request.user.pk),
        "notes": list(notes_for(user=request.user, meeting=meeting)),
        "note_form": note_form or NoteForm(),
        "started": meeting.starts_at <= now,
        "changeable": not meeting.is_cancelled and meeting.starts_at > now and bilateral.is_agreed,
        "crumbs": _bilateral_crumbs(bilateral, request.user.pk),
    }
    status = 400 if note_form is not None and note_form.errors else 200
    return render(request, "bilaterals/meeting.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def meeting(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    return _meeting_page(request, get_object_or_404(meetings_for(user=request.user), pk=meeting_id))


@login_required
@require_http_methods(["GET"])
def meeting_calendar(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    found = get_object_or_404(meetings_for(user=request.user), pk=meeting_id)
    body = meeting_ics(found, viewer=request.user, now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bilateral-{found.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["POST"])
def note_new(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    found = get_object_or_404(meetings_for(user=request.user), pk=meeting_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            note_add(meeting_id=found.pk, author=request.user, text=form.cleaned_data["text"], now=timezone.now())
        except BilateralError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your note is in the log. Only the two of you can read it.")
            return redirect(reverse("bilaterals:meeting", args=[found.pk]) + "#log")
    return _meeting_page(request, found, note_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_move_view(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    found = get_object_or_404(meetings_for(user=request.user), pk=meeting_id)
    form = MoveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_move(meeting_id=found.pk, person=request.user, starts_at=form.starts_at(), now=timezone.now())
        except BilateralError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The meeting has moved. You both have the updated invitation.")
            return redirect("bilaterals:meeting", found.pk)
    context = {"form": form, "meeting": found, "crumbs": _bilateral_crumbs(found.bilateral, request.user.pk)}
    return render(request, "bilaterals/move.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel_view(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    found = get_object_or_404(meetings_for(user=request.user), pk=meeting_id)
    if request.method == "POST":
        try:
            meeting_cancel(meeting_id=found.pk, person=request.user, now=timezone.now())
        except BilateralError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "The meeting is cancelled. You both have a calendar cancellation.")
        return redirect("bilaterals:meeting", found.pk)
    context = {"meeting": found, "crumbs": _bilateral_crumbs(found.bilateral, request.user.pk)}
    return render(request, "bilaterals/cancel.html", context)
