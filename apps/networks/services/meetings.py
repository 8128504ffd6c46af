"""A network's meetings: an organiser schedules one (members are invited, with a calendar file, and reminded the
day before), moves it or cancels it before it starts (members are told, and their calendars updated: the same UID,
a higher SEQUENCE), and sets its agenda from the topics members voted for, which closes the voting. Each write
locks the meeting's row first; every change goes on the change record of the members it touched."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.services import change_record
from apps.notifications.services import cancel_all, schedule_many
from apps.notifications.templatetags.notification_format import london_datetime

from ..models import AgendaItem, MeetingStatus, Network, NetworkMeeting, NetworkMembership, Topic
from ..selectors import network_members
from . import NetworkError
from .reminders import invitations_refresh, meeting_context, member_reminders, news_send, reminders_for_members

LONGEST = timedelta(hours=12)
# Far enough ahead for a forum's year of dates; no further, so no arithmetic runs near the end of the calendar.
FURTHEST = timedelta(days=3 * 366)
AGENDA_ITEMS_MAX = 20


def _lock_network(network_id: int) -> None:
    """Take the network's row first, as joining, leaving and removing someone do: the members a meeting's
    invitations and news go to are then those of the network as it is, never someone removed at the same moment
    (whose removal would find no reminder of this meeting to cancel). Always the network before the meeting."""
    Network.objects.select_for_update().filter(pk=network_id).first()


def _require_organiser(network_id: int, actor: User) -> None:
    if not NetworkMembership.objects.filter(network=network_id, person=actor.pk, is_organiser=True).exists():
        raise NetworkError("Only the network's organisers can do that.")


def _check_time(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise NetworkError("Give the time in UK time.")
    if starts_at <= now:
        raise NetworkError("Choose a time in the future.")
    if starts_at > now + FURTHEST:
        raise NetworkError("Choose a date within the next three years.")
    if ends_at <= starts_at:
        raise NetworkError("The meeting must end after it starts.")
    if ends_at - starts_at > LONGEST:
        raise NetworkError("A meeting can last at most 12 hours.")


def _check_where(place: str, online_url: str) -> None:
    if not place.strip() and not online_url.strip():
        raise NetworkError("Give a place, an online link, or both.")


def _when(moment: datetime) -> str:
    return str(london_datetime(moment))


def _record(
    meeting: NetworkMeeting, actor: User, action: str, members: list[User], before: dict, after: dict, now: datetime
) -> None:
    change_record(
        actor=actor,
        capacity="organiser",
        action=action,
        target=f"{meeting.network.name}, meeting on {_when(meeting.starts_at)}",
        subjects=[person for person in members if person.pk != actor.pk],
        before=before,
        after=after,
        now=now,
    )


@transaction.atomic
def meeting_schedule(
    *,
    network: Network,
    actor: User,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    online_url: str,
    now: datetime,
) -> NetworkMeeting:
    """A new meeting: every member but the organiser is invited with a calendar file; all are reminded the day
    before."""
    _lock_network(network.pk)
    _require_organiser(network.pk, actor)
    _check_time(starts_at, ends_at, now)
    _check_where(place, online_url)
    meeting = NetworkMeeting(
        network=network,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        online_url=online_url.strip(),
        created_at=now,
        changed_at=now,
    )
    meeting.full_clean()
    meeting.save()
    members = network_members(network=network)
    reminders_for_members(meeting, members, actor=actor, now=now)
    _record(meeting, actor, "scheduled a meeting of your network", members, {}, {"starts": _when(starts_at)}, now)
    return meeting


def _locked(meeting: NetworkMeeting) -> NetworkMeeting:
    _lock_network(meeting.network_id)
    return NetworkMeeting.objects.select_for_update(of=("self",)).select_related("network").get(pk=meeting.pk)


def _changeable(meeting: NetworkMeeting, now: datetime, what: str) -> None:
    if meeting.is_cancelled:
        raise NetworkError(f"This meeting is cancelled, so it cannot be {what}.")
    if meeting.starts_at <= now:
        raise NetworkError(f"This meeting has already started, so it cannot be {what}.")


@transaction.atomic
def meeting_move(
    *,
    meeting: NetworkMeeting,
    actor: User,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    online_url: str,
    now: datetime,
) -> NetworkMeeting:
    """Move a meeting or change where it is. Members are told (but the organiser who moved it) with a calendar
    file for the new time; the day-before reminders move with it."""
    locked = _locked(meeting)
    _require_organiser(locked.network_id, actor)
    _changeable(locked, now, "moved")
    _check_time(starts_at, ends_at, now)
    _check_where(place, online_url)
    place, online_url = place.strip(), online_url.strip()
    before = (locked.starts_at, locked.ends_at, locked.place, locked.online_url)
    if before == (starts_at, ends_at, place, online_url):
        return locked
    was = locked.starts_at
    locked.starts_at, locked.ends_at, locked.place, locked.online_url = starts_at, ends_at, place, online_url
    locked.sequence += 1
    locked.changed_at = now
    locked.full_clean()
    locked.save(update_fields=["starts_at", "ends_at", "place", "online_url", "sequence", "changed_at"])
    members = network_members(network=locked.network)
    cancel_all(prefix=f"netmeeting:{locked.pk}:24h:")
    invitations_refresh(locked, members)
    context = meeting_context(locked)
    schedule_many([r for p in members for r in member_reminders(locked, p, now=now, invite=False, context=context)])
    news_send(
        locked,
        members,
        kind="network_meeting_moved",
        label="moved",
        actor=actor,
        now=now,
        was_starts_at=was.isoformat(),
    )
    _record(
        locked,
        actor,
        "moved a meeting of your network",
        members,
        {"starts": _when(was)},
        {"starts": _when(locked.starts_at)},
        now,
    )
    return locked


@transaction.atomic
def meeting_cancel(*, meeting: NetworkMeeting, actor: User, now: datetime) -> NetworkMeeting:
    """Call off a meeting before it starts: its reminders stop, and members (but the organiser cancelling) are
    e-mailed a calendar cancellation (same UID, higher SEQUENCE, STATUS:CANCELLED)."""
    locked = _locked(meeting)
    _require_organiser(locked.network_id, actor)
    if locked.is_cancelled:
        raise NetworkError("This meeting is already cancelled.")
    _changeable(locked, now, "cancelled")
    locked.status = MeetingStatus.CANCELLED
    locked.sequence += 1
    locked.changed_at = now
    locked.save(update_fields=["status", "sequence", "changed_at"])
    cancel_all(prefix=f"netmeeting:{locked.pk}:")
    members = network_members(network=locked.network)
    news_send(locked, members, kind="network_meeting_cancelled", label="cancelled", actor=actor, now=now)
    _record(
        locked,
        actor,
        "cancelled a meeting of your network",
        members,
        {"starts": _when(locked.starts_at)},
        {"status": "cancelled"},
        now,
    )
    return locked


@transaction.atomic
def agenda_set(
    *, meeting: NetworkMeeting, actor: User, topic_ids: list[int], other_items: list[str], now: datetime
) -> list[AgendaItem]:
    """Set (or set again) the meeting's agenda: the chosen topics, most votes first and on a tie the one proposed
    first, then the organiser's own items in the order given. Voting on the meeting's topics closes."""
    locked = _locked(meeting)
    _require_organiser(locked.network_id, actor)
    _changeable(locked, now, "given an agenda")
    chosen = list(
        Topic.objects.filter(meeting=locked, pk__in=topic_ids)
        .annotate(vote_count=Count("votes"))
        .order_by("-vote_count", "proposed_at", "pk")
    )
    if len(chosen) != len(set(topic_ids)):
        raise NetworkError("Choose topics proposed for this meeting.")
    others = [line.strip() for line in other_items if line.strip()]
    if not chosen and not others:
        raise NetworkError("Choose at least one topic or add an item of your own.")
    if len(chosen) + len(others) > AGENDA_ITEMS_MAX:
        raise NetworkError(f"An agenda can have at most {AGENDA_ITEMS_MAX} items.")
    if any(len(line) > 200 for line in others):
        raise NetworkError("Keep each item to 200 characters.")
    AgendaItem.objects.filter(meeting=locked).delete()
    items = [AgendaItem(meeting=locked, position=n, title=t.title, topic=t) for n, t in enumerate(chosen, start=1)]
    items += [AgendaItem(meeting=locked, position=len(chosen) + n, title=t) for n, t in enumerate(others, start=1)]
    for item in items:
        item.full_clean(exclude=["meeting", "topic"])
    created = AgendaItem.objects.bulk_create(items)
    first_time = locked.agenda_set_at is None
    locked.agenda_set_at = now
    locked.save(update_fields=["agenda_set_at"])
    members = network_members(network=locked.network)
    invitations_refresh(locked, members)
    _record(
        locked,
        actor,
        "set the agenda of a meeting of your network"
        if first_time
        else "changed the agenda of a meeting of your network",
        members,
        {},
        {"items": [i.title for i in created]},
        now,
    )
    return created
