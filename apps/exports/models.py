"""A person's download of everything the portal holds about them (UK GDPR, right of access).

The archive is built by a Celery task (`tasks.build_data_export`), kept under MEDIA_ROOT/exports/ with a random
name, served only to its owner through the page's download link, and deleted seven days after it was ready.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q


class ExportStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    BUILDING = "building", "Being prepared"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Could not be prepared"
    EXPIRED = "expired", "Expired and deleted"


# A request still waiting for a worker, or one a worker is building: a person has at most one of these at a time.
IN_PROGRESS = [ExportStatus.REQUESTED, ExportStatus.BUILDING]


def export_file_path(instance: "DataExport", filename: str) -> str:
    # Never the owner's id or name: the file name says nothing about whose data it holds.
    return f"exports/{secrets.token_hex(16)}.zip"  # services.FOLDER


class DataExport(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.REQUESTED)
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=export_file_path, blank=True, max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    # For the portal's operators (the exception); the person is shown a plain sentence instead.
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner"], condition=Q(status__in=IN_PROGRESS), name="one_data_export_in_progress"
            ),
            models.CheckConstraint(
                condition=~Q(status=ExportStatus.READY) | Q(ready_at__isnull=False, expires_at__isnull=False),
                name="data_export_ready_has_times",
            ),
            models.CheckConstraint(
                condition=Q(status=ExportStatus.READY) | Q(file=""), name="data_export_file_only_when_ready"
            ),
        ]

    def __str__(self) -> str:
        return f"Data export {self.pk} of {self.owner_id}: {self.status}"

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS
