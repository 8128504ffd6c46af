from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role
from apps.accounts.permissions import role_required

from .selectors import (
    access_events_for_owner,
    changes_for_administrator,
    changes_touching,
    role_changes_for,
    role_changes_for_administrator,
)

PAGE_SIZE = 50


@login_required
@require_http_methods(["GET"])
def my_access_log(request: AuthenticatedRequest) -> HttpResponse:
    """Who has seen this person's private records, and what others changed that touched them. Always visible to
    the person themself."""
    page = Paginator(access_events_for_owner(owner=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/mine.html",
        {
            "page": page,
            "changes": list(changes_touching(person=request.user)[:PAGE_SIZE]),
            "roles": [g for g in role_changes_for(person=request.user) if g.granted_by_id != request.user.pk],
        },
    )


@method_decorator(role_required(Role.ADMINISTRATOR), name="dispatch")
class ChangeLogView(View):
    """Every change organisers, facilitators and administrators made to other people's pairs, sets, sessions and
    roles: who, what, when, before and after. For the portal's administrators."""

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        changes = Paginator(changes_for_administrator(), PAGE_SIZE).get_page(request.GET.get("page"))
        roles = role_changes_for_administrator()[:PAGE_SIZE]
        return render(request, "audit/changes.html", {"page": changes, "roles": roles})
