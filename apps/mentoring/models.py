"""Mentoring offers and requests: what mentors and coaches give, what mentees ask for."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from apps.organisations.models import Region, Sector


class MentoringKind(models.TextChoices):
    MENTOR = "mentor", "Mentoring"
    COACH = "coach", "Coaching"
    BOTH = "both", "Mentoring or coaching"


class Mode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone"


class MentorOffer(models.Model):
    """A mentor's or coach's offer. Capacity 1–4 (PRODUCT.md); a paused offer is never matched."""

    mentor = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_offer")
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    kind = models.CharField(max_length=10, choices=MentoringKind.choices, default=MentoringKind.MENTOR)
    # Criterion codes of the person specification they can help with (codes hold across framework versions).
    expertise = models.JSONField(default=list, blank=True)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="+")
    regions = models.ManyToManyField(Region, blank=True, related_name="+")
    modes = models.JSONField(default=list, blank=True)
    outside_own_organisation = models.BooleanField("will mentor people from other organisations", default=True)
    paused = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1, capacity__lte=4), name="offer_capacity_1_to_4")
        ]

    def __str__(self) -> str:
        return f"Offer by {self.mentor}"


class OutsidePreference(models.TextChoices):
    REQUIRED = "required", "It must be someone from outside my organisation"
    PREFERRED = "preferred", "I would prefer someone from outside my organisation"
    EITHER = "either", "Either is fine"


class SectorPreference(models.TextChoices):
    SAME = "same", "Someone who knows my sector"
    DIFFERENT = "different", "Someone from a different sector"
    EITHER = "either", "Either is fine"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Looking for a match"
    MATCHED = "matched", "Matched"
    WITHDRAWN = "withdrawn", "Withdrawn"


class MentoringRequest(models.Model):
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_requests")
    kind = models.CharField(max_length=10, choices=MentoringKind.choices, default=MentoringKind.MENTOR)
    focus = models.JSONField("criteria to work on", default=list, blank=True)
    focus_text = models.TextField("what you want help with", blank=True, max_length=3000)
    outside = models.CharField(max_length=10, choices=OutsidePreference.choices, default=OutsidePreference.PREFERRED)
    sector_preference = models.CharField(
        max_length=10, choices=SectorPreference.choices, default=SectorPreference.EITHER
    )
    same_region = models.BooleanField("prefer someone in my region", default=False)
    modes = models.JSONField(default=list, blank=True)
    # By address, not account: the rules must hold even for someone who joins the portal later.
    line_manager_email = models.EmailField("your line manager's e-mail address", blank=True)
    excluded_emails = models.JSONField("people you must not be matched with", default=list, blank=True)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "kind"], condition=Q(status="open"), name="one_open_request_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"Request by {self.mentee}"
