"""Pages of the first-year pathway. The person's pages read only their own pathway (`pathway_of(person=
request.user)`): no page names another person's. An organiser's cohort page shows counts only. Thin: fetch through
a selector, validate a form, call one service, show its refusal with the form (400), redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role
from apps.accounts.permissions import role_required

from .forms import CheckInForm, CohortForm, EnrolForm, InviteForm, ScopeForm, TickForm
from .models import Enrolment
from .selectors import (
    cohort_for_organiser,
    cohorts_run_by,
    invitation_for,
    invitations_for,
    pathway_of,
    pathway_page,
)
from .services import (
    PathwayError,
    checkin_complete,
    cohort_create,
    cohort_invite,
    cohort_progress_current,
    enrolment_create,
    enrolment_leave,
    invitation_decline,
    scope_record,
    tick_set,
)
from .template import checkin_due_on, shipped

HOME = ("Your first year as medical director", "pathways:home")
ORGANISERS_ONLY = "The cohorts of the first-year pathway are for organisers."


def _crumbs() -> list[tuple[str, str]]:
    return [(HOME[0], reverse(HOME[1]))]


def _own(request: AuthenticatedRequest) -> Enrolment:
    enrolment = pathway_of(person=request.user)
    if enrolment is None:
        raise Http404("You are not on the first-year pathway.")
    return enrolment


@login_required
@require_http_methods(["GET"])
def home(request: AuthenticatedRequest) -> HttpResponse:
    enrolment = pathway_of(person=request.user)
    if enrolment is None:
        context = {
            "template": shipped(),
            "invitations": list(invitations_for(person=request.user)),
            "form": EnrolForm(),
        }
        return render(request, "pathways/start.html", context)
    page = pathway_page(enrolment=enrolment, today=timezone.localdate())
    return render(request, "pathways/home.html", {"page": page, "template": shipped()})


@login_required
@require_http_methods(["POST"])
def join(request: AuthenticatedRequest) -> HttpResponse:
    return _enrol(request, invitation_id=None)


@login_required
@require_http_methods(["POST"])
def invitation_join(request: AuthenticatedRequest, invitation_id: int) -> HttpResponse:
    return _enrol(request, invitation_id=invitation_id)


def _enrol(request: AuthenticatedRequest, *, invitation_id: int | None) -> HttpResponse:
    invitation = None
    if invitation_id is not None:
        invitation = invitation_for(person=request.user, invitation_id=invitation_id)
        if invitation is None:
            raise Http404("No such invitation.")
    form = EnrolForm(request.POST)
    if form.is_valid():
        try:
            enrolment_create(
                person=request.user,
                started_on=form.cleaned_data["started_on"],
                invitation=invitation,
                now=timezone.now(),
            )
        except PathwayError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "You are on the first-year pathway. Start wherever suits you.")
            return redirect("pathways:home")
    context = {"template": shipped(), "invitations": list(invitations_for(person=request.user)), "form": form}
    return render(request, "pathways/start.html", context, status=400)


@login_required
@require_http_methods(["POST"])
def invitation_decline_view(request: AuthenticatedRequest, invitation_id: int) -> HttpResponse:
    invitation = invitation_for(person=request.user, invitation_id=invitation_id)
    if invitation is None:
        raise Http404("No such invitation.")
    invitation_decline(invitation=invitation, now=timezone.now())
    messages.success(request, f"You declined the invitation to {invitation.cohort.name}.")
    return redirect("pathways:home")


@login_required
@require_http_methods(["GET", "POST"])
def scope(request: AuthenticatedRequest) -> HttpResponse:
    enrolment = _own(request)
    initial = {"scope": enrolment.scope, "objectives": enrolment.objectives, "agreed_on": enrolment.scope_agreed_on}
    form = ScopeForm(request.POST or None, initial=initial, started_on=enrolment.started_on)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scope_record(
                enrolment=enrolment,
                scope=data["scope"],
                objectives=data["objectives"],
                agreed_on=data["agreed_on"],
                now=timezone.now(),
            )
        except PathwayError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your scope and objectives are saved. Only you can see them.")
            return redirect("pathways:home")
    status = 400 if form.errors else 200
    return render(request, "pathways/scope.html", {"form": form, "crumbs": _crumbs()}, status=status)


@login_required
@require_http_methods(["POST"])
def tick(request: AuthenticatedRequest, item_key: str) -> HttpResponse:
    enrolment = _own(request)
    if item_key not in shipped().item_keys:
        raise Http404("No such item on the checklist.")
    form = TickForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose done, does not apply, or not yet.")
        return redirect(f"{reverse('pathways:home')}#item-{item_key}")
    tick_set(enrolment=enrolment, item_key=item_key, state=form.cleaned_data["state"], now=timezone.now())
    messages.success(request, "Your checklist is saved.")
    return redirect(f"{reverse('pathways:home')}#item-{item_key}")


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: AuthenticatedRequest, months: int) -> HttpResponse:
    enrolment = _own(request)
    if months not in shipped().checkins:
        raise Http404("There is no check-in then.")
    due_on = checkin_due_on(enrolment.started_on, months)
    written = enrolment.checkins.filter(months=months).first()
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            checkin_complete(
                enrolment=enrolment,
                months=months,
                going=form.cleaned_data["going"],
                support=form.cleaned_data["support"],
                now=timezone.now(),
            )
        except PathwayError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Your {months}-month check-in is saved. Only you can see it.")
            return redirect("pathways:home")
    context = {
        "form": form,
        "months": months,
        "due_on": due_on,
        "open": due_on <= timezone.localdate(),
        "written": written,
        "crumbs": _crumbs(),
    }
    return render(request, "pathways/checkin.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def leave(request: AuthenticatedRequest) -> HttpResponse:
    enrolment = _own(request)
    if request.method == "POST":
        enrolment_leave(enrolment=enrolment, now=timezone.now())
        messages.success(request, "You have left the first-year pathway. What you wrote on it is deleted.")
        return redirect("pathways:home")
    return render(request, "pathways/leave.html", {"enrolment": enrolment, "crumbs": _crumbs()})


# --- Organisers -------------------------------------------------------------------------------------------------


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["GET", "POST"])
def cohorts(request: AuthenticatedRequest) -> HttpResponse:
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = cohort_create(organiser=request.user, name=form.cleaned_data["name"], now=timezone.now())
        except PathwayError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"The cohort {cohort.name} is set up. Invite people to it.")
            return redirect("pathways:cohort", cohort_id=cohort.pk)
    context = {"form": form, "cohorts": list(cohorts_run_by(user=request.user))}
    return render(request, "pathways/cohorts.html", context, status=400 if form.errors else 200)


def _cohort_page(request: AuthenticatedRequest, cohort_id: int, form: InviteForm, status: int = 200) -> HttpResponse:
    cohort = cohort_for_organiser(user=request.user, cohort_id=cohort_id)
    if cohort is None:
        raise Http404("No such cohort.")
    context = {
        "cohort": cohort,
        # A refused invitation changes nothing, not even the stored counts.
        "progress": cohort_progress_current(cohort=cohort, now=timezone.now(), renew=status == 200),
        "form": form,
        "crumbs": [("Cohorts of the first-year pathway", reverse("pathways:cohorts"))],
    }
    return render(request, "pathways/cohort.html", context, status=status)


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["GET"])
def cohort(request: AuthenticatedRequest, cohort_id: int) -> HttpResponse:
    return _cohort_page(request, cohort_id, InviteForm())


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["POST"])
def cohort_invite_view(request: AuthenticatedRequest, cohort_id: int) -> HttpResponse:
    found = cohort_for_organiser(user=request.user, cohort_id=cohort_id)
    if found is None:
        raise Http404("No such cohort.")
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _cohort_page(request, cohort_id, form, status=400)
    cohort_invite(cohort=found, organiser=request.user, email=form.cleaned_data["email"], now=timezone.now())
    # The same words whatever happened: organisers do not learn here who has an account.
    messages.success(
        request,
        f"If {form.cleaned_data['email']} is the address of an account not yet on the pathway, we have asked them "
        f"to join {found.name}. They count here once they join.",
    )
    return redirect("pathways:cohort", cohort_id=found.pk)
