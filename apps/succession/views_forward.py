"""Pages of a person putting themself forward: where they stand forward and what the leads see, the two steps of
standing forward, changing it, saying their readiness still holds, withdrawing. Thin: each fetches through a
selector scoped to the signed-in person (another person's candidacy is a 404), validates a form, calls one
service, shows its refusal with the form (400), and redirects. The person is always the one signed in."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest

from .forms_forward import SEARCH_FROM, CandidacyForm, ConfirmForm, OrganisationChoiceForm
from .models import Candidacy, ShowChoice, TalentConversation
from .selectors import (
    my_candidacies,
    my_candidacy,
    my_conversations,
    organisation_taking_part,
    organisations_taking_part,
    posts_to_stand_for,
)
from .services import SuccessionError
from .services.candidacies import (
    NOT_TAKING_PART,
    candidacy_confirm,
    candidacy_create,
    candidacy_lead_view_seen,
    candidacy_update,
    candidacy_withdraw,
)
from .summary import readiness_summary

HOME = ("Succession: putting yourself forward", "succession:mine")


def _crumbs() -> list[tuple[str, str]]:
    return [(HOME[0], reverse(HOME[1]))]


def _own(request: AuthenticatedRequest, candidacy_id: int) -> Candidacy:
    candidacy = my_candidacy(person=request.user, candidacy_id=candidacy_id)
    if candidacy is None:  # someone else's, withdrawn, or never there: all the same
        raise Http404("No such candidacy.")
    return candidacy


def _with_links(conversations: list[TalentConversation]) -> list[tuple[TalentConversation, str]]:
    """Each conversation with the address of its page, once that page exists (none before: then no list)."""
    try:
        return [(c, reverse("succession:conversation", kwargs={"conversation_id": c.pk})) for c in conversations]
    except NoReverseMatch:
        return []


@login_required
@require_http_methods(["GET"])
def mine(request: AuthenticatedRequest) -> HttpResponse:
    candidacies = list(my_candidacies(person=request.user))
    # What is shown now counts as seen: the lead's view may then appear beside the person's in the lead's grids.
    shown = [(c.pk, c.lead_at) for c in candidacies if c.lead_readiness and c.lead_at and not c.lead_view_seen]
    if shown:
        candidacy_lead_view_seen(person=request.user, shown=shown, now=timezone.now())
    showing_summary = any(c.show == ShowChoice.SUMMARY for c in candidacies)
    return render(
        request,
        "succession/forward/mine.html",
        {
            "candidacies": candidacies,
            "newly_seen": set(shown),
            "summary": readiness_summary(person=request.user) if showing_summary else None,
            "showing_summary": showing_summary,
            "conversations": _with_links(list(my_conversations(person=request.user))),
        },
    )


def _step_one(request: AuthenticatedRequest, error: str = "") -> HttpResponse:
    taking_part = organisations_taking_part()
    count = taking_part.count()
    form = OrganisationChoiceForm(request.GET or None, organisations=taking_part)
    query = (request.GET.get("q") or "").strip().replace("\x00", "")[:100]
    listed = taking_part
    if query:
        listed = taking_part.filter(Q(name__icontains=query) | Q(ods_code__iexact=query))
    form.fields["organisation"].queryset = listed  # type: ignore[attr-defined]
    if error and form.is_valid():  # a well-formed id of an organisation not taking part, found by the search
        form.add_error("organisation", error)
    context: dict[str, Any] = {
        "form": form,
        "count": count,
        "searchable": count > SEARCH_FROM,
        "query": query,
        "crumbs": _crumbs(),
    }
    # A link with a bad organisation is a GET: the list again, with the message, as any search answers.
    status = 400 if error and request.method == "POST" else 200
    return render(request, "succession/forward/choose.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def forward_new(request: AuthenticatedRequest) -> HttpResponse:
    """Step 1 (no organisation chosen): choose one of the organisations taking part. Step 2 (?organisation=id):
    choose a post or a level there, and say the rest."""
    chosen = request.GET.get("organisation", "")
    if not chosen:
        return _step_one(request)
    organisation = (
        organisation_taking_part(organisation_id=int(chosen))
        if chosen.isascii() and chosen.isdigit() and len(chosen) < 10
        else None
    )
    if organisation is None:
        return _step_one(request, error=NOT_TAKING_PART)
    posts = list(posts_to_stand_for(organisation=organisation))
    form = CandidacyForm(request.POST or None, posts=posts, initial={"show": ShowChoice.SUMMARY})
    if request.method == "POST" and form.is_valid():
        post, level = form.post_and_level()
        data = form.cleaned_data
        try:
            candidacy_create(
                person=request.user,
                organisation=organisation,
                post=post,
                level=level,
                aim=data["aim"],
                timescale=data["timescale"],
                readiness=data["readiness"],
                emergency_cover=data["emergency_cover"],
                show=data["show"],
                now=timezone.now(),
            )
        except SuccessionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"You stand forward at {organisation.name}. Its leads can see it now.")
            return redirect("succession:mine")
    context = {
        "form": form,
        "organisation": organisation,
        "summary": readiness_summary(person=request.user),
        "needs_name": not request.user.full_name,
        "heading": f"Put yourself forward at {organisation.name}",
        "crumbs": [*_crumbs(), ("Choose an organisation", reverse("succession:forward_new"))],
    }
    return render(request, "succession/forward/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def forward_edit(request: AuthenticatedRequest, candidacy_id: int) -> HttpResponse:
    candidacy = _own(request, candidacy_id)
    initial = {
        "aim": candidacy.aim,
        "timescale": candidacy.timescale,
        "readiness": candidacy.readiness,
        "emergency_cover": candidacy.emergency_cover,
        "show": candidacy.show,
    }
    form = CandidacyForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            candidacy_update(
                candidacy=candidacy,
                person=request.user,
                aim=data["aim"],
                timescale=data["timescale"],
                readiness=data["readiness"],
                emergency_cover=data["emergency_cover"],
                show=data["show"],
                now=timezone.now(),
            )
        except SuccessionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your changes are saved. The leads see them now.")
            return redirect("succession:mine")
    context = {
        "form": form,
        "candidacy": candidacy,
        "organisation": candidacy.organisation,
        "summary": readiness_summary(person=request.user),
        "needs_name": False,
        "heading": "Change what you said",
        "crumbs": _crumbs(),
    }
    return render(request, "succession/forward/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["POST"])
def forward_confirm(request: AuthenticatedRequest, candidacy_id: int) -> HttpResponse:
    candidacy = _own(request, candidacy_id)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()))
        return redirect("succession:mine")
    try:
        confirmed = candidacy_confirm(candidacy=candidacy, person=request.user, now=timezone.now())
    except SuccessionError as exc:
        messages.error(request, str(exc))
    else:
        due = timezone.localdate(confirmed.review_due_at)
        messages.success(request, f"Thank you: your readiness still holds. We will ask again in {due:%B %Y}.")
    return redirect("succession:mine")


@login_required
@require_http_methods(["GET", "POST"])
def forward_withdraw(request: AuthenticatedRequest, candidacy_id: int) -> HttpResponse:
    candidacy = _own(request, candidacy_id)
    if request.method == "POST":
        try:
            candidacy_withdraw(candidacy=candidacy, person=request.user, now=timezone.now())
        except SuccessionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"You have withdrawn. {candidacy.organisation.name}'s leads no longer see anything of it."
            )
        return redirect("succession:mine")
    return render(request, "succession/forward/withdraw.html", {"candidacy": candidacy, "crumbs": _crumbs()})
