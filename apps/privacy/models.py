"""What the privacy app keeps: that an account was closed (numbers only, never whose), and what each retention
run removed (numbers only). Neither holds anything about a person."""

from django.db import models


class AccountClosure(models.Model):
    """An account was closed, when, and whether by the person or by an administrator at their request, with how
    many rows were erased and how many kept for others, by kind. No name, address or id of the person: the record
    shows the erasure was done without undoing it (docs/ARCHITECTURE.md, "Your data")."""

    closed_at = models.DateTimeField(db_index=True)
    by_administrator = models.BooleanField(default=False)
    # {"mentoring.meeting": 3, …}: rows deleted with the account, and rows kept for others with the key emptied.
    erased = models.JSONField(default=dict, blank=True)
    kept = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-closed_at", "-id"]

    def __str__(self) -> str:
        return f"Account closed {self.closed_at:%Y-%m-%d}"


class RetentionRun(models.Model):
    """One run of the retention rules: what each rule removed (counts by rule name). A dry run is not recorded."""

    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    removed = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Retention run {self.started_at:%Y-%m-%d %H:%M}"
