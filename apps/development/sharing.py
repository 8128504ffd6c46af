"""Sharing a development plan: the owner names a mentor, who may then read it, and can stop at any time.
Every view by the mentor is written to the access audit log (apps.audit)."""

from datetime import datetime

from django.db import IntegrityError, transaction

from apps.accounts.models import Role, User
from apps.accounts.selectors import user_roles
from apps.audit.services import access_record

from .models import Plan, PlanShare
from .selectors_sharing import live_plan_shares
from .services import PlanError

# The same words whether the address is unknown or its owner does not mentor: nothing about other people leaks.
NOT_A_MENTOR = "You can share your plan with someone who mentors or coaches on Stepping Up."


@transaction.atomic
def plan_share_grant(*, plan: Plan, viewer_email: str, now: datetime) -> PlanShare:
    viewer = User.objects.filter(email__iexact=viewer_email.strip(), is_active=True).first()
    if viewer is None:
        raise PlanError(NOT_A_MENTOR)
    if viewer.pk == plan.owner_id:
        raise PlanError("This is your own plan: you can always see it.")
    if Role.MENTOR not in user_roles(user=viewer):
        raise PlanError(NOT_A_MENTOR)
    already = f"You already share this plan with {viewer}."
    if live_plan_shares(plan).filter(viewer=viewer).exists():
        raise PlanError(already)
    share = PlanShare(plan=plan, viewer=viewer, shared_at=now)
    share.full_clean()
    try:
        with transaction.atomic():
            share.save()
    except IntegrityError:  # a second request got past the check above first
        raise PlanError(already) from None
    return share


@transaction.atomic
def plan_share_revoke(*, plan: Plan, share_id: int, now: datetime) -> PlanShare:
    share = (
        PlanShare.objects.select_for_update(of=("self",))  # lock the share, not the mentor's user row
        .select_related("viewer")
        .filter(pk=share_id, plan=plan, revoked_at__isnull=True)
        .first()
    )
    if share is None:
        raise PlanError("That person can no longer see this plan.")
    share.revoked_at = now
    share.save(update_fields=["revoked_at"])
    return share


def plan_share_viewed(*, share: PlanShare, viewer: User, now: datetime, path: str) -> None:
    access_record(
        viewer=viewer,
        owner=share.plan.owner,
        record_kind="development plan",
        record_id=share.plan_id,
        reason="you shared it with them (mentor or coach)",
        now=now,
        path=path,
    )
