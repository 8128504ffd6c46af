"""The career and role explorer: role profiles (versioned data), a person's role history, their choice to count it
in the anonymous routes, and their private "Is now the right time?" reflection."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from apps.organisations.models import OrganisationKind, Sector
from apps.profiles.models import LeadershipLevel


class RoleGroup(models.TextChoices):
    LADDER = "ladder", "Rungs of the ladder"
    SYSTEM = "system", "System, regional and national roles"


class RoleProfile(models.Model):
    """One version of a role's profile. Each edit is a new row; `is_current` marks the one shown, so the history
    stays and the current version is one indexed lookup."""

    slug = models.SlugField(max_length=80)
    version = models.PositiveIntegerField()
    is_current = models.BooleanField(default=True)
    group = models.CharField(max_length=10, choices=RoleGroup.choices)
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=120)
    level = models.PositiveSmallIntegerField(choices=LeadershipLevel.choices, null=True, blank=True)
    summary = models.TextField("what the role does", max_length=3000)
    responsibilities = models.TextField("typical responsibilities, one a line", max_length=5000)
    portfolio = models.TextField("typical portfolio, one a line", max_length=3000, blank=True)
    typical_pas = models.TextField("typical programmed activities", max_length=1000)
    reports_to = models.CharField("reports to", max_length=300)
    hardest = models.TextField("what people found hardest on stepping up, one a line", max_length=3000)
    job_description = models.TextField("example job description", max_length=5000)
    person_specification = models.TextField("example person specification, one a line", max_length=3000)
    person_spec_framework = models.SlugField(max_length=80, blank=True)
    sources = models.TextField("sources, one a line", max_length=2000)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["group", "position", "slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="role_profile_version_unique"),
            models.UniqueConstraint(fields=["slug"], condition=Q(is_current=True), name="role_profile_one_current"),
        ]

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def responsibility_list(self) -> list[str]:
        return self._lines(self.responsibilities)

    @property
    def portfolio_list(self) -> list[str]:
        return self._lines(self.portfolio)

    @property
    def hardest_list(self) -> list[str]:
        return self._lines(self.hardest)

    @property
    def person_specification_list(self) -> list[str]:
        return self._lines(self.person_specification)

    @property
    def source_list(self) -> list[str]:
        return self._lines(self.sources)


class Step(models.TextChoices):
    """Where a spell in someone's career sits: the rungs of the ladder, and what people do around and after them."""

    CLINICAL = "clinical", "Clinical practice, no formal leadership role"
    CLINICAL_LEAD = "clinical_lead", "Clinical lead"
    CLINICAL_DIRECTOR = "clinical_director", "Clinical director"
    ASSOCIATE_MD = "associate_md", "Associate medical director"
    DEPUTY_MD = "deputy_md", "Deputy medical director"
    MEDICAL_DIRECTOR = "medical_director", "Medical director or chief medical officer"
    CHIEF_EXECUTIVE = "chief_executive", "Chief executive"
    SYSTEM = "system", "System, regional or national role"
    OTHER_LEADERSHIP = "other_leadership", "Another leadership role"
    RETIRED = "retired", "Retired"


class RoleHistoryEntry(models.Model):
    """A spell in one role, as the person records it. Private to them; counted in the anonymous routes only with
    their consent (RoutesConsent)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_history")
    title = models.CharField("job title", max_length=200)
    step = models.CharField("kind of role", max_length=20, choices=Step.choices)
    level = models.PositiveSmallIntegerField(choices=LeadershipLevel.choices, null=True, blank=True)
    organisation_kind = models.CharField(max_length=30, choices=OrganisationKind.choices, blank=True)
    sector = models.ForeignKey(Sector, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)  # empty: still in the role
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["owner", "started_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")), name="role_history_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


class RoutesConsent(models.Model):
    """The person's choice to count their role history in the portal's anonymous routes. No row: not counted."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="routes_consent")
    counted = models.BooleanField(default=False)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return "counted" if self.counted else "not counted"


class RoutesFigures(models.Model):
    """The routes and life-after-MD figures of one calendar month, computed once from the histories and choices as
    they stood when the month began (apps/careers/services/figures.py says why). Only the suppressed aggregates the
    pages show are kept, never a person's spells, and only the current month's row: older ones are deleted when a
    new month's figures are made."""

    month = models.DateField(unique=True)  # the first day of the month, Europe/London
    figures = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "routes figures"

    def __str__(self) -> str:
        return f"Routes figures as at {self.month:%-d %B %Y}"


class RoutesChange(models.Model):
    """That someone's contribution to the routes figures changed: a consent given or withdrawn, or a counted
    person's role added, changed or removed (services/figures.py counts them to decide whether a month gets new
    figures). `person` is a keyed hash, not a link, so that it outlives a closed account without naming anyone;
    rows go once new figures are published."""

    person = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)
    withdrawal = models.BooleanField()  # something taken away: a consent withdrawn, a role changed or removed

    def __str__(self) -> str:
        return f"{'Withdrawal' if self.withdrawal else 'Change'} at {self.at:%Y-%m-%d %H:%M}"


class RightTimeReflection(models.Model):
    """Seed 003's four questions, answered privately; the person may copy it into a development plan."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="right_time")
    attracts = models.TextField("what attracts you to the role?", max_length=5000, blank=True)
    experience = models.TextField("do you have the right experience?", max_length=5000, blank=True)
    timing = models.TextField("is now the right time?", max_length=5000, blank=True)
    support = models.TextField("do you have support?", max_length=5000, blank=True)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return "Is now the right time?"
