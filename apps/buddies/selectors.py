"""Reads for buddies, filtered to what the person may see as part of the query: a person sees their own published
pair only, and cohorts are seen in full by organisers only, so anyone else's lookup finds nothing (a 404)."""

from django.db.models import Count, Q, QuerySet

from apps.accounts.models import Role, User
from apps.accounts.selectors import user_has_role

from .models import BuddyPair, Cohort, CohortMember, CohortStatus, PairStatus


def people_with_buddy(*, user_ids: set[int]) -> set[int]:
    """Those of `user_ids` who have a published buddy pair in any cohort: one query."""
    if not user_ids:
        return set()
    rows = BuddyPair.objects.filter(
        Q(first_id__in=user_ids) | Q(second_id__in=user_ids), status=PairStatus.PUBLISHED
    ).values_list("first_id", "second_id")
    found = {person for pair in rows for person in pair}
    return found & user_ids


def published_pairs_of(*, user: User) -> QuerySet[BuddyPair]:
    """The person's published buddy pairs, latest first, with both people, their profiles and the cohort."""
    return (
        BuddyPair.objects.filter(Q(first=user) | Q(second=user), status=PairStatus.PUBLISHED)
        .select_related("cohort", "first__profile", "second__profile")
        .order_by("-published_at", "-pk")
    )


def buddy_for(*, user: User) -> BuddyPair | None:
    """The person's latest published buddy pair (`published_pairs_of`): one query. The buddy is `pair.second`
    when `pair.first_id == user.pk`, else `pair.first` (see `buddy_of`)."""
    return published_pairs_of(user=user).first()


def buddy_of(*, pair: BuddyPair, user: User) -> User:
    """The other person of `pair`, already loaded by `buddy_for`."""
    return pair.second if pair.first_id == user.pk else pair.first


def is_organiser(*, user: User) -> bool:
    return user_has_role(user=user, role=Role.ORGANISER)


def cohorts_for_organiser(*, user: User) -> QuerySet[Cohort]:
    """Every cohort, with its counts, for an organiser; none for anyone else."""
    if not is_organiser(user=user):
        return Cohort.objects.none()
    return Cohort.objects.annotate(
        member_count=Count("members", distinct=True), pair_count=Count("pairs", distinct=True)
    )


def cohort_for_organiser(*, user: User, cohort_id: int) -> Cohort | None:
    return cohorts_for_organiser(user=user).filter(pk=cohort_id).first()


def cohort_members(*, cohort: Cohort) -> list[CohortMember]:
    """The cohort's members with what the review page shows of each: one query."""
    return list(
        cohort.members.select_related(
            "user__profile__organisation", "user__profile__sector", "user__profile__region"
        ).order_by("user__first_name", "user__last_name", "pk")
    )


def cohort_pairs(*, cohort: Cohort) -> list[BuddyPair]:
    """The cohort's pairs with both people: one query."""
    return list(cohort.pairs.select_related("first", "second").order_by("-score", "pk"))


def open_cohorts(*, exclude_id: int | None = None) -> QuerySet[Cohort]:
    """Cohorts anyone may join now, oldest first (the next cohort for someone left over is the first of them)."""
    rows = Cohort.objects.filter(status=CohortStatus.OPEN).order_by("created_at", "pk")
    return rows.exclude(pk=exclude_id) if exclude_id is not None else rows


def memberships_for(*, user: User) -> list[CohortMember]:
    """The person's own memberships, newest cohort first: one query."""
    return list(CohortMember.objects.filter(user=user).select_related("cohort").order_by("-cohort__created_at", "-pk"))


def pairs_for(*, user: User) -> list[BuddyPair]:
    """The person's published pairs with both people and their organisations, newest first: one query."""
    return list(
        BuddyPair.objects.filter(Q(first=user) | Q(second=user), status=PairStatus.PUBLISHED)
        .select_related("cohort", "first", "second")
        .order_by("-published_at", "-pk")
    )
