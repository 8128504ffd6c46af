"""Learning sets a network opens for its members: an organiser of the network (who also holds the portal's
organiser role, as every programme's organiser does) sets up a programme of learning sets; it is invitation-only,
and its invitation list is kept equal to the network's members, and its organisers to the network's organisers
(those with the role), whenever someone joins, is accepted, leaves, is removed or is made an organiser
(`network_programmes_sync`, called by the membership services inside their transaction). Everything after
set-up (opening it, forming and publishing the sets) happens on the learning_sets pages, as for any programme."""

from datetime import datetime

from django.db import transaction

from apps.accounts.models import Role, User
from apps.learning_sets.models import Programme
from apps.learning_sets.services import LearningSetError
from apps.learning_sets.services.programmes import ProgrammeDetails, programme_invitations_set, programme_save

from ..models import MembershipStatus, Network, NetworkMembership, NetworkProgramme
from . import NetworkError


def _members(network: Network) -> list[User]:
    return [
        membership.person
        for membership in NetworkMembership.objects.filter(
            network=network, status=MembershipStatus.MEMBER
        ).select_related("person")
    ]


def network_programmes_sync(*, network: Network, now: datetime) -> None:
    """Make the invitation list of each programme the network opened its members, and its organisers the
    network's organisers who hold the portal's organiser role, as they are now: an organiser removed from the
    network (or leaving it) stops running its sets and seeing its members' applications, and the others run them."""
    programmes = list(Programme.objects.filter(network_link__network=network))
    if not programmes:
        return
    members = _members(network)
    # Only those who hold the portal's organiser role, as every programme's organisers do.
    organisers = list(
        NetworkMembership.objects.filter(
            network=network,
            is_organiser=True,
            person__role_grants__role=Role.ORGANISER,
            person__role_grants__revoked_at__isnull=True,
        )
        .values_list("person_id", flat=True)
        .distinct()
    )
    for programme in programmes:
        programme_invitations_set(programme=programme, people=members, now=now)
        programme.organisers.set(organisers)


@transaction.atomic
def network_programme_open(*, network: Network, actor: User, details: ProgrammeDetails, now: datetime) -> Programme:
    """Set up a programme of learning sets for the network's members (in draft: the organiser opens it on its
    page). Refused for anyone but the network's organisers, and for one without the portal's organiser role."""
    network = Network.objects.select_for_update().get(pk=network.pk)
    if not NetworkMembership.objects.filter(network=network, person=actor.pk, is_organiser=True).exists():
        raise NetworkError("Only the network's organisers can set up learning sets for its members.")
    try:
        programme = programme_save(actor=actor, programme=None, details=details, now=now, invited_only=True)
    except LearningSetError as exc:
        raise NetworkError(str(exc)) from exc
    NetworkProgramme.objects.create(network=network, programme=programme, created_at=now)
    network_programmes_sync(network=network, now=now)
    return programme
