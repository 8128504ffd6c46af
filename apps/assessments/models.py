"""A person's self-assessment against one framework version and a target role.

Private to its owner: every query for another person goes through a selector that filters by owner or by a live
share, and every view by someone else is written to the access audit log.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from apps.competencies.models import Criterion, Framework, PromptQuestion
from apps.profiles.models import LeadershipLevel


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "In progress"
    SUBMITTED = "submitted", "Completed"


class Assessment(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments")
    # PROTECT: a framework version that has been assessed against can never be deleted from under it.
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    target_level = models.PositiveSmallIntegerField("target role", choices=LeadershipLevel.choices)
    status = models.CharField(max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=AssessmentStatus.DRAFT, submitted_at__isnull=True)
                | Q(status=AssessmentStatus.SUBMITTED, submitted_at__isnull=False),
                name="assessment_submitted_has_a_time",
            ),
            models.CheckConstraint(
                condition=Q(target_level__gte=1, target_level__lte=5), name="assessment_target_on_ladder"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework} for {self.owner_id}, {self.started_at:%d %b %Y}"

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT


class Rating(models.Model):
    """The owner's own rating of one criterion. No value yet means not rated (a draft may have gaps)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(10)])
    note = models.TextField(blank=True, max_length=5000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="one_rating_per_criterion"),
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(value__lte=10), name="rating_value_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class PromptAnswer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    prompt = models.ForeignKey(PromptQuestion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=10000)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "prompt"], name="one_answer_per_prompt")]

    def __str__(self) -> str:
        return self.text[:60]


class EvidenceKind(models.TextChoices):
    TEXT = "text", "A note"
    LINK = "link", "A link"
    FILE = "file", "A document"


def evidence_upload_path(instance: "Evidence", filename: str) -> str:
    # Never the uploaded name: a random name, served only through a view that checks the owner.
    return f"evidence/{instance.assessment.owner_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True, max_length=10000)
    url = models.URLField(blank=True, max_length=1000)
    file = models.FileField(upload_to=evidence_upload_path, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="text", url="", file="")
                | Q(kind="link", file="") & ~Q(url="")
                | Q(kind="file", url="") & ~Q(file=""),
                name="evidence_kind_matches_content",
            )
        ]

    def __str__(self) -> str:
        return self.title
