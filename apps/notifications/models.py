"""The durable outbox: every reminder is a row here before anything is sent, and its status says what happened."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .kinds import Mode, kind_choices


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    DIGEST = "digest", "Waiting for the daily digest"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not e-mailed (turned off by the recipient)"
    CANCELLED = "cancelled", "Cancelled"
    FAILED = "failed", "Failed"


class Reminder(models.Model):
    """One reminder to one person. `dedupe_key` makes scheduling idempotent: the same key is the same reminder."""

    # The choices are whatever kinds the features registered, read when needed (after every app's ready()).
    kind = models.CharField(max_length=40, choices=kind_choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    # For people without an account (360 raters). Members are mailed at their current address instead.
    email = models.EmailField(blank=True)
    due_at = models.DateTimeField()
    dedupe_key = models.CharField(max_length=200, unique=True)
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=ReminderStatus.choices, default=ReminderStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the dispatcher may next try: the due time at first, later than it after a failed attempt.
    next_attempt_at = models.DateTimeField()
    # A dispatcher that claims a row owns it until claimed_until; after that another may take it over.
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-due_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="reminder_pending_due",
                condition=Q(status__in=["pending", "sending"]),
            ),
            models.Index(fields=["recipient", "-due_at"], name="reminder_recipient_due"),
            models.Index(fields=["due_at"], name="reminder_digest_due", condition=Q(status="digest")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(email=""), name="reminder_has_an_addressee"
            ),
            models.CheckConstraint(condition=Q(status__in=ReminderStatus.values), name="reminder_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id or self.email} at {self.due_at:%Y-%m-%d %H:%M}"


class NotificationPreference(models.Model):
    """A member's choice for one kind. No row means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40)
    mode = models.CharField(max_length=20, choices=[(m.value, m.name.title()) for m in Mode])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
            models.CheckConstraint(condition=Q(mode__in=[m.value for m in Mode]), name="preference_mode_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.mode}"


class EmailOptOut(models.Model):
    """An address that asked not to be e-mailed (used for people without an account). Empty kind: all kinds."""

    email = models.EmailField()
    kind = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "kind"], name="one_opt_out_per_kind")]

    def __str__(self) -> str:
        return f"{self.email} opted out of {self.kind or 'everything'}"
