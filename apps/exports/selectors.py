"""Reads of a person's downloads: always through their owner, so another person's download is a 404."""

from django.db.models import QuerySet

from apps.accounts.models import User

from .models import DataExport


def exports_for_owner(*, owner: User) -> QuerySet[DataExport]:
    return DataExport.objects.filter(owner=owner).order_by("-requested_at", "-id")


def latest_export_for(*, owner: User) -> DataExport | None:
    return exports_for_owner(owner=owner).first()


def export_for_owner(*, owner: User, export_id: int) -> DataExport | None:
    return DataExport.objects.filter(owner=owner, pk=export_id).first()
