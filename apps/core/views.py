from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role
from apps.accounts.permissions import role_required
from apps.accounts.selectors import user_has_authenticator_app, user_roles
from apps.profiles.community_counts import community_overview
from apps.profiles.selectors import profile_for_owner

from .dashboard import (
    in_the_role,
    organiser_next_steps,
    own_development,
    succession_at_a_glance,
    waiting_for,
    working_with_others,
)
from .health import broker_ok, database_ok


@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    return render(request, "core/home.html")


@login_required
@require_http_methods(["GET"])
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    profile = profile_for_owner(user=request.user)
    roles = user_roles(user=request.user)
    now = timezone.now()
    # The counts below, has_mfa and which parts have anything to list, in one query: only those are read.
    waiting = waiting_for(user=request.user, now=now)
    latest = waiting.first("assessment")
    context: dict[str, Any] = {
        "profile": profile,
        "profile_complete": bool(profile and profile.is_complete),
        "has_mfa": waiting.has_mfa,
        "roles": roles,
        "is_mentor": Role.MENTOR in roles,
        "is_organiser": Role.ORGANISER in roles,
        "is_administrator": Role.ADMINISTRATOR in roles,
        "can_offer_to_mentor": bool(profile and profile.is_md_level and Role.MENTOR not in roles),
        "latest_assessment": latest,
        "development": own_development(latest=latest, waiting=waiting),
        # A sitting medical director measures nothing against the job they hold: the self-assessment is optional.
        "is_md": bool(profile and profile.is_md_level),
        "organiser_steps": organiser_next_steps(user=request.user, today=timezone.localdate())
        if Role.ORGANISER in roles
        else [],
        "others": working_with_others(waiting=waiting),
        "in_the_role": in_the_role(user=request.user, waiting=waiting),
        "succession": succession_at_a_glance(
            user=request.user, is_lead=Role.ORGANISATION_LEAD in roles, today=timezone.localdate(), waiting=waiting
        ),
    }
    return render(request, "core/dashboard.html", context)


@login_required
@require_http_methods(["GET"])
def account(request: AuthenticatedRequest) -> HttpResponse:
    has_mfa = user_has_authenticator_app(user=request.user)
    return render(request, "core/account.html", {"has_mfa": has_mfa})


@method_decorator(role_required(Role.ORGANISER, Role.ADMINISTRATOR), name="dispatch")
class CommunityOverviewView(View):
    """Aggregate counts for organisers: never a person, never a count under the threshold."""

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        # The stored counts (profiles.community_counts): one row read, never a recount of every profile.
        overview = community_overview(now=timezone.now())
        return render(
            request,
            "core/overview.html",
            {"tables": overview.tables, "total": overview.total, "minimum": overview.minimum, "as_at": overview.as_at},
        )


@require_http_methods(["GET"])
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_http_methods(["GET"])
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@never_cache
@require_http_methods(["GET", "HEAD"])
def healthz(request: HttpRequest) -> JsonResponse:
    db_ok, db_detail = database_ok()
    br_ok, br_detail = broker_ok()
    healthy = db_ok and br_ok
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "database": db_detail, "broker": br_detail},
        status=200 if healthy else 503,
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the database or a context processor may be what failed.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check (CSRF_FAILURE_VIEW): what happened and what to do, in plain words.

    `reason` is jargon ("CSRF cookie not set.") that helps nobody reading the page, so it is not shown: Django's
    middleware logs it already, with the path (logger django.security.csrf)."""
    if getattr(request, "htmx", False):  # autosave shows the answer in its one-line status
        return render(request, "403_csrf_status.html", status=403)
    return render(request, "403_csrf.html", status=403)
