"""Bilaterals: two people at medical director level who agree to meet regularly, every one, two or three months.

Seed 002: established medical directors valued "bi-laterals monthly or every 2-3 months". A bilateral is proposed by
one person and agreed (or declined) by the other; only then are meetings scheduled, invitations sent and a log kept.
The log is the two people's alone.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least

from apps.accounts.models import User

# Not more often than monthly (the seed's own words), not less often than every three months.
CADENCE_MIN, CADENCE_MAX = 1, 3
MEETING_MINUTES = 60


class Cadence(models.IntegerChoices):
    MONTHLY = 1, "Every month"
    TWO_MONTHLY = 2, "Every two months"
    THREE_MONTHLY = 3, "Every three months"


class BilateralStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for an answer"
    AGREED = "agreed", "Agreed"
    DECLINED = "declined", "Declined"
    ENDED = "ended", "Ended"


# A bilateral that still stands between the two: no second one with the same person while one of these is.
LIVE = (BilateralStatus.PROPOSED, BilateralStatus.AGREED)


class Bilateral(models.Model):
    """Two people meeting regularly. Each keeps their own weekly availability here (slot ids from
    `apps/learning_sets/slots.py`, "tue-14:00"): the portal proposes times both can make."""

    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bilaterals_proposed")
    partner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bilaterals_received")
    cadence_months = models.PositiveSmallIntegerField("how often", choices=Cadence.choices)
    message = models.TextField("a message with your proposal", max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=BilateralStatus.choices, default=BilateralStatus.PROPOSED)
    proposer_slots = models.JSONField(default=list, blank=True)
    partner_slots = models.JSONField(default=list, blank=True)
    proposed_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cadence_months__gte=CADENCE_MIN, cadence_months__lte=CADENCE_MAX),
                name="bilateral_cadence_one_to_three_months",
            ),
            models.CheckConstraint(condition=~Q(proposer=F("partner")), name="bilateral_not_with_oneself"),
            models.CheckConstraint(
                # Ended may be either: a proposal withdrawn before any answer, or an agreed bilateral ended.
                condition=Q(status="proposed", answered_at__isnull=True)
                | Q(status__in=["agreed", "declined"], answered_at__isnull=False)
                | Q(status="ended"),
                name="bilateral_answered_unless_proposed",
            ),
            models.CheckConstraint(
                condition=Q(status="ended", ended_at__isnull=False) | (~Q(status="ended") & Q(ended_at__isnull=True)),
                name="bilateral_ended_when_ended",
            ),
            # One live bilateral per pair of people, whoever proposed it: the pair in a fixed order.
            models.UniqueConstraint(
                Least("proposer", "partner"),
                Greatest("proposer", "partner"),
                condition=Q(status__in=["proposed", "agreed"]),
                name="one_live_bilateral_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"Bilateral {self.pk}"

    @property
    def is_proposed(self) -> bool:
        return self.status == BilateralStatus.PROPOSED

    @property
    def is_agreed(self) -> bool:
        return self.status == BilateralStatus.AGREED

    def other(self, user_id: int) -> User:
        """The other person of the two (the caller is one of them: the selectors make sure)."""
        return self.partner if user_id == self.proposer_id else self.proposer

    def slots_of(self, user_id: int) -> list[str]:
        return list(self.proposer_slots if user_id == self.proposer_id else self.partner_slots)


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class BilateralMeeting(models.Model):
    """One meeting of a bilateral. `sequence` rises at each move or cancellation, so a calendar holding the
    invitation replaces it (the UID is the meeting's)."""

    bilateral = models.ForeignKey(Bilateral, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["bilateral", "status", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="bilateral_meeting_ends_after_start"),
            models.UniqueConstraint(
                fields=["bilateral", "starts_at"],
                condition=Q(status="scheduled"),
                name="one_bilateral_meeting_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Meeting {self.pk} of bilateral {self.bilateral_id}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED


class BilateralNote(models.Model):
    """A note in the log after a meeting: read by the two people of the bilateral and nobody else."""

    meeting = models.ForeignKey(BilateralMeeting, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bilateral_notes")
    text = models.TextField("note", max_length=5000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note {self.pk} on meeting {self.meeting_id}"
