"""Request types for views that only signed-in people reach."""

from django.http import HttpRequest

from .models import User


class AuthenticatedRequest(HttpRequest):
    """What a view behind `login_required` or `RoleRequiredMixin` receives: `user` is never anonymous."""

    user: User  # type: ignore[assignment]
