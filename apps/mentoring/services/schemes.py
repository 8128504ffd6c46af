"""Schemes, set up and tuned by organisers: who organises them, whether they are open, and the weights their
match rounds score with. (Their report is a read: `selectors.scheme_report`.)"""

from datetime import datetime

from django.db import transaction

from apps.accounts.models import Role, User
from apps.accounts.selectors import user_has_role

from ..models import Scheme
from . import MentoringError, checked

WEIGHT_FIELDS = ("weight_focus", "weight_outside", "weight_sector", "weight_region", "weight_career", "weight_mode")


@transaction.atomic
def scheme_save(
    *,
    actor: User,
    scheme: Scheme | None,
    name: str,
    description: str,
    open_to_requests: bool,
    weights: dict[str, float],
    co_organiser_emails: list[str],
    now: datetime,
) -> Scheme:
    if not user_has_role(user=actor, role=Role.ORGANISER):
        raise MentoringError("Only organisers can set up mentoring schemes.")
    if scheme is not None and not scheme.organisers.filter(pk=actor.pk).exists():
        raise MentoringError("Only the scheme's organisers can change it.")
    if set(weights) != set(WEIGHT_FIELDS) or any(not 0 <= w <= 100 for w in weights.values()):
        raise MentoringError("Each weight must be between 0 and 100.")
    if not any(weights.values()):
        raise MentoringError("Give at least one weight above 0, or every allowed pair would score the same.")
    wanted = {e.strip().lower() for e in co_organiser_emails if e.strip()} - {actor.email.lower()}
    co_organisers = list(
        User.objects.filter(
            email__in=wanted, role_grants__role=Role.ORGANISER, role_grants__revoked_at__isnull=True
        ).distinct()
    )
    missing = wanted - {u.email.lower() for u in co_organisers}
    if missing:
        raise MentoringError(
            f"These addresses do not belong to organisers on the portal: {', '.join(sorted(missing))}. "
            "An administrator can grant the organiser role."
        )
    scheme = scheme or Scheme(created_at=now)
    scheme.name, scheme.description, scheme.open_to_requests = name.strip(), description.strip(), open_to_requests
    for field, value in weights.items():
        setattr(scheme, field, value)
    checked(scheme)
    scheme.save()
    scheme.organisers.set([actor, *co_organisers])
    return scheme
