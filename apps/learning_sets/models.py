"""Action learning sets: programmes, applications, the sets formed from them, sessions, attendance, notes.

Privacy: a set's notes are visible only inside the set (its members and facilitator); a member's reflections only
to that member; organisers see the programme's sets and aggregate reports, never notes or reflections.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from apps.organisations.models import Organisation, Sector
from apps.profiles.models import CareerRole

LONDON = "Europe/London"
# Meeting links (Teams in particular) often run past the 200 characters of a default URLField.
VIDEO_URL_MAX = 500


class Audience(models.TextChoices):
    ASPIRING_MDS = "aspiring_mds", "Aspiring medical directors"
    NEW_MDS = "new_mds", "Medical directors in their first years"
    BOARD = "board", "Multi-professional board members"


class Profession(models.TextChoices):
    DOCTOR = "doctor", "Doctor"
    NURSE = "nurse", "Nurse or midwife"
    AHP = "ahp", "Allied health professional"
    PHARMACIST = "pharmacist", "Pharmacist"
    SCIENTIST = "scientist", "Healthcare scientist"
    MANAGER = "manager", "Manager"
    # The other board directors seed 001 would bring into sets: "the finance director, director of nursing,
    # operations director and human resources director" (nursing is NURSE above).
    FINANCE = "finance", "Finance"
    OPERATIONS = "operations", "Operations"
    HR = "hr", "Human resources"
    OTHER = "other", "Other"


class OpenTo(models.TextChoices):
    """Which professions a programme admits. Seed 001 asks for sets "which involve other members of the board such
    as the finance director, director of nursing, operations director and human resources director"."""

    DOCTORS = "doctors", "Doctors only"
    BOARD = "board", "Doctors and other board directors: nursing, allied health, finance, operations, human resources"
    ANYONE = "anyone", "Anyone, whatever their profession"


# The professions each choice admits (None: every profession).
PROFESSIONS_ADMITTED: dict[str, frozenset[str] | None] = {
    OpenTo.DOCTORS: frozenset({Profession.DOCTOR}),
    OpenTo.BOARD: frozenset(
        {Profession.DOCTOR, Profession.NURSE, Profession.AHP, Profession.FINANCE, Profession.OPERATIONS, Profession.HR}
    ),
    OpenTo.ANYONE: None,
}


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", "Being set up"
    OPEN = "open", "Taking applications"
    GROUPING = "grouping", "Sets being formed"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"


class Programme(models.Model):
    name = models.CharField(max_length=120)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    # In-house: every member works at this organisation (seed 001: "bringing together deputy medical directors and
    # clinical directors as a peer group" inside one trust), so the rule that a set's members come from different
    # organisations gives way. Empty: across organisations, the rule holds.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="in_house_programmes",
        verbose_name="in-house for",
    )
    open_to = models.CharField("open to", max_length=10, choices=OpenTo.choices, default=OpenTo.DOCTORS)
    # Only the people on its invitation list see it and may apply: a network opens sets for its members this way
    # (the networks app keeps the list in step with its membership; this app knows nothing of networks).
    invited_only = models.BooleanField(default=False)
    description = models.TextField(blank=True, max_length=3000)
    organisers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="learning_programmes_run")
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="learning_programmes_facilitated"
    )
    set_size_min = models.PositiveSmallIntegerField(default=6, validators=[MinValueValidator(2)])
    set_size_max = models.PositiveSmallIntegerField(default=8, validators=[MaxValueValidator(12)])
    sessions_count = models.PositiveSmallIntegerField(
        "number of sessions", default=6, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    cadence_weeks = models.PositiveSmallIntegerField(
        "weeks between sessions", default=4, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    session_minutes = models.PositiveSmallIntegerField(
        "session length in minutes", default=120, validators=[MinValueValidator(30), MaxValueValidator(120)]
    )
    time_zone = models.CharField(max_length=40, default=LONDON, editable=False)
    applications_open_on = models.DateField()
    applications_close_on = models.DateField()
    first_sessions_from = models.DateField("first sessions in the week from")
    status = models.CharField(max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT)
    default_venue = models.CharField("venue (optional)", max_length=200, blank=True)
    default_video_url = models.URLField("video link (optional)", max_length=VIDEO_URL_MAX, blank=True)
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    # Set when an organiser closed applications before the planned last day (which then becomes that day).
    applications_closed_at = models.DateTimeField("applications closed early at", null=True, blank=True)
    applications_closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-applications_open_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(set_size_min__lte=F("set_size_max")), name="programme_min_le_max"),
            models.CheckConstraint(
                condition=Q(applications_open_on__lte=F("applications_close_on")), name="programme_window_in_order"
            ),
            models.CheckConstraint(
                condition=Q(applications_close_on__lt=F("first_sessions_from")), name="programme_sessions_after_window"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_in_house(self) -> bool:
        return self.organisation_id is not None

    @property
    def is_multi_professional(self) -> bool:
        return self.open_to != OpenTo.DOCTORS


class ProgrammeInvitation(models.Model):
    """A person invited to an invitation-only programme: they see it and may apply while they are on the list."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_programme_invitations"
    )
    invited_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "person"], name="one_invitation_per_person")]

    def __str__(self) -> str:
        return f"{self.person} invited to {self.programme}"


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    PLACED = "placed", "Placed in a set"
    UNPLACED = "unplaced", "Not placed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Application(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="applications")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="set_applications")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="+")
    # The profile's list of current roles, so that a consultant or a medical director finds theirs.
    career_stage = models.CharField("current role", max_length=30, choices=CareerRole.choices)
    profession = models.CharField(max_length=20, choices=Profession.choices)
    # Weekly availability: slot ids from slots.py ("tue-14:00"), each a two-hour slot.
    slots = models.JSONField(default=list)
    hopes = models.TextField("what you hope to get from the set (optional)", blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED)
    unplaced_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "person"], name="one_application_per_programme"),
        ]

    def __str__(self) -> str:
        return f"{self.person} for {self.programme}"


class LearningSet(models.Model):
    """A set formed by grouping: draft while the organiser reviews (programme status GROUPING), live once the
    programme is published (RUNNING). Members are applications, so each person is in at most one set."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sets")
    number = models.PositiveSmallIntegerField()
    slot = models.CharField("weekly slot", max_length=10)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="sets_facilitated"
    )
    venue = models.CharField(max_length=200, blank=True)
    video_url = models.URLField("video link", max_length=VIDEO_URL_MAX, blank=True)

    class Meta:
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="set_number_unique")]

    def __str__(self) -> str:
        return f"Set {self.number}"


class Membership(models.Model):
    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="memberships")
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="membership")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="set_memberships")

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["learning_set", "member"], name="member_once_per_set")]

    def __str__(self) -> str:
        return f"{self.member} in {self.learning_set}"


class Session(models.Model):
    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=200, blank=True)
    video_url = models.URLField("video link", max_length=VIDEO_URL_MAX, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    rescheduled_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The calendar event's SEQUENCE (RFC 5545 3.8.7.4): 0 when published, one more at each change that the copies
    # in people's calendars must take (a move, a cancellation), so that a calendar replaces what it holds.
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["learning_set", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["learning_set", "number"], name="session_number_unique"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"Session {self.number} of {self.learning_set}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class Apology(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="apologies")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="one_apology_per_session")]

    def __str__(self) -> str:
        return f"Apology from {self.member}"


class Attendance(models.Model):
    """Whether a member came. A member or facilitator who closes their account leaves the mark behind without
    them (null): the set's attendance record and the organisers' rates stay whole (docs/ARCHITECTURE.md, "Your
    data: closing an account and retention")."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    present = models.BooleanField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="attendance_once_per_member")]

    def __str__(self) -> str:
        return f"{self.member}: {'present' if self.present else 'absent'}"


class SetNote(models.Model):
    """The facilitator's notes, visible only inside the set. They stay with the set when the facilitator closes
    their account (author null: shown as written by a former member)."""

    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="notes")
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(max_length=6000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Note on {self.learning_set}"


class Reflection(models.Model):
    """A member's private reflection on a session: only its author ever sees it. Written in the same three parts
    as a development plan's reflection, so that the author can add it to a plan as evidence (`plan_reflection`)."""

    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="set_reflections")
    what_happened = models.TextField("what happened", max_length=5000)
    so_what = models.TextField("so what: what it meant, what you learned", max_length=5000)
    now_what = models.TextField("now what: what you will do differently", max_length=5000)
    plan_reflection = models.ForeignKey(
        "development.Reflection", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Reflection by {self.author}"


class CalendarFeed(models.Model):
    """A person's private calendar feed of their sessions: an unguessable token, revocable by making a new one."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"
