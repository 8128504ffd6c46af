from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role
from apps.accounts.permissions import role_required

from .emails import read_unsubscribe_token, reminder_subject
from .forms import PreferencesForm
from .kinds import KINDS
from .selectors import failed_reminders, notifications_for_user, preferences_for_user, reminders_for_administrator
from .services import NotificationError, mark_read, preferences_set, reminder_retry, unsubscribe

PAGE_SIZE = 25


@login_required
@require_http_methods(["GET"])
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    now = timezone.now()
    page = Paginator(notifications_for_user(user=request.user, now=now), PAGE_SIZE).get_page(request.GET.get("page"))
    items = [{"reminder": r, "subject": reminder_subject(r), "unread": r.read_at is None} for r in page]
    return render(request, "notifications/list.html", {"page": page, "items": items})


@login_required
@require_http_methods(["POST"])
def notification_open(request: AuthenticatedRequest, reminder_id: int) -> HttpResponse:
    """Mark one notification read and go to the page it is about (only ever a page of this portal)."""
    now = timezone.now()
    reminder = get_object_or_404(notifications_for_user(user=request.user, now=now), pk=reminder_id)
    mark_read(user=request.user, reminder_ids=[reminder.pk], now=now)
    target = str(reminder.context.get("url", ""))
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "notifications:list"
    return redirect(target)


@login_required
@require_http_methods(["POST"])
def notification_mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    count = mark_read(user=request.user, reminder_ids=None, now=timezone.now())
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, preferences=preferences_for_user(user=request.user))
    if request.method == "POST" and form.is_valid():
        preferences_set(user=request.user, modes=form.cleaned_data)
        messages.success(request, "Your e-mail choices are saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form}, status=400 if form.errors else 200)


# Mail clients send RFC 8058 one-click unsubscribes as a POST without a CSRF token: the signed token in the
# URL is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        payload = read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    kind = KINDS.get(payload["k"])  # None: a daily summary's link, which stops everything
    if request.method == "GET":
        # Never act on GET: mail scanners follow links. The page asks for a click.
        return render(request, "notifications/unsubscribe.html", {"kind": kind})
    everything = kind is None or request.POST.get("scope") == "all"
    unsubscribe(
        user_id=payload.get("u"), email=payload.get("e", ""), kind=kind.code if kind else "", everything=everything
    )
    return render(request, "notifications/unsubscribed.html", {"kind": kind, "everything": everything})


@method_decorator(role_required(Role.ADMINISTRATOR), name="dispatch")
class FailedRemindersView(View):
    """Reminders that ran out of attempts, for the portal's administrators to see and send again."""

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        page = Paginator(failed_reminders().order_by("-updated_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [(reminder, KINDS.get(reminder.kind)) for reminder in page]
        return render(request, "notifications/failed.html", {"page": page, "rows": rows})


@method_decorator(role_required(Role.ADMINISTRATOR), name="dispatch")
class FailedReminderRetryView(View):
    def post(self, request: AuthenticatedRequest, reminder_id: int) -> HttpResponse:
        reminder = get_object_or_404(reminders_for_administrator(), pk=reminder_id)
        try:
            reminder_retry(reminder=reminder, now=timezone.now())
        except NotificationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "The reminder will be sent again within a minute.")
        return redirect("notifications:failed")
