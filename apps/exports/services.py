"""Downloads of a person's data: ask for one, build it (a Celery task), delete it when it expires.

A request writes a `DataExport` row and queues `tasks.build_data_export` after commit. The database refuses a
second request while one is waiting or being built (a partial unique constraint), so two clicks or two tabs
make one download. Building is safe to run twice and to run after a worker died: it takes the row's lock with
SKIP LOCKED, so a second worker leaves a build in progress alone, and it does nothing to a download that is no
longer waiting. The periodic `exports_tidy` deletes expired files and queues again any request whose task was
lost (the broker was down when it was asked for), so a request is never stuck "being prepared".
"""

import logging
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.accounts.models import User
from apps.notifications.services import schedule

from .archive import archive_write
from .collect import person_data
from .models import IN_PROGRESS, DataExport, ExportStatus

logger = logging.getLogger(__name__)

LIFETIME = timedelta(days=7)
# A request not finished this long after it was made lost its task (or its worker): queue it again.
LOST_AFTER = timedelta(minutes=15)
# ... and one not finished after this never will be: say so, so the person can ask again.
GIVE_UP_AFTER = timedelta(hours=6)
# An archive file no row names, this old, belongs to nobody (see _delete_orphans).
ORPHAN_AFTER = timedelta(hours=1)
FOLDER = "exports"


class ExportError(Exception):
    """A download that cannot be asked for now; the message is shown, and nothing was written."""


ALREADY = "We are already preparing a download of your data. We will e-mail you when it is ready."


@transaction.atomic
def export_request(*, owner: User, now: datetime) -> DataExport:
    """Ask for a download. Refused while another is waiting or being built. No input from the person to check."""
    if DataExport.objects.filter(owner=owner, status__in=IN_PROGRESS).exists():
        raise ExportError(ALREADY)
    try:
        with transaction.atomic():
            export = DataExport.objects.create(owner=owner, requested_at=now)
    except IntegrityError:  # a second click at the same moment: the first one stands
        raise ExportError(ALREADY) from None
    export_id = export.pk
    transaction.on_commit(lambda: export_queue(export_id))
    return export


def export_queue(export_id: int) -> None:
    """Hand the build to a worker. Best effort: if the broker is unreachable, `exports_tidy` queues it later."""
    from config.celery import app

    from .tasks import build_data_export

    try:
        # One quick try, as notifications does: left to itself kombu retries for seconds inside the request.
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
            build_data_export.apply_async((export_id,), connection=connection, retry=False)
    except Exception as error:  # kombu raises several kinds of connection error
        logger.warning("Could not queue data export %s (it will be queued again): %s", export_id, error)


def export_build(*, export_id: int, now: datetime) -> DataExport | None:
    """Build the archive of a waiting download, mark it ready, and e-mail its owner. Returns the ready download, or
    None when there was nothing to do (built already, gone, or being built by another worker right now)."""
    if not _mark_building(export_id, now):
        return None
    stored = ""
    try:
        with transaction.atomic():
            # Held while building: a second worker skips this row instead of building it twice.
            export = (
                DataExport.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("owner")
                .filter(pk=export_id, status=ExportStatus.BUILDING)
                .first()
            )
            if export is None:
                return None
            stored = _store_archive(export, now)
            export.status, export.ready_at, export.expires_at = ExportStatus.READY, now, now + LIFETIME
            export.error = ""
            export.save(update_fields=["status", "ready_at", "expires_at", "file", "size", "error"])
            _retire_older(export, now)
            _tell_owner(export)
    except Exception:
        if stored:  # the row never said ready: the file must not outlive the transaction
            default_storage.delete(stored)
        raise
    return export


@transaction.atomic
def _mark_building(export_id: int, now: datetime) -> bool:
    export = DataExport.objects.select_for_update(skip_locked=True).filter(pk=export_id).first()
    if export is None or export.status not in IN_PROGRESS:
        return False  # built, failed or expired already; or another worker holds it
    if export.status == ExportStatus.REQUESTED:
        export.status, export.started_at = ExportStatus.BUILDING, now
        export.save(update_fields=["status", "started_at"])
    return True  # building: ours now, or left by a worker that died (its lock went with it)


def _store_archive(export: DataExport, now: datetime) -> str:
    collected = person_data(person=export.owner, now=now)
    with tempfile.TemporaryFile() as scratch:
        archive_write(collected=collected, target=scratch, storage=default_storage, now=now)
        export.size = scratch.tell()
        scratch.seek(0)
        export.file.save("data.zip", File(scratch), save=False)
    return str(export.file.name)


def _retire_older(export: DataExport, now: datetime) -> None:
    """One download at a time: a new one replaces the one before, whose file goes once this commits."""
    older = DataExport.objects.select_for_update().filter(owner=export.owner, status=ExportStatus.READY)
    for previous in older.exclude(pk=export.pk):
        _expire(previous, now)


def _tell_owner(export: DataExport) -> None:
    schedule(
        recipient=export.owner,
        kind="data_export_ready",
        due_at=export.ready_at,  # type: ignore[arg-type]  # just set
        dedupe_key=f"data-export:{export.pk}:ready",
        context={"expires_at": export.expires_at.isoformat(), "url": reverse("exports:page")},  # type: ignore[union-attr]
    )


@transaction.atomic
def export_failed(*, export_id: int, error: str) -> None:
    """A build that raised: the person sees that it failed and may ask again (the constraint no longer holds)."""
    DataExport.objects.filter(pk=export_id, status__in=IN_PROGRESS).update(
        status=ExportStatus.FAILED, error=error[:300]
    )


def _expire(export: DataExport, now: datetime) -> None:
    name = export.file.name
    export.status, export.file, export.size = ExportStatus.EXPIRED, "", 0  # type: ignore[assignment]
    if export.expires_at is None or export.expires_at > now:
        export.expires_at = now  # replaced by a newer one before its time
    export.save(update_fields=["status", "file", "size", "expires_at"])
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


@dataclass(frozen=True)
class Tidied:
    expired: int
    queued_again: list[int]
    given_up: int
    orphans_deleted: int = 0


def exports_tidy(*, now: datetime) -> Tidied:
    """Delete downloads past their time, queue again requests whose task was lost, give up on ones far too old,
    and delete archive files no download points at any more. Safe to run twice, and beside a build: rows a worker
    holds are skipped (SKIP LOCKED)."""
    with transaction.atomic():
        expired, lost, given_up = _tidy_rows(now)
    return Tidied(expired=expired, queued_again=lost, given_up=given_up, orphans_deleted=_delete_orphans(now))


def _tidy_rows(now: datetime) -> tuple[int, list[int], int]:
    expired = list(
        DataExport.objects.select_for_update(skip_locked=True).filter(status=ExportStatus.READY, expires_at__lte=now)
    )
    for export in expired:
        _expire(export, now)
    stale = list(
        DataExport.objects.select_for_update(skip_locked=True).filter(
            status__in=IN_PROGRESS, requested_at__lte=now - LOST_AFTER
        )
    )
    too_old = [e.pk for e in stale if e.requested_at <= now - GIVE_UP_AFTER]
    DataExport.objects.filter(pk__in=too_old).update(
        status=ExportStatus.FAILED, error="Not finished within six hours: the task or its worker was lost."
    )
    lost = [e.pk for e in stale if e.pk not in too_old]
    for export_id in lost:
        transaction.on_commit(partial(export_queue, export_id))
    return len(expired), lost, len(too_old)


def _delete_orphans(now: datetime) -> int:
    """Archives whose row has gone (its owner's account was deleted, taking the row with it). Only files older
    than ORPHAN_AFTER: a build writes its file a moment before the row that names it is committed."""
    try:
        _, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    kept = set(DataExport.objects.exclude(file="").values_list("file", flat=True))
    orphans = [
        path
        for path in (f"{FOLDER}/{name}" for name in names)
        if path not in kept and default_storage.get_modified_time(path) <= now - ORPHAN_AFTER
    ]
    for path in orphans:
        default_storage.delete(path)
    return len(orphans)
