from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest

from .models import DataExport, ExportStatus
from .selectors import export_for_owner, latest_export_for
from .services import LIFETIME, ExportError, export_request

# What each download that cannot be downloaded says, when its link is followed.
NOT_DOWNLOADABLE = {
    "expired": (
        "This download has expired",
        "We delete each download {days} days after it is ready, or when a newer one replaces it.",
    ),
    "failed": ("This download could not be prepared", "Something went wrong while we put it together."),
    "waiting": ("This download is not ready yet", "We are still preparing it. We will e-mail you when it is ready."),
}


def _page(request: AuthenticatedRequest, *, problem: tuple[str, str] | None = None, status: int = 200) -> HttpResponse:
    return render(
        request,
        "exports/page.html",
        {
            "export": latest_export_for(owner=request.user),
            "problem": problem,
            "lifetime_days": LIFETIME.days,
            "contact_email": settings.PORTAL_CONTACT_EMAIL,
            "crumbs": [("Account and security", reverse("core:account"))],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def your_data(request: AuthenticatedRequest) -> HttpResponse:
    """What a download holds, the state of the latest one, and the button that asks for a new one."""
    if request.method == "POST":
        try:
            export_request(owner=request.user, now=timezone.now())
        except ExportError as exc:
            return _page(request, problem=("You have already asked for a download", str(exc)), status=400)
        messages.success(request, "We are preparing your download. We will e-mail you when it is ready.")
        return redirect("exports:page")
    return _page(request)


def _own(request: AuthenticatedRequest, export_id: int) -> DataExport:
    export = export_for_owner(owner=request.user, export_id=export_id)
    if export is None:
        raise Http404("No such download.")  # another person's looks exactly like one that does not exist
    return export


@login_required
@require_http_methods(["GET"])
def export_status(request: AuthenticatedRequest, export_id: int) -> HttpResponse:
    """Polled by the page while a download is being prepared (htmx): nothing yet (204), or reload the page."""
    if _own(request, export_id).in_progress:
        return HttpResponse(status=204)
    return HttpResponse(headers={"HX-Refresh": "true"})


@login_required
@require_http_methods(["GET"])
def export_download(request: AuthenticatedRequest, export_id: int) -> HttpResponse | FileResponse:
    """The archive, to its owner only, until it expires. Anything else is the page with the reason, and no file."""
    export = _own(request, export_id)
    reason = _not_downloadable(export)
    if reason is None:
        try:
            stream = export.file.open("rb")
        except FileNotFoundError:
            reason = "expired"
        else:
            return _attachment(export, stream)
    heading, text = NOT_DOWNLOADABLE[reason]
    return _page(
        request, problem=(heading, text.format(days=LIFETIME.days)), status=409 if reason == "waiting" else 410
    )


def _not_downloadable(export: DataExport) -> str | None:
    if export.in_progress:
        return "waiting"
    if export.status == ExportStatus.FAILED:
        return "failed"
    if export.status != ExportStatus.READY or not export.file:
        return "expired"
    if export.expires_at is None or export.expires_at <= timezone.now():
        return "expired"  # past its time even if the tidy-up has not run yet
    return None


def _attachment(export: DataExport, stream: object) -> FileResponse:
    day = timezone.localdate(export.ready_at).isoformat()
    response = FileResponse(
        stream, as_attachment=True, filename=f"stepping-up-my-data-{day}.zip", content_type="application/zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
