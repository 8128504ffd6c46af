"""Reads for sharing a development plan with a named mentor. A viewer reaches a plan only through a live share."""

from django.db.models import Prefetch, QuerySet

from apps.accounts.models import User

from .models import Activity, Goal, Plan, PlanEvidence, PlanShare, Reflection


def live_plan_shares(plan: Plan) -> QuerySet[PlanShare]:
    """Who can see the plan now, for its owner's sharing page."""
    return PlanShare.objects.filter(plan=plan, revoked_at__isnull=True).select_related("viewer").order_by("-shared_at")


def plan_share_for_viewer(*, viewer: User, plan_id: int) -> PlanShare | None:
    """The live share that lets `viewer` read this plan, with everything the read-only page shows, or None.

    The permission is the query: no live share with this viewer, no plan. Six queries whatever the plan holds."""
    return (
        PlanShare.objects.filter(plan_id=plan_id, viewer=viewer, revoked_at__isnull=True)
        .select_related("plan__owner")
        .prefetch_related(
            Prefetch("plan__goals", queryset=Goal.objects.prefetch_related("criteria").order_by("target_date", "id")),
            Prefetch("plan__activities", queryset=Activity.objects.order_by("starts_on", "id")),
            Prefetch("plan__reflections", queryset=Reflection.objects.order_by("-written_on", "-id")),
            # Only what the page lists: the mentor sees no file in this step, and notes can be long.
            Prefetch(
                "plan__evidence",
                queryset=PlanEvidence.objects.only("plan_id", "kind", "title", "url", "file_name", "added_at").order_by(
                    "added_at", "id"
                ),
            ),
        )
        .first()
    )


def plans_shared_with(*, viewer: User) -> QuerySet[PlanShare]:
    return (
        PlanShare.objects.filter(viewer=viewer, revoked_at__isnull=True)
        .select_related("plan__owner")
        .order_by("-shared_at")
    )
