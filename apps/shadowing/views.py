"""Pages of "talk to someone in the role". Thin: each fetches through a selector that already holds the permission
(another person's request or offer is a 404), validates a form, calls one service, shows its refusal with the form
(400), and redirects."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.development.selectors import plans_for_owner

from .forms import AcceptForm, BrowseForm, DateForm, DeclineForm, OfferForm, ReflectionForm, RequestForm
from .models import ShadowingOffer, ShadowingRequest
from .names import display_name
from .selectors import (
    OfferFilters,
    filtered,
    offer_to_request,
    offers_of,
    offers_to_browse,
    requests_asked_of,
    requests_for,
    requests_made_by,
    requests_to_answer,
)
from .services import (
    ShadowingError,
    offer_create,
    offer_pause,
    offer_resume,
    offer_update,
    offer_withdraw,
    reflection_write,
    request_accept,
    request_create,
    request_decline,
    request_set_date,
    request_withdraw,
)

HOME = ("Talk to someone in the role", "shadowing:browse")


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(HOME[0], reverse(HOME[1])), *extra]


# --- Browsing and asking ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def browse(request: AuthenticatedRequest) -> HttpResponse:
    form = BrowseForm(request.GET or None)
    filters = OfferFilters()
    if form.is_valid():
        data = form.cleaned_data
        region = data.get("region")
        filters = OfferFilters(
            level=data.get("level"), kind=data.get("kind") or "", region_id=region.pk if region else None
        )
    offers = filtered(offers_to_browse(user=request.user, now=timezone.now()), filters)
    return render(
        request, "shadowing/browse.html", {"form": form, "offers": list(offers), "filtered": filters != OfferFilters()}
    )


def _offer_to_request(request: AuthenticatedRequest, offer_id: int) -> ShadowingOffer:
    offer = offer_to_request(user=request.user, offer_id=offer_id, now=timezone.now())
    if offer is None:  # their own, paused, withdrawn, not for this person, or not there: all the same to them
        raise Http404("No such offer.")
    return offer


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: AuthenticatedRequest, offer_id: int) -> HttpResponse:
    offer = _offer_to_request(request, offer_id)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = request_create(
                offer_id=offer.pk,
                requester=request.user,
                why=form.cleaned_data["why"],
                suggested_on=form.cleaned_data["suggested_on"],
                now=timezone.now(),
            )
        except ShadowingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"Your request is with {display_name(offer.person)}. They have 14 days to answer."
            )
            return redirect("shadowing:request", made.pk)
    full = getattr(offer, "taken", 0) >= offer.per_year
    # Someone with no name cannot ask (request_create refuses): the page sends them to their profile instead.
    needs_name = not request.user.full_name
    context = {"offer": offer, "form": form, "full": full, "needs_name": needs_name, "crumbs": _crumbs()}
    return render(request, "shadowing/request_new.html", context, status=400 if form.errors else 200)


# --- Your offers --------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def offers(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "shadowing/offers.html",
        {
            "offers": list(offers_of(person=request.user)),
            "to_answer": list(requests_to_answer(user=request.user)),
            "asked": list(requests_asked_of(user=request.user).exclude(status="pending")),
            "crumbs": _crumbs(),
        },
    )


def _offer_form_page(
    request: AuthenticatedRequest, form: OfferForm, heading: str, *, needs_name: bool = False
) -> HttpResponse:
    context = {
        "form": form,
        "heading": heading,
        "needs_name": needs_name,
        "crumbs": _crumbs(("Your offers", reverse("shadowing:offers"))),
    }
    return render(request, "shadowing/offer_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def offer_new(request: AuthenticatedRequest) -> HttpResponse:
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offer_create(person=request.user, now=timezone.now(), **form.cleaned_data)
        except ShadowingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your offer is listed. We will e-mail you when someone asks.")
            return redirect("shadowing:offers")
    # Someone with no name cannot offer (offer_create refuses): the page sends them to their profile instead.
    return _offer_form_page(request, form, "Offer your time", needs_name=not request.user.full_name)


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request: AuthenticatedRequest, offer_id: int) -> HttpResponse:
    offer = get_object_or_404(offers_of(person=request.user), pk=offer_id)
    initial = {
        "per_year": offer.per_year,
        "setting": offer.setting,
        "who_may_ask": offer.who_may_ask,
        "note": offer.note,
    }
    form = OfferForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            offer_update(offer=offer, now=timezone.now(), **form.cleaned_data)
        except ShadowingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your offer is changed.")
            return redirect("shadowing:offers")
    return _offer_form_page(request, form, f"Change your offer: {offer.get_kind_display().lower()}")


def _offer_action(request: AuthenticatedRequest, offer_id: int, action: Any, done: str) -> HttpResponse:
    offer = get_object_or_404(offers_of(person=request.user), pk=offer_id)
    try:
        action(offer=offer, now=timezone.now())
    except ShadowingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("shadowing:offers")


@login_required
@require_http_methods(["POST"])
def offer_pause_view(request: AuthenticatedRequest, offer_id: int) -> HttpResponse:
    return _offer_action(request, offer_id, offer_pause, "Your offer is paused: it is not listed until you resume it.")


@login_required
@require_http_methods(["POST"])
def offer_resume_view(request: AuthenticatedRequest, offer_id: int) -> HttpResponse:
    return _offer_action(request, offer_id, offer_resume, "Your offer is listed again.")


@login_required
@require_http_methods(["POST"])
def offer_withdraw_view(request: AuthenticatedRequest, offer_id: int) -> HttpResponse:
    done = "Your offer is withdrawn. Anyone still waiting for an answer has been told."
    return _offer_action(request, offer_id, offer_withdraw, done)


# --- Requests -----------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def my_requests(request: AuthenticatedRequest) -> HttpResponse:
    made = list(requests_made_by(user=request.user))
    return render(request, "shadowing/requests.html", {"requests": made, "crumbs": _crumbs()})


def _request_page(
    request: AuthenticatedRequest, asked: ShadowingRequest, *, invalid: dict[str, forms.Form] | None = None
) -> HttpResponse:
    invalid = invalid or {}
    is_offerer = asked.offerer_id == request.user.pk
    context: dict[str, Any] = {
        "asked": asked,
        "is_offerer": is_offerer,
        "other": asked.requester if is_offerer else asked.offerer,
        "accept_form": invalid.get("accept") or AcceptForm(prefix="accept", initial={"agreed_on": asked.suggested_on}),
        "decline_form": invalid.get("decline") or DeclineForm(prefix="decline"),
        "date_form": invalid.get("date") or DateForm(prefix="date", initial={"agreed_on": asked.agreed_on}),
        "form": next(iter(invalid.values()), None),  # the error summary's
        "crumbs": _crumbs(
            ("Your offers", reverse("shadowing:offers"))
            if is_offerer
            else ("Your requests", reverse("shadowing:requests"))
        ),
    }
    return render(request, "shadowing/request.html", context, status=400 if invalid else 200)


@login_required
@require_http_methods(["GET"])
def request_detail(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    return _request_page(request, get_object_or_404(requests_for(user=request.user), pk=request_id))


@login_required
@require_http_methods(["POST"])
def request_accept_view(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    asked = get_object_or_404(requests_to_answer(user=request.user), pk=request_id)
    form = AcceptForm(request.POST, prefix="accept")
    if form.is_valid():
        try:
            request_accept(request_id=asked.pk, offerer=request.user, now=timezone.now(), **form.cleaned_data)
        except ShadowingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"You said yes. {display_name(asked.requester)} is told, and you can now see how to reach each other.",
            )
            return redirect("shadowing:request", asked.pk)
    return _request_page(request, asked, invalid={"accept": form})


@login_required
@require_http_methods(["POST"])
def request_decline_view(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    asked = get_object_or_404(requests_to_answer(user=request.user), pk=request_id)
    form = DeclineForm(request.POST, prefix="decline")
    if form.is_valid():
        try:
            request_decline(request_id=asked.pk, offerer=request.user, now=timezone.now(), **form.cleaned_data)
        except ShadowingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"You declined. {display_name(asked.requester)} is told.")
            return redirect("shadowing:offers")
    return _request_page(request, asked, invalid={"decline": form})


@login_required
@require_http_methods(["POST"])
def request_date_view(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    asked = get_object_or_404(requests_asked_of(user=request.user), pk=request_id)
    form = DateForm(request.POST, prefix="date")
    if form.is_valid():
        try:
            request_set_date(request_id=asked.pk, offerer=request.user, now=timezone.now(), **form.cleaned_data)
        except ShadowingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The date is set. We will remind you both the day before.")
            return redirect("shadowing:request", asked.pk)
    return _request_page(request, asked, invalid={"date": form})


@login_required
@require_http_methods(["POST"])
def request_withdraw_view(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    asked = get_object_or_404(requests_made_by(user=request.user), pk=request_id)
    try:
        request_withdraw(request_id=asked.pk, requester=request.user, now=timezone.now())
    except ShadowingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Your request is withdrawn. {display_name(asked.offerer)} is told.")
    return redirect("shadowing:requests")


# --- Afterwards ---------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def reflection(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    asked = get_object_or_404(requests_made_by(user=request.user), pk=request_id)
    written = getattr(asked, "reflection", None)
    plans = list(plans_for_owner(owner=request.user))
    local = asked.agreed_on or timezone.localdate()
    title = f"{asked.offer.get_kind_display()} with {display_name(asked.offerer)}, {local.day} {local:%B %Y}"
    if request.method == "POST" and written is not None:
        messages.error(request, "You have already written a reflection on this.")
        return redirect("shadowing:reflection", asked.pk)
    form = ReflectionForm(request.POST or None, plans=plans, initial={"title": title[:200]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reflection_write(
                request_id=asked.pk,
                author=request.user,
                title=data["title"],
                what_happened=data["what_happened"],
                so_what=data["so_what"],
                now_what=data["now_what"],
                plan_id=data["plan"],
                now=timezone.now(),
            )
        except ShadowingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your reflection is saved. Only you can see it.")
            return redirect("shadowing:reflection", asked.pk)
    context = {
        "asked": asked,
        "written": written,
        "form": form,
        "crumbs": _crumbs(("Your requests", reverse("shadowing:requests"))),
    }
    return render(request, "shadowing/reflection.html", context, status=400 if form.errors else 200)
