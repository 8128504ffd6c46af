"""View helpers that refuse people without a role. Refusal is a 403: the page exists, but not for them."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from .selectors import user_roles


class RoleRequiredMixin(LoginRequiredMixin):
    """Lets in signed-in people holding any of `allowed_roles`; everyone else signed in gets a 403."""

    allowed_roles: tuple[str, ...] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not user_roles(user=request.user) & set(self.allowed_roles):
            raise PermissionDenied("This page is for people with another role.")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
