from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest

from .selectors import access_events_for_owner

PAGE_SIZE = 50


@login_required
@require_http_methods(["GET"])
def my_access_log(request: AuthenticatedRequest) -> HttpResponse:
    """Who has seen this person's private records, and when. Always visible to the person themself."""
    page = Paginator(access_events_for_owner(owner=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/mine.html", {"page": page})
