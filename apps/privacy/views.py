"""Closing an account (the person's own page and an administrator's), the page after it, and the administrators'
retention page. Thin: a form, one service call, a redirect."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role, User
from apps.accounts.permissions import role_required
from apps.accounts.selectors import person_for_administrator, user_exists

from .decisions import Outcome, by_outcome
from .forms import CloseAccountForm, CloseSomeoneForm
from .retention import RULES
from .selectors import closures_since, last_run
from .services import ClosingError, account_close


def _what_happens() -> dict[str, object]:
    """The table both close pages show: what goes, what stays for others and why."""
    return {
        "erased": by_outcome(Outcome.ERASED),
        "kept": [*by_outcome(Outcome.KEPT_WITHOUT_THEM), *by_outcome(Outcome.KEPT_WITH_NAME)],
    }


@login_required
@require_http_methods(["GET", "POST"])
def close_account(request: AuthenticatedRequest) -> HttpResponse:
    form = CloseAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account_close(user=request.user, actor=request.user, now=timezone.now())
        except ClosingError as exc:
            if user_exists(user_id=request.user.pk):
                form.add_error(None, str(exc))
        if not form.errors:  # closed now, or a moment ago by a second click: either way it is gone
            logout(request)
            return redirect("privacy:account_closed")
    return render(
        request,
        "privacy/close_account.html",
        {"form": form, **_what_happens()},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET"])
def account_closed(request: HttpRequest) -> HttpResponse:
    """Says what happened, in general words: it is reached signed out and shows nothing about anyone."""
    return render(request, "privacy/account_closed.html")


@method_decorator(role_required(Role.ADMINISTRATOR), name="dispatch")
class CloseSomeoneView(View):
    """An administrator closes someone's account at their request, under the same rules as the person's own page.
    Not their own: that is the person's page, with their password."""

    def _person(self, request: AuthenticatedRequest, user_id: int) -> User:
        person = person_for_administrator(user_id=user_id)
        if person is None:
            raise Http404("No such person.")
        if person.pk == request.user.pk:
            raise PermissionDenied("Close your own account from your account page, with your password.")
        return person

    def _page(self, request: AuthenticatedRequest, person: User, form: CloseSomeoneForm) -> HttpResponse:
        return render(
            request,
            "privacy/close_someone.html",
            {"person": person, "form": form, **_what_happens()},
            status=400 if form.errors else 200,
        )

    def get(self, request: AuthenticatedRequest, user_id: int) -> HttpResponse:
        return self._page(request, self._person(request, user_id), CloseSomeoneForm())

    def post(self, request: AuthenticatedRequest, user_id: int) -> HttpResponse:
        person = self._person(request, user_id)
        form = CloseSomeoneForm(request.POST)
        if form.is_valid():
            name = person.full_name or person.email
            try:
                account_close(user=person, actor=request.user, now=timezone.now())
            except ClosingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"The account of {name} is closed. They have been sent an e-mail saying so.")
                return redirect("accounts:people")
        return self._page(request, person, form)


@method_decorator(role_required(Role.ADMINISTRATOR), name="dispatch")
class RetentionView(View):
    """The rules, what the last run removed, and how many accounts were closed in the past year: counts only."""

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        run = last_run()
        year = closures_since(since=timezone.now() - timedelta(days=365))
        rows = [(rule, run.removed.get(rule.name) if run else None) for rule in RULES]
        return render(request, "privacy/retention.html", {"rows": rows, "run": run, "closures": year})
