"""The administrator's organisation directory. It lives here, not in organisations, because it is a page behind
a role: organisations sits below accounts and knows nothing of people or roles; its selector gives the rows."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View

from apps.organisations.selectors import organisation_directory

from .forms import DirectorySearchForm
from .http import AuthenticatedRequest
from .models import Role
from .permissions import role_required

PAGE_SIZE = 50


@method_decorator(role_required(Role.ADMINISTRATOR), name="dispatch")
class OrganisationListView(View):
    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        search = DirectorySearchForm(request.GET or None)
        q, closed = "", False
        if search.is_valid():
            q, closed = search.cleaned_data["q"], search.cleaned_data["closed"]
        organisations = organisation_directory(search=q, include_closed=closed)
        page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "organisations/list.html", {"search": search, "page": page})
