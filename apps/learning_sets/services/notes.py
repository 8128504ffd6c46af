"""What a set writes down: the facilitator's notes, which the set's members read, and a member's reflections, which
only they ever see and can copy into one of their own development plans."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.development.records import Anchor, reflection_add
from apps.development.selectors import plan_for_owner
from apps.development.services import PlanError

from ..models import LearningSet, Membership, Reflection, Session, SetNote
from . import LearningSetError
from .checks import valid

LONDON = ZoneInfo("Europe/London")


@transaction.atomic
def note_add(*, learning_set: LearningSet, author: User, text: str, session: Session | None, now: datetime) -> SetNote:
    """The facilitator's note, which the set's members can read and nobody outside the set can."""
    if learning_set.facilitator_id != author.pk:
        raise LearningSetError("Only the set's facilitator writes its notes.")
    if session is not None and session.learning_set_id != learning_set.pk:
        raise LearningSetError("Choose a session of this set.")
    if not text.strip():
        raise LearningSetError("Enter the note.")
    note = SetNote(learning_set=learning_set, session=session, author=author, text=text.strip(), created_at=now)
    valid(note)
    note.save()
    return note


# Reflections.


@transaction.atomic
def reflection_write(
    *,
    learning_set: LearningSet,
    author: User,
    session: Session | None,
    what_happened: str,
    so_what: str,
    now_what: str,
    now: datetime,
) -> Reflection:
    if not Membership.objects.filter(learning_set=learning_set, member=author).exists():
        raise LearningSetError("Only the set's members keep reflections on it.")
    if session is not None and session.learning_set_id != learning_set.pk:
        raise LearningSetError("Choose a session of this set.")
    if session is not None and (session.starts_at > now or session.is_cancelled):
        raise LearningSetError("Choose a session that has taken place.")
    reflection = Reflection(
        learning_set=learning_set,
        session=session,
        author=author,
        what_happened=what_happened.strip(),
        so_what=so_what.strip(),
        now_what=now_what.strip(),
        created_at=now,
    )
    valid(reflection)
    reflection.save()
    return reflection


@transaction.atomic
def reflection_to_plan(*, reflection: Reflection, author: User, plan_id: int, title: str, now: datetime) -> Reflection:
    """Copy a set reflection into one of the author's own development plans, where it counts as evidence. Never
    into anyone else's plan: another person's plan id is refused as if it did not exist."""
    locked = Reflection.objects.select_for_update().filter(pk=reflection.pk, author=author).first()
    if locked is None:
        raise LearningSetError("That reflection is not yours.")
    plan = plan_for_owner(owner=author, plan_id=plan_id)
    if plan is None:
        raise LearningSetError("Choose one of your development plans.")
    if locked.plan_reflection_id is not None:
        raise LearningSetError("This reflection is already in your development plan.")
    try:
        copy = reflection_add(
            plan=plan,
            anchor=Anchor(),
            title=title.strip() or "Action learning set reflection",
            what_happened=locked.what_happened,
            so_what=locked.so_what,
            now_what=locked.now_what,
            written_on=timezone.localdate(locked.created_at, LONDON),
            now=now,
        )
    except PlanError as exc:
        raise LearningSetError(str(exc)) from None
    locked.plan_reflection = copy
    locked.save(update_fields=["plan_reflection"])
    return locked
