"""The access audit log: who looked at whose private record, and when."""

from django.conf import settings
from django.db import models


class AccessEvent(models.Model):
    """One view of a private record by someone other than its owner. Rows are only ever added."""

    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
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
