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


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for a reply"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Proposal(models.Model):
    """A proposed pair with the score and the plain explanation it was proposed for."""

    request = models.ForeignKey(MentoringRequest, on_delete=models.CASCADE, related_name="proposals")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_proposals")
    score = models.FloatField()
    explanation = models.TextField()
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    withdrawn_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Proposal {self.pk}: {self.status}"


class RelationshipStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class MentoringRelationship(models.Model):
    """A mentee and a mentor working together. The database itself refuses a mentee a second active mentor of
    the same kind; a mentor's capacity is guarded by locking their offer while a proposal is accepted."""

    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentees_as_mentor")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentors_as_mentee")
    kind = models.CharField(max_length=10, choices=MentoringKind.choices)
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="relationship")
    status = models.CharField(max_length=10, choices=RelationshipStatus.choices, default=RelationshipStatus.ACTIVE)
    started_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "kind"], condition=Q(status="active"), name="one_active_mentor_per_kind"
            ),
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="relationship_not_with_oneself"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor_id} mentors {self.mentee_id}"
