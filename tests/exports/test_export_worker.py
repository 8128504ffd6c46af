"""A download built end to end by a real Celery worker process over a private redis-server: the request only
queues it after commit, the worker builds the archive and e-mails the person through the outbox, and the page then
offers the file."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from apps.accounts.models import User
from apps.exports.models import DataExport, ExportStatus
from apps.notifications.models import Reminder
from tests.conftest import signed_in
from tests.factories import year_plan
from tests.notifications.test_delivery_faults import worker_env
from tests.support.processes import Services, broker_for_this_process, free_port

from .support import read_archive

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media() -> Path:
    """The worker writes where the test settings say (var/test-media), so this test reads from there too."""
    return Path(settings.MEDIA_ROOT)


def test_a_worker_builds_the_download_and_the_person_is_told(reference_data: None, tmp_path: Path, owner: User) -> None:
    year_plan(owner, title="Towards the board seat")
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    with Services(tmp_path, worker_env(broker)) as services, broker_for_this_process(broker):
        services.start_redis(port)
        worker = services.start_worker("worker")
        client = signed_in(owner)
        assert client.post(reverse("exports:page")).status_code == 302
        export = DataExport.objects.get(owner=owner)
        services.wait_for(
            lambda: DataExport.objects.get(pk=export.pk).status == ExportStatus.READY,
            "the worker to build the download",
            watch=worker,
        )
        export.refresh_from_db()
        try:
            assert client.get(reverse("exports:status", args=[export.pk]))["HX-Refresh"] == "true"
            response = client.get(reverse("exports:download", args=[export.pk]))
            data, _ = read_archive(b"".join(response.streaming_content))  # type: ignore[attr-defined]
            assert data["development_plans"][0]["title"] == "Towards the board seat"
            assert Reminder.objects.filter(kind="data_export_ready", recipient=owner).count() == 1
        finally:
            default_storage.delete(export.file.name)
