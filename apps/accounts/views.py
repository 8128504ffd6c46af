from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views import View

from .forms import PeopleSearchForm, RoleChangeForm
from .http import AuthenticatedRequest
from .models import Role
from .permissions import role_required
from .selectors import people_for_administrator, person_for_administrator
from .services import RoleError, role_grant, role_revoke

PAGE_SIZE = 50


@method_decorator(role_required(Role.ADMINISTRATOR), name="dispatch")
class PeopleView(View):
    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        search = PeopleSearchForm(request.GET or None)
        q = search.cleaned_data["q"] if search.is_valid() else ""
        page = Paginator(people_for_administrator(search=q), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "accounts/people.html", {"search": search, "page": page, "q": q, "roles": Role.choices})


@method_decorator(role_required(Role.ADMINISTRATOR), name="dispatch")
class PersonRolesView(View):
    def post(self, request: AuthenticatedRequest, user_id: int) -> HttpResponse:
        person = person_for_administrator(user_id=user_id)
        if person is None:
            raise Http404("No such person.")
        form = RoleChangeForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.problem())
            return redirect(f"{reverse('accounts:people')}?{urlencode({'q': person.email})}")
        role, organisation, now = form.cleaned_data["role"], form.cleaned_data["organisation"], timezone.now()
        try:
            if form.cleaned_data["action"] == "grant":
                role_grant(user=person, role=role, granted_by=request.user, now=now, organisation=organisation)
                where = f" for {organisation.name}" if organisation else ""
                messages.success(request, f"{person} is now {Role(role).label.lower()}{where}.")
            else:
                role_revoke(user=person, role=role, revoked_by=request.user, now=now)
                messages.success(request, f"{person} is no longer {Role(role).label.lower()}.")
        except RoleError as exc:
            messages.error(request, str(exc))
        return redirect(f"{reverse('accounts:people')}?{urlencode({'q': person.email})}")
