"""Reads about accounts and roles."""

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet

from .models import Role, RoleGrant, User


def user_roles(*, user: User) -> frozenset[str]:
    """The live roles a person holds. Cached on the user object for the rest of the request."""
    if not user.is_authenticated:
        return frozenset()
    if user.roles_cache is None:
        roles = set(RoleGrant.objects.filter(user=user, revoked_at__isnull=True).values_list("role", flat=True))
        if user.is_superuser:
            roles.add(Role.ADMINISTRATOR)
        user.roles_cache = frozenset(roles)
    return user.roles_cache


def user_has_role(*, user: User, role: str) -> bool:
    return role in user_roles(user=user)


def led_organisation_id(*, user: User) -> int | None:
    """The organisation a person leads as an organisation lead (one at most), or None. Cached on the user object
    for the rest of the request, as the roles are."""
    if not user.is_authenticated:
        return None
    if user.led_organisation_cache is None:
        grant = (
            RoleGrant.objects.filter(user=user, role=Role.ORGANISATION_LEAD, revoked_at__isnull=True)
            .values_list("organisation_id", flat=True)
            .first()
        )
        user.led_organisation_cache = (grant,)
    return user.led_organisation_cache[0]


def user_exists(*, user_id: int) -> bool:
    return User.objects.filter(pk=user_id).exists()


def authenticator_apps_of(*, user: User) -> QuerySet[Authenticator]:
    """The person's authenticator app (TOTP) second factor, if they set one up."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP)


def user_has_authenticator_app(*, user: User) -> bool:
    """Whether the person signs in with a code from an authenticator app (TOTP) as a second factor."""
    return authenticator_apps_of(user=user).exists()


def person_for_administrator(*, user_id: int) -> User | None:
    """Anyone, by id: the administrators' pages reach everyone (their views require the role)."""
    return User.objects.filter(pk=user_id).first()


def people_for_administrator(*, search: str = "") -> QuerySet[User]:
    """Everyone, for the administrator's people page, with their live grants and the organisation an organisation
    lead leads prefetched (one extra query)."""
    from django.db.models import Prefetch, Q

    people = User.objects.order_by("email").prefetch_related(
        Prefetch(
            "role_grants",
            queryset=RoleGrant.objects.filter(revoked_at__isnull=True).select_related("organisation"),
            to_attr="live_grants",
        )
    )
    if search:
        people = people.filter(
            Q(email__icontains=search) | Q(first_name__icontains=search) | Q(last_name__icontains=search)
        )
    return people
