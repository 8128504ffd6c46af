"""A person's professional profile, and the diversity information that only they ever see."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class Profession(models.TextChoices):
    DOCTOR = "doctor", "Doctor"
    NURSE = "nurse", "Nurse or midwife"
    AHP = "ahp", "Allied health professional"
    FINANCE = "finance", "Finance"
    OPERATIONS = "operations", "Operations"
    HR = "hr", "Human resources"
    OTHER = "other", "Other"


class LeadershipLevel(models.IntegerChoices):
    """The ladder seed 000 asks expectations to follow. Titles differ between organisations; levels do not."""

    CLINICAL_LEAD = 1, "Clinical lead"
    CLINICAL_DIRECTOR = 2, "Clinical director"
    ASSOCIATE_MD = 3, "Associate medical director"
    DEPUTY_MD = 4, "Deputy medical director"
    MEDICAL_DIRECTOR = 5, "Medical director"


class CareerRole(models.TextChoices):
    MEDICAL_STUDENT = "medical_student", "Medical student"
    TRAINEE = "trainee", "Doctor in training"
    SAS = "sas", "SAS doctor"
    CONSULTANT_GP = "consultant_gp", "Consultant or GP"
    CLINICAL_LEAD = "clinical_lead", "Medical or clinical lead"
    CLINICAL_DIRECTOR = "clinical_director", "Clinical director"
    DIVISIONAL_MD = "divisional_md", "Divisional medical director"
    DME = "dme", "Director of medical education"
    ASSOCIATE_MD = "associate_md", "Associate medical director"
    DEPUTY_MD = "deputy_md", "Deputy medical director or deputy CMO"
    MEDICAL_DIRECTOR = "medical_director", "Medical director or chief medical officer"
    MEDICAL_CEO = "medical_ceo", "Medical chief executive"
    OTHER = "other", "Other"


# Each role on the ladder maps to a leadership level; roles below the ladder map to none.
LEVEL_OF_ROLE: dict[str, LeadershipLevel] = {
    CareerRole.CLINICAL_LEAD: LeadershipLevel.CLINICAL_LEAD,
    CareerRole.CLINICAL_DIRECTOR: LeadershipLevel.CLINICAL_DIRECTOR,
    CareerRole.DME: LeadershipLevel.CLINICAL_DIRECTOR,
    CareerRole.DIVISIONAL_MD: LeadershipLevel.ASSOCIATE_MD,
    CareerRole.ASSOCIATE_MD: LeadershipLevel.ASSOCIATE_MD,
    CareerRole.DEPUTY_MD: LeadershipLevel.DEPUTY_MD,
    CareerRole.MEDICAL_DIRECTOR: LeadershipLevel.MEDICAL_DIRECTOR,
    CareerRole.MEDICAL_CEO: LeadershipLevel.MEDICAL_DIRECTOR,
}

# Roles senior enough to offer mentoring without an administrator's grant.
MD_LEVEL_ROLES = frozenset({CareerRole.DEPUTY_MD, CareerRole.MEDICAL_DIRECTOR, CareerRole.MEDICAL_CEO})


class WorkingPattern(models.TextChoices):
    FULL_TIME = "full_time", "Full time"
    PART_TIME = "part_time", "Part time"


class CareerAim(models.TextChoices):
    # The rungs below deputy MD first: most people using the portal are a step or two from the top (seed 000).
    CLINICAL_LEAD = "clinical_lead", "Medical or clinical lead"
    CLINICAL_DIRECTOR = "clinical_director", "Clinical director"
    ASSOCIATE_MD = "associate_md", "Associate or divisional medical director"
    DEPUTY_MD = "deputy_md", "Deputy medical director"
    MEDICAL_DIRECTOR = "medical_director", "Medical director or chief medical officer"
    CHIEF_EXECUTIVE = "chief_executive", "Chief executive"
    SYSTEM_ROLE = "system_role", "System or ICS role"
    REGIONAL_NATIONAL = "regional_national", "Regional or national role"
    RETURN_TO_CLINICAL = "return_to_clinical", "Return to clinical practice"
    ACADEMIC = "academic", "Academic role"
    RETIREMENT = "retirement", "Retirement"
    CAREER_BREAK = "career_break", "Career break"
    UNDECIDED = "undecided", "Undecided"


# The leadership level each aim on the ladder reaches for: what a self-assessment or a plan measures against.
# A chief executive's role is compared with the top of the ladder; aims off the ladder map to none.
LEVEL_OF_AIM: dict[str, LeadershipLevel] = {
    CareerAim.CLINICAL_LEAD: LeadershipLevel.CLINICAL_LEAD,
    CareerAim.CLINICAL_DIRECTOR: LeadershipLevel.CLINICAL_DIRECTOR,
    CareerAim.ASSOCIATE_MD: LeadershipLevel.ASSOCIATE_MD,
    CareerAim.DEPUTY_MD: LeadershipLevel.DEPUTY_MD,
    CareerAim.MEDICAL_DIRECTOR: LeadershipLevel.MEDICAL_DIRECTOR,
    CareerAim.CHIEF_EXECUTIVE: LeadershipLevel.MEDICAL_DIRECTOR,
}


class CareerAimWhen(models.TextChoices):
    WITHIN_1_YEAR = "within_1_year", "Within a year"
    ONE_TO_2_YEARS = "1_to_2_years", "In 1 to 2 years"
    THREE_TO_5_YEARS = "3_to_5_years", "In 3 to 5 years"
    OVER_5_YEARS = "over_5_years", "In more than 5 years"
    NOT_SURE = "not_sure", "Not sure yet"


class SpecialtyGroup(models.TextChoices):
    PSYCHIATRY = "psychiatry", "Psychiatry"
    MEDICINE = "medicine", "Medicine"
    SURGERY = "surgery", "Surgery"
    ACUTE = "acute", "Emergency, acute and critical care"
    WOMEN_CHILDREN = "women_children", "Women's and children's health"
    GENERAL_PRACTICE = "general_practice", "General practice"
    PUBLIC_HEALTH = "public_health", "Public health"
    DENTISTRY = "dentistry", "Dentistry"
    DIAGNOSTICS = "diagnostics", "Diagnostics"
    OTHER = "other", "Other"


class Specialty(models.Model):
    """A medical specialty. `code` is the NHS Data Dictionary main specialty code where one exists."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=120, unique=True)
    group = models.CharField(max_length=30, choices=SpecialtyGroup.choices)

    class Meta:
        ordering = ["group", "name"]
        verbose_name_plural = "specialties"

    def __str__(self) -> str:
        return self.name


PA_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("16"))]


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    profession = models.CharField(max_length=20, choices=Profession.choices, default=Profession.DOCTOR)
    career_role = models.CharField("current role", max_length=30, choices=CareerRole.choices, blank=True)
    job_title = models.CharField(
        max_length=150,
        blank=True,
        help_text="As your organisation writes it, for example “Associate Medical Director for Quality”.",
    )
    specialty = models.ForeignKey(Specialty, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="profiles"
    )
    sector = models.ForeignKey(
        "organisations.Sector", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        "organisations.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    years_in_leadership = models.PositiveSmallIntegerField(
        "years in leadership roles", null=True, blank=True, validators=[MaxValueValidator(50)]
    )
    clinical_pas = models.DecimalField(
        "programmed activities for clinical work",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=PA_VALIDATORS,
    )
    leadership_pas = models.DecimalField(
        "programmed activities for leadership work",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=PA_VALIDATORS,
    )
    working_pattern = models.CharField(max_length=20, choices=WorkingPattern.choices, blank=True)
    career_aim = models.CharField("next career aim", max_length=30, choices=CareerAim.choices, blank=True)
    career_aim_when = models.CharField("when", max_length=20, choices=CareerAimWhen.choices, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(clinical_pas__isnull=True) | Q(clinical_pas__gte=0, clinical_pas__lte=16),
                name="profile_clinical_pas_range",
            ),
            models.CheckConstraint(
                condition=Q(leadership_pas__isnull=True) | Q(leadership_pas__gte=0, leadership_pas__lte=16),
                name="profile_leadership_pas_range",
            ),
            models.CheckConstraint(
                condition=Q(years_in_leadership__isnull=True) | Q(years_in_leadership__lte=50),
                name="profile_years_in_leadership_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def leadership_level(self) -> LeadershipLevel | None:
        return LEVEL_OF_ROLE.get(self.career_role)

    @property
    def target_level(self) -> LeadershipLevel:
        """The role to measure oneself against: the level of one's next career aim when it is on the ladder,
        otherwise the rung above one's current role (the top rung for anyone already there)."""
        aimed = LEVEL_OF_AIM.get(self.career_aim)
        if aimed is not None:
            return aimed
        current = self.leadership_level
        return LeadershipLevel(min((current or 0) + 1, LeadershipLevel.MEDICAL_DIRECTOR))

    @property
    def is_md_level(self) -> bool:
        return self.career_role in MD_LEVEL_ROLES

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


# --- Diversity: optional, never shown to anyone else, reported only in aggregate with small counts suppressed.
PREFER_NOT_TO_SAY = ("prefer_not_to_say", "Prefer not to say")


class AgeBand(models.TextChoices):
    UNDER_35 = "under_35", "Under 35"
    FROM_35_TO_44 = "35_44", "35 to 44"
    FROM_45_TO_54 = "45_54", "45 to 54"
    FROM_55_TO_64 = "55_64", "55 to 64"
    OVER_64 = "65_plus", "65 or over"
    PREFER_NOT = PREFER_NOT_TO_SAY


class Gender(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    NON_BINARY = "non_binary", "Non-binary"
    SELF_DESCRIBED = "self_described", "I describe myself another way"
    PREFER_NOT = PREFER_NOT_TO_SAY


class EthnicGroup(models.TextChoices):
    """The five high-level groups of the 2021 census for England and Wales."""

    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    PREFER_NOT = PREFER_NOT_TO_SAY


class YesNoPreferNot(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT = PREFER_NOT_TO_SAY


class DiversityInformation(models.Model):
    """Kept apart from Profile so that no profile query can carry it to another person's page by accident."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diversity")
    age_band = models.CharField(max_length=20, choices=AgeBand.choices, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)
    ethnic_group = models.CharField(max_length=20, choices=EthnicGroup.choices, blank=True)
    disability = models.CharField(
        "disability or long-term condition", max_length=20, choices=YesNoPreferNot.choices, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "diversity information"

    def __str__(self) -> str:
        return f"Diversity information of user {self.user_id}"


class CommunityCounts(models.Model):
    """The community overview's counts, kept rather than recounted from every profile on each view (issue 20).

    One row (`name` "community"). `tables` holds each dimension's (value, count) pairs as counted, small counts
    included: the page suppresses them as it shows them (apps/common/reporting.py), so a change of the threshold
    applies at once. `members` holds, for each person counted, a keyed hash of them and, table by table, of what
    they count towards, naming no one: enough to tell how many people changed in each table since
    (profiles.community_counts says why)."""

    name = models.CharField(max_length=20, unique=True)
    tables = models.JSONField()
    total = models.PositiveIntegerField()
    members = models.JSONField(default=dict)
    counted_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "community counts"

    def __str__(self) -> str:
        return f"Community counts of {self.counted_at:%Y-%m-%d %H:%M}"
