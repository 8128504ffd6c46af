"""Pages of a live learning set, for its members and its facilitator: every lookup goes through a queryset
filtered to them (selectors.sets_for / sessions_for), so anyone else, an organiser included, gets a 404 and
learns nothing. Organisers reach one page here, moving a session (sessions_movable_by), which shows no notes.
The calendar feed is the one page without a sign-in: its unguessable token is the key."""

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role
from apps.accounts.permissions import role_required
from apps.development.selectors import plans_for_owner
from apps.notifications.services import portal_url

from .events import feed_calendar, set_name
from .forms_sets import ApologyForm, AttendanceForm, NoteForm, ReflectionForm, ReflectionToPlanForm, RescheduleForm
from .models import CalendarFeed, LearningSet, Session
from .selectors import (
    apologies_for,
    attendance_marks,
    feed_exists,
    feed_of,
    feed_person,
    members_of,
    notes_of,
    programmes_publishable_by,
    reflections_of,
    sessions_facilitated_by,
    sessions_for,
    sessions_held,
    sessions_movable_by,
    sessions_of,
    sessions_upcoming_for,
    set_listings_for,
    set_sessions,
    sets_facilitated_by,
    sets_for,
    sets_joined_by,
)
from .services import LearningSetError
from .services.feeds import feed_token_reset
from .services.notes import note_add, reflection_to_plan, reflection_write
from .services.publishing import programme_publish
from .services.sessions import apology_send, apology_withdraw, attendance_record, session_cancel, session_reschedule
from .slots import slot_label

# Upcoming sessions listed on the home page; the calendar feed has them all.
UPCOMING = 6


def _set(request: AuthenticatedRequest, set_id: int) -> LearningSet:
    return get_object_or_404(sets_for(user=request.user), pk=set_id)


def _session(request: AuthenticatedRequest, session_id: int) -> Session:
    return get_object_or_404(sessions_for(user=request.user), pk=session_id)


def _home_crumbs() -> list[tuple[str, str]]:
    return [("Action learning sets", reverse("learning_sets:home"))]


def _set_crumbs(learning_set: LearningSet) -> list[tuple[str, str]]:
    return [*_home_crumbs(), (set_name(learning_set), reverse("learning_sets:set", args=[learning_set.pk]))]


def _feed_url(feed: CalendarFeed | None) -> str:
    # The portal's public address, as in e-mails: a calendar app fetches it from outside, long after this page.
    return portal_url(reverse("learning_sets:feed", args=[feed.token])) if feed else ""


# Home.


@login_required
@require_http_methods(["GET"])
def home(request: AuthenticatedRequest) -> HttpResponse:
    sets = set_listings_for(user=request.user)
    return render(
        request,
        "learning_sets/sets/home.html",
        {
            "member_of": [s for s in sets if s.learning_set.facilitator_id != request.user.pk],
            "facilitating": [s for s in sets if s.learning_set.facilitator_id == request.user.pk],
            "upcoming": sessions_upcoming_for(user=request.user, now=timezone.now(), limit=UPCOMING),
            "feed_url": _feed_url(feed_of(person=request.user)),
        },
    )


@login_required
@require_http_methods(["POST"])
def feed_new(request: AuthenticatedRequest) -> HttpResponse:
    had_one = feed_exists(person=request.user)
    feed_token_reset(person=request.user, now=timezone.now())
    if had_one:
        messages.success(request, "You have a new calendar link. The old one no longer works: subscribe again.")
    else:
        messages.success(request, "Your calendar link is ready. Add it to your calendar as a subscription.")
    return redirect(reverse("learning_sets:home") + "#calendar")


@require_http_methods(["GET"])
def feed(request: HttpRequest, token: str) -> HttpResponse:
    # A NUL in the address would reach PostgreSQL, which refuses it (a 500): no token has one.
    person = feed_person(token=token) if "\x00" not in token else None
    if person is None:
        raise Http404("No such calendar.")
    response = HttpResponse(feed_calendar(person=person), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="learning-sets.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


# The set page.


def _set_page(
    request: AuthenticatedRequest, learning_set: LearningSet, *, note_form: NoteForm | None = None
) -> HttpResponse:
    user = request.user
    is_facilitator = learning_set.facilitator_id == user.pk
    sessions = set_sessions(learning_set=learning_set, reader=user)
    if is_facilitator and note_form is None:
        note_form = NoteForm(sessions=[row.session for row in sessions])
    context = {
        "learning_set": learning_set,
        "name": set_name(learning_set),
        "when": slot_label(learning_set.slot),
        "is_facilitator": is_facilitator,
        "members": list(members_of(learning_set=learning_set)),
        "sessions": sessions,
        "notes": notes_of(learning_set=learning_set),
        "reflections": [] if is_facilitator else list(reflections_of(author=user, learning_set=learning_set)),
        "note_form": note_form,
        "form": note_form if note_form is not None and note_form.errors else None,
        "now": timezone.now(),
        "crumbs": _home_crumbs(),
    }
    return render(request, "learning_sets/sets/set.html", context, status=400 if context["form"] else 200)


@login_required
@require_http_methods(["GET"])
def set_detail(request: AuthenticatedRequest, set_id: int) -> HttpResponse:
    return _set_page(request, _set(request, set_id))


@login_required
@require_http_methods(["POST"])
def note_new(request: AuthenticatedRequest, set_id: int) -> HttpResponse:
    # Only the facilitator writes notes: to anyone else, the set has no such page.
    learning_set = get_object_or_404(sets_facilitated_by(user=request.user), pk=set_id)
    form = NoteForm(request.POST, sessions=list(sessions_of(learning_set=learning_set)))
    if form.is_valid():
        try:
            note_add(
                learning_set=learning_set,
                author=request.user,
                text=form.cleaned_data["text"],
                session=form.chosen_session(),
                now=timezone.now(),
            )
        except LearningSetError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your note is saved. The set's members can read it.")
            return redirect(reverse("learning_sets:set", args=[learning_set.pk]) + "#notes")
    return _set_page(request, learning_set, note_form=form)


# Reflections: only ever the author's.


@login_required
@require_http_methods(["GET", "POST"])
def reflection_new(request: AuthenticatedRequest, set_id: int) -> HttpResponse:
    # Only members keep reflections: to the facilitator, the set has no such page.
    learning_set = get_object_or_404(sets_joined_by(user=request.user), pk=set_id)
    sessions = sessions_held(learning_set=learning_set, now=timezone.now())
    initial = {"session": request.GET.get("session", "")}
    form = ReflectionForm(request.POST or None, sessions=sessions, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            reflection = reflection_write(
                learning_set=learning_set,
                author=request.user,
                session=form.chosen_session(),
                what_happened=form.cleaned_data["what_happened"],
                so_what=form.cleaned_data["so_what"],
                now_what=form.cleaned_data["now_what"],
                now=timezone.now(),
            )
        except LearningSetError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your reflection is saved. Only you can see it.")
            return redirect("learning_sets:reflection", learning_set.pk, reflection.pk)
    return render(
        request,
        "learning_sets/sets/reflection_form.html",
        {
            "form": form,
            "learning_set": learning_set,
            "name": set_name(learning_set),
            "crumbs": _set_crumbs(learning_set),
        },
        status=400 if form.errors else 200,
    )


def _reflection_page(
    request: AuthenticatedRequest, set_id: int, reflection_id: int, *, plan_form: ReflectionToPlanForm | None = None
) -> HttpResponse:
    learning_set = _set(request, set_id)
    reflection = get_object_or_404(
        reflections_of(author=request.user, learning_set=learning_set).select_related("plan_reflection__plan"),
        pk=reflection_id,
    )
    plans = list(plans_for_owner(owner=request.user))
    if plan_form is None and plans and reflection.plan_reflection_id is None:
        when = reflection.session.starts_at if reflection.session else reflection.created_at
        local = timezone.localtime(when)
        title = f"Action learning set, {local.day} {local:%B %Y}"
        plan_form = ReflectionToPlanForm(plans=plans, initial={"plan": plans[0].pk, "title": title})
    return render(
        request,
        "learning_sets/sets/reflection.html",
        {
            "learning_set": learning_set,
            "name": set_name(learning_set),
            "reflection": reflection,
            "plans": plans,
            "plan_form": plan_form,
            "form": plan_form if plan_form is not None and plan_form.errors else None,
            "crumbs": _set_crumbs(learning_set),
        },
        status=400 if plan_form is not None and plan_form.errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def reflection_detail(request: AuthenticatedRequest, set_id: int, reflection_id: int) -> HttpResponse:
    return _reflection_page(request, set_id, reflection_id)


@login_required
@require_http_methods(["POST"])
def reflection_plan(request: AuthenticatedRequest, set_id: int, reflection_id: int) -> HttpResponse:
    learning_set = _set(request, set_id)
    reflection = get_object_or_404(reflections_of(author=request.user, learning_set=learning_set), pk=reflection_id)
    form = ReflectionToPlanForm(request.POST, plans=list(plans_for_owner(owner=request.user)))
    if form.is_valid():
        try:
            reflection_to_plan(
                reflection=reflection,
                author=request.user,
                plan_id=form.cleaned_data["plan"],
                title=form.cleaned_data["title"],
                now=timezone.now(),
            )
        except LearningSetError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your reflection is in your development plan, where it counts as evidence.")
            return redirect("learning_sets:reflection", learning_set.pk, reflection.pk)
    return _reflection_page(request, set_id, reflection_id, plan_form=form)


# The session page.


def _session_page(
    request: AuthenticatedRequest, session: Session, *, invalid: dict[str, forms.Form] | None = None
) -> HttpResponse:
    user = request.user
    learning_set = session.learning_set
    is_facilitator = learning_set.facilitator_id == user.pk
    now = timezone.now()
    started = session.starts_at <= now
    apologies = apologies_for(session=session)
    my_apology = next((a for a in apologies if a.member_id == user.pk), None)
    context: dict[str, Any] = {
        "session": session,
        "learning_set": learning_set,
        "name": set_name(learning_set),
        "is_facilitator": is_facilitator,
        "started": started,
        "my_apology": my_apology,
        "crumbs": _set_crumbs(learning_set),
    }
    if is_facilitator:
        members = [m.member for m in members_of(learning_set=learning_set)]
        marks = attendance_marks(session=session)
        initial = {f"{AttendanceForm.PREFIX}{m}": "yes" if came else "no" for m, came in marks.items()}
        context |= {
            "apologies": apologies,
            "attendance": [(m, marks.get(m.pk)) for m in members],
            "attendance_form": (
                AttendanceForm(members=members, apologised=frozenset(a.member_id for a in apologies), initial=initial)
                if started and not session.is_cancelled
                else None
            ),
            "reschedule_form": RescheduleForm() if not started and not session.is_cancelled else None,
        }
    else:
        context["apology_form"] = ApologyForm(initial={"message": my_apology.message if my_apology else ""})
        if started or session.is_cancelled:
            context["apology_form"] = None
    context |= invalid or {}
    context["form"] = next(iter(invalid.values())) if invalid else None
    return render(request, "learning_sets/sets/session.html", context, status=400 if invalid else 200)


@login_required
@require_http_methods(["GET"])
def session_detail(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    return _session_page(request, _session(request, session_id))


@login_required
@require_http_methods(["POST"])
def apology_new(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    form = ApologyForm(request.POST)
    if form.is_valid():
        try:
            apology_send(session=session, member=request.user, message=form.cleaned_data["message"], now=timezone.now())
        except LearningSetError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your apologies are sent. We will not remind you about this session.")
            return redirect("learning_sets:session", session.pk)
    return _session_page(request, session, invalid={"apology_form": form})


@login_required
@require_http_methods(["POST"])
def apology_cancel(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    try:
        apology_withdraw(session=session, member=request.user, now=timezone.now())
    except LearningSetError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your apologies are withdrawn. We look forward to seeing you.")
    return redirect("learning_sets:session", session.pk)


@login_required
@require_http_methods(["POST"])
def attendance(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    # Only the facilitator records attendance: to anyone else, the session has no such page.
    session = get_object_or_404(sessions_facilitated_by(user=request.user), pk=session_id)
    members = [m.member for m in members_of(learning_set=session.learning_set)]
    form = AttendanceForm(request.POST, members=members)
    if form.is_valid():
        try:
            attendance_record(session=session, actor=request.user, present=form.present(), now=timezone.now())
        except LearningSetError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Attendance is recorded.")
            return redirect("learning_sets:session", session.pk)
    return _session_page(request, session, invalid={"attendance_form": form})


@login_required
@require_http_methods(["GET", "POST"])
def session_move(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    """Move a session: the facilitator (from the session page) or an organiser of the programme."""
    session = get_object_or_404(sessions_movable_by(user=request.user), pk=session_id)
    form = RescheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moved = session_reschedule(
                session=session, starts_at=form.starts_at(), actor=request.user, now=timezone.now()
            )
        except LearningSetError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Session {moved.number} is moved. Its members have a new invitation.")
            if moved.learning_set.facilitator_id == request.user.pk:
                return redirect("learning_sets:session", moved.pk)
            return redirect("learning_sets:session_reschedule", moved.pk)
    return render(
        request,
        "learning_sets/sets/reschedule.html",
        {
            "form": form,
            "session": session,
            "name": set_name(session.learning_set),
            "is_facilitator": session.learning_set.facilitator_id == request.user.pk,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel_confirm(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    """Cancel a session, after a page that says what will happen: the facilitator or an organiser of the
    programme, as for moving it."""
    session = get_object_or_404(sessions_movable_by(user=request.user), pk=session_id)
    is_facilitator = session.learning_set.facilitator_id == request.user.pk
    error = ""
    if request.method == "POST":
        try:
            cancelled = session_cancel(session=session, actor=request.user, now=timezone.now())
        except LearningSetError as exc:
            error = str(exc)
        else:
            messages.success(
                request, f"Session {cancelled.number} is cancelled. Its members have a calendar cancellation."
            )
            if is_facilitator:
                return redirect("learning_sets:session", cancelled.pk)
            return redirect("learning_sets:session_reschedule", cancelled.pk)
    return render(
        request,
        "learning_sets/sets/cancel.html",
        {
            "session": session,
            "name": set_name(session.learning_set),
            "is_facilitator": is_facilitator,
            "error": error,
            "started": session.starts_at <= timezone.now(),
        },
        status=400 if error else 200,
    )


# Publishing, from the organiser's review page.


def _back(request: AuthenticatedRequest) -> str:
    """Where the publish button was, if that is one of our pages; else the learning sets home."""
    for candidate in (request.POST.get("next", ""), request.headers.get("Referer", "")):
        # Only an address whose path starts at the root (looked at once the check has parsed it: `urlsplit` raises
        # on "http://[::1"). `redirect()` takes anything else ("review", "🏥") for a view's name: a 500.
        if (
            candidate
            and url_has_allowed_host_and_scheme(
                candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
            and urlsplit(candidate).path.startswith("/")
        ):
            return candidate
    return reverse("learning_sets:home")


@role_required(Role.ORGANISER, message="Programmes of learning sets are run by organisers.")
@require_http_methods(["POST"])
def publish_programme(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    # As on the other organiser pages: no organiser role is a 403, someone else's programme a 404.
    programme = get_object_or_404(programmes_publishable_by(user=request.user), pk=programme_id)
    try:
        outcome = programme_publish(programme=programme, actor=request.user, now=timezone.now())
    except LearningSetError as exc:
        messages.error(request, str(exc))
    else:
        text = (
            f"Published: {outcome.sets} sets, {outcome.sessions} sessions. "
            f"{outcome.members} members have their invitations and calendar files."
        )
        if outcome.empty_sets:
            text += f" Sets with nobody in them have no sessions: {', '.join(map(str, outcome.empty_sets))}."
        messages.success(request, text)
    return redirect(_back(request))
