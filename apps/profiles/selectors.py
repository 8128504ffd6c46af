"""Reads of profiles. Diversity information is read here only for its owner or as suppressed aggregates."""

from django.db.models import QuerySet

from apps.accounts.models import User

from .models import DiversityInformation, LeadershipLevel, Profile


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
