"""Organisers' pages: schemes, match rounds (run, review, change by hand, publish) and the scheme report.

Every page starts from the schemes the person runs (`selectors.schemes_run_by`): a scheme someone does not
organise is a 404 to them, whatever roles they hold; people without the organiser role get a 403.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role
from apps.accounts.permissions import role_required

from .forms_schemes import WEIGHT_LABELS, PairChangeForm, PairSwapForm, SchemeForm
from .models import MatchRound, RoundPair, RoundStatus, Scheme
from .selectors import (
    co_organiser_emails,
    mentor_choices,
    other_pairs,
    pair_check,
    pair_for_organiser,
    pairs_in_round,
    pool_of,
    round_for_organiser,
    round_pairs_to_review,
    round_rows_of,
    round_summary,
    scheme_for_organiser,
    scheme_report,
    scheme_rows_run_by,
)
from .services import MentoringError
from .services.rounds import pair_change, pair_swap, round_publish, round_start
from .services.schemes import scheme_save

PAIRS_PER_PAGE = 50
organiser_required = role_required(Role.ORGANISER, message="Mentoring schemes are run by organisers.")


def _scheme(request: AuthenticatedRequest, scheme_id: int) -> Scheme:
    scheme = scheme_for_organiser(user=request.user, scheme_id=scheme_id)
    if scheme is None:
        raise Http404("No such scheme.")  # another organiser's scheme looks exactly like one that does not exist
    return scheme


def _round(request: AuthenticatedRequest, scheme_id: int, round_id: int) -> MatchRound:
    match_round = round_for_organiser(user=request.user, scheme_id=scheme_id, round_id=round_id)
    if match_round is None:
        raise Http404("No such match round.")
    return match_round


def _pair(request: AuthenticatedRequest, scheme_id: int, round_id: int, pair_id: int) -> RoundPair:
    pair = pair_for_organiser(user=request.user, scheme_id=scheme_id, round_id=round_id, pair_id=pair_id)
    if pair is None:
        raise Http404("No such pair.")
    return pair


@organiser_required
@require_http_methods(["GET"])
def scheme_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "mentoring/schemes/list.html", {"rows": scheme_rows_run_by(user=request.user)})


def _scheme_form_page(request: AuthenticatedRequest, scheme: Scheme | None) -> HttpResponse:
    initial: dict[str, object] = {"open_to_requests": True, **{name: _default(name) for name in WEIGHT_LABELS}}
    if scheme is not None:
        initial = {
            "name": scheme.name,
            "description": scheme.description,
            "open_to_requests": scheme.open_to_requests,
            "co_organiser_emails": "\n".join(co_organiser_emails(scheme=scheme, user=request.user)),
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


@organiser_required
@require_http_methods(["GET", "POST"])
def scheme_create(request: AuthenticatedRequest) -> HttpResponse:
    return _scheme_form_page(request, None)


@organiser_required
@require_http_methods(["GET", "POST"])
def scheme_edit(request: AuthenticatedRequest, scheme_id: int) -> HttpResponse:
    return _scheme_form_page(request, _scheme(request, scheme_id))


@organiser_required
@require_http_methods(["GET"])
def scheme_detail(request: AuthenticatedRequest, scheme_id: int) -> HttpResponse:
    scheme = _scheme(request, scheme_id)
    report = scheme_report(scheme)
    return render(
        request,
        "mentoring/schemes/detail.html",
        {
            "scheme": scheme,
            "weights": [(label, getattr(scheme, name)) for name, label in WEIGHT_LABELS.items()],
            "pool": pool_of(scheme=scheme),
            "rounds": round_rows_of(scheme=scheme),
            "report": report,
            "report_sides": [("mentees", report.mentees), ("mentors", report.mentors)],
        },
    )


@organiser_required
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


@organiser_required
@require_http_methods(["GET"])
def round_detail(request: AuthenticatedRequest, scheme_id: int, round_id: int) -> HttpResponse:
    match_round = _round(request, scheme_id, round_id)
    show = request.GET.get("show", "all")
    pairs = round_pairs_to_review(match_round=match_round, show=show)
    return render(
        request,
        "mentoring/schemes/round.html",
        {
            "round": match_round,
            "scheme": match_round.scheme,
            "page": Paginator(pairs, PAIRS_PER_PAGE).get_page(request.GET.get("page")),
            "summary": round_summary(match_round=match_round),
            "show": show,
        },
    )


# A pair of a draft round: its page (GET), and one view for each change an organiser can make to it. A change
# that is refused shows the page again with what was refused and nothing changed.


def _pair_page(
    request: AuthenticatedRequest,
    pair: RoundPair,
    *,
    error: str = "",
    chosen: str = "",
) -> HttpResponse:
    match_round = pair.round
    return render(
        request,
        "mentoring/schemes/pair.html",
        {
            "pair": pair,
            "round": match_round,
            "scheme": match_round.scheme,
            "mentors": mentor_choices(match_round=match_round),
            "others": other_pairs(pair=pair),
            "error": error,
            "chosen": chosen,
        },
        status=400 if error else 200,
    )


def _first_error(form: PairChangeForm | PairSwapForm) -> str:
    return next(str(message) for errors in form.errors.values() for message in errors)


def _back_to_round(pair: RoundPair) -> HttpResponse:
    return redirect("mentoring:round", scheme_id=pair.round.scheme_id, round_id=pair.round_id)


@organiser_required
@require_http_methods(["GET"])
def pair_detail(request: AuthenticatedRequest, scheme_id: int, round_id: int, pair_id: int) -> HttpResponse:
    return _pair_page(request, _pair(request, scheme_id, round_id, pair_id))


@organiser_required
@require_http_methods(["POST"])
def pair_change_view(request: AuthenticatedRequest, scheme_id: int, round_id: int, pair_id: int) -> HttpResponse:
    pair = _pair(request, scheme_id, round_id, pair_id)
    form = PairChangeForm(request.POST)
    chosen = request.POST.get("mentor", "")
    if not form.is_valid():
        return _pair_page(request, pair, error=_first_error(form), chosen=chosen)
    try:
        pair_change(pair=pair, mentor_id=form.cleaned_data["mentor"], actor=request.user)
    except MentoringError as exc:
        return _pair_page(request, pair, error=str(exc), chosen=chosen)
    messages.success(request, f"{pair.request.mentee} now has a new proposed mentor.")
    return _back_to_round(pair)


@organiser_required
@require_http_methods(["POST"])
def pair_swap_view(request: AuthenticatedRequest, scheme_id: int, round_id: int, pair_id: int) -> HttpResponse:
    pair = _pair(request, scheme_id, round_id, pair_id)
    form = PairSwapForm(request.POST, pairs=pairs_in_round(match_round=pair.round))
    if not form.is_valid():
        return _pair_page(request, pair, error=_first_error(form))
    other: RoundPair = form.cleaned_data["other"]
    try:
        pair_swap(pair=pair, other=other, actor=request.user)
    except MentoringError as exc:
        return _pair_page(request, pair, error=str(exc))
    messages.success(request, f"Swapped the mentors of {pair.request.mentee} and {other.request.mentee}.")
    return _back_to_round(pair)


@organiser_required
@require_http_methods(["POST"])
def pair_unmatch_view(request: AuthenticatedRequest, scheme_id: int, round_id: int, pair_id: int) -> HttpResponse:
    pair = _pair(request, scheme_id, round_id, pair_id)
    try:
        pair_change(pair=pair, mentor_id=None, actor=request.user)
    except MentoringError as exc:
        return _pair_page(request, pair, error=str(exc))
    messages.success(request, f"{pair.request.mentee} is left unmatched in this round.")
    return _back_to_round(pair)


@organiser_required
@require_http_methods(["GET"])
def pair_check_view(request: AuthenticatedRequest, scheme_id: int, round_id: int, pair_id: int) -> HttpResponse:
    """The live check behind the mentor list (htmx): may this mentee have this mentor, and how well do they fit?"""
    pair = _pair(request, scheme_id, round_id, pair_id)
    form = PairChangeForm(request.GET)
    check = pair_check(pair=pair, mentor_id=form.cleaned_data["mentor"]) if form.is_valid() else None
    return render(request, "mentoring/schemes/_check.html", {"check": check})


@organiser_required
@require_http_methods(["GET"])
def round_status(request: AuthenticatedRequest, scheme_id: int, round_id: int) -> HttpResponse:
    """Polled by the page of a round being computed (htmx): nothing yet (204), or reload the page when done."""
    match_round = _round(request, scheme_id, round_id)
    if match_round.status == RoundStatus.RUNNING:
        return HttpResponse(status=204)
    return HttpResponse(headers={"HX-Refresh": "true"})


@organiser_required
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
