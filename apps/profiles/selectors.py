"""Reads of profiles. Diversity information is read here only for its owner or as suppressed aggregates."""

from django.db.models import Count, QuerySet

from apps.accounts.models import User

from .models import CareerAim, CareerRole, DiversityInformation, LeadershipLevel, Profile


def profile_for_owner(*, user: User) -> Profile | None:
    return Profile.objects.filter(user=user).select_related("specialty", "organisation", "sector", "region").first()


def target_level_for(*, user: User) -> LeadershipLevel:
    """The role a new self-assessment or plan is measured against by default: the person's next career aim when
    it is on the ladder, else the rung above their current role (`Profile.target_level`). One query."""
    profile = Profile.objects.filter(user=user).only("career_role", "career_aim").first()
    return (profile or Profile()).target_level


def diversity_for_owner(*, user: User) -> DiversityInformation | None:
    return DiversityInformation.objects.filter(user=user).first()


def completed_profiles() -> QuerySet[Profile]:
    return Profile.objects.filter(completed_at__isnull=False, user__is_active=True)


def profile_counts(*, dimension: str) -> list[tuple[str, int]]:
    """(label, count) of completed profiles along one dimension, largest first. One query."""
    labels = _DIMENSIONS[dimension]
    rows = completed_profiles().values(labels.field).annotate(n=Count("id")).order_by("-n", labels.field)
    return [(labels.label_of(row[labels.field]), row["n"]) for row in rows]


class _Dimension:
    def __init__(self, field: str, choices: dict[str, str] | None = None) -> None:
        self.field, self.choices = field, choices

    def label_of(self, value: object) -> str:
        if value in (None, ""):
            return "Not given"
        return self.choices.get(str(value), str(value)) if self.choices else str(value)


_DIMENSIONS = {
    "career_role": _Dimension("career_role", dict(CareerRole.choices)),
    "career_aim": _Dimension("career_aim", dict(CareerAim.choices)),
    "sector": _Dimension("sector__name"),
    "region": _Dimension("region__name"),
}
REPORT_DIMENSIONS = {
    "career_role": "Current role",
    "sector": "Sector",
    "region": "NHS region",
    "career_aim": "Next career aim",
}
