from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role
from apps.accounts.permissions import role_required

from .selectors import organisation_directory

PAGE_SIZE = 50


class DirectorySearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search by name, ODS code or postcode")
    closed = forms.BooleanField(required=False, label="Include closed organisations")


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
