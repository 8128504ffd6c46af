"""A person's download holds their bilaterals, meetings and the notes they wrote; the other person by name only,
and nothing of anyone else's bilateral or of the other's notes."""

from datetime import timedelta

import pytest

from apps.bilaterals.services import note_add
from apps.exports.collect import person_data

from .support import FIRST_OPTION, agreed, booked, md

pytestmark = pytest.mark.django_db


def test_the_download_has_their_bilaterals_and_their_own_notes_only() -> None:
    alice, bola = md("alice@example.org"), md("bola@example.org")
    meeting = booked(agreed(alice, bola, cadence=3))
    after = FIRST_OPTION + timedelta(hours=2)
    note_add(meeting_id=meeting.pk, author=alice, text="ALICETAG notes", now=after)
    note_add(meeting_id=meeting.pk, author=bola, text="BOLATAG notes", now=after)
    agreed(md("carol@example.org"), md("dana@example.org"))

    section = person_data(person=alice, now=after).data["bilaterals"]
    (bilateral,) = section["bilaterals"]
    assert bilateral["with"] == bola.display_name
    assert bilateral["you_proposed"] is True
    assert bilateral["how_often"] == {"code": 3, "label": "Every three months"}
    assert bilateral["your_weekly_times"] == ["mon-10:00", "tue-14:00"]
    assert bilateral["meetings"] == [
        {"starts_at": "2026-12-15T14:00:00Z", "status": {"code": "scheduled", "label": "Scheduled"}}
    ]
    assert [n["note"] for n in section["notes_you_wrote"]] == ["ALICETAG notes"]
    assert "BOLATAG" not in str(section)
    assert "bola@example.org" not in str(section)
