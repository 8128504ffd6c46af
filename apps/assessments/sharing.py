"""Sharing a self-assessment: the owner names a mentor or a programme organiser, and can stop at any time.
Every view by someone else is written to the access audit log (apps.audit)."""

from datetime import datetime

from django.db import IntegrityError, transaction

from apps.accounts.models import Role, User
from apps.accounts.selectors import user_roles
from apps.audit.services import access_record

from .models import Assessment, AssessmentShare, ShareReason
from .services import AssessmentError


@transaction.atomic
def share_grant(*, assessment: Assessment, viewer_email: str, now: datetime) -> AssessmentShare:
    viewer = User.objects.filter(email__iexact=viewer_email.strip(), is_active=True).first()
    # The same answer whether the address is unknown or has no suitable role: nothing about other people leaks.
    refusal = "You can share with someone who mentors or coaches on Stepping Up, or who organises a programme."
    if viewer is None:
        raise AssessmentError(refusal)
    if viewer.pk == assessment.owner_id:
        raise AssessmentError("This is your own self-assessment: you can always see it.")
    roles = user_roles(user=viewer)
    if Role.MENTOR in roles:
        reason = ShareReason.MENTOR
    elif Role.ORGANISER in roles:
        reason = ShareReason.ORGANISER
    else:
        raise AssessmentError(refusal)
    try:
        with transaction.atomic():
            return AssessmentShare.objects.create(assessment=assessment, viewer=viewer, reason=reason, shared_at=now)
    except IntegrityError:
        raise AssessmentError(f"You already share this with {viewer}.") from None


@transaction.atomic
def share_revoke(*, assessment: Assessment, share_id: int, now: datetime) -> AssessmentShare:
    share = (
        AssessmentShare.objects.select_for_update()
        .filter(pk=share_id, assessment=assessment, revoked_at__isnull=True)
        .first()
    )
    if share is None:
        raise AssessmentError("That person no longer has access.")
    share.revoked_at = now
    share.save(update_fields=["revoked_at"])
    return share


def share_viewed(*, share: AssessmentShare, viewer: User, now: datetime, path: str) -> None:
    access_record(
        viewer=viewer,
        owner=share.assessment.owner,
        record_kind="self-assessment",
        record_id=share.assessment_id,
        reason=f"you shared it with them ({share.get_reason_display().lower()})",
        now=now,
        path=path,
    )
