"""People who sign in, and the roles granted to them beyond being a member."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


# Who a closed account's person is shown as wherever something of theirs stays for others (a pair's meeting log, a
# set's attendance, a facilitator's notes): never their name, never silently nobody (`people.member_name`).
UNNAMED_MEMBER = "A member of the portal"
FORMER_MEMBER = "a former member"


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. The e-mail address is the login; names are shown to others in sets and pairs."""

    email = models.EmailField("e-mail address", unique=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField(default=True)  # type: ignore[assignment,misc]  # a field where the base has a constant
    is_staff = models.BooleanField(default=False, help_text="Can sign in to the Django admin site.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []  # type: ignore[var-annotated]  # only the e-mail is asked for

    # Not a column: the live roles, kept by `accounts.selectors.user_roles` for the rest of the request (a request
    # has its own user object, so a grant or a revocation shows from the next request on).
    roles_cache: frozenset[str] | None = None
    # Not a column either: the organisation led, as `(id or None,)` once read (selectors.led_organisation_id).
    led_organisation_cache: tuple[int | None] | None = None

    class Meta:
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def display_name(self) -> str:
        """How the portal names this person to someone else: their name, never their address (`str(user)` falls back
        to the address, because sign-up asks only for that)."""
        return self.full_name or UNNAMED_MEMBER

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name or self.email


class Role(models.TextChoices):
    """Roles beyond being a member. All are granted by an administrator, except that any MD-level profile may
    offer to mentor (see profiles.services.mentor_offer_self_grant). An organisation lead is granted for one
    organisation (RoleGrant.organisation): a trust's medical director or its medical workforce OD lead."""

    MENTOR = "mentor", "Mentor or coach"
    FACILITATOR = "facilitator", "Facilitator"
    ORGANISER = "organiser", "Organiser"
    ORGANISATION_LEAD = "organisation_lead", "Organisation lead"
    ADMINISTRATOR = "administrator", "Administrator"


class RoleGrant(models.Model):
    """One role held by one person. Revoking keeps the row (revoked_at) so the history stays auditable."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField()
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The one organisation an organisation lead leads; empty for every other role.
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["organisation", "role"], name="rolegrant_organisation_role")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(revoked_at__isnull=True), name="one_live_grant_per_role"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="rolegrant_role_known"),
            models.CheckConstraint(
                condition=Q(role=Role.ORGANISATION_LEAD, organisation__isnull=False)
                | (~Q(role=Role.ORGANISATION_LEAD) & Q(organisation__isnull=True)),
                name="rolegrant_organisation_only_for_lead",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.display_name} — {self.get_role_display()}"
