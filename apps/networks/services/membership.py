"""A network and who is in it: an organiser (someone holding the organiser role) creates it and runs it, and may
make any member a co-organiser; people join (straight away when the network is open and they are at medical
director or deputy level), or ask and an organiser approves; members leave, organisers remove them. Each write
locks the network's row first, so two organisers acting at once see each other's changes; each change an organiser
makes to someone goes on that person's change record."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.accounts.models import Role, User
from apps.accounts.selectors import user_has_role
from apps.audit.services import change_record
from apps.notifications.services import portal_url, schedule, schedule_many
from apps.organisations.models import Region

from ..models import MembershipStatus, Network, NetworkKind, NetworkMembership, TopicVote
from ..selectors import joins_at_once, upcoming_meetings_of
from . import NetworkError
from .programmes import network_programmes_sync
from .reminders import member_reminders, person_reminders_cancel, stamp


def _locked(network: Network) -> Network:
    return Network.objects.select_for_update().get(pk=network.pk)


def _require_organiser(network: Network, actor: User) -> None:
    if not NetworkMembership.objects.filter(network=network, person=actor.pk, is_organiser=True).exists():
        raise NetworkError("Only the network's organisers can do that.")


def _record(
    network: Network, actor: User, action: str, subject: User | None, before: dict, after: dict, now: datetime
) -> None:
    change_record(
        actor=actor,
        capacity="organiser",
        action=action,
        target=network.name,
        subjects=[subject] if subject is not None and subject.pk != actor.pk else [],
        before=before,
        after=after,
        now=now,
    )


def _record_own(network: Network, person: User, action: str, now: datetime) -> None:
    """A person's own step in or out: on the record for administrators, touching no one else."""
    change_record(
        actor=person, capacity="member", action=action, target=network.name, subjects=[], before={}, after={}, now=now
    )


@transaction.atomic
def network_create(
    *,
    actor: User,
    name: str,
    kind: str,
    region: Region | None,
    description: str,
    join_rule: str,
    now: datetime,
) -> Network:
    """A new network, run by the organiser who makes it (its first member)."""
    if not user_has_role(user=actor, role=Role.ORGANISER):
        raise NetworkError("Only organisers can start a network. An administrator grants the role.")
    name = name.strip()
    if Network.objects.filter(name__iexact=name).exists():
        raise NetworkError(f"There is already a network called “{name}”. Choose another name.")
    if kind == NetworkKind.REGIONAL and region is None:
        raise NetworkError("Choose the region of a regional network.")
    network = Network(
        name=name,
        kind=kind,
        region=region,
        description=description.strip(),
        join_rule=join_rule,
        created_by=actor,
        created_at=now,
    )
    network.full_clean()
    try:
        with transaction.atomic():
            network.save()
    except IntegrityError as exc:  # the same name made at the same moment by someone else
        raise NetworkError(f"There is already a network called “{name}”. Choose another name.") from exc
    membership = NetworkMembership(
        network=network,
        person=actor,
        status=MembershipStatus.MEMBER,
        is_organiser=True,
        requested_at=now,
        joined_at=now,
    )
    membership.full_clean()
    membership.save()
    _record(network, actor, "started a network", None, {}, {"name": network.name}, now)
    return network


def _welcome(network: Network, person: User, now: datetime) -> None:
    """A new member is invited to the meetings already scheduled, and to the learning sets the network opened."""
    network_programmes_sync(network=network, now=now)
    items = []
    for meeting in upcoming_meetings_of(network=network, now=now):
        items += member_reminders(meeting, person, now=now, invite=True)
    schedule_many(items)


@transaction.atomic
def network_join(*, network: Network, person: User, now: datetime) -> NetworkMembership:
    """Join an open network as a medical director or deputy; otherwise ask to join, for an organiser to approve."""
    locked = _locked(network)
    existing = NetworkMembership.objects.filter(network=locked, person=person).first()
    if existing is not None:
        if existing.status == MembershipStatus.MEMBER:
            raise NetworkError(f"You are already a member of {locked.name}.")
        raise NetworkError(f"You have already asked to join {locked.name}. An organiser will answer.")
    at_once = joins_at_once(user=person, network=locked)
    membership = NetworkMembership(
        network=locked,
        person=person,
        status=MembershipStatus.MEMBER if at_once else MembershipStatus.REQUESTED,
        requested_at=now,
        joined_at=now if at_once else None,
    )
    membership.full_clean()
    membership.save()
    if at_once:
        _welcome(locked, person, now)
    _record_own(locked, person, "joined a network" if at_once else "asked to join a network", now)
    return membership


def _membership(network: Network, membership_id: int) -> NetworkMembership:
    found = NetworkMembership.objects.select_related("person").filter(network=network, pk=membership_id).first()
    if found is None:
        raise NetworkError("That person is not in this network.")
    return found


@transaction.atomic
def membership_approve(*, network: Network, membership_id: int, actor: User, now: datetime) -> NetworkMembership:
    locked = _locked(network)
    _require_organiser(locked, actor)
    membership = _membership(locked, membership_id)
    if membership.status == MembershipStatus.MEMBER:
        raise NetworkError(f"{membership.person.display_name} is already a member.")
    membership.status, membership.joined_at = MembershipStatus.MEMBER, now
    membership.full_clean()
    membership.save(update_fields=["status", "joined_at"])
    _record(
        locked,
        actor,
        "accepted you into a network",
        membership.person,
        {"status": "asked to join"},
        {"status": "member"},
        now,
    )
    schedule(
        kind="network_joined",
        recipient=membership.person,
        due_at=now,
        dedupe_key=f"network:{locked.pk}:joined:{membership.person.pk}:{stamp(now)}",
        context={"network_name": locked.name, "url": portal_url(reverse("networks:network", args=[locked.pk]))},
    )
    _welcome(locked, membership.person, now)
    return membership


def _organiser_count(network: Network) -> int:
    return NetworkMembership.objects.filter(network=network, is_organiser=True).count()


def _goodbye(network: Network, person: User, now: datetime) -> None:
    """Someone leaving: their reminders stop, their votes on topics still open to voting are taken back, and they
    are no longer invited to the learning sets the network opened (an application not yet in a set is withdrawn),
    nor, if they organised the network, run them."""
    network_programmes_sync(network=network, now=now)
    for meeting in upcoming_meetings_of(network=network, now=now):
        person_reminders_cancel(meeting, person)
    TopicVote.objects.filter(
        voter=person, topic__meeting__network=network, topic__meeting__agenda_set_at__isnull=True
    ).delete()


@transaction.atomic
def membership_remove(*, network: Network, membership_id: int, actor: User, now: datetime) -> User:
    """An organiser removes a member, or turns down a request to join. Returns the person."""
    locked = _locked(network)
    _require_organiser(locked, actor)
    membership = _membership(locked, membership_id)
    person = membership.person
    if person.pk == actor.pk:
        raise NetworkError("To leave the network yourself, use “Leave this network”.")
    if membership.is_organiser and _organiser_count(locked) == 1:
        raise NetworkError("A network needs an organiser.")
    was = MembershipStatus(membership.status).label
    membership.delete()
    _goodbye(locked, person, now)
    action = "removed you from a network" if was == MembershipStatus.MEMBER.label else "turned down your request"
    _record(locked, actor, action, person, {"status": was}, {"status": "not a member"}, now)
    return person


@transaction.atomic
def network_leave(*, network: Network, person: User, now: datetime) -> None:
    locked = _locked(network)
    membership = NetworkMembership.objects.filter(network=locked, person=person).first()
    if membership is None:
        raise NetworkError(f"You are not a member of {locked.name}.")
    if membership.is_organiser and _organiser_count(locked) == 1:
        raise NetworkError("You are its only organiser: make another member an organiser before you leave.")
    membership.delete()
    _goodbye(locked, person, now)
    _record_own(locked, person, "left a network", now)


@transaction.atomic
def organiser_add(*, network: Network, membership_id: int, actor: User, now: datetime) -> NetworkMembership:
    """Make a member a co-organiser: they then run the network, and the learning sets it opened, with the others."""
    locked = _locked(network)
    _require_organiser(locked, actor)
    membership = _membership(locked, membership_id)
    if membership.status != MembershipStatus.MEMBER:
        raise NetworkError("Accept their request to join first: an organiser is a member.")
    if membership.is_organiser:
        raise NetworkError(f"{membership.person.display_name} is already an organiser.")
    membership.is_organiser = True
    membership.full_clean()
    membership.save(update_fields=["is_organiser"])
    network_programmes_sync(network=locked, now=now)
    _record(
        locked,
        actor,
        "made you an organiser of a network",
        membership.person,
        {"organiser": False},
        {"organiser": True},
        now,
    )
    return membership
