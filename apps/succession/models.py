"""Succession by consent: an organisation's medical leadership posts (kept by its organisation lead), people who put
themselves forward for a post or a level there with their own readiness, the lead's view beside theirs, and talent
conversations private to the person and the lead.

Nothing about a person reaches a lead except through a live `Candidacy` the person made for that organisation;
withdrawing deletes it (and the lead's view on it) at once."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.common.dates import months_after
from apps.organisations.models import Organisation
from apps.profiles.models import PA_VALIDATORS, CareerAimWhen, LeadershipLevel


class Readiness(models.TextChoices):
    """The horizons enterprise talent tools use, but always the person's own word first (seed 002's "talent
    mapping" done with people rather than to them)."""

    READY_NOW = "ready_now", "Ready now"
    ONE_TO_TWO_YEARS = "1_2_years", "Ready in 1 to 2 years"
    THREE_TO_FIVE_YEARS = "3_5_years", "Ready in 3 to 5 years"


# Months after which a readiness is due for review: the start of its horizon (a year on, "1 to 2 years" should be
# "ready now"; three years on, "3 to 5 years" should be nearer), and yearly for "ready now".
REVIEW_AFTER_MONTHS = {
    Readiness.READY_NOW: 12,
    Readiness.ONE_TO_TWO_YEARS: 12,
    Readiness.THREE_TO_FIVE_YEARS: 36,
}


class ShowChoice(models.TextChoices):
    SUMMARY = "summary", "My name, my readiness and a summary of my self-assessment, 360 feedback and plan"
    NAME_ONLY = "name_only", "My name and my readiness only"


class Post(models.Model):
    """A medical leadership post in one organisation: medical director, a deputy, an associate, a clinical director,
    a lead. Its holder is a person on the portal at the same organisation, or just a name."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=150)
    level = models.PositiveSmallIntegerField(choices=LeadershipLevel.choices)
    portfolio = models.CharField(
        max_length=200, blank=True, help_text="What the post covers, for example “physical health” or “quality”."
    )
    pas = models.DecimalField(
        "programmed activities", max_digits=4, decimal_places=1, null=True, blank=True, validators=PA_VALIDATORS
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    holder_name = models.CharField("holder's name", max_length=200, blank=True)
    expected_vacancy = models.DateField("expected to fall vacant", null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-level", "title", "pk"]
        indexes = [
            models.Index(fields=["organisation", "level"], name="post_organisation_level"),
            models.Index(fields=["expected_vacancy"], name="post_expected_vacancy"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="post_level_on_ladder"),
            models.CheckConstraint(condition=Q(pas__isnull=True) | Q(pas__gte=0, pas__lte=16), name="post_pas_range"),
            models.CheckConstraint(
                condition=Q(holder__isnull=True) | Q(holder_name=""), name="post_holder_or_name_not_both"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Candidacy(models.Model):
    """A person's choice to put themself forward for a post, or for a level, at one organisation, with their own
    readiness and what the organisation's leads may see. `level` is always set (a post's own level when for a
    post); a removed post leaves the candidacy standing for its level."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidacies")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidacies")
    level = models.PositiveSmallIntegerField(choices=LeadershipLevel.choices)
    aim = models.TextField("what you aim for", max_length=1000, blank=True)
    timescale = models.CharField("when you would like to move", max_length=20, choices=CareerAimWhen.choices)
    readiness = models.CharField("your readiness", max_length=20, choices=Readiness.choices)
    emergency_cover = models.BooleanField("I could act up in the post at short notice", default=False)
    show = models.CharField("what the organisation's leads see", max_length=20, choices=ShowChoice.choices)
    created_at = models.DateTimeField()
    reviewed_at = models.DateTimeField()  # when the person last set or confirmed their readiness
    # The lead's own view, beside the person's. Shown in any grid only once the person has seen it.
    lead_readiness = models.CharField(max_length=20, choices=Readiness.choices, blank=True)
    lead_comment = models.TextField(max_length=1000, blank=True)
    lead_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lead_at = models.DateTimeField(null=True, blank=True)
    lead_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-level", "created_at", "pk"]
        verbose_name_plural = "candidacies"
        indexes = [models.Index(fields=["organisation", "level"], name="candidacy_organisation_level")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "post"], condition=Q(post__isnull=False), name="candidacy_one_per_post"
            ),
            models.UniqueConstraint(
                fields=["person", "organisation", "level"],
                condition=Q(post__isnull=True),
                name="candidacy_one_per_level",
            ),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="candidacy_level_on_ladder"),
            models.CheckConstraint(condition=Q(readiness__in=Readiness.values), name="candidacy_readiness_known"),
            models.CheckConstraint(
                condition=Q(lead_readiness="") | Q(lead_readiness__in=Readiness.values),
                name="candidacy_lead_readiness_known",
            ),
            models.CheckConstraint(condition=Q(show__in=ShowChoice.values), name="candidacy_show_known"),
        ]

    def __str__(self) -> str:
        return f"Candidacy {self.pk}"

    @property
    def review_due_at(self) -> datetime:
        return months_after(self.reviewed_at, REVIEW_AFTER_MONTHS[Readiness(self.readiness)])

    @property
    def lead_view_seen(self) -> bool:
        """Whether the person has seen the lead's current view (nothing to see counts as seen)."""
        if not self.lead_readiness:
            return True
        return self.lead_seen_at is not None and self.lead_at is not None and self.lead_seen_at >= self.lead_at


class TalentConversation(models.Model):
    """A structured talent conversation between a person and a lead of an organisation they put themselves forward
    at: private to the two, editable by both, the person's to keep. Each line of the next steps can become a goal
    in the person's plan."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="talent_conversations")
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("when you met")
    aspiration = models.TextField("aspiration", max_length=3000, blank=True)
    strengths = models.TextField("strengths", max_length=3000, blank=True)
    to_develop = models.TextField("what to develop", max_length=3000, blank=True)
    next_steps = models.TextField("agreed next steps, one a line", max_length=3000, blank=True)
    meet_again_on = models.DateField("meet again on", null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "person"], name="talent_conversation_org_person")]

    def __str__(self) -> str:
        return f"Talent conversation of {self.held_on:%-d %B %Y}"

    @property
    def next_step_list(self) -> list[str]:
        return [line.strip() for line in self.next_steps.splitlines() if line.strip()]


class DiversitySnapshot(models.Model):
    """The diversity tables an organisation's leads read, kept rather than computed on each view, each row renewed
    only once at least `REPORT_MIN_COUNT` of its people's entries changed (services/diversity_snapshots.py says why:
    a live count that moves as one named person joins or leaves tells the lead their answer). `tables` holds only
    the suppressed tables the page shows, each row dated; `members`, row by row, a keyed hash per person (of who they
    are, and of their row and answers), enough to tell how many people's entries changed, naming no one. No link to
    any person, so closing an account leaves it as it is, until the next renewal."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField()
    tables = models.JSONField()
    members = models.JSONField()  # {"level:horizon": {keyed hash of a person: keyed hash of their row and answers}}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation"], name="diversity_snapshot_one_per_organisation")]

    def __str__(self) -> str:
        return f"Diversity figures as at {self.computed_at:%Y-%m-%d %H:%M}"
