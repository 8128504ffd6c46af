"""An organisation lead's own view of a person's readiness, kept beside the person's and never instead of it.

Setting it stamps `lead_at`, so it is unseen by the person (`Candidacy.lead_view_seen`) until their own page shows
it: until then no grid at the organisation labels them with it (the pipeline says "not yet seen by them"). The
person is told at once (`succession_lead_view`), and the change is on record for them ("Who has seen your
records"). Refused with a `SuccessionError`, nothing written: a candidacy at an organisation the lead does not
lead (or one withdrawn meanwhile), a readiness outside the scale, a comment too long.
"""

from datetime import datetime

from django.db import transaction
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.selectors import led_organisation_id
from apps.audit.services import change_record
from apps.common.validation import clean_problem
from apps.notifications.services import schedule

from ..models import Candidacy, Readiness
from . import SuccessionError

CAPACITY = "organisation lead"
COMMENT_MAX = 1000
NOT_YOURS = "You can add your view only for someone standing forward at the organisation you lead."
OFF_SCALE = "Choose ready now, ready in 1 to 2 years or ready in 3 to 5 years."


def _described(candidacy: Candidacy) -> dict[str, object]:
    """What the change record keeps: the readiness, and whether there is a comment — never its words, which are
    for the person (as a talent conversation's are)."""
    return {
        "lead's view of readiness": Readiness(candidacy.lead_readiness).label if candidacy.lead_readiness else "",
        "lead's comment": f"written ({len(candidacy.lead_comment):,} characters)" if candidacy.lead_comment else "",
    }


@transaction.atomic
def lead_view_set(*, lead: User, candidacy: Candidacy, readiness: str, comment: str, now: datetime) -> Candidacy:
    """Add or change the lead's view of the person's readiness, and tell the person."""
    organisation_id = led_organisation_id(user=lead)
    locked = (
        Candidacy.objects.select_for_update(of=("self",))
        .select_related("person", "organisation")
        .filter(pk=candidacy.pk, organisation_id=organisation_id)
        .first()
        if organisation_id is not None
        else None
    )
    if locked is None:
        raise SuccessionError(NOT_YOURS)
    if readiness not in Readiness.values:
        raise SuccessionError(OFF_SCALE)
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise SuccessionError(f"Keep your comment to {COMMENT_MAX:,} characters (it has {len(comment):,}).")
    before = _described(locked)
    locked.lead_readiness, locked.lead_comment, locked.lead_by, locked.lead_at = readiness, comment, lead, now
    problem = clean_problem(locked)
    if problem:
        raise SuccessionError(problem)
    locked.save(update_fields=["lead_readiness", "lead_comment", "lead_by", "lead_at"])
    schedule(
        recipient=locked.person,
        kind="succession_lead_view",
        due_at=now,
        dedupe_key=f"succession-lead-view:{locked.pk}:{now.isoformat()}",
        context={"organisation": locked.organisation.name, "url": reverse("succession:mine")},
    )
    change_record(
        actor=lead,
        capacity=CAPACITY,
        action="added their view of your readiness",
        target=f"Standing forward at {locked.organisation.name}",
        subjects=[locked.person],
        before=before,
        after=_described(locked),
        now=now,
    )
    return locked
