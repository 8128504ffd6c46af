"""Programmes: members' pages (programmes taking applications, applying, withdrawing) and organisers' pages (set up,
open, close applications early, form the sets, review, move and swap people, report).

Every organiser page requires the organiser role (`role_required`: without it, a 403) and starts from
`programmes_run_by(user)`: a programme someone does not organise is a 404 to them, whatever roles they hold. Members
see every programme that is not still being set up (a draft is a 404 to them).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role
from apps.accounts.permissions import role_required
from apps.accounts.selectors import user_has_role
from apps.profiles.selectors import profile_for_owner

from .forms_programmes import (
    NEW_PROGRAMME_INITIAL,
    ApplicationForm,
    ProgrammeForm,
    initial_from_application,
    initial_from_profile,
)
from .models import ApplicationStatus, Programme, ProgrammeStatus
from .reports import programme_report
from .selectors import (
    EDITABLE,
    application_counts,
    application_of,
    applications_closed,
    applications_of,
    applications_to,
    close_refusal,
    programme_facilitators,
    programme_review,
    programmes_organised_by,
    programmes_run_by,
    programmes_taking_applications,
    programmes_visible_to,
    refusal_to_apply,
    sets_count,
    sets_of,
)
from .services import LearningSetError
from .services.applications import application_save, application_withdraw
from .services.programmes import programme_close_applications, programme_open, programme_save
from .services.review import member_move, members_swap, move_check, programme_group, set_change, swap_check

OUT_OF_THE_SETS = "out"
ORGANISERS_ONLY = "Programmes of learning sets are run by organisers."

# --- Members ---------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def programme_list(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    applications = list(applications_of(request.user))
    applied = {application.programme_id: application for application in applications}
    programmes = [
        (programme, applied.get(programme.pk))
        for programme in programmes_taking_applications(today=today, person=request.user)
    ]
    return render(
        request,
        "learning_sets/programmes/list.html",
        {
            "programmes": programmes,
            "applications": applications,
            "is_organiser": user_has_role(user=request.user, role=Role.ORGANISER),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = get_object_or_404(programmes_visible_to(person=request.user), pk=programme_id)
    application = application_of(programme=programme, person=request.user)
    refusal = refusal_to_apply(programme, today=timezone.localdate())
    if application is not None:
        initial = initial_from_application(application)
    else:
        initial = initial_from_profile(profile_for_owner(user=request.user))
    current = initial.get("organisation")
    form = ApplicationForm(
        request.POST or None, initial=initial, current_organisation=current if isinstance(current, int) else None
    )
    error = ""
    if request.method == "POST":
        if refusal:
            error = refusal  # checked again by the service; said here so nothing typed is judged first
        elif form.is_valid():
            try:
                saved = application_save(
                    programme=programme, person=request.user, details=form.details(), now=timezone.now()
                )
            except LearningSetError as exc:
                form.add_error(None, str(exc))
            else:
                changed = application is not None and application.status != ApplicationStatus.WITHDRAWN
                verb = "changed" if changed else "sent"
                messages.success(request, f"Your application to “{programme.name}” is {verb}.")
                return redirect("learning_sets:apply", programme_id=saved.programme_id)
    return render(
        request,
        "learning_sets/programmes/apply.html",
        {"programme": programme, "application": application, "form": form, "refusal": refusal, "error": error},
        status=400 if (error or form.errors) else 200,
    )


@login_required
@require_http_methods(["POST"])
def withdraw(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = get_object_or_404(programmes_visible_to(person=request.user), pk=programme_id)
    application = application_of(programme=programme, person=request.user)
    if application is None:
        raise Http404("No application to withdraw.")
    try:
        application_withdraw(application=application, person=request.user, now=timezone.now())
    except LearningSetError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Your application to “{programme.name}” is withdrawn.")
    return redirect("learning_sets:programmes")


# --- Organisers ------------------------------------------------------------------------------------------------------


def _programme(request: AuthenticatedRequest, programme_id: int) -> Programme:
    return get_object_or_404(programmes_run_by(request.user), pk=programme_id)


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["GET"])
def organise(request: AuthenticatedRequest) -> HttpResponse:
    programmes = programmes_organised_by(user=request.user)
    return render(request, "learning_sets/programmes/organise.html", {"programmes": programmes})


def _programme_form_page(request: AuthenticatedRequest, programme: Programme | None) -> HttpResponse:
    initial: dict[str, object] = {}
    if programme is not None:
        initial = {name: getattr(programme, name) for name in ProgrammeForm.base_fields if name != "facilitator_emails"}
        facilitators = programme_facilitators(programme=programme)
        initial["facilitator_emails"] = "\n".join(user.email for user in facilitators)
    else:
        initial = dict(NEW_PROGRAMME_INITIAL)
    current = programme.organisation_id if programme is not None else None
    form = ProgrammeForm(request.POST or None, initial=initial, current_organisation=current)
    if request.method == "POST" and form.is_valid():
        try:
            saved = programme_save(actor=request.user, programme=programme, details=form.details(), now=timezone.now())
        except LearningSetError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"“{saved.name}” is saved.")
            return redirect("learning_sets:programme", programme_id=saved.pk)
    heading = f"Change “{programme.name}”" if programme else "Set up a programme of learning sets"
    return render(
        request,
        "learning_sets/programmes/form.html",
        {"form": form, "heading": heading, "programme": programme},
        status=400 if form.errors else 200,
    )


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["GET", "POST"])
def programme_create(request: AuthenticatedRequest) -> HttpResponse:
    return _programme_form_page(request, None)


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["GET", "POST"])
def programme_edit(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    if programme.status not in EDITABLE:
        messages.error(request, "This programme's sets are published: its settings can no longer be changed.")
        return redirect("learning_sets:programme", programme_id=programme.pk)
    return _programme_form_page(request, programme)


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["GET"])
def programme_detail(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    today = timezone.localdate()
    closed = applications_closed(programme, today=today)
    return render(
        request,
        "learning_sets/programmes/detail.html",
        {
            "programme": programme,
            "closed_by": programme.applications_closed_by if programme.applications_closed_at else None,
            "facilitators": programme_facilitators(programme=programme),
            "counts": application_counts(programme=programme),
            "sets": sets_count(programme=programme),
            "editable": programme.status in EDITABLE,
            "window_closed": closed,
            "can_group": programme.status in (ProgrammeStatus.OPEN, ProgrammeStatus.GROUPING) and closed,
            "can_close": close_refusal(programme, today=today) is None,
        },
    )


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["POST"])
def programme_open_view(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    try:
        programme_open(programme=programme, actor=request.user, now=timezone.now())
    except LearningSetError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{programme.name}” is open: members can apply from the day the window opens.")
    return redirect("learning_sets:programme", programme_id=programme.pk)


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["GET", "POST"])
def programme_close_view(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    """Close applications early: a page that says what closing means, and asks to confirm it."""
    programme = _programme(request, programme_id)
    if request.method == "POST":
        try:
            programme_close_applications(programme=programme, actor=request.user, now=timezone.now())
        except LearningSetError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Applications for “{programme.name}” are closed. You can form the sets now.")
        return redirect("learning_sets:programme", programme_id=programme.pk)
    refusal = close_refusal(programme, today=timezone.localdate())
    if refusal:
        messages.error(request, refusal)
        return redirect("learning_sets:programme", programme_id=programme.pk)
    return render(
        request,
        "learning_sets/programmes/close.html",
        {"programme": programme, "counts": application_counts(programme=programme)},
    )


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["POST"])
def programme_group_view(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    try:
        run = programme_group(programme=programme, actor=request.user, now=timezone.now())
    except LearningSetError as exc:
        messages.error(request, str(exc))
        return redirect("learning_sets:programme", programme_id=programme.pk)
    messages.success(
        request,
        f"{run.sets} set{'s' if run.sets != 1 else ''} formed with {run.placed} "
        f"{'person' if run.placed == 1 else 'people'}; {run.unplaced} not placed. "
        "Review them: nothing is sent until you publish.",
    )
    return redirect("learning_sets:review", programme_id=programme.pk)


def _review_page(
    request: AuthenticatedRequest,
    programme: Programme,
    error: str = "",
    swap: tuple[int | None, int | None] = (None, None),
) -> HttpResponse:
    """The review page; after a refused swap, with the two people still chosen so the organiser can try again."""
    return render(
        request,
        "learning_sets/programmes/review.html",
        {
            "programme": programme,
            "review": programme_review(programme=programme),
            "editing": programme.status == ProgrammeStatus.GROUPING,
            "error": error,
            "out": OUT_OF_THE_SETS,
            "swap_fields": [
                ("first", "Swap this person", swap[0]),
                ("second", "with this person in another set", swap[1]),
            ],
            "swap_open": swap != (None, None),
        },
        status=400 if error else 200,
    )


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["GET"])
def review(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    return _review_page(request, _programme(request, programme_id))


def _target(raw: str | None) -> tuple[bool, int | None]:
    """(understood, set id or None for out of the sets) from the select's value."""
    if raw == OUT_OF_THE_SETS:
        return True, None
    try:
        return True, int(raw or "")
    except ValueError:
        return False, None


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["GET"])
def move_check_view(request: AuthenticatedRequest, programme_id: int, application_id: int) -> HttpResponse:
    """The live check behind each member's list of sets (htmx): may they be moved there?"""
    programme = _programme(request, programme_id)
    application = get_object_or_404(applications_to(programme=programme), pk=application_id)
    understood, target_id = _target(request.GET.get("target"))
    check = None
    if understood:
        target = None
        if target_id is not None:
            target = get_object_or_404(sets_of(programme=programme), pk=target_id)
        check = move_check(programme=programme, application=application, target=target)
    return render(request, "learning_sets/programmes/_move_check.html", {"check": check})


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["POST"])
def move(request: AuthenticatedRequest, programme_id: int, application_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    understood, target_id = _target(request.POST.get("target"))
    if not understood:
        return _review_page(request, programme, "Choose where to move them.")
    try:
        done = member_move(
            programme=programme,
            application_id=application_id,
            target_id=target_id,
            actor=request.user,
            now=timezone.now(),
        )
    except LearningSetError as exc:
        return _review_page(request, programme, str(exc))
    messages.success(request, done)
    return redirect("learning_sets:review", programme_id=programme.pk)


def _application_id(raw: str | None) -> int | None:
    try:
        return int(raw or "")
    except ValueError:  # also "²", which passes str.isdigit()
        return None


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["GET"])
def swap_check_view(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    """The live check behind the swap form (htmx): may these two change places?"""
    programme = _programme(request, programme_id)
    chosen = [_application_id(request.GET.get(name)) for name in ("first", "second")]
    check = None
    if None not in chosen:
        people = applications_to(programme=programme, live=True)
        first = get_object_or_404(people, pk=chosen[0])
        second = get_object_or_404(people, pk=chosen[1])
        check = swap_check(programme=programme, first=first, second=second)
    return render(request, "learning_sets/programmes/_swap_check.html", {"check": check})


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["POST"])
def swap(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    first, second = (_application_id(request.POST.get(name)) for name in ("first", "second"))
    if first is None or second is None:
        return _review_page(request, programme, "Choose the two people to swap.", swap=(first, second))
    try:
        done = members_swap(
            programme=programme, first_id=first, second_id=second, actor=request.user, now=timezone.now()
        )
    except LearningSetError as exc:
        return _review_page(request, programme, str(exc), swap=(first, second))
    messages.success(request, done)
    return redirect("learning_sets:review", programme_id=programme.pk)


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["POST"])
def set_edit(request: AuthenticatedRequest, programme_id: int, set_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    raw_facilitator = request.POST.get("facilitator") or ""
    try:
        facilitator_id = int(raw_facilitator) if raw_facilitator else None
    except ValueError:  # not a number at all; "²" passes str.isdigit() but not int()
        return _review_page(request, programme, "Choose one of the programme's facilitators, or none.")
    try:
        changed = set_change(
            programme=programme,
            learning_set_id=set_id,
            slot=request.POST.get("slot", ""),
            facilitator_id=facilitator_id,
            actor=request.user,
        )
    except LearningSetError as exc:
        return _review_page(request, programme, str(exc))
    messages.success(request, f"Set {changed.number} is changed.")
    return redirect("learning_sets:review", programme_id=programme.pk)


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["GET"])
def report(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    return render(
        request,
        "learning_sets/programmes/report.html",
        {"programme": programme, "report": programme_report(programme)},
    )
