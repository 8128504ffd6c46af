"""The access audit log: who looked at whose private record, and when."""

from django.conf import settings
from django.db import models


class AccessEvent(models.Model):
    """One view of a private record by someone other than its owner. Rows are only ever added.

    The viewer's name is kept as text, as a change's actor's is: a log the viewer could blank by closing their
    account would not protect the owner, so the row outlives the viewer's account (the key is then null)."""

    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    viewer_name = models.CharField(max_length=200, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_events")
    # What was seen, named the way the owner would understand it: "self-assessment", "development plan", …
    record_kind = models.CharField(max_length=60)
    record_id = models.CharField(max_length=40)
    # Why the viewer could see it: "shared with mentor", "shared with programme organiser", …
    reason = models.CharField(max_length=120)
    viewed_at = models.DateTimeField(db_index=True)
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-viewed_at", "-id"]
        indexes = [models.Index(fields=["owner", "-viewed_at"])]

    def __str__(self) -> str:
        return f"{self.viewer_id} viewed {self.record_kind} {self.record_id} of {self.owner_id}"


class ChangeEvent(models.Model):
    """One change someone made to something that is not theirs alone: a mentoring pair, a learning set's members,
    a session's time. Who, what, when, before and after. Rows are only ever added.

    The actor's name is kept as text so the record survives their account being closed (the key is then null); the
    person the change touched (`subject`) reads the rows about them beside who has seen their records."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=200)
    # In what capacity they acted: "organiser", "facilitator", "administrator".
    capacity = models.CharField(max_length=40)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="change_events"
    )
    # What happened, in words the subject would use: "changed your proposed mentor", "moved you to another set".
    action = models.CharField(max_length=120)
    # What it was done to: "North West aspiring MDs, match round of 3 December 2026", "Set 2, session 3".
    target = models.CharField(max_length=200)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    changed_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["subject", "-changed_at"])]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} ({self.target})"

    # The pages list before and after as (what, value) pairs. Not `before.items` in a template: the template
    # language looks up a key before a method, so a change recorded as {"items": [...]} (a network agenda) broke
    # the page. A list (the agenda's items) reads as a list in words.
    @property
    def before_pairs(self) -> list[tuple[str, object]]:
        return _pairs(self.before)

    @property
    def after_pairs(self) -> list[tuple[str, object]]:
        return _pairs(self.after)


def _pairs(values: object) -> list[tuple[str, object]]:
    if not isinstance(values, dict):
        return []
    return [(key, "; ".join(map(str, v)) if isinstance(v, list) else v) for key, v in values.items()]
