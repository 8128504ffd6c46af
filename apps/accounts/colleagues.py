"""The people a person works with, so that sharing a record is a choice from them rather than a typed address.

Features higher up (mentoring, learning sets) register a provider when the app loads; lower apps (assessments,
development) ask here without importing them. Imports keep pointing down: the callback is passed down instead.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .models import User


@dataclass(frozen=True)
class Colleague:
    user: User
    how: str  # "your mentor", "organiser of North West aspiring MDs"


Provider = Callable[[User], list[Colleague]]
_providers: list[Provider] = []


def colleague_provider_register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def colleagues_of(*, user: User) -> list[Colleague]:
    """Everyone the providers name, once each (the first reason wins), never the person themself."""
    seen: set[int] = {user.pk}
    found = []
    for provider in _providers:
        for colleague in provider(user):
            if colleague.user.pk not in seen and colleague.user.is_active:
                seen.add(colleague.user.pk)
                found.append(colleague)
    return found


def colleague_choices(*, user: User) -> list[tuple[str, str, str]]:
    """(id, "name, how", e-mail) for a sharing form."""
    return [(str(c.user.pk), f"{c.user}, {c.how}", c.user.email) for c in colleagues_of(user=user)]
