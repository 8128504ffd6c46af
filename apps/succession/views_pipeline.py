"""Pages of the organisation lead's pipeline and of the regional view. Thin: the pipeline and one person's page
fetch through selectors scoped to the organisation the lead leads (another organisation's candidacy is a 404); the
lead's view is one service call whose refusal is shown with the form (400); the regional view is counts only, for
organisers and administrators."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role
from apps.accounts.permissions import role_required
from apps.audit.services import access_record, access_record_many

from .forms_pipeline import AreaForm, LeadViewForm
from .models import Candidacy, Readiness, ShowChoice
from .pipeline import NOT_YET_SEEN, Area, pipeline_for_lead, regional_figures
from .selectors import candidacies_for_lead
from .services import SuccessionError
from .services.lead_views import lead_view_set
from .summary import readiness_summary

LEADS_ONLY = "The pipeline is for organisation leads, for the organisation they lead."
ORGANISERS_ONLY = "The regional view is for organisers and administrators."
HOME = ("Your succession pipeline", "succession:pipeline")


def _crumbs() -> list[tuple[str, str]]:
    return [(HOME[0], reverse(HOME[1]))]


@role_required(Role.ORGANISATION_LEAD, message=LEADS_ONLY)
@require_http_methods(["GET"])
def pipeline(request: AuthenticatedRequest) -> HttpResponse:
    found = pipeline_for_lead(lead=request.user, today=timezone.localdate())
    if found is None:  # a lead grant with no organisation: nothing to show, as for another role
        raise Http404("You lead no organisation.")
    # The grid shows, for those who chose a summary, what they are doing: each opening is on their record, in one
    # insert however many (the candidate page records its own opening).
    access_record_many(
        viewer=request.user,
        owner_ids=list(found.summary_people),
        record_kind="succession summary",
        reason="standing forward at the organisation they lead",
        now=timezone.now(),
        path=request.path,
    )
    return render(request, "succession/pipeline/pipeline.html", {"pipeline": found, "not_yet_seen": NOT_YET_SEEN})


def _candidacy(request: AuthenticatedRequest, candidacy_id: int) -> Candidacy:
    candidacy = (
        candidacies_for_lead(lead=request.user)
        .select_related("person", "post", "organisation", "lead_by")
        .filter(pk=candidacy_id)
        .first()
    )
    if candidacy is None:  # another organisation's, withdrawn, or never there: all the same
        raise Http404("No such person standing forward.")
    return candidacy


def _conversation_url(candidacy: Candidacy) -> str:
    """The page to start a talent conversation with the person, once that page exists."""
    try:
        return reverse("succession:conversation_new", kwargs={"candidacy_id": candidacy.pk})
    except NoReverseMatch:
        return ""


def _view_shown(request: AuthenticatedRequest, candidacy: Candidacy) -> bool:
    """Whether this lead may read the view of readiness on the candidacy: once the person has seen it, any lead of
    the organisation; before, only the lead who wrote it (no one else reads a label the person has not seen)."""
    return candidacy.lead_view_seen or candidacy.lead_by_id == request.user.pk


def _candidate_page(request: AuthenticatedRequest, candidacy: Candidacy, form: LeadViewForm) -> HttpResponse:
    if request.method == "GET":  # each opening; a refused form shows again what that opening already showed
        access_record(
            viewer=request.user,
            owner=candidacy.person,
            record_kind="succession candidacy",
            record_id=candidacy.pk,
            reason="standing forward at the organisation they lead",
            now=timezone.now(),
            path=request.path,
        )
    showing_summary = candidacy.show == ShowChoice.SUMMARY
    context = {
        "candidacy": candidacy,
        "readiness": Readiness(candidacy.readiness).label,
        "lead_readiness": (
            Readiness(candidacy.lead_readiness).label
            if candidacy.lead_readiness and _view_shown(request, candidacy)
            else ""
        ),
        "other_leads_view_unseen": bool(candidacy.lead_readiness) and not _view_shown(request, candidacy),
        "showing_summary": showing_summary,
        "summary": readiness_summary(person=candidacy.person) if showing_summary else None,
        "form": form,
        "conversation_url": _conversation_url(candidacy),
        "crumbs": _crumbs(),
    }
    return render(request, "succession/pipeline/candidate.html", context, status=400 if form.errors else 200)


@role_required(Role.ORGANISATION_LEAD, message=LEADS_ONLY)
@require_http_methods(["GET", "POST"])
def candidate(request: AuthenticatedRequest, candidacy_id: int) -> HttpResponse:
    """One person standing forward, as the lead sees them, with the form for the lead's own view."""
    candidacy = _candidacy(request, candidacy_id)
    shown = _view_shown(request, candidacy)
    initial = {"readiness": candidacy.lead_readiness, "comment": candidacy.lead_comment} if shown else {}
    form = LeadViewForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            lead_view_set(
                lead=request.user,
                candidacy=candidacy,
                readiness=form.cleaned_data["readiness"],
                comment=form.cleaned_data["comment"],
                now=timezone.now(),
            )
        except SuccessionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Your view is saved. {candidacy.person.display_name} is told; until they have seen it, it is "
                "marked as not yet seen by them.",
            )
            return redirect("succession:candidate", candidacy.pk)
    return _candidate_page(request, candidacy, form)


@role_required(Role.ORGANISER, Role.ADMINISTRATOR, message=ORGANISERS_ONLY)
@require_http_methods(["GET"])
def regional(request: AuthenticatedRequest) -> HttpResponse:
    form = AreaForm(request.GET or None)
    figures = None
    if form.is_bound and form.is_valid():
        region, icb = form.cleaned_data["region"], form.cleaned_data["icb"]
        area = Area.of_region(region) if region else Area.of_icb(icb)
        figures = regional_figures(area=area, today=timezone.localdate())
    # A GET that reads nothing but counts: a bad choice is shown as an error on the form, as a search's would be.
    return render(request, "succession/pipeline/regional.html", {"form": form, "figures": figures})
