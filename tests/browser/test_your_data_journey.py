"""Downloading one's data as a person does: from the account page, ask for it, wait on the page while the task
builds it (the page notices by itself), download the archive and open it."""

import json
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django import Settings

from apps.exports import services
from apps.exports.models import DataExport
from apps.exports.tasks import build_data_export
from tests.factories import ProfileFactory, year_plan

from .conftest import assert_accessible
from .test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_asks_for_their_data_and_downloads_it(
    page: Page, monkeypatch: pytest.MonkeyPatch, settings: Settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path  # the archive is written where pytest removes it
    # The worker is this test: nothing goes to the broker, and the build runs below, in process.
    monkeypatch.setattr(services, "export_queue", lambda export_id: None)
    monkeypatch.setattr("apps.notifications.services._dispatch_soon", lambda: None)
    person = ProfileFactory(user__email="downloader@example.org", user__first_name="Priya", user__last_name="Shah").user
    year_plan(person, title="Towards the board seat")
    sign_in(page, "downloader@example.org")

    page.goto("/account-and-security/")
    page.get_by_role("link", name="Download your data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    expect(page.get_by_text("You have not asked for a download yet")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Request a download").click()
    expect(page.get_by_text("We are preparing your download. We will e-mail you")).to_be_visible()
    expect(page.get_by_role("button", name="Request a download")).to_have_count(0)
    assert_accessible(page)

    build_data_export(DataExport.objects.get(owner=person).pk)
    # The page polls while it waits, and shows the download once it is ready, without a click.
    link = page.get_by_role("button", name="Download your data (ZIP file)")
    expect(link).to_be_visible(timeout=15_000)
    page.reload()
    expect(page.get_by_text("Available until")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as started:
        page.get_by_role("button", name="Download your data (ZIP file)").click()
    download = started.value
    assert re.fullmatch(r"stepping-up-my-data-\d{4}-\d{2}-\d{2}\.zip", download.suggested_filename)
    with zipfile.ZipFile(download.path()) as archive:
        names = set(archive.namelist())
        data = json.loads(archive.read("data.json"))
        summary = archive.read("summary.html").decode()
    assert {"data.json", "README.txt", "summary.html"} <= names
    assert data["format"] == "stepping-up-export/1"
    assert (data["person"]["first_name"], data["person"]["last_name"]) == ("Priya", "Shah")
    assert data["development_plans"][0]["title"] == "Towards the board seat"
    assert "Your data: Priya Shah" in summary
