"""Who a member works with through learning sets: the organisers of the programmes they applied to."""

from apps.accounts.colleagues import Colleague
from apps.accounts.models import User

from .models import ApplicationStatus, Programme


def colleagues_in_learning_sets(user: User) -> list[Colleague]:
    """Two queries: the programmes (applied or placed), then their organisers."""
    programmes = (
        Programme.objects.filter(
            applications__person=user,
            applications__status__in=[ApplicationStatus.APPLIED, ApplicationStatus.PLACED],
        )
        .prefetch_related("organisers")
        .distinct()
        .order_by("name")
    )
    return [
        Colleague(organiser, f"organiser of {programme.name}")
        for programme in programmes
        for organiser in programme.organisers.all()
    ]
