"""Reads for mentoring, filtered to what the person may see as part of the query."""

from django.db.models import Q, QuerySet

from apps.accounts.colleagues import Colleague
from apps.accounts.models import User
from apps.competencies.models import Criterion

from .models import MentoringRelationship, Proposal, ProposalStatus, RelationshipStatus, Scheme


def proposals_for_mentee(*, user: User) -> QuerySet[Proposal]:
    """Open proposals of a mentor for this person, whether or not they have said yes yet."""
    return Proposal.objects.filter(request__mentee=user, status=ProposalStatus.PROPOSED).select_related("mentor")


def proposals_for_mentor(*, user: User) -> QuerySet[Proposal]:
    """Open proposals of a mentee for this mentor, with what the mentee asked for and who they are (their
    profile's role and organisation: never contact details before both have said yes)."""
    return (
        Proposal.objects.filter(mentor=user, status=ProposalStatus.PROPOSED)
        .select_related("request__mentee__profile__organisation")
        .order_by("created_at", "pk")
    )


def proposals_needing_reply(*, user: User) -> int:
    """How many open proposals wait for this person's own yes or no, as mentee or mentor: one query."""
    return Proposal.objects.filter(
        Q(request__mentee=user, mentee_accepted_at__isnull=True) | Q(mentor=user, mentor_accepted_at__isnull=True),
        status=ProposalStatus.PROPOSED,
    ).count()


def criterion_titles() -> dict[str, str]:
    """Each person-specification code's title, the latest version's winning: one query. Mentoring stores codes
    (they hold across versions); people read titles."""
    rows = Criterion.objects.filter(framework__slug="md-person-spec").order_by("framework__loaded_at")
    return dict(rows.values_list("code", "title"))


def colleagues_in_mentoring(user: User) -> list[Colleague]:
    """The person's mentors and coaches (active), and the organisers of the schemes they asked through: two
    queries."""
    # A mentor who closes their account ends the relationship first; one left by a raw delete is nobody to share with.
    found = [
        Colleague(rel.mentor, "your coach" if rel.kind == "coach" else "your mentor")
        for rel in MentoringRelationship.objects.filter(mentee=user, status=RelationshipStatus.ACTIVE)
        .select_related("mentor")
        .order_by("started_at")
        if rel.mentor is not None
    ]
    schemes = Scheme.objects.filter(requests__mentee=user).prefetch_related("organisers").distinct().order_by("name")
    for scheme in schemes:
        found += [Colleague(organiser, f"organiser of {scheme.name}") for organiser in scheme.organisers.all()]
    return found
