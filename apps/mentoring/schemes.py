"""Schemes: set up and tuned by organisers, and reported on to them in aggregate only.

The report counts what happened in the scheme and summarises the closing feedback of both sides. It never shows a
comment or anything about one person; counts under REPORT_MIN_COUNT (5) are hidden as in every report
(apps/common/reporting.py), and an average over fewer answers is not shown, so nobody is picked out of a small
scheme.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Count, Q, QuerySet

from apps.accounts.models import Role, User
from apps.accounts.selectors import user_roles
from apps.common.reporting import ReportRow, suppress_small_counts, suppressed_total

from .models import ClosingFeedback, GoalsMet, MentoringRelationship, MentoringRequest, Proposal, Scheme
from .services import MentoringError, checked

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
    if Role.ORGANISER not in user_roles(user=actor):
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


@dataclass(frozen=True)
class FeedbackSummary:
    answers: int | None  # None: fewer than the minimum, not shown
    average_usefulness: str  # "4.2 out of 5", or a sentence saying why it is not shown
    goals_met: list[ReportRow]
    would_recommend: list[ReportRow]


@dataclass(frozen=True)
class SchemeReport:
    minimum: int
    requests: int | None
    proposals: list[ReportRow]
    relationships: list[ReportRow]
    mentees: FeedbackSummary
    mentors: FeedbackSummary


def scheme_report(scheme: Scheme) -> SchemeReport:
    """Counts for the scheme, in five queries however big it is. Every count goes through the same small-number
    suppression as the community overview, with the second-smallest hidden too when one would be given away."""
    minimum = settings.REPORT_MIN_COUNT
    requests = MentoringRequest.objects.filter(scheme=scheme).count()
    proposals = dict(
        Proposal.objects.filter(request__scheme=scheme)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    # By the relationship's own scheme, not its proposal's request: a pair stays counted after either person
    # closes their account (their request and proposals go with them).
    relationships = MentoringRelationship.objects.filter(scheme=scheme).aggregate(
        active=Count("pk", filter=Q(status="active")), closed=Count("pk", filter=Q(status="closed"))
    )
    feedback = ClosingFeedback.objects.filter(relationship__scheme=scheme)
    return SchemeReport(
        minimum=minimum,
        requests=suppressed_total(requests, minimum=minimum) if requests else 0,
        proposals=suppress_small_counts(
            [(label, proposals.get(status, 0)) for status, label in PROPOSAL_ROWS], minimum=minimum
        ),
        relationships=suppress_small_counts(
            [("Working together", relationships["active"]), ("Closed", relationships["closed"])], minimum=minimum
        ),
        mentees=_summary(feedback.filter(as_mentor=False), minimum),
        mentors=_summary(feedback.filter(as_mentor=True), minimum),
    )


PROPOSAL_ROWS = (
    ("proposed", "Waiting for a reply"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("withdrawn", "Withdrawn"),
)


def _summary(feedback: QuerySet[ClosingFeedback], minimum: int) -> FeedbackSummary:
    row = feedback.aggregate(
        n=Count("pk"),
        average=Avg("usefulness"),
        recommend=Count("pk", filter=Q(would_recommend=True)),
        **{f"goals_{value}": Count("pk", filter=Q(goals_met=value)) for value in GoalsMet.values},
    )
    n = row["n"]
    if n == 0:
        average = "No answers yet."
    elif n < minimum:
        average = f"Not shown: fewer than {minimum} answers."
    else:
        average = f"{row['average']:.1f} out of 5"
    return FeedbackSummary(
        answers=suppressed_total(n, minimum=minimum) if n else 0,
        average_usefulness=average,
        goals_met=suppress_small_counts(
            [(label, row[f"goals_{value}"]) for value, label in GoalsMet.choices], minimum=minimum
        ),
        would_recommend=suppress_small_counts(
            [("Would recommend it", row["recommend"]), ("Would not", n - row["recommend"])], minimum=minimum
        ),
    )
