"""Competency frameworks as data: versioned, importable and exportable.

A framework version is immutable once loaded: a new version is new rows, so assessments made against an old
version keep pointing at the criteria they were made against.
"""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from apps.profiles.models import LeadershipLevel


class ResponsibilityArea(models.TextChoices):
    """The medical director's five areas of responsibility (seed 003)."""

    CORPORATE = "corporate", "Corporate responsibilities"
    QUALITY_VALUE = "quality_value", "High quality, high value care"
    CLINICAL_STANDARDS = "clinical_standards", "Clinical standards"
    MEDICAL_WORKFORCE = "medical_workforce", "Medical workforce"
    MEDICAL_LEADERSHIP = "medical_leadership", "Medical leadership"


# The codes used in framework files for the leadership ladder (profiles.LeadershipLevel).
LEVEL_CODES: dict[str, int] = {
    "clinical_lead": LeadershipLevel.CLINICAL_LEAD,
    "clinical_director": LeadershipLevel.CLINICAL_DIRECTOR,
    "associate_md": LeadershipLevel.ASSOCIATE_MD,
    "deputy_md": LeadershipLevel.DEPUTY_MD,
    "medical_director": LeadershipLevel.MEDICAL_DIRECTOR,
}
LEVEL_NAMES = {value: code for code, value in LEVEL_CODES.items()}


def validate_level_descriptions(value: Any) -> None:
    """Level code → text, for levels on the ladder only."""
    if not isinstance(value, dict) or any(
        code not in LEVEL_CODES or not isinstance(text, str) or not text.strip() for code, text in value.items()
    ):
        raise ValidationError("Level descriptions map a leadership level's code to the words for it.")


class Framework(models.Model):
    slug = models.SlugField(max_length=60, help_text="Stable across versions, e.g. “md-person-spec”.")
    version = models.CharField(max_length=30)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.TextField(help_text="Who published it, and where.")
    licence = models.TextField(help_text="The terms its content is used under.")
    # What each rung's scope looks like in this framework, by level code ("clinical_lead": "Within your own
    # service…"). At most five short texts, always read with their framework and never queried by: a JSON field
    # rather than a table, so pages that already hold the framework need no extra query for them.
    level_descriptions = models.JSONField(default=dict, blank=True, validators=[validate_level_descriptions])
    # Months after completing a self-assessment that the next is due (12: the board framework, yearly for the fit
    # and proper person test); None when the framework sets no rhythm.
    repeat_every_months = models.PositiveSmallIntegerField(null=True, blank=True)
    # Stable identifier of this version, used as the CASE CFDocument identifier.
    identifier = models.UUIDField(default=uuid.uuid4, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-loaded_at"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="one_framework_version")]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    def level_description(self, level: int) -> str:
        """What this framework says the scope of one rung of the ladder looks like ("" when it says nothing)."""
        return str(self.level_descriptions.get(LEVEL_NAMES.get(level, ""), ""))


class ScalePoint(models.Model):
    """One point of the framework's rating scale, with what it means."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="scale")
    value = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=80)
    descriptor = models.TextField(blank=True)
    # An answer that is not a rating ("No chance to demonstrate"): a person or rater may choose it, and it counts as
    # answered, but it is left out of every figure (gaps, means, readiness, change).
    not_a_rating = models.BooleanField(default=False)

    class Meta:
        ordering = ["framework", "value"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "value"], name="one_scale_point_per_value"),
            models.UniqueConstraint(
                fields=["framework"], condition=Q(not_a_rating=True), name="one_scale_point_not_a_rating"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value}: {self.label}"


class CriterionGroup(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="groups")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    code = models.CharField(max_length=40)
    # Any length: a published framework's statements are as long as their authors wrote them.
    title = models.TextField()
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField()
    identifier = models.UUIDField(default=uuid.uuid4, unique=True)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="group_code_unique_in_framework")]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(max_length=40)
    title = models.TextField()
    description = models.TextField(blank=True)
    # Tags: the areas of responsibility this criterion serves (ResponsibilityArea values).
    areas = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField()
    identifier = models.UUIDField(default=uuid.uuid4, unique=True)

    class Meta:
        ordering = ["framework", "position"]
        verbose_name_plural = "criteria"
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="criterion_code_unique_in_framework")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class PromptQuestion(models.Model):
    """A question that helps a person judge themself against a criterion ("Can you show you have led…?")."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="prompts")
    text = models.TextField()
    position = models.PositiveSmallIntegerField()
    identifier = models.UUIDField(default=uuid.uuid4, unique=True)

    class Meta:
        ordering = ["criterion", "position"]
        constraints = [models.UniqueConstraint(fields=["criterion", "position"], name="one_prompt_per_position")]

    def __str__(self) -> str:
        return self.text[:80]


class LevelExpectation(models.Model):
    """The rating expected of someone at one leadership level, so expectations can differ by level, and in words
    what they should be able to show for the criterion at that level."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="expectations")
    level = models.PositiveSmallIntegerField(choices=LeadershipLevel.choices)
    expected = models.PositiveSmallIntegerField(help_text="A value on the framework's scale.")
    description = models.TextField(blank=True, help_text="What someone at this level should be able to show.")

    class Meta:
        ordering = ["criterion", "level"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "level"], name="one_expectation_per_level"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="expectation_level_on_ladder"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code} at level {self.level}: {self.expected}"


class CasePackage(models.Model):
    """The CASE package a framework version was loaded from, held as it came, so that an export and the CASE API give
    back everything it held (identifiers, URIs, every association and field), not only what a framework uses.
    Frameworks written in our own format have none: their package is built from their rows when asked."""

    framework = models.OneToOneField(Framework, on_delete=models.CASCADE, related_name="case_package")
    # The CFDocument's identifier and lastChangeDateTime as given: a later package of the same document is a new
    # version of the framework.
    document_identifier = models.TextField()
    last_change = models.TextField(blank=True)
    data = models.JSONField()

    def __str__(self) -> str:
        return f"CASE package of {self.framework}"


class CaseRecordKind(models.TextChoices):
    """What the CASE API serves by identifier, named by its path under /ims/case/v1p0/."""

    DOCUMENT = "CFDocuments", "Document"
    ITEM = "CFItems", "Item"
    ASSOCIATION = "CFAssociations", "Association"
    ITEM_TYPE = "CFItemTypes", "Item type"
    CONCEPT = "CFConcepts", "Concept"
    SUBJECT = "CFSubjects", "Subject"
    LICENSE = "CFLicenses", "Licence"
    ASSOCIATION_GROUPING = "CFAssociationGroupings", "Association grouping"
    RUBRIC = "CFRubrics", "Rubric"


class CaseRecord(models.Model):
    """Where one identified record of a framework's CASE package sits (`position` in its list), so the CASE API
    finds `CFItems/<identifier>` with one indexed query. Written when the framework is loaded."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="case_records")
    kind = models.CharField(max_length=30, choices=CaseRecordKind.choices)
    identifier = models.CharField(max_length=1000)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["framework", "kind", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "kind", "identifier"], name="one_case_record_per_identifier")
        ]
        indexes = [models.Index(fields=["kind", "identifier"], name="case_record_lookup")]

    def __str__(self) -> str:
        return f"{self.kind}/{self.identifier}"


class CriterionLink(models.Model):
    """The crosswalk: a criterion of one framework that corresponds to a criterion of another, named by framework
    slug and code (as `development.OpportunityCriterion` names criteria) so that it holds across versions. One row
    says it both ways: the selectors read a link from A to B as one from B to A, and the services write each pair
    once, the framework whose slug sorts first as `from`."""

    from_slug = models.SlugField(max_length=60)
    from_code = models.CharField(max_length=40)
    to_slug = models.SlugField(max_length=60)
    to_code = models.CharField(max_length=40)
    note = models.TextField(blank=True, help_text="Why the two correspond, where it needs saying.")

    class Meta:
        ordering = ["from_slug", "from_code", "to_slug", "to_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_slug", "from_code", "to_slug", "to_code"], name="criterion_link_once"
            ),
            models.CheckConstraint(
                condition=~Q(from_slug=models.F("to_slug")), name="criterion_link_across_frameworks"
            ),
        ]
        indexes = [models.Index(fields=["to_slug", "to_code"], name="criterion_link_to")]

    def __str__(self) -> str:
        return f"{self.from_slug}:{self.from_code} ↔ {self.to_slug}:{self.to_code}"
