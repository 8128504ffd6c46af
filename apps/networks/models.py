"""Standing networks and forums of medical directors (issue 19): a regional MD network, a national mental health MD
forum. Seed 002: established MDs valued the "MD network" and "lamented the demise of earlier regional networks";
seed 001 asks for "building key topics into future medical directors forum meetings".

A network has members (one `NetworkMembership` per person, asked for or held; its organisers are members marked as
such), meetings with an agenda, topics members propose for a meeting and vote on (one vote per member per topic,
a unique constraint), and notes on each meeting that only its members read."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from apps.organisations.models import Region


class NetworkKind(models.TextChoices):
    REGIONAL = "regional", "Regional network"
    NATIONAL = "national", "National forum"
    OTHER = "other", "Other network"


class JoinRule(models.TextChoices):
    # The seeds' networks are peer groups of serving medical directors and deputies: anyone at that level may join
    # one that is open; anyone else may ask, and an organiser decides.
    OPEN = "open", "Medical directors and deputies join straight away; others ask an organiser"
    APPROVAL = "approval", "Everyone asks, and an organiser approves"


class Network(models.Model):
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=NetworkKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.TextField(max_length=2000, blank=True)
    join_rule = models.CharField("who may join", max_length=20, choices=JoinRule.choices, default=JoinRule.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="networks_network_name_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="networks_network_has_name"),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", "Asked to join"
    MEMBER = "member", "Member"


class NetworkMembership(models.Model):
    """A person in a network, or asking to be. Leaving or being removed deletes the row: a network keeps no list
    of former members."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_memberships")
    status = models.CharField(max_length=20, choices=MembershipStatus.choices)
    is_organiser = models.BooleanField(default=False)
    requested_at = models.DateTimeField()
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "person"], name="networks_membership_once"),
            # An organiser is a member; a member has a date they joined.
            models.CheckConstraint(
                condition=Q(is_organiser=False) | Q(status="member"), name="networks_organiser_is_member"
            ),
            models.CheckConstraint(
                condition=Q(status="requested") | Q(joined_at__isnull=False), name="networks_member_has_joined_at"
            ),
        ]

    def __str__(self) -> str:
        return f"membership {self.pk} of network {self.network_id}"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class NetworkMeeting(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True)
    online_url = models.URLField("online link", max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    # Rises at each move or cancellation, so a calendar holding the meeting replaces it (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    # When an organiser set the agenda: voting on the meeting's topics closes then.
    agenda_set_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="networks_meeting_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_url=""), name="networks_meeting_has_place_or_link"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network.name} meeting"

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def voting_open(self) -> bool:
        return self.agenda_set_at is None and not self.is_cancelled


class Topic(models.Model):
    """A topic a member proposes for a meeting's agenda. It stays with the meeting when its proposer leaves the
    portal ("a former member")."""

    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="topics")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    detail = models.TextField("why it matters", max_length=2000, blank=True)
    proposed_at = models.DateTimeField()

    class Meta:
        ordering = ["proposed_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="networks_topic_has_title")]

    def __str__(self) -> str:
        return self.title


class TopicVote(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_topic_votes")
    voted_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "voter"], name="networks_one_vote_per_member")]

    def __str__(self) -> str:
        return f"vote for topic {self.topic_id}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    # The topic it came from, with how many votes it had then (the topic's votes may change no more: voting closed).
    topic = models.ForeignKey(Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="networks_agenda_position_once"),
            models.CheckConstraint(condition=~Q(title=""), name="networks_agenda_item_has_title"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class MeetingNote(models.Model):
    """A note on a meeting, shared with the network's members only. Its author edits or deletes it; it stays with
    the meeting when the author leaves the portal."""

    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="networks_note_has_text")]

    def __str__(self) -> str:
        return f"note {self.pk} on meeting {self.meeting_id}"


class NetworkProgramme(models.Model):
    """A programme of learning sets a network opened for its members (issue 19: "A network can open learning sets
    for its members"). The programme is invitation-only in the learning_sets app; `services.programmes` keeps its
    invitation list equal to the network's members."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="programmes")
    programme = models.OneToOneField("learning_sets.Programme", on_delete=models.CASCADE, related_name="network_link")
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"programme {self.programme_id} of network {self.network_id}"
