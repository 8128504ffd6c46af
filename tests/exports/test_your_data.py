"""The "Your data" page and its downloads: one request at a time, built by the task (safe to run twice), the
archive only to its owner, expiring after seven days with its file deleted, and a clear page for everything that
cannot be downloaded."""

import os
import re
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from apps.accounts.models import User
from apps.exports import services
from apps.exports.models import DataExport, ExportStatus
from apps.exports.services import ExportError, export_build, export_request, exports_tidy
from apps.exports.tasks import build_data_export, tidy_data_exports
from apps.notifications.models import Reminder
from tests.conftest import signed_in
from tests.factories import year_plan

from .support import read_archive

pytestmark = pytest.mark.django_db

PAGE = reverse("exports:page")


def download_url(export: DataExport) -> str:
    return reverse("exports:download", args=[export.pk])


def ready_export(owner: User) -> DataExport:
    export = export_request(owner=owner, now=timezone.now())
    build_data_export(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    return export


def test_the_page_explains_and_offers_the_button(owner_client: Client) -> None:
    body = owner_client.get(PAGE).content.decode()
    assert "You have not asked for a download yet" in body
    assert "Request a download" in body and "What the download holds" in body


def test_signed_out_people_are_sent_to_sign_in(client: Client, owner: User) -> None:
    export = ready_export(owner)
    for url in (PAGE, download_url(export), reverse("exports:status", args=[export.pk])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert client.post(PAGE).status_code == 302
    assert not DataExport.objects.exclude(pk=export.pk).exists()


def test_asking_writes_one_request_and_queues_its_build_after_commit(
    owner: User, owner_client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = owner_client.post(PAGE)
    assert response.status_code == 302 and response["Location"] == PAGE
    export = DataExport.objects.get()
    assert (export.owner, export.status) == (owner, ExportStatus.REQUESTED)
    assert len(callbacks) == 1  # export_queue(export.pk), run once the request's transaction commits
    body = owner_client.get(PAGE).content.decode()
    assert "We are preparing your download" in body
    assert reverse("exports:status", args=[export.pk]) in body  # the page polls until it is ready
    assert "Request a download" not in body


def test_a_second_request_while_one_is_being_prepared_is_refused(owner: User, owner_client: Client) -> None:
    first = export_request(owner=owner, now=timezone.now())
    for status in (ExportStatus.REQUESTED, ExportStatus.BUILDING):
        DataExport.objects.filter(pk=first.pk).update(status=status)
        response = owner_client.post(PAGE)
        assert response.status_code == 400
        body = response.content.decode()
        assert "You have already asked for a download" in body and "Nothing was changed" in body
        assert list(DataExport.objects.values_list("pk", flat=True)) == [first.pk]
    with pytest.raises(ExportError):
        export_request(owner=owner, now=timezone.now())


def test_the_database_refuses_two_downloads_in_progress_for_one_person(owner: User, colleague: User) -> None:
    DataExport.objects.create(owner=owner, requested_at=timezone.now())
    DataExport.objects.create(owner=colleague, requested_at=timezone.now())  # someone else's is no obstacle
    with pytest.raises(IntegrityError), transaction.atomic():
        DataExport.objects.create(owner=owner, requested_at=timezone.now(), status=ExportStatus.BUILDING)


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_make_one_download(
    reference_data: None, owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two tabs, one click each, at once: the partial unique constraint lets exactly one through."""
    monkeypatch.setattr(services, "export_queue", lambda export_id: None)
    barrier, outcomes = threading.Barrier(2), []

    def ask() -> None:
        try:
            barrier.wait()
            export_request(owner=owner, now=timezone.now())
            outcomes.append("made")
        except ExportError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["made", "refused"]
    assert DataExport.objects.filter(owner=owner).count() == 1


def test_the_task_builds_it_tells_the_person_and_the_page_offers_it(owner: User, owner_client: Client) -> None:
    year_plan(owner, title="Towards the board")
    export = export_request(owner=owner, now=timezone.now())
    assert owner_client.get(reverse("exports:status", args=[export.pk])).status_code == 204
    build_data_export(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.READY and export.size > 0
    assert export.expires_at == export.ready_at + timedelta(days=7)  # type: ignore[operator]
    assert re.fullmatch(r"exports/[0-9a-f]{32}\.zip", export.file.name)  # random: says nothing about whose it is
    reminder = Reminder.objects.get(kind="data_export_ready")
    assert reminder.recipient == owner and reminder.context["url"] == PAGE  # the page, never the file
    assert owner_client.get(reverse("exports:status", args=[export.pk]))["HX-Refresh"] == "true"

    body = owner_client.get(PAGE).content.decode()
    assert download_url(export) in body and "Available until" in body and "Request a new download" in body
    response = owner_client.get(download_url(export))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="stepping-up-my-data-')
    assert response["Cache-Control"] == "private, no-store"
    data, _ = read_archive(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert data["person"]["email"] == owner.email
    assert data["development_plans"][0]["title"] == "Towards the board"


def test_the_ready_e_mail_links_to_the_page_and_says_until_when(owner: User) -> None:
    from apps.notifications.emails import render_reminder

    ready_export(owner)
    reminder = Reminder.objects.get(kind="data_export_ready")
    subject, text, html = render_reminder(reminder, address=owner.email, name="Ravi")
    assert subject == "Your data is ready to download until 14 December"
    assert "/your-data/" in text and "Monday 14 December 2026" in text and "/your-data/" in html


def test_running_the_task_twice_is_harmless(owner: User) -> None:
    export = ready_export(owner)
    ready_at, name = export.ready_at, export.file.name
    build_data_export(export.pk)
    build_data_export(export.pk + 1000)  # a download that does not exist: nothing to do
    export.refresh_from_db()
    assert (export.status, export.ready_at, export.file.name) == (ExportStatus.READY, ready_at, name)
    assert len(default_storage.listdir("exports")[1]) == 1
    assert Reminder.objects.filter(kind="data_export_ready").count() == 1


def test_a_build_left_by_a_dead_worker_is_taken_over(owner: User) -> None:
    export = export_request(owner=owner, now=timezone.now())
    DataExport.objects.filter(pk=export.pk).update(status=ExportStatus.BUILDING, started_at=timezone.now())
    assert export_build(export_id=export.pk, now=timezone.now()) is not None


def test_a_failed_build_says_so_keeps_no_file_and_can_be_asked_again(
    owner: User, owner_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "archive_write", broken)
    export = export_request(owner=owner, now=timezone.now())
    build_data_export(export.pk)
    export.refresh_from_db()
    assert (export.status, export.file.name) == (ExportStatus.FAILED, "")
    assert export.error == "RuntimeError: the disk is full"  # for the operators; the page says it plainly
    assert not default_storage.exists("exports") or default_storage.listdir("exports") == ([], [])
    body = owner_client.get(PAGE).content.decode()
    assert "Your last download could not be prepared" in body and "the disk is full" not in body
    response = owner_client.get(download_url(export))
    assert response.status_code == 410 and "This download could not be prepared" in response.content.decode()
    assert owner_client.post(PAGE).status_code == 302  # may ask again
    assert DataExport.objects.filter(status=ExportStatus.REQUESTED).count() == 1


def test_someone_elses_download_is_not_found(owner: User, colleague: User, outsider: User) -> None:
    export = ready_export(owner)
    for person in (colleague, outsider):
        client = signed_in(person)
        assert client.get(download_url(export)).status_code == 404
        assert client.get(reverse("exports:status", args=[export.pk])).status_code == 404
        assert "You have not asked for a download yet" in client.get(PAGE).content.decode()
    assert signed_in(colleague).get(reverse("exports:download", args=[export.pk + 1000])).status_code == 404


def test_a_download_not_ready_yet_says_so(owner: User, owner_client: Client) -> None:
    export = export_request(owner=owner, now=timezone.now())
    response = owner_client.get(download_url(export))
    assert response.status_code == 409 and "This download is not ready yet" in response.content.decode()


def test_an_expired_link_says_so_and_the_tidy_up_deletes_the_file(
    owner: User, owner_client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    export = ready_export(owner)
    name = export.file.name
    with time_machine.travel(export.expires_at + timedelta(minutes=1), tick=False):  # type: ignore[operator]
        # Past its time, before the tidy-up has run: the link already refuses, and says why.
        response = owner_client.get(download_url(export))
        assert response.status_code == 410
        assert "This download has expired" in response.content.decode()
        assert default_storage.exists(name)
        with django_capture_on_commit_callbacks(execute=True):
            tidy_data_exports()
        export.refresh_from_db()
        assert (export.status, export.file.name, export.size) == (ExportStatus.EXPIRED, "", 0)
        assert not default_storage.exists(name)
        assert owner_client.get(download_url(export)).status_code == 410
        assert "Your last download expired on" in owner_client.get(PAGE).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            assert exports_tidy(now=timezone.now()).expired == 0  # twice is harmless


def test_a_day_before_expiry_it_still_downloads(owner: User, owner_client: Client) -> None:
    export = ready_export(owner)
    with time_machine.travel(export.expires_at - timedelta(days=1), tick=False):  # type: ignore[operator]
        exports_tidy(now=timezone.now())
        assert owner_client.get(download_url(export)).status_code == 200


def test_a_new_download_replaces_the_one_before(
    owner: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "export_queue", lambda export_id: None)  # the build runs here, as a worker would
    monkeypatch.setattr("apps.notifications.services._dispatch_soon", lambda: None)
    first = ready_export(owner)
    second = export_request(owner=owner, now=timezone.now())  # allowed: the first is ready, not in progress
    with django_capture_on_commit_callbacks(execute=True):
        build_data_export(second.pk)
    first.refresh_from_db()
    assert first.status == ExportStatus.EXPIRED and not first.file
    assert len(default_storage.listdir("exports")[1]) == 1


def test_lost_requests_are_queued_again_and_hopeless_ones_given_up(
    owner: User,
    colleague: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    queued: list[int] = []
    monkeypatch.setattr(services, "export_queue", queued.append)
    now = timezone.now()
    fresh = export_request(owner=owner, now=now)  # its own task is still on its way
    lost = export_request(owner=colleague, now=now - timedelta(minutes=20))  # the broker was down
    hopeless = DataExport.objects.create(
        owner=User.objects.create(email="third@example.org"), requested_at=now - timedelta(hours=7)
    )
    with django_capture_on_commit_callbacks(execute=True):
        tidied = exports_tidy(now=now)
    assert tidied.queued_again == [lost.pk] and queued == [lost.pk] and tidied.given_up == 1
    hopeless.refresh_from_db()
    assert hopeless.status == ExportStatus.FAILED
    fresh.refresh_from_db()
    assert fresh.status == ExportStatus.REQUESTED


def test_an_archive_whose_download_is_gone_is_deleted_by_the_tidy_up(owner: User, media: Path) -> None:
    """An account deleted takes its downloads' rows with it (CASCADE); the files go at the next tidy-up."""
    kept = ready_export(owner)
    (media / "exports" / "left-behind.zip").write_bytes(b"PK")
    (media / "exports" / "being-built.zip").write_bytes(b"PK")
    # Files carry the real clock's times; the test's clock is a fixed day, so set both.
    for name, age in (("left-behind.zip", timedelta(hours=2)), ("being-built.zip", timedelta(minutes=5))):
        moment = (timezone.now() - age).timestamp()
        os.utime(media / "exports" / name, (moment, moment))
    assert exports_tidy(now=timezone.now()).orphans_deleted == 1
    assert sorted(default_storage.listdir("exports")[1]) == sorted(["being-built.zip", Path(kept.file.name).name])


@pytest.mark.parametrize(
    ("method", "name", "expected"),
    [("put", "page", 405), ("delete", "page", 405), ("post", "download", 405), ("post", "status", 405)],
)
def test_wrong_methods_are_refused(owner: User, owner_client: Client, method: str, name: str, expected: int) -> None:
    export = ready_export(owner)
    url = PAGE if name == "page" else reverse(f"exports:{name}", args=[export.pk])
    assert getattr(owner_client, method)(url).status_code == expected
    assert DataExport.objects.count() == 1
