"""Reads for succession. Every read a lead makes is scoped here, inside the query, to the one organisation they
lead; a person's reads to their own rows. Views fetch through these only."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from apps.accounts.models import Role, RoleGrant, User
from apps.accounts.selectors import led_organisation_id
from apps.organisations.models import Organisation

from .models import Candidacy, Post, TalentConversation


def led_organisation(*, user: User) -> Organisation | None:
    """The organisation `user` leads as an organisation lead, or None."""
    organisation_id = led_organisation_id(user=user)
    if organisation_id is None:
        return None
    return Organisation.objects.filter(pk=organisation_id).first()


def posts_for_lead(*, lead: User) -> QuerySet[Post]:
    """The posts of the organisation `lead` leads; none for anyone else."""
    organisation_id = led_organisation_id(user=lead)
    if organisation_id is None:
        return Post.objects.none()
    return Post.objects.filter(organisation_id=organisation_id)


def candidacies_for_lead(*, lead: User) -> QuerySet[Candidacy]:
    """Everyone who has put themself forward at the organisation `lead` leads (a withdrawn candidacy is deleted, so
    every row here is one the person still stands by)."""
    organisation_id = led_organisation_id(user=lead)
    if organisation_id is None:
        return Candidacy.objects.none()
    return Candidacy.objects.filter(organisation_id=organisation_id)


def candidacies_of(*, person: User) -> QuerySet[Candidacy]:
    """A person's own candidacies, wherever they are."""
    return Candidacy.objects.filter(person=person)


def organisations_taking_part() -> QuerySet[Organisation]:
    """Open organisations with a live organisation lead: the ones someone can put themself forward at."""
    live_lead = RoleGrant.objects.filter(
        organisation=OuterRef("pk"), role=Role.ORGANISATION_LEAD, revoked_at__isnull=True
    )
    return Organisation.objects.filter(Exists(live_lead), closed_on__isnull=True).order_by("name")


def leads_of(*, organisation_id: int) -> QuerySet[User]:
    """The live organisation leads of one organisation."""
    return User.objects.filter(
        is_active=True,
        role_grants__organisation_id=organisation_id,
        role_grants__role=Role.ORGANISATION_LEAD,
        role_grants__revoked_at__isnull=True,
    ).distinct()


def conversations_for(*, user: User) -> QuerySet[TalentConversation]:
    """The talent conversations `user` may read: their own, and, as a lead, those they held with someone who still
    stands forward at the organisation they still lead. Withdrawing from an organisation closes its conversations
    to its lead at once; the person keeps them."""
    organisation_id = led_organisation_id(user=user)
    mine = Q(person=user)
    if organisation_id is None:
        return TalentConversation.objects.filter(mine)
    standing = Candidacy.objects.filter(person=OuterRef("person"), organisation_id=organisation_id)
    as_lead = Q(lead=user, organisation_id=organisation_id) & Q(Exists(standing))
    return TalentConversation.objects.filter(mine | as_lead)
