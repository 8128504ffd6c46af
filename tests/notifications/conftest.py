from datetime import UTC, datetime
from typing import Any

import pytest

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def goal_context(**extra: Any) -> dict[str, Any]:
    return {"goal_title": "Chair a board sub-committee", "due_on": "2026-12-07", "url": "/plans/goals/1/", **extra}


def rater_context() -> dict[str, Any]:
    return {"person_name": "Amara Okafor", "closes_on": "2026-12-14", "url": "/feedback/respond/abc/"}


def session_context() -> dict[str, Any]:
    return {
        "set_name": "Midlands aspiring MDs, set 2",
        "starts_at": "2026-11-30T14:00:00+00:00",
        "location": "Video call",
        "url": "/learning-sets/sessions/7/",
        "event": {
            "uid": "session-7@stepping-up",
            "start": "2026-11-30T14:00:00+00:00",
            "end": "2026-11-30T16:00:00+00:00",
            "summary": "Action learning set",
            "location": "Video call",
        },
    }


@pytest.fixture
def now() -> datetime:
    return NOW
