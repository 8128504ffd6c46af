"""Models of the first-year pathway for new medical directors (issue 19; seeds 002, 001, 004).

A person has at most one pathway (`Enrolment`), which is theirs: the scope and objectives they agreed with their
chief executive, their checklist ticks and their check-in reflections are private to them. An organiser runs a
`Cohort` and sees its progress only in counts. The checklist and steps come from first_year.yaml (template.py);
rows store an item's key, not its wording."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Cohort(models.Model):
    """A named group of new medical directors an organiser follows in aggregate, e.g. "New MDs 2026/27"."""

    name = models.CharField(max_length=120, unique=True)
    organisers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="pathway_cohorts_run")
    created_at = models.DateTimeField()
    # The counts the organiser reads, kept rather than worked out on each view, and worked out again only once at
    # least 5 people's progress changed (services.cohort_progress_current says why). `progress` holds only the
    # suppressed counts the page shows; `progress_members` a keyed hash per person counted and of their progress,
    # enough to tell how many changed, naming no one.
    progress = models.JSONField(null=True, blank=True)
    progress_members = models.JSONField(default=dict, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "name"]

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pathway")
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolments")
    started_on = models.DateField("when you started as medical director")
    enrolled_at = models.DateTimeField()
    # Private to the person: what the role covers and what they agreed with their chief executive (seed 002: "To
    # insist on knowing the scope/clarity of their role"; 92% had agreed objectives with their chief executive).
    scope = models.TextField("the scope of your role", blank=True, max_length=4000)
    objectives = models.TextField("your objectives", blank=True, max_length=4000)
    scope_agreed_on = models.DateField("the date you agreed them", null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(scope_agreed_on__isnull=True) | Q(scope_agreed_on__gte=models.F("started_on")),
                name="pathway_scope_agreed_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Pathway of {self.person_id}"

    @property
    def scope_agreed(self) -> bool:
        return self.scope_agreed_on is not None and bool(self.objectives.strip())


class TickState(models.TextChoices):
    DONE = "done", "Done"
    NOT_APPLICABLE = "not_applicable", "Does not apply to me"


class ChecklistTick(models.Model):
    """An induction item the person has ticked, by the item's key in the template."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="ticks")
    item_key = models.CharField(max_length=40)
    state = models.CharField(max_length=20, choices=TickState.choices)
    ticked_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "item_key"], name="pathway_tick_once")]

    def __str__(self) -> str:
        return f"{self.item_key}: {self.state}"


class CheckIn(models.Model):
    """A short private reflection, months after the start in role (3, 6, 12)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="checkins")
    months = models.PositiveSmallIntegerField()
    going = models.TextField("how it is going", max_length=3000)
    support = models.TextField("what support you need", blank=True, max_length=3000)
    completed_at = models.DateTimeField()

    class Meta:
        ordering = ["months"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "months"], name="pathway_checkin_once")]

    def __str__(self) -> str:
        return f"{self.months}-month check-in"


class Invitation(models.Model):
    """An organiser asked a person to join their cohort; the person joins by giving their start date, or declines.
    An invitation, not an enrolment, so that what the organiser sees (counts of those who joined) is the same
    whether an address they typed has an account or not."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pathway_invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="pathway_invitations_sent"
    )
    invited_at = models.DateTimeField()

    class Meta:
        ordering = ["-invited_at"]
        constraints = [models.UniqueConstraint(fields=["cohort", "person"], name="pathway_invitation_once")]

    def __str__(self) -> str:
        return f"{self.person_id} to {self.cohort_id}"
