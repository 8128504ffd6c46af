"""Development plans: goals tied to criteria, activities drawn from a catalogue of real opportunities."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.competencies.models import Criterion
from apps.profiles.models import LeadershipLevel


class OpportunityKind(models.TextChoices):
    ON_THE_JOB = "on_the_job", "On the job"
    COURSE = "course", "Course or programme"
    RELATIONSHIP = "relationship", "Relationship"
    NETWORK = "network", "Network"


class TimeBand(models.TextChoices):
    """How long an opportunity takes, in three bands a person can choose between; the catalogue's own words
    (`typical_time`) say more."""

    DAYS = "days", "A few days or less"
    MONTHS = "months", "Spread over weeks or months"
    YEAR = "year", "A year or more"


class Opportunity(models.Model):
    """A development opportunity from the catalogue (apps/development/catalogue/opportunities.yaml)."""

    code = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField()
    kind = models.CharField(max_length=20, choices=OpportunityKind.choices)
    typical_time = models.CharField(max_length=200)
    time_band = models.CharField(max_length=10, choices=TimeBand.choices, blank=True)
    typical_cost = models.CharField(max_length=200)
    providers = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True, help_text="Untick to stop suggesting it without losing history.")

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "opportunities"

    def __str__(self) -> str:
        return self.title


class OpportunityCriterion(models.Model):
    """That an opportunity develops a criterion, named by framework slug and code so it holds across versions."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="develops")
    framework_slug = models.SlugField(max_length=60)
    criterion_code = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "framework_slug", "criterion_code"], name="opportunity_criterion_once"
            )
        ]
        indexes = [models.Index(fields=["framework_slug", "criterion_code"])]

    def __str__(self) -> str:
        return f"{self.opportunity_id} → {self.framework_slug}:{self.criterion_code}"


class Plan(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(max_length=200)
    target_level = models.PositiveSmallIntegerField("target role", choices=LeadershipLevel.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="plan_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=5000)
    measure = models.TextField("how you will know you have done it", max_length=2000)
    target_date = models.DateField()
    status = models.CharField(max_length=20, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED)
    criteria = models.ManyToManyField(Criterion, related_name="+", blank=True)
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["target_date", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS)


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    UNDER_WAY = "under_way", "Under way"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Activity(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


def _one_anchor_at_most() -> Q:
    """Evidence and reflections hang on a goal, an activity or a criterion, or on the plan itself: never two."""
    g, a, c = Q(goal__isnull=False), Q(activity__isnull=False), Q(criterion__isnull=False)
    return ~(g & a) & ~(g & c) & ~(a & c)


def plan_evidence_path(instance: "PlanEvidence", filename: str) -> str:
    return f"plan-evidence/{instance.plan.owner_id}/{uuid.uuid4().hex}"


class PlanEvidence(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="evidence")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=10, choices=[("text", "A note"), ("link", "A link"), ("file", "A document")])
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True, max_length=10000)
    url = models.URLField(blank=True, max_length=1000)
    file = models.FileField(upload_to=plan_evidence_path, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name_plural = "plan evidence"
        constraints = [models.CheckConstraint(condition=_one_anchor_at_most(), name="plan_evidence_one_anchor")]

    def __str__(self) -> str:
        return self.title


class Reflection(models.Model):
    """A structured reflection: what happened, so what, now what (the model appraisers know)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reflections")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="reflections")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="reflections")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(max_length=200)
    what_happened = models.TextField("what happened", max_length=5000)
    so_what = models.TextField("so what: what it meant, what you learned", max_length=5000)
    now_what = models.TextField("now what: what you will do differently", max_length=5000)
    written_on = models.DateField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-written_on", "-id"]
        constraints = [models.CheckConstraint(condition=_one_anchor_at_most(), name="reflection_one_anchor")]

    def __str__(self) -> str:
        return self.title


class PlanShare(models.Model):
    """The owner's choice to let a named mentor read the plan. Revoking keeps the row."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="shares")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans_shared_with_me")
    shared_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-shared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "viewer"], condition=Q(revoked_at__isnull=True), name="one_live_plan_share_per_viewer"
            )
        ]

    def __str__(self) -> str:
        return f"plan {self.plan_id} shared with {self.viewer_id}"
