"""Writes to a mentoring relationship, from acceptance to closing feedback: the agreement, the meeting log,
closing, and the reminders that keep a pair meeting. (Its reads, `relationships_for` and the rest, are selectors.)

Every write locks the relationship row first, so two people acting at once (one edits the agreement while the
other confirms it; both close it) take turns, and the second sees the first's change. Reminders go through the
notifications app, keyed `relationship:<id>:…:<recipient id>` so closing can cancel all of a pair's at once:

- `relationship:<id>:meeting:<meeting id>:follow-up:<user id>` — the day after a meeting, 09:00 London, to both:
  note the actions, book the next meeting. Not sent for a meeting logged after that moment.
- `relationship:<id>:no-meeting:<user id>:<base date>` — 90 days after the latest meeting (or the start), to
  both. The base date is in the key because a reminder once sent is never sent again under its key: after a gap
  has been reminded about, the next gap needs a fresh key.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.services import cancel, cancel_all, schedule

from ..models import (
    CloseReason,
    ClosingFeedback,
    GoalsMet,
    Meeting,
    MeetingFrequency,
    MentoringRelationship,
    MentoringRequest,
    Mode,
    RelationshipStatus,
    RequestStatus,
)
from ..selectors import agreement_fingerprint
from . import MentoringError, checked

LONDON = ZoneInfo("Europe/London")
REMINDER_HOUR = time(9, 0)  # reminders arrive at nine in the morning, London time
NO_MEETING = timedelta(days=90)


def _of_pair(user: User) -> Q:
    return Q(mentor=user) | Q(mentee=user)


def _locked(relationship_id: int, actor: User) -> MentoringRelationship:
    found = (
        MentoringRelationship.objects.select_for_update(of=("self",))
        .select_related("mentor", "mentee")
        .filter(_of_pair(actor), pk=relationship_id)
        .first()
    )
    if found is None:
        raise MentoringError("No such mentoring relationship.")
    return found


def _require_active(relationship: MentoringRelationship) -> None:
    if relationship.status != RelationshipStatus.ACTIVE:
        raise MentoringError("This relationship has closed, so it can no longer be changed.")


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _check_met_on(relationship: MentoringRelationship, met_on: date, now: datetime) -> None:
    if met_on > timezone.localdate(now, LONDON):
        raise MentoringError("The meeting date cannot be in the future.")
    started_on = timezone.localdate(relationship.started_at, LONDON)
    if met_on < started_on:
        raise MentoringError(
            f"The meeting date cannot be before you started working together, on {_long_date(started_on)}."
        )


@transaction.atomic
def agreement_save(
    *,
    relationship: MentoringRelationship,
    actor: User,
    goals: str,
    meeting_frequency: str,
    confidentiality: str,
    now: datetime,
) -> MentoringRelationship:
    """Either may write or change the agreement. A change clears the other person's confirmation (they agreed to
    different words); the editor's own stands. Saving the same words again changes nothing."""
    locked = _locked(relationship.pk, actor)
    _require_active(locked)
    if not goals.strip():
        raise MentoringError("Enter what you will work on together.")
    if meeting_frequency not in MeetingFrequency.values:
        raise MentoringError("Choose how often you will meet.")
    wording = (goals.strip(), meeting_frequency, confidentiality.strip())
    if wording == (locked.goals, locked.meeting_frequency, locked.confidentiality):
        return locked
    locked.goals, locked.meeting_frequency, locked.confidentiality = wording
    if actor.pk == locked.mentor_id:
        locked.mentee_agreed_at = None
    else:
        locked.mentor_agreed_at = None
    checked(locked)
    locked.save(update_fields=["goals", "meeting_frequency", "confidentiality", "mentor_agreed_at", "mentee_agreed_at"])
    return locked


@transaction.atomic
def agreement_confirm(
    *, relationship: MentoringRelationship, actor: User, seen: str, now: datetime
) -> MentoringRelationship:
    """`seen` is the fingerprint of the wording on the page the person confirmed from."""
    locked = _locked(relationship.pk, actor)
    _require_active(locked)
    if not locked.goals or not locked.meeting_frequency:
        raise MentoringError("Write the agreement before you confirm it.")
    if seen != agreement_fingerprint(locked):
        raise MentoringError("The agreement has changed since you opened the page. Read it again, then confirm it.")
    field = "mentor_agreed_at" if actor.pk == locked.mentor_id else "mentee_agreed_at"
    if getattr(locked, field) is None:
        setattr(locked, field, now)
        locked.save(update_fields=[field])
    return locked


@transaction.atomic
def meeting_log(
    *,
    relationship: MentoringRelationship,
    actor: User,
    met_on: date,
    mode: str,
    notes: str,
    actions: str,
    now: datetime,
) -> Meeting:
    locked = _locked(relationship.pk, actor)
    _require_active(locked)
    _check_met_on(locked, met_on, now)
    if mode not in Mode.values:
        raise MentoringError("Choose how you met.")
    meeting = Meeting(
        relationship=locked,
        met_on=met_on,
        mode=mode,
        notes=notes.strip(),
        actions=actions.strip(),
        recorded_by=actor,
        created_at=now,
    )
    checked(meeting)
    meeting.save()
    _remind_after_meeting(locked, meeting, now)
    _remind_if_no_meeting(locked, now)
    return meeting


def _locked_meeting(meeting: Meeting, actor: User) -> tuple[MentoringRelationship, Meeting]:
    locked = _locked(meeting.relationship_id, actor)
    _require_active(locked)
    found = Meeting.objects.select_for_update().filter(pk=meeting.pk, relationship=locked).first()
    if found is None:
        raise MentoringError("No such meeting.")
    if found.recorded_by_id != actor.pk:
        raise MentoringError("Only the person who recorded a meeting can change it.")
    return locked, found


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, actor: User, met_on: date, mode: str, notes: str, actions: str, now: datetime
) -> Meeting:
    locked, found = _locked_meeting(meeting, actor)
    _check_met_on(locked, met_on, now)
    if mode not in Mode.values:
        raise MentoringError("Choose how you met.")
    found.met_on, found.mode, found.notes, found.actions = met_on, mode, notes.strip(), actions.strip()
    checked(found)
    found.save(update_fields=["met_on", "mode", "notes", "actions"])
    _remind_after_meeting(locked, found, now)
    _remind_if_no_meeting(locked, now)
    return found


@transaction.atomic
def meeting_delete(*, meeting: Meeting, actor: User, now: datetime) -> None:
    locked, found = _locked_meeting(meeting, actor)
    cancel_all(prefix=f"relationship:{locked.pk}:meeting:{found.pk}:")
    found.delete()
    _remind_if_no_meeting(locked, now)


@transaction.atomic
def relationship_close(
    *, relationship: MentoringRelationship, actor: User, reason: str, now: datetime
) -> MentoringRelationship:
    """Either may close it. The mentor's place is free again at once (capacity counts active relationships), and
    every reminder still waiting for the pair is cancelled."""
    locked = _locked(relationship.pk, actor)
    if locked.status == RelationshipStatus.CLOSED:
        raise MentoringError("This relationship is already closed.")
    if reason not in CloseReason.values:
        raise MentoringError("Choose why you are closing the relationship.")
    locked.status, locked.closed_at, locked.closed_by, locked.close_reason = (
        RelationshipStatus.CLOSED,
        now,
        actor,
        reason,
    )
    checked(locked)
    locked.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])
    cancel_all(prefix=f"relationship:{locked.pk}:")
    return locked


@transaction.atomic
def early_check_answer(
    *, relationship: MentoringRelationship, actor: User, working: bool, now: datetime
) -> MentoringRelationship:
    """After the first meeting either may say it is not working: the relationship closes, and the mentee's request
    opens again so that they can be matched with someone else (never this mentor again: proposals for the same
    request skip mentors already tried). Saying it is working just stops asking that person."""
    locked = _locked(relationship.pk, actor)
    _require_active(locked)
    if not locked.meetings.exists():
        raise MentoringError("Meet once first: then say whether it is working.")
    if not working:
        closed = relationship_close(relationship=locked, actor=actor, reason=CloseReason.NOT_WORKING, now=now)
        if locked.proposal is not None:  # the proposal goes only with an account closed, which ends the pair first
            MentoringRequest.objects.filter(pk=locked.proposal.request_id, status=RequestStatus.MATCHED).update(
                status=RequestStatus.OPEN
            )
        return closed
    field = "mentor_working_at" if locked.mentor_id == actor.pk else "mentee_working_at"
    setattr(locked, field, getattr(locked, field) or now)
    locked.save(update_fields=[field])
    return locked


@transaction.atomic
def feedback_give(
    *,
    relationship: MentoringRelationship,
    actor: User,
    usefulness: int,
    goals_met: str,
    would_recommend: bool,
    comment: str,
    now: datetime,
) -> ClosingFeedback:
    """Once each, after closing. The row lock makes a double submission wait and then find the first."""
    locked = _locked(relationship.pk, actor)
    if locked.status != RelationshipStatus.CLOSED:
        raise MentoringError("You can give feedback once the relationship has closed.")
    if ClosingFeedback.objects.filter(relationship=locked, author=actor).exists():
        raise MentoringError("You have already given your feedback on this relationship.")
    if not 1 <= usefulness <= 5:
        raise MentoringError("Choose how useful it was, from 1 to 5.")
    if goals_met not in GoalsMet.values:
        raise MentoringError("Say whether your goals were met.")
    feedback = ClosingFeedback(
        relationship=locked,
        author=actor,
        as_mentor=actor.pk == locked.mentor_id,
        usefulness=usefulness,
        goals_met=goals_met,
        would_recommend=would_recommend,
        comment=comment.strip(),
        created_at=now,
    )
    checked(feedback)
    feedback.save()
    return feedback


# Reminders.


@transaction.atomic
def relationship_started(*, relationship: MentoringRelationship, now: datetime) -> None:
    """Called once the relationship exists: both get the "no meeting in 90 days" reminder, moved by each meeting."""
    _remind_if_no_meeting(relationship, now)


def _at_nine(day: date) -> datetime:
    return datetime.combine(day, REMINDER_HOUR, tzinfo=LONDON)


def _both(relationship: MentoringRelationship) -> list[tuple[User, User]]:
    """Each of the pair with the other. Only an active pair is reminded, and both of an active pair have accounts
    (closing one closes the pair first), but a pair left active by a raw delete reminds nobody."""
    mentor, mentee = relationship.mentor, relationship.mentee
    if mentor is None or mentee is None:
        return []
    return [(mentor, mentee), (mentee, mentor)]


def _page(relationship: MentoringRelationship) -> str:
    return reverse("mentoring:relationship", args=[relationship.pk])


def _remind_after_meeting(relationship: MentoringRelationship, meeting: Meeting, now: datetime) -> None:
    # Both of the pair: whoever logged it may still have actions to note, and either can book the next meeting.
    due = _at_nine(meeting.met_on + timedelta(days=1))
    for person, other in _both(relationship):
        key = f"relationship:{relationship.pk}:meeting:{meeting.pk}:follow-up:{person.pk}"
        if due <= now:  # logged late (or moved back): a prompt about a meeting long past would only be noise
            cancel(dedupe_key=key)
            continue
        schedule(
            recipient=person,
            kind="mentoring_meeting_follow_up",
            due_at=due,
            dedupe_key=key,
            context={"other_name": str(other), "met_on": meeting.met_on.isoformat(), "url": _page(relationship)},
        )


def _remind_if_no_meeting(relationship: MentoringRelationship, now: datetime) -> None:
    """90 days after the latest meeting, whatever order meetings were logged in; after the start if none yet."""
    last_met_on = relationship.meetings.aggregate(last=Max("met_on"))["last"]
    base = relationship.started_at if last_met_on is None else max(relationship.started_at, _at_nine(last_met_on))
    due = base + NO_MEETING
    for person, other in _both(relationship):
        prefix = f"relationship:{relationship.pk}:no-meeting:{person.pk}:"
        cancel_all(prefix=prefix)
        # A gap already over 90 days is not e-mailed about now: one of the pair is using the log at this moment.
        if due <= now:
            continue
        schedule(
            recipient=person,
            kind="mentoring_no_meeting_90d",
            due_at=due,
            dedupe_key=prefix + timezone.localdate(base, LONDON).isoformat(),
            context={
                "other_name": str(other),
                "last_met_on": last_met_on.isoformat() if last_met_on else "",
                "url": _page(relationship),
            },
        )
