"""Organisers' pages: schemes, match rounds (run, review, change by hand, publish) and the scheme report.

Every page starts from `schemes_run_by(user)`: a scheme someone does not organise is a 404 to them, whatever
roles they hold; people without the organiser role get a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role, User
from apps.accounts.selectors import user_roles

from .forms_schemes import WEIGHT_LABELS, SchemeForm
from .models import MatchRound, RoundPair, RoundStatus, Scheme
from .proposals import mentors_with_places
from .rounds import pair_change, pair_check, pair_swap, pool_requests, round_publish, round_start, schemes_run_by
from .schemes import scheme_report, scheme_save
from .services import MentoringError

PAIRS_PER_PAGE = 50


def _organiser(request: AuthenticatedRequest) -> None:
    if Role.ORGANISER not in user_roles(user=request.user):
        raise PermissionDenied("Mentoring schemes are run by organisers.")


def _scheme(request: AuthenticatedRequest, scheme_id: int) -> Scheme:
    _organiser(request)
    return get_object_or_404(schemes_run_by(request.user), pk=scheme_id)


def _round(request: AuthenticatedRequest, scheme_id: int, round_id: int) -> MatchRound:
    scheme = _scheme(request, scheme_id)
    return get_object_or_404(MatchRound.objects.select_related("scheme"), scheme=scheme, pk=round_id)


@login_required
@require_http_methods(["GET"])
def scheme_list(request: AuthenticatedRequest) -> HttpResponse:
    _organiser(request)
    schemes = schemes_run_by(request.user).annotate(
        open_requests=Count("requests", filter=Q(requests__status="open"), distinct=True),
        mentors=Count("offers", distinct=True),
    )
    return render(request, "mentoring/schemes/list.html", {"schemes": schemes})


def _scheme_form_page(request: AuthenticatedRequest, scheme: Scheme | None) -> HttpResponse:
    initial: dict[str, object] = {"open_to_requests": True, **{name: _default(name) for name in WEIGHT_LABELS}}
    if scheme is not None:
        initial = {
            "name": scheme.name,
            "description": scheme.description,
            "open_to_requests": scheme.open_to_requests,
            "co_organiser_emails": "\n".join(
                scheme.organisers.exclude(pk=request.user.pk).order_by("email").values_list("email", flat=True)
            ),
            **{name: getattr(scheme, name) for name in WEIGHT_LABELS},
        }
    form = SchemeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = scheme_save(
                actor=request.user,
                scheme=scheme,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                open_to_requests=form.cleaned_data["open_to_requests"],
                weights=form.weights(),
                co_organiser_emails=form.cleaned_data["co_organiser_emails"],
                now=timezone.now(),
            )
        except MentoringError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"“{saved.name}” is saved.")
            return redirect("mentoring:scheme", scheme_id=saved.pk)
    heading = f"Change “{scheme.name}”" if scheme else "Set up a mentoring scheme"
    return render(
        request,
        "mentoring/schemes/form.html",
        {"form": form, "heading": heading, "scheme": scheme},
        status=400 if form.errors else 200,
    )


def _default(name: str) -> float:
    field = Scheme._meta.get_field(name)
    return float(getattr(field, "default", 0))


@login_required
@require_http_methods(["GET", "POST"])
def scheme_create(request: AuthenticatedRequest) -> HttpResponse:
    _organiser(request)
    return _scheme_form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def scheme_edit(request: AuthenticatedRequest, scheme_id: int) -> HttpResponse:
    return _scheme_form_page(request, _scheme(request, scheme_id))


@login_required
@require_http_methods(["GET"])
def scheme_detail(request: AuthenticatedRequest, scheme_id: int) -> HttpResponse:
    scheme = _scheme(request, scheme_id)
    places = mentors_with_places(scheme=scheme, reserve_waiting=True)
    report = scheme_report(scheme)
    return render(
        request,
        "mentoring/schemes/detail.html",
        {
            "scheme": scheme,
            "weights": [(label, getattr(scheme, name)) for name, label in WEIGHT_LABELS.items()],
            "pool_mentees": pool_requests(scheme).count(),
            "pool_mentors": len(places),
            "pool_places": sum(place.free for place in places),
            "rounds": MatchRound.objects.filter(scheme=scheme).annotate(
                matched=Count("pairs", filter=Q(pairs__mentor__isnull=False)), size=Count("pairs")
            ),
            "report": report,
            "report_sides": [("mentees", report.mentees), ("mentors", report.mentors)],
        },
    )


@login_required
@require_http_methods(["POST"])
def round_run_view(request: AuthenticatedRequest, scheme_id: int) -> HttpResponse:
    scheme = _scheme(request, scheme_id)
    try:
        match_round = round_start(scheme=scheme, actor=request.user, now=timezone.now())
    except MentoringError as exc:
        messages.error(request, str(exc))
        return redirect("mentoring:scheme", scheme_id=scheme.pk)
    if match_round.status == RoundStatus.RUNNING:
        messages.success(request, "The round is being computed. This page shows it as soon as it is ready.")
    else:
        messages.success(request, "The round is ready for you to review. Nothing is sent until you publish it.")
    return redirect("mentoring:round", scheme_id=scheme.pk, round_id=match_round.pk)


@login_required
@require_http_methods(["GET"])
def round_detail(request: AuthenticatedRequest, scheme_id: int, round_id: int) -> HttpResponse:
    match_round = _round(request, scheme_id, round_id)
    pairs = RoundPair.objects.filter(round=match_round).select_related("request__mentee", "mentor")
    summary = pairs.aggregate(
        matched=Count("pk", filter=Q(mentor__isnull=False)),
        unmatched=Count("pk", filter=Q(mentor__isnull=True)),
        total=Sum("score"),
        by_hand=Count("pk", filter=Q(changed_by_hand=True)),
    )
    show = request.GET.get("show", "all")
    if show == "unmatched":
        pairs = pairs.filter(mentor__isnull=True)
    elif show == "matched":
        pairs = pairs.filter(mentor__isnull=False)
    # Unmatched first: they are what a reviewer most often wants to look at.
    ordered = pairs.order_by(F("mentor").asc(nulls_first=True), "pk")
    page = Paginator(ordered, PAIRS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "mentoring/schemes/round.html",
        {"round": match_round, "scheme": match_round.scheme, "page": page, "summary": summary, "show": show},
    )


def _pair(request: AuthenticatedRequest, scheme_id: int, round_id: int, pair_id: int) -> RoundPair:
    match_round = _round(request, scheme_id, round_id)
    return get_object_or_404(
        RoundPair.objects.select_related("request__mentee", "mentor", "round__scheme"), round=match_round, pk=pair_id
    )


def _mentor_id(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def pair_edit(request: AuthenticatedRequest, scheme_id: int, round_id: int, pair_id: int) -> HttpResponse:
    pair = _pair(request, scheme_id, round_id, pair_id)
    match_round = pair.round
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "change":
                mentor_id = _mentor_id(request.POST.get("mentor"))
                if mentor_id is None:
                    raise MentoringError("Choose a mentor from the list.")
                pair_change(pair=pair, mentor_id=mentor_id, actor=request.user)
                messages.success(request, f"{pair.request.mentee} now has a new proposed mentor.")
            elif action == "unmatch":
                pair_change(pair=pair, mentor_id=None, actor=request.user)
                messages.success(request, f"{pair.request.mentee} is left unmatched in this round.")
            elif action == "swap":
                other_id = _mentor_id(request.POST.get("other"))
                other = RoundPair.objects.filter(round=match_round, pk=other_id).first() if other_id else None
                if other is None:
                    raise MentoringError("Choose whose mentor to swap with.")
                pair_swap(pair=pair, other=other, actor=request.user)
                messages.success(request, f"Swapped the mentors of {pair.request.mentee} and {other.request.mentee}.")
            else:
                raise MentoringError("Choose what to do with this pair.")
        except MentoringError as exc:
            error = str(exc)
        else:
            return redirect("mentoring:round", scheme_id=scheme_id, round_id=round_id)
    places = mentors_with_places(scheme=match_round.scheme, reserve_waiting=True)
    names = {str(u.pk): u for u in User.objects.filter(pk__in=[int(p.facts.id) for p in places])}
    used = dict(
        RoundPair.objects.filter(round=match_round, mentor__isnull=False)
        .values_list("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    mentors = [
        {"id": p.facts.id, "user": names[p.facts.id], "free": p.free, "used": used.get(int(p.facts.id), 0)}
        for p in places
        if p.facts.id in names
    ]
    others = (
        RoundPair.objects.filter(round=match_round)
        .exclude(pk=pair.pk)
        .select_related("request__mentee", "mentor")
        .order_by("pk")
    )
    return render(
        request,
        "mentoring/schemes/pair.html",
        {
            "pair": pair,
            "round": match_round,
            "scheme": match_round.scheme,
            "mentors": sorted(mentors, key=lambda m: str(m["user"])),
            "others": others,
            "error": error,
            "chosen": request.POST.get("mentor", "") if request.method == "POST" else "",
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET"])
def pair_check_view(request: AuthenticatedRequest, scheme_id: int, round_id: int, pair_id: int) -> HttpResponse:
    """The live check behind the mentor list (htmx): may this mentee have this mentor, and how well do they fit?"""
    pair = _pair(request, scheme_id, round_id, pair_id)
    mentor_id = _mentor_id(request.GET.get("mentor"))
    check = pair_check(pair=pair, mentor_id=mentor_id) if mentor_id is not None else None
    return render(request, "mentoring/schemes/_check.html", {"check": check})


@login_required
@require_http_methods(["GET"])
def round_status(request: AuthenticatedRequest, scheme_id: int, round_id: int) -> HttpResponse:
    """Polled by the page of a round being computed (htmx): nothing yet (204), or reload the page when done."""
    match_round = _round(request, scheme_id, round_id)
    if match_round.status == RoundStatus.RUNNING:
        return HttpResponse(status=204)
    return HttpResponse(headers={"HX-Refresh": "true"})


@login_required
@require_http_methods(["POST"])
def round_publish_view(request: AuthenticatedRequest, scheme_id: int, round_id: int) -> HttpResponse:
    match_round = _round(request, scheme_id, round_id)
    try:
        published = round_publish(match_round=match_round, actor=request.user, now=timezone.now())
    except MentoringError as exc:
        messages.error(request, str(exc))
        return redirect("mentoring:round", scheme_id=scheme_id, round_id=round_id)
    messages.success(
        request, f"Published: {published.proposals} proposal{'s' if published.proposals != 1 else ''} sent."
    )
    for reason in published.skipped[:20]:
        messages.warning(request, f"Not sent: {reason}.")
    if len(published.skipped) > 20:
        messages.warning(request, f"And {len(published.skipped) - 20} more pairs were not sent.")
    return redirect("mentoring:scheme", scheme_id=scheme_id)

