"""Talk to someone in the role: offers of a conversation, a shadowing day or a role-share placement by people in a
leadership role; requests for one from others; and the requester's private reflection afterwards.

Seeds 001 ("connect aspirants with people in roles such as chief executives or system leaders"), 002 ("very
structured mentoring and shadowing in another trust") and 003 ("ask to shadow your chief executive and chair")."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from apps.profiles.models import LeadershipLevel

from .names import display_name

PER_YEAR_MIN, PER_YEAR_MAX = 1, 50


class OfferKind(models.TextChoices):
    CONVERSATION = "conversation", "A conversation"
    SHADOWING = "shadowing", "A shadowing day"
    ROLE_SHARE = "role_share", "A role-share placement"


class Setting(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    REMOTE = "remote", "By video or phone"
    EITHER = "either", "In person, or by video or phone"


class WhoMayAsk(models.TextChoices):
    ANYONE = "anyone", "Anyone"
    OUTSIDE = "outside", "Only people from outside my organisation"
    INSIDE = "inside", "Only people in my organisation"


class OfferStatus(models.TextChoices):
    LIVE = "live", "Open to requests"
    PAUSED = "paused", "Paused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ShadowingOffer(models.Model):
    """One kind of time with someone in a role. The role, level, organisation and region are copied from the
    person's profile when they make or change the offer, so that the list can be filtered without their profile."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shadowing_offers")
    kind = models.CharField("what you offer", max_length=20, choices=OfferKind.choices)
    role_title = models.CharField("your role", max_length=150)
    level = models.PositiveSmallIntegerField("leadership level", choices=LeadershipLevel.choices, null=True, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        "organisations.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    setting = models.CharField("where", max_length=20, choices=Setting.choices)
    who_may_ask = models.CharField("who may ask", max_length=20, choices=WhoMayAsk.choices, default=WhoMayAsk.ANYONE)
    per_year = models.PositiveSmallIntegerField(
        "how many a year", validators=[MinValueValidator(PER_YEAR_MIN), MaxValueValidator(PER_YEAR_MAX)]
    )
    note = models.TextField("a short note", max_length=1000, blank=True)
    status = models.CharField(max_length=20, choices=OfferStatus.choices, default=OfferStatus.LIVE)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-level", "role_title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(per_year__gte=PER_YEAR_MIN, per_year__lte=PER_YEAR_MAX), name="shadowing_offer_per_year"
            ),
            # One offer of each kind a person can still use: a withdrawn one frees the kind for a new offer.
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=~Q(status="withdrawn"),
                name="one_shadowing_offer_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {display_name(self.person)}"

    @property
    def is_live(self) -> bool:
        return self.status == OfferStatus.LIVE


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Not answered in time"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The requests that use one of an offer's places for the year.
PLACE_TAKING = (RequestStatus.PENDING, RequestStatus.ACCEPTED)


class ShadowingRequest(models.Model):
    """A request for an offer. `offerer` repeats the offer's person so that the database itself refuses a request
    to oneself, and so that "requests to me" is one indexed filter."""

    offer = models.ForeignKey(ShadowingOffer, on_delete=models.CASCADE, related_name="requests")
    offerer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shadowing_asked")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shadowing_requests")
    why = models.TextField("why you would like to", max_length=1000)
    suggested_on = models.DateField("a date that suits you", null=True, blank=True)
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    created_at = models.DateTimeField()
    reply_by = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_message = models.TextField("message", max_length=1000, blank=True)
    agreed_on = models.DateField("the date you agreed", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["offer", "status", "created_at"]),
            models.Index(fields=["status", "reply_by"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(requester=F("offerer")), name="shadowing_request_not_to_oneself"),
            models.CheckConstraint(condition=Q(reply_by__gt=F("created_at")), name="shadowing_request_reply_by"),
            models.CheckConstraint(
                condition=Q(status__in=["accepted", "declined"], answered_at__isnull=False)
                | (~Q(status__in=["accepted", "declined"]) & Q(answered_at__isnull=True)),
                name="shadowing_request_answered_when_answered",
            ),
            models.CheckConstraint(
                condition=Q(agreed_on__isnull=True) | Q(status="accepted"), name="shadowing_request_date_once_accepted"
            ),
            # One open request a person has for an offer at a time.
            models.UniqueConstraint(
                fields=["offer", "requester"], condition=Q(status="pending"), name="one_pending_shadowing_request"
            ),
        ]

    def __str__(self) -> str:
        return f"Request {self.pk} by {self.requester_id} for offer {self.offer_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING

    @property
    def is_accepted(self) -> bool:
        return self.status == RequestStatus.ACCEPTED


class ShadowingReflection(models.Model):
    """The requester's private reflection afterwards, in the three parts of a development plan's reflection, so
    that it can go into a plan (`plan_reflection`). It outlives the request: the offerer closing their account
    takes their offers and the requests for them, not what the requester wrote."""

    request = models.OneToOneField(
        ShadowingRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="reflection"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shadowing_reflections")
    title = models.CharField(max_length=200)
    what_happened = models.TextField("what happened", max_length=5000)
    so_what = models.TextField("so what: what it meant, what you learned", max_length=5000)
    now_what = models.TextField("now what: what you will do differently", max_length=5000)
    plan_reflection = models.ForeignKey(
        "development.Reflection", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
