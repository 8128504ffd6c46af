"""Notes on a meeting, shared with the network's members and no one else: a member adds one, and its author alone
changes or deletes it."""

from datetime import datetime

from django.db import transaction

from apps.accounts.models import User

from ..models import MeetingNote, MembershipStatus, NetworkMeeting, NetworkMembership
from . import NetworkError


def _require_member(network_id: int, person: User) -> None:
    if not NetworkMembership.objects.filter(
        network=network_id, person=person.pk, status=MembershipStatus.MEMBER
    ).exists():
        raise NetworkError("Only the network's members can write notes.")


@transaction.atomic
def note_add(*, meeting: NetworkMeeting, author: User, text: str, now: datetime) -> MeetingNote:
    _require_member(meeting.network_id, author)
    note = MeetingNote(meeting=meeting, author=author, text=text.strip(), created_at=now, updated_at=now)
    note.full_clean()
    note.save()
    return note


def _own(note: MeetingNote, author: User) -> MeetingNote:
    locked = MeetingNote.objects.select_for_update().select_related("meeting").filter(pk=note.pk).first()
    if locked is None or locked.author_id != author.pk:
        raise NetworkError("Only the note's author can change it.")
    _require_member(locked.meeting.network_id, author)
    return locked


@transaction.atomic
def note_edit(*, note: MeetingNote, author: User, text: str, now: datetime) -> MeetingNote:
    locked = _own(note, author)
    locked.text, locked.updated_at = text.strip(), now
    locked.full_clean()
    locked.save(update_fields=["text", "updated_at"])
    return locked


@transaction.atomic
def note_delete(*, note: MeetingNote, author: User, now: datetime) -> None:
    _own(note, author).delete()
