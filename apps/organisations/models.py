"""NHS organisations, the regions they sit in and the sectors they serve."""

from django.db import models
from django.db.models import Q


class Region(models.Model):
    """An NHS England region (ODS national grouping Y56–Y63), or Wales for the Welsh trusts in the ODS files."""

    ods_code = models.CharField("ODS code", max_length=5, unique=True)
    ons_code = models.CharField("ONS code", max_length=9, blank=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    """A part of the health service an organisation works in: mental health, acute, community, …"""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    NHS_TRUST = "nhs_trust", "NHS trust"
    FOUNDATION_TRUST = "foundation_trust", "NHS foundation trust"
    ICB = "icb", "Integrated care board"
    PROVIDER_COLLABORATIVE = "provider_collaborative", "Provider collaborative"
    INDEPENDENT = "independent", "Independent sector"
    VOLUNTARY = "voluntary", "Voluntary sector"
    CIC = "cic", "Community interest company"
    PRIMARY_CARE = "primary_care", "Primary care"


class Organisation(models.Model):
    ods_code = models.CharField("ODS code", max_length=10, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=OrganisationKind.choices)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="organisations")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The ICB code as published: after the 2026 board mergers some codes are in no ICB list yet, so this is
    # kept as text rather than a foreign key that would refuse them.
    icb_code = models.CharField("ICB code", max_length=10, blank=True, db_index=True)  # the regional view's filter
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    opened_on = models.DateField(null=True, blank=True)
    # Closed organisations are kept: profiles and old records still point at them.
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(closed_on__isnull=True) | Q(opened_on__isnull=True) | Q(closed_on__gte=models.F("opened_on"))
                ),
                name="organisation_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
