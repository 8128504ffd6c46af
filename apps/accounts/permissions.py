"""The one way a view requires a role: `@role_required(Role.ORGANISER)` on a function view, or
`@method_decorator(role_required(...), name="dispatch")` on a class. Someone signed out is sent to sign in; someone
signed in without any of the roles gets a 403 (the page exists, but not for them), or, where a page is reached
from another that explains the role (`redirect_to`), is taken back there with `message` shown."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect

from .selectors import user_roles

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def role_required(
    *roles: str, message: str = "This page is for people with another role.", redirect_to: str | None = None
) -> Callable[[View], View]:
    """Lets in signed-in people holding any of `roles`."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not user_roles(user=request.user) & set(roles):  # type: ignore[arg-type]
                if redirect_to is None:
                    raise PermissionDenied(message)
                messages.error(request, message)
                return redirect(redirect_to)
            return view(request, *args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]

    return decorate
