from pathlib import Path

import pytest
from pytest_django import Settings

from tests.assessments.conftest import completed_assessment, person_spec  # noqa: F401 - shared fixtures


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> Path:
    """Each test's documents and downloads in a folder of its own, so that "the file is gone" means this file."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)
