"""Mentoring offers and requests: what mentors and coaches give, what mentees ask for."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from apps.organisations.models import Region, Sector


class MentoringKind(models.TextChoices):
    MENTOR = "mentor", "Mentoring"
    COACH = "coach", "Coaching"
    BOTH = "both", "Mentoring or coaching"


class Mode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone"


class Scheme(models.Model):
    """A mentoring scheme run by organisers (e.g. a region's aspiring medical directors for a year). Mentees join
    it through their request, mentors through their offer; its weights tune how pairs are scored in its rounds."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    organisers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="mentoring_schemes_run")
    open_to_requests = models.BooleanField("open for mentees and mentors to join", default=True)
    weight_focus = models.FloatField(default=40.0, validators=[MinValueValidator(0), MaxValueValidator(100)])
    weight_outside = models.FloatField(default=15.0, validators=[MinValueValidator(0), MaxValueValidator(100)])
    weight_sector = models.FloatField(default=10.0, validators=[MinValueValidator(0), MaxValueValidator(100)])
    weight_region = models.FloatField(default=10.0, validators=[MinValueValidator(0), MaxValueValidator(100)])
    weight_career = models.FloatField(default=20.0, validators=[MinValueValidator(0), MaxValueValidator(100)])
    weight_mode = models.FloatField(default=5.0, validators=[MinValueValidator(0), MaxValueValidator(100)])
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MentorOffer(models.Model):
    """A mentor's or coach's offer. Capacity 1–4 (PRODUCT.md); a paused offer is never matched."""

    mentor = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_offer")
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    kind = models.CharField(max_length=10, choices=MentoringKind.choices, default=MentoringKind.MENTOR)
    # Criterion codes of the person specification they can help with (codes hold across framework versions).
    expertise = models.JSONField(default=list, blank=True)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="+")
    regions = models.ManyToManyField(Region, blank=True, related_name="+")
    modes = models.JSONField(default=list, blank=True)
    outside_own_organisation = models.BooleanField("will mentor people from other organisations", default=True)
    paused = models.BooleanField(default=False)
    schemes = models.ManyToManyField(Scheme, blank=True, related_name="offers")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1, capacity__lte=4), name="offer_capacity_1_to_4")
        ]

    def __str__(self) -> str:
        return f"Offer by {self.mentor}"


class OutsidePreference(models.TextChoices):
    REQUIRED = "required", "It must be someone from outside my organisation"
    PREFERRED = "preferred", "I would prefer someone from outside my organisation"
    EITHER = "either", "Either is fine"


class SectorPreference(models.TextChoices):
    SAME = "same", "Someone who knows my sector"
    DIFFERENT = "different", "Someone from a different sector"
    EITHER = "either", "Either is fine"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Looking for a match"
    MATCHED = "matched", "Matched"
    WITHDRAWN = "withdrawn", "Withdrawn"


class MentoringRequest(models.Model):
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_requests")
    kind = models.CharField(max_length=10, choices=MentoringKind.choices, default=MentoringKind.MENTOR)
    focus = models.JSONField("criteria to work on", default=list, blank=True)
    focus_text = models.TextField("what you want help with", blank=True, max_length=3000)
    outside = models.CharField(max_length=10, choices=OutsidePreference.choices, default=OutsidePreference.PREFERRED)
    sector_preference = models.CharField(
        max_length=10, choices=SectorPreference.choices, default=SectorPreference.EITHER
    )
    same_region = models.BooleanField("prefer someone in my region", default=False)
    modes = models.JSONField(default=list, blank=True)
    # By address, not account: the rules must hold even for someone who joins the portal later.
    line_manager_email = models.EmailField("your line manager's e-mail address", blank=True)
    excluded_emails = models.JSONField("people you must not be matched with", default=list, blank=True)
    scheme = models.ForeignKey(Scheme, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests")
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "kind"], condition=Q(status="open"), name="one_open_request_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"Request by {self.mentee}"


class RoundStatus(models.TextChoices):
    RUNNING = "running", "Being computed"
    DRAFT = "draft", "Being reviewed"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Failed"


class MatchRound(models.Model):
    """An organiser's match round for a scheme: the solver's pairs, reviewed and changed by hand, then published
    as proposals. The weights used are kept with the round, so its scores can be explained later."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="rounds")
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    weights = models.JSONField(default=dict)
    pool_mentees = models.PositiveIntegerField(default=0)
    pool_mentors = models.PositiveIntegerField(default=0)
    solve_seconds = models.FloatField(default=0)
    error = models.CharField(max_length=300, blank=True)
    # Null once the organiser who ran it has closed their account: the round is the scheme's, not theirs.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme"], condition=Q(status__in=["draft", "running"]), name="one_draft_round_per_scheme"
            )
        ]

    def __str__(self) -> str:
        return f"Round {self.pk} of {self.scheme}"


class RoundPair(models.Model):
    """One request of the round's pool and the mentor it would be proposed (none: left unmatched)."""

    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="pairs")
    request = models.ForeignKey(MentoringRequest, on_delete=models.CASCADE, related_name="+")
    # A mentor who closes their account leaves the request unmatched in the round, rather than taking it away.
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.FloatField(default=0)
    explanation = models.TextField(blank=True)
    changed_by_hand = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["round", "request"], name="one_pair_per_request_per_round")]

    def __str__(self) -> str:
        return f"Pair for request {self.request_id} in round {self.round_id}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for a reply"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "No reply in time"


class Side(models.TextChoices):
    MENTEE = "mentee", "The mentee"
    MENTOR = "mentor", "The mentor"


class Proposal(models.Model):
    """A proposed pair with the score and the plain explanation it was proposed for. Both people are asked; the
    relationship starts when both have said yes (the second yes starts it), and lapses at `reply_by`."""

    request = models.ForeignKey(MentoringRequest, on_delete=models.CASCADE, related_name="proposals")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_proposals")
    round = models.ForeignKey(MatchRound, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals")
    score = models.FloatField()
    explanation = models.TextField()
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    withdrawn_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    mentee_accepted_at = models.DateTimeField(null=True, blank=True)
    mentor_accepted_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.CharField(max_length=10, choices=Side.choices, blank=True)
    reply_by = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Proposal {self.pk}: {self.status}"


class RelationshipStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class MeetingFrequency(models.TextChoices):
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Every month"
    SIX_WEEKLY = "six_weekly", "Every six weeks"
    QUARTERLY = "quarterly", "Every three months"


class CloseReason(models.TextChoices):
    GOALS_MET = "goals_met", "We met our goals"
    TIME_UP = "time_up", "The agreed time is up"
    NOT_WORKING = "not_working", "It was not working for us"
    CIRCUMSTANCES = "circumstances", "A change in circumstances"


class GoalsMet(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class MentoringRelationship(models.Model):
    """A mentee and a mentor working together. The database itself refuses a mentee a second active mentor of
    the same kind; a mentor's capacity is guarded by locking their offer while a proposal is accepted.

    The pair's record belongs to both: when one of them closes their account the relationship is closed and kept
    for the other, with that side null ("a former member"); the proposal (part of the leaver's request or offer)
    may go with them, so the scheme is kept here for the organisers' counts."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="mentees_as_mentor"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="mentors_as_mentee"
    )
    kind = models.CharField(max_length=10, choices=MentoringKind.choices)
    proposal = models.OneToOneField(Proposal, on_delete=models.SET_NULL, null=True, related_name="relationship")
    scheme = models.ForeignKey(Scheme, null=True, blank=True, on_delete=models.SET_NULL, related_name="relationships")
    status = models.CharField(max_length=10, choices=RelationshipStatus.choices, default=RelationshipStatus.ACTIVE)
    started_at = models.DateTimeField()
    # The agreement: what the pair will work on, how often they meet, what stays between them. Either may edit
    # it; an edit clears the other's confirmation, so "agreed" always means both saw the current wording.
    goals = models.TextField("what we will work on", blank=True, max_length=4000)
    meeting_frequency = models.CharField(max_length=12, choices=MeetingFrequency.choices, blank=True)
    confidentiality = models.TextField("what stays between us", blank=True, max_length=2000)
    mentor_agreed_at = models.DateTimeField(null=True, blank=True)
    mentee_agreed_at = models.DateTimeField(null=True, blank=True)
    # "Is this working?" after the first meeting: when each said it is (saying it is not closes the relationship).
    mentor_working_at = models.DateTimeField(null=True, blank=True)
    mentee_working_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    close_reason = models.CharField(max_length=20, choices=CloseReason.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "kind"], condition=Q(status="active"), name="one_active_mentor_per_kind"
            ),
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="relationship_not_with_oneself"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor_id} mentors {self.mentee_id}"

    @property
    def agreed(self) -> bool:
        return self.mentor_agreed_at is not None and self.mentee_agreed_at is not None


class Meeting(models.Model):
    """A meeting in the pair's log. Private to the two of them: every query filters by membership of the pair."""

    relationship = models.ForeignKey(MentoringRelationship, on_delete=models.CASCADE, related_name="meetings")
    met_on = models.DateField()
    mode = models.CharField(max_length=10, choices=Mode.choices)
    notes = models.TextField("what we talked about", blank=True, max_length=6000)
    actions = models.TextField("actions agreed", blank=True, max_length=3000)
    # The words are the recorder's: they go when the recorder closes their account; the other's entries stay.
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-met_on", "-pk"]

    def __str__(self) -> str:
        return f"Meeting on {self.met_on}"


class ClosingFeedback(models.Model):
    """What each of the pair says when it closes. It changes nothing automatically; organisers see it only in
    aggregate, with small counts suppressed, and never the comments."""

    relationship = models.ForeignKey(MentoringRelationship, on_delete=models.CASCADE, related_name="feedback")
    # Kept without its author when they close their account (their comment is erased first, by
    # privacy.services.account_close): the scores still count in the organisers' report.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    as_mentor = models.BooleanField()
    usefulness = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    goals_met = models.CharField(max_length=10, choices=GoalsMet.choices)
    would_recommend = models.BooleanField()
    comment = models.TextField("anything else (only the two of you see this)", blank=True, max_length=3000)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["relationship", "author"], name="one_feedback_per_person_per_pair"),
            models.CheckConstraint(condition=Q(usefulness__gte=1, usefulness__lte=5), name="usefulness_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"Feedback on relationship {self.relationship_id}"
