"""A person's self-assessment against one framework version and a target role.

Private to its owner: every query for another person goes through a selector that filters by owner or by a live
share, and every view by someone else is written to the access audit log.
"""

import uuid
from datetime import datetime

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


# --- 360 feedback ---------------------------------------------------------------------------------------------
# Anonymity is built into the schema: a response records the rater's category and nothing else. It has no link to
# the invitation it came from, no timestamp, and random primary keys (as do its ratings and comments), so neither
# the row order nor the timing of anything stored can tie an answer to a person.


class RaterCategory(models.TextChoices):
    LINE_MANAGER = "line_manager", "Line manager"
    PEER = "peer", "Peers"
    DIRECT_REPORT = "direct_report", "Direct reports"
    BOARD = "board", "Board and executive colleagues"
    OTHER_PROFESSION = "other_profession", "Other professions"


class FeedbackRound(models.Model):
    """The 360 feedback asked for on one self-assessment."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="feedback_round")
    opened_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    closed_early_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField("a note to the people you ask", blank=True, max_length=1000)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opened_at")), name="round_closes_after_opening")
        ]

    def __str__(self) -> str:
        return f"360 feedback on assessment {self.assessment_id}"

    def is_open(self, now: datetime) -> bool:
        return self.closed_early_at is None and now < self.closes_at


class RaterInvitation(models.Model):
    """Whom the person asked. Their private links are minted when each e-mail is sent (`RaterToken`)."""

    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    category = models.CharField(max_length=20, choices=RaterCategory.choices)
    invited_at = models.DateTimeField()
    # Whether this person has answered (for nudges, and so a link works once). Never shown per person.
    answered = models.BooleanField(default=False)
    declined = models.BooleanField(default=False)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["round", "email"], name="one_invitation_per_address"),
            models.CheckConstraint(condition=Q(category__in=RaterCategory.values), name="invitation_category_known"),
        ]

    def __str__(self) -> str:
        return f"{self.category} rater for round {self.round_id}"


class RaterToken(models.Model):
    """One private link, minted when an e-mail to the rater is sent: only its SHA-256 is kept, so no row anywhere
    holds a usable link. Each e-mail (invitation, nudges) carries its own; all work until the round closes."""

    invitation = models.ForeignKey(RaterInvitation, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"a link for invitation {self.invitation_id}"


class RaterResponse(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="responses")
    category = models.CharField(max_length=20, choices=RaterCategory.choices)
    # SHA-256 of "withdraw:" and the token the rater answered with: only that link can find (and withdraw) this
    # answer, and nothing stored links it to the invitation (the invitation's tokens are kept as plain SHA-256).
    withdraw_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return f"a {self.category} response"


class RaterRating(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(RaterResponse, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(null=True, blank=True)  # None: "I can't say"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "criterion"], name="one_rater_rating_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class RaterComment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(RaterResponse, on_delete=models.CASCADE, related_name="comments")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField(max_length=3000)

    def __str__(self) -> str:
        return self.text[:60]


class ShareReason(models.TextChoices):
    MENTOR = "mentor", "Mentor or coach"
    ORGANISER = "organiser", "Programme organiser"


class AssessmentShare(models.Model):
    """The owner's choice to let one named person see one self-assessment's results. Revoking keeps the row."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="shares")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments_shared_with_me"
    )
    reason = models.CharField(max_length=20, choices=ShareReason.choices)
    shared_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-shared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "viewer"], condition=Q(revoked_at__isnull=True), name="one_live_share_per_viewer"
            )
        ]

    def __str__(self) -> str:
        return f"assessment {self.assessment_id} shared with {self.viewer_id}"
