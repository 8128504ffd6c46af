"""Browsing role profiles and directorate models, comparing roles, and administrators' edits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role
from apps.accounts.permissions import role_required
from apps.accounts.selectors import user_has_role

from .forms import CompareForm, RoleProfileForm
from .models import RoleProfile
from .selectors import (
    directorates,
    level_labels,
    role_profile_current,
    role_profile_history,
    role_profiles_by_group,
    role_profiles_current,
)
from .services import CareersError, StaleVersion
from .services.profiles import EDITABLE, role_profile_revise


def _current(slug: str) -> RoleProfile:
    profile = role_profile_current(slug=slug)
    if profile is None:
        raise Http404("No such role.")
    return profile


@login_required
@require_http_methods(["GET"])
def role_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "careers/roles.html", {"groups": role_profiles_by_group()})


@login_required
@require_http_methods(["GET"])
def role_detail(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    profile = _current(slug)
    return render(
        request,
        "careers/role.html",
        {"profile": profile, "can_edit": user_has_role(user=request.user, role=Role.ADMINISTRATOR)},
    )


@login_required
@require_http_methods(["GET"])
def role_versions(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    versions = list(role_profile_history(slug=slug))
    if not versions:
        raise Http404("No such role.")
    return render(request, "careers/role_versions.html", {"profile": versions[0], "versions": versions})


def _form_values(profile: RoleProfile) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(profile, name) for name in EDITABLE}
    values["level"] = "" if profile.level is None else str(profile.level)
    values["version"] = profile.version
    return values


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def role_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    profile = _current(slug)
    form = RoleProfileForm(request.POST or None, initial=_form_values(profile))
    if request.method == "POST" and form.is_valid():
        try:
            revised = role_profile_revise(
                profile=profile,
                based_on=form.cleaned_data["version"],
                actor=request.user,
                changes=form.cleaned_data,
                now=timezone.now(),
            )
        except StaleVersion as exc:
            # Show theirs, as now saved, with the version it is, so that the change can be made again on top.
            profile = _current(slug)
            form = RoleProfileForm(_form_values(profile))
            form.is_valid()
            form.add_error(None, str(exc))
        except CareersError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved as version {revised.version}. The earlier versions are kept.")
            return redirect("careers:role", revised.slug)
    return render(
        request, "careers/role_edit.html", {"profile": profile, "form": form}, status=400 if form.errors else 200
    )


def _asked_for(request: AuthenticatedRequest) -> list[str]:
    """`?roles=a,b,c` as a link gives it, or `?roles=a&roles=b` as the form's boxes send it."""
    return [slug.strip() for value in request.GET.getlist("roles") for slug in value.split(",") if slug.strip()]


@login_required
@require_http_methods(["GET"])
def role_compare(request: AuthenticatedRequest) -> HttpResponse:
    profiles = list(role_profiles_current())
    asked = _asked_for(request)
    form = CompareForm({"roles": asked} if asked else None, profiles=profiles)
    by_slug = {p.slug: p for p in profiles}
    compared = [by_slug[slug] for slug in form.cleaned_data["roles"]] if form.is_valid() else []
    return render(
        request,
        "careers/compare.html",
        {"form": form, "compared": compared, "levels": level_labels()},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def directorate_models(request: AuthenticatedRequest) -> HttpResponse:
    profiles = {p.slug: p for p in role_profiles_current()}
    return render(
        request,
        "careers/directorates.html",
        {"directorates": directorates(), "levels": level_labels(), "profiles": profiles},
    )
