"""Request types for views that only signed-in people reach."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class AuthenticatedRequest(HttpRequest):
    """What a view behind `login_required` or `role_required` receives: `user` is never anonymous."""

    user: User  # type: ignore[assignment]
    htmx: HtmxDetails
