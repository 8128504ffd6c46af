"""Publishing a programme: the draft sets become live ones, with their sessions, an invitation to every member
and the reminders before each session. Only an organiser of the programme, and only once, from the grouping stage:
the programme's row is locked, so a second click finds it running."""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.accounts.selectors import user_has_role
from apps.notifications.templatetags.notification_format import london_date

from ..calendar import plan_sessions
from ..models import LearningSet, Membership, Programme, ProgrammeStatus, Session
from ..selectors import PUBLISHED
from ..slots import is_valid_slot
from . import LearningSetError
from .reminders import set_announce

LONDON = ZoneInfo("Europe/London")


@dataclass
class Published:
    sessions: int = 0
    members: int = 0
    sets: int = 0
    empty_sets: list[int] = field(default_factory=list)  # set numbers with nobody in them: no sessions made


def _check_publishable(programme: Programme, sets: list[LearningSet], members: dict[int, list[User]]) -> None:
    """The draft as it is now, against the programme's settings as they are now: both may have changed since the
    grouping. A set with members needs a facilitator and a size within the programme's; an empty set is skipped
    (it gets no sessions). A set's facilitator, if it has one, must still be one of the programme's."""
    if programme.status in PUBLISHED:
        raise LearningSetError("This programme is already published.")
    if programme.status != ProgrammeStatus.GROUPING:
        raise LearningSetError("Form the sets first: this programme is not at the grouping stage yet.")
    if not sets:
        raise LearningSetError("There are no sets to publish. Form the sets first.")
    facilitators = set(programme.facilitators.values_list("pk", flat=True))
    low, high = programme.set_size_min, programme.set_size_max
    for learning_set in sets:
        number, size = learning_set.number, len(members[learning_set.pk])
        if not is_valid_slot(learning_set.slot):
            raise LearningSetError(f"Set {number} has no weekly meeting time. Choose one before publishing.")
        if learning_set.facilitator_id is None and size:
            raise LearningSetError(f"Set {number} has no facilitator. Choose one before publishing.")
        if learning_set.facilitator_id is not None and learning_set.facilitator_id not in facilitators:
            raise LearningSetError(
                f"Set {number}'s facilitator, {learning_set.facilitator}, is not one of the programme's "
                "facilitators. Choose another before publishing."
            )
        if size and not low <= size <= high:
            raise LearningSetError(
                f"Set {number} has {size} member{'s' if size != 1 else ''}, but this programme's sets have "
                f"{low} to {high}. Move people, or change the set sizes, before publishing."
            )


def _plan(programme: Programme, learning_set: LearningSet) -> list[Session]:
    return [
        Session(
            learning_set=learning_set,
            number=planned.number,
            starts_at=planned.starts_at,
            ends_at=planned.ends_at,
            venue=learning_set.venue or programme.default_venue,
            video_url=learning_set.video_url or programme.default_video_url,
        )
        for planned in plan_sessions(
            slot=learning_set.slot,
            first_from=programme.first_sessions_from,
            count=programme.sessions_count,
            cadence_weeks=programme.cadence_weeks,
            minutes=programme.session_minutes,
        )
    ]


@transaction.atomic
def programme_publish(*, programme: Programme, actor: User, now: datetime) -> Published:
    """Turn the programme's draft sets into live ones: their sessions, an invitation to every member with all
    their sessions in one .ics, the reminders before each session, and the facilitator's attendance reminders.
    Only an organiser of the programme, and only once, from the grouping stage."""
    locked = Programme.objects.select_for_update(of=("self",)).filter(pk=programme.pk, organisers=actor).first()
    if locked is None or not user_has_role(user=actor, role=Role.ORGANISER):
        raise LearningSetError("Only the programme's organisers can publish it.")
    sets = list(locked.sets.select_related("facilitator").order_by("number"))
    members: dict[int, list[User]] = {s.pk: [] for s in sets}
    for membership in Membership.objects.filter(learning_set__in=sets).select_related("member").order_by("pk"):
        members[membership.learning_set_id].append(membership.member)
    _check_publishable(locked, sets, members)
    outcome = Published()
    planned: dict[int, list[Session]] = {}
    for learning_set in sets:
        if not members[learning_set.pk]:
            outcome.empty_sets.append(learning_set.number)
            continue
        planned[learning_set.pk] = _plan(locked, learning_set)
    first = min((s.starts_at for sessions in planned.values() for s in sessions), default=None)
    if first is not None and first <= now:
        raise LearningSetError(
            f"The first sessions would start on {london_date(timezone.localdate(first, LONDON))}, which has passed. "
            "Change the date the first sessions start from, then publish."
        )
    Session.objects.bulk_create([s for sessions in planned.values() for s in sessions])
    for learning_set in sets:
        if learning_set.pk in planned:
            set_announce(locked, learning_set, planned[learning_set.pk], members[learning_set.pk], now=now)
            outcome.sets += 1
            outcome.sessions += len(planned[learning_set.pk])
            outcome.members += len(members[learning_set.pk])
    locked.status, locked.published_at = ProgrammeStatus.RUNNING, now
    locked.save(update_fields=["status", "published_at"])
    return outcome
