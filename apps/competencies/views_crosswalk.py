"""Administrators' pages for the crosswalk between frameworks: compare two, and change what one criterion maps to.
Unknown frameworks and criteria are a 404; anyone without the role gets a 403 and changes nothing."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role
from apps.accounts.permissions import role_required

from .forms_crosswalk import CriterionLinksForm, CrosswalkPickForm
from .models import Framework
from .selectors_crosswalk import (
    criteria_of,
    criterion_of,
    crosswalk_rows,
    latest_framework,
    latest_frameworks,
    linked_codes,
)
from .services_crosswalk import CrosswalkError, criterion_links_set

DEFAULT_PAIR = ("md-person-spec", "nhs-board-leadership")


def _default_pair(frameworks: list[Framework], first: str | None) -> dict[str, str]:
    """The pair shown before the administrator picks one: the person specification against the board framework,
    or the framework they came from against the first other one."""
    slugs = [f.slug for f in frameworks]
    first = first if first in slugs else next((s for s in (*DEFAULT_PAIR, *slugs) if s in slugs), None)
    second = next((s for s in (*DEFAULT_PAIR, *slugs) if s in slugs and s != first), None)
    return {"first": first, "second": second} if first and second else {}


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET"])
def crosswalk(request: AuthenticatedRequest) -> HttpResponse:
    frameworks = latest_frameworks()
    data = request.GET if "second" in request.GET else _default_pair(frameworks, request.GET.get("first"))
    form = CrosswalkPickForm(data or None, frameworks=frameworks)
    rows, first, second = [], None, None
    if form.is_valid():
        by_slug = {f.slug: f for f in frameworks}
        first, second = by_slug[form.cleaned_data["first"]], by_slug[form.cleaned_data["second"]]
        rows = crosswalk_rows(first=first, second=second)
    crumbs = [("Frameworks", reverse("competencies:list"))]
    return render(
        request,
        "competencies/crosswalk.html",
        {"form": form, "rows": rows, "first": first, "second": second, "crumbs": crumbs},
        status=400 if form.errors else 200,
    )


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def crosswalk_edit(request: AuthenticatedRequest, first_slug: str, code: str, second_slug: str) -> HttpResponse:
    first, second = latest_framework(slug=first_slug), latest_framework(slug=second_slug)
    criterion = criterion_of(framework=first, code=code) if first else None
    if first is None or second is None or criterion is None:
        raise Http404("No such framework or criterion.")
    table = f"{reverse('competencies:crosswalk')}?{urlencode({'first': first.slug, 'second': second.slug})}"
    if first.slug == second.slug:
        messages.error(request, "A crosswalk links criteria of two different frameworks: choose another to map to.")
        return redirect(reverse("competencies:crosswalk"))
    current = [c for slug, c in linked_codes(slug=first.slug, code=criterion.code) if slug == second.slug]
    theirs = list(criteria_of(framework=second))
    # Not `request.POST or None`: clearing every box posts nothing but the token, and is a change like any other.
    posted = request.POST if request.method == "POST" else None
    form = CriterionLinksForm(posted, initial={"codes": current}, criteria=theirs, other=second)
    if request.method == "POST" and form.is_valid():
        try:
            added, removed = criterion_links_set(
                criterion=criterion,
                other=second,
                codes=form.cleaned_data["codes"],
                actor=request.user,
                now=timezone.now(),
            )
        except CrosswalkError as exc:
            form.add_error("codes", str(exc))
        else:
            messages.success(request, _changed(criterion.code, added, removed))
            return redirect(f"{table}#criterion-{criterion.code}")
    crumbs = [("Frameworks", reverse("competencies:list")), ("Crosswalk", table)]
    return render(
        request,
        "competencies/crosswalk_edit.html",
        {"form": form, "criterion": criterion, "first": first, "second": second, "crumbs": crumbs, "table": table},
        status=400 if form.errors else 200,
    )


def _changed(code: str, added: list[str], removed: list[str]) -> str:
    if not added and not removed:
        return f"{code}: nothing changed."
    parts = [
        f"now maps to {', '.join(added)}" if added else "",
        f"no longer maps to {', '.join(removed)}" if removed else "",
    ]
    return f"{code} " + " and ".join(p for p in parts if p) + "."
