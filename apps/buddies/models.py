"""Buddy cohorts: people new to a leadership role, paired with a peer at the same level in another organisation.

A cohort is run by an organiser: people join (or are added) while it is open, the organiser runs pairing (a draft),
reviews and changes the pairs, then publishes them. What the pairing read from each person's profile
(organisation, level, sector, region, months in role) is snapshotted on the pair with its explanation, so a pair
can be explained later even after the profiles change.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from apps.profiles.models import LeadershipLevel


class CohortStatus(models.TextChoices):
    OPEN = "open", "Open for joining"
    DRAFT = "draft", "Pairs being reviewed"
    PUBLISHED = "published", "Pairs published"


class Cohort(models.Model):
    name = models.CharField(max_length=150)
    status = models.CharField(max_length=10, choices=CohortStatus.choices, default=CohortStatus.OPEN)
    # Null once the organiser who created it has closed their account: the cohort belongs to its members.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()
    paired_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == CohortStatus.OPEN


class CohortMember(models.Model):
    """A person in a cohort. `started_in_role` gives the months in role the pairing uses (a buddy a little further
    into the role is better). `left_out_reason` says why pairing left them unpaired, in words they are shown."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buddy_memberships")
    started_in_role = models.DateField("started in the role")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    joined_at = models.DateTimeField()
    left_out_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="buddy_member_once_per_cohort")]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort}"


class PairStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class BuddyPair(models.Model):
    """Two people of a cohort paired as buddies, with what pairing read about each of them at the time.

    `first` is always the one with the lower id, so one pair cannot be stored twice in two orders. The database
    refuses a person paired with themself and a person twice in the same column of a cohort; the services refuse
    the remaining case (first in one pair, second in another) under a lock on the cohort, and a pair within one
    organisation with a clear message."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="pairs")
    first = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=PairStatus.choices, default=PairStatus.DRAFT)
    level = models.PositiveSmallIntegerField(choices=LeadershipLevel.choices)
    first_organisation = models.CharField(max_length=200)
    second_organisation = models.CharField(max_length=200)
    first_sector = models.CharField(max_length=60, blank=True)
    second_sector = models.CharField(max_length=60, blank=True)
    first_region = models.CharField(max_length=100, blank=True)
    second_region = models.CharField(max_length=100, blank=True)
    first_months_in_role = models.PositiveSmallIntegerField()
    second_months_in_role = models.PositiveSmallIntegerField()
    score = models.IntegerField(default=0)
    explanation = models.TextField(blank=True)
    paired_by_hand = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(first=F("second")), name="buddy_pair_two_people"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="buddy_pair_first_is_lower_id"),
            models.UniqueConstraint(fields=["cohort", "first"], name="buddy_pair_first_once_per_cohort"),
            models.UniqueConstraint(fields=["cohort", "second"], name="buddy_pair_second_once_per_cohort"),
        ]
        indexes = [
            models.Index(fields=["first", "status"], name="buddy_pair_first_status"),
            models.Index(fields=["second", "status"], name="buddy_pair_second_status"),
        ]

    def __str__(self) -> str:
        return f"Buddies {self.first_id} and {self.second_id} in {self.cohort_id}"

    def other(self, user_id: int) -> int:
        """The id of the other person of the pair."""
        return self.second_id if user_id == self.first_id else self.first_id
