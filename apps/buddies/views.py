"""Buddies pages: a person's own buddy and cohorts (/buddies/), and the organisers' cohorts, where pairing is run,
reviewed, changed and published."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role
from apps.accounts.permissions import role_required

from .forms import CohortForm, JoinForm, MemberAddForm, PairForm
from .models import Cohort, CohortMember, CohortStatus
from .selectors import (
    buddy_of,
    cohort_for_organiser,
    cohort_members,
    cohort_pairs,
    cohorts_for_organiser,
    is_organiser,
    memberships_for,
    open_cohorts,
    pairs_for,
)
from .services import (
    BuddiesError,
    cohort_create,
    cohort_pair,
    cohort_publish,
    member_add,
    member_join,
    member_move_to_next,
    pair_make,
    pair_remove,
)

ORGANISERS_ONLY = "Buddy cohorts are run by organisers."


# A person's own page.


@login_required
@require_http_methods(["GET"])
def mine(request: AuthenticatedRequest) -> HttpResponse:
    return _mine(request, JoinForm())


def _mine(request: AuthenticatedRequest, form: JoinForm, *, status: int = 200) -> HttpResponse:
    pairs = pairs_for(user=request.user)
    memberships = memberships_for(user=request.user)
    paired_cohorts = {pair.cohort_id for pair in pairs}
    left_out = [
        m for m in memberships if m.cohort.status == CohortStatus.PUBLISHED and m.cohort_id not in paired_cohorts
    ]
    joined = {m.cohort_id for m in memberships}
    waiting = any(m.cohort.status != CohortStatus.PUBLISHED for m in memberships)  # moved already: no second move
    can_move = not waiting and any(c.pk not in joined for c in open_cohorts())
    context: dict[str, Any] = {
        "buddies": [(pair, buddy_of(pair=pair, user=request.user)) for pair in pairs],
        "memberships": memberships,
        "left_out": left_out,
        "can_move": can_move,
        "waiting": waiting,
        "form": form,
        "has_open": form.fields["cohort"].queryset.exists(),  # type: ignore[attr-defined]
        "is_organiser": is_organiser(user=request.user),
    }
    return render(request, "buddies/mine.html", context, status=status)


@login_required
@require_http_methods(["POST"])
def join(request: AuthenticatedRequest) -> HttpResponse:
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            member_join(
                cohort=form.cleaned_data["cohort"],
                user=request.user,
                started_in_role=form.cleaned_data["started_in_role"],
                now=timezone.now(),
            )
        except BuddiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "You have joined the cohort. You will be told who your buddy is.")
            return redirect("buddies:mine")
    return _mine(request, form, status=400)


@login_required
@require_http_methods(["POST"])
def move(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    member = CohortMember.objects.filter(pk=member_id, user=request.user).first()
    if member is None:
        raise Http404("No such membership.")  # another person's membership looks like none at all
    try:
        moved = member_move_to_next(member=member, user=request.user, now=timezone.now())
    except BuddiesError as error:
        messages.error(request, str(error))
        return redirect("buddies:mine")
    messages.success(request, f"You are now in “{moved.cohort.name}”.")
    return redirect("buddies:mine")


# Organisers' pages.


def _organised(request: AuthenticatedRequest, cohort_id: int) -> Cohort:
    cohort = cohort_for_organiser(user=request.user, cohort_id=cohort_id)
    if cohort is None:
        raise Http404("No such cohort.")
    return cohort


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["GET", "POST"])
def cohorts(request: AuthenticatedRequest) -> HttpResponse:
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = cohort_create(name=form.cleaned_data["name"], actor=request.user, now=timezone.now())
        except BuddiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The cohort is open. Add people, or let them join from their buddies page.")
            return redirect("buddies:cohort", cohort.pk)
    return render(
        request,
        "buddies/cohorts.html",
        {"cohorts": list(cohorts_for_organiser(user=request.user)), "form": form},
        status=400 if form.errors else 200,
    )


def _review(
    request: AuthenticatedRequest,
    cohort: Cohort,
    *,
    add_form: MemberAddForm | None = None,
    pair_form: PairForm | None = None,
    status: int = 200,
) -> HttpResponse:
    members = cohort_members(cohort=cohort)
    pairs = cohort_pairs(cohort=cohort)
    paired = {p for pair in pairs for p in (pair.first_id, pair.second_id)}
    context = {
        "cohort": cohort,
        "members": members,
        "pairs": pairs,
        "unpaired": [m for m in members if m.user_id not in paired],
        "add_form": add_form or MemberAddForm(),
        "pair_form": pair_form or PairForm(people=_people(members, paired)),
        "crumbs": [("Buddy cohorts", "/buddies/cohorts/")],
    }
    return render(request, "buddies/cohort.html", context, status=status)


def _people(members: list[CohortMember], paired: set[int]) -> list[tuple[int, str]]:
    return [(m.user_id, f"{m.user.display_name}{' (has a buddy)' if m.user_id in paired else ''}") for m in members]


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["GET"])
def cohort(request: AuthenticatedRequest, cohort_id: int) -> HttpResponse:
    return _review(request, _organised(request, cohort_id))


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["POST"])
def member_new(request: AuthenticatedRequest, cohort_id: int) -> HttpResponse:
    found = _organised(request, cohort_id)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            member = member_add(
                cohort=found,
                user=form.cleaned_data["email"],
                started_in_role=form.cleaned_data["started_in_role"],
                actor=request.user,
                now=timezone.now(),
            )
        except BuddiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{member.user.display_name} is in the cohort.")
            return redirect("buddies:cohort", found.pk)
    return _review(request, found, add_form=form, status=400)


def _act(request: AuthenticatedRequest, cohort: Cohort, done: str, action: Any) -> HttpResponse:
    try:
        action()
    except BuddiesError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("buddies:cohort", cohort.pk)


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["POST"])
def run_pairing(request: AuthenticatedRequest, cohort_id: int) -> HttpResponse:
    found = _organised(request, cohort_id)
    try:
        result = cohort_pair(cohort=found, actor=request.user, now=timezone.now())
    except BuddiesError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Paired: {result.pairs} pair{'s' if result.pairs != 1 else ''}, "
            f"{result.left_out} without a buddy. Review the pairs, then publish.",
        )
    return redirect("buddies:cohort", found.pk)


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["POST"])
def pair_new(request: AuthenticatedRequest, cohort_id: int) -> HttpResponse:
    found = _organised(request, cohort_id)
    members = cohort_members(cohort=found)
    paired = {p for pair in cohort_pairs(cohort=found) for p in (pair.first_id, pair.second_id)}
    form = PairForm(request.POST, people=_people(members, paired))
    if form.is_valid():
        try:
            pair_make(
                cohort=found,
                first_user_id=form.cleaned_data["first"],
                second_user_id=form.cleaned_data["second"],
                actor=request.user,
                now=timezone.now(),
            )
        except BuddiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The two are paired. Publish when the pairs are ready.")
            return redirect("buddies:cohort", found.pk)
    return _review(request, found, pair_form=form, status=400)


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["POST"])
def pair_delete(request: AuthenticatedRequest, cohort_id: int, pair_id: int) -> HttpResponse:
    found = _organised(request, cohort_id)
    pair = found.pairs.filter(pk=pair_id).first()
    if pair is None:
        raise Http404("No such pair.")
    return _act(
        request,
        found,
        "The two are unpaired: pair them with someone else below.",
        lambda: pair_remove(pair=pair, actor=request.user, now=timezone.now()),
    )


@role_required(Role.ORGANISER, message=ORGANISERS_ONLY)
@require_http_methods(["POST"])
def publish(request: AuthenticatedRequest, cohort_id: int) -> HttpResponse:
    found = _organised(request, cohort_id)
    return _act(
        request,
        found,
        "Published: everyone has been told who their buddy is, and anyone without one why.",
        lambda: cohort_publish(cohort=found, actor=request.user, now=timezone.now()),
    )
