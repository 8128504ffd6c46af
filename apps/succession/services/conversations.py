"""Talent conversations: a structured record between a person and a lead of an organisation where the person stands
forward, private to the two of them.

- Only a lead starts one, from someone who stands forward at the organisation they lead; the person is told.
- Either of the two edits it (fetched through `conversations_for`, so a lead whose person has withdrawn, or who no
  longer leads the organisation, finds nothing); only the person deletes it: it is theirs to keep.
- Nothing of it reaches a lead who can no longer see it: a change the person makes afterwards neither reminds the
  lead nor names them in the change log, and cancels what was waiting for them. What a change elsewhere leaves
  behind (a grant revoked or moved in accounts, which cannot call succession) the daily sweep cancels
  (`unseen_meeting_reminders`, run by services/vacancies.py before the day's reminders).
- Each line of the agreed next steps can become a goal in one of the person's own plans, and only the person
  does that: a lead never writes in someone's plan.
- The meet-again date reminds both at nine in the morning, London time. The date is in the reminder's key, so a
  moved date reminds again even where the old reminder was already sent; the old one is cancelled.
- Every create, edit and delete is a `ChangeEvent` for both people (the lead only while they can see it). A lead
  reading the record is not logged as an access: they are one of its two parties.
- A lead records one conversation with a person per day: a double submit is refused, not recorded twice.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.db.models.lookups import StartsWith
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.services import change_record
from apps.common.validation import clean_problem
from apps.development.models import Goal, Plan
from apps.development.selectors import plan_for_owner
from apps.development.services import PlanError, goal_create
from apps.notifications.services import cancel_all, schedule

from ..models import TalentConversation
from ..selectors import candidacies_for_lead, conversations_for, lead_sees_conversation
from . import SuccessionError

LONDON = ZoneInfo("Europe/London")
REMINDER_HOUR = time(9, 0)
# A goal from a next step, when the conversation set no date to meet again: a quarter on, time to see it through.
GOAL_DAYS = 90
FIELDS = ("held_on", "aspiration", "strengths", "to_develop", "next_steps", "meet_again_on")


def _today(now: datetime) -> date:
    return timezone.localdate(now, LONDON)


def _key(conversation: TalentConversation) -> str:
    return f"talent-conversation:{conversation.pk}:"


def _url(conversation: TalentConversation) -> str:
    return reverse("succession:conversation", args=[conversation.pk])


def _check_dates(held_on: date, meet_again_on: date | None, now: datetime) -> None:
    today = _today(now)
    if held_on > today:
        raise SuccessionError("The date you met cannot be in the future: record a conversation once it has happened.")
    if meet_again_on is not None and meet_again_on < today:
        raise SuccessionError("The date to meet again cannot be in the past: choose today or a later date.")


def _words(
    held_on: date, aspiration: str, strengths: str, to_develop: str, next_steps: str, meet_again_on: date | None
) -> dict[str, object]:
    return {
        "held_on": held_on,
        "aspiration": aspiration.strip(),
        "strengths": strengths.strip(),
        "to_develop": to_develop.strip(),
        "next_steps": "\n".join(line.strip() for line in next_steps.splitlines() if line.strip()),
        "meet_again_on": meet_again_on,
    }


def _as_json(conversation: TalentConversation) -> dict[str, object]:
    """What the audit keeps of a version: the dates and which parts were written, never the words (the record is
    private to the two; the change log is read by administrators)."""
    return {
        "held_on": conversation.held_on.isoformat(),
        "meet_again_on": conversation.meet_again_on.isoformat() if conversation.meet_again_on else None,
        "parts_written": [
            n for n in ("aspiration", "strengths", "to_develop", "next_steps") if getattr(conversation, n)
        ],
    }


def _lead_sees(conversation: TalentConversation, actor: User) -> bool:
    """Whether the conversation's lead may still see it, by the one rule that says so (`conversations_for`): a
    lead who has lost sight of it (the person withdrew, or stood forward again only later; their grant ended or
    moved) must not be reminded of it or named in its change log. The lead acting proves it: they fetched it."""
    lead = conversation.lead
    if lead is None or conversation.lead_id == conversation.person_id:
        return False
    if actor.pk == lead.pk:
        return True
    return conversations_for(user=lead).filter(pk=conversation.pk).exists()


def _record(
    conversation: TalentConversation,
    *,
    actor: User,
    action: str,
    before: dict[str, object],
    after: dict[str, object],
    now: datetime,
    lead_sees: bool,
) -> None:
    capacity = "the person it is about" if actor.pk == conversation.person_id else "organisation lead"
    subjects: list[User | None] = [conversation.person]
    if lead_sees and conversation.lead is not None:
        subjects.append(conversation.lead)
    change_record(
        actor=actor,
        capacity=capacity,
        action=action,
        target=str(conversation),
        subjects=subjects,
        before=before,
        after=after,
        now=now,
    )


def _schedule_meeting(conversation: TalentConversation, now: datetime, *, lead_sees: bool) -> None:
    """Both people at nine on the day they agreed to meet again (the lead only while they can see the
    conversation: the reminder names the person); nothing when no day is set. A reminder for an earlier date is
    cancelled first, so a moved date reminds once, on the new day."""
    cancel_all(prefix=f"{_key(conversation)}due:")
    day = conversation.meet_again_on
    if day is None:
        return
    due_at = datetime.combine(day, REMINDER_HOUR, tzinfo=LONDON)
    pairs: list[tuple[User | None, User | None]] = [(conversation.person, conversation.lead)]
    if lead_sees:
        pairs.append((conversation.lead, conversation.person))
    for recipient, other in pairs:
        if recipient is None or not recipient.is_active:
            continue
        schedule(
            recipient=recipient,
            kind="talent_conversation_due",
            due_at=due_at,
            dedupe_key=f"{_key(conversation)}due:{recipient.pk}:{day.isoformat()}",
            context={
                "other_name": other.display_name if other is not None else "",
                "organisation": conversation.organisation.name,
                "meet_again_on": day.isoformat(),
                "url": _url(conversation),
            },
        )


@transaction.atomic
def conversation_create(
    *,
    lead: User,
    candidacy_id: int,
    held_on: date,
    aspiration: str,
    strengths: str,
    to_develop: str,
    next_steps: str,
    meet_again_on: date | None,
    now: datetime,
) -> TalentConversation:
    """A lead records a conversation with someone who stands forward at the organisation they lead. The
    candidacy's row is locked, so a withdrawal at the same moment either comes first (and this is refused) or
    waits for this to finish (and the lead loses sight of it at once), and a double submit waits for the first to
    finish and then finds its conversation (one a day with the same person: the second is refused)."""
    candidacy = (
        candidacies_for_lead(lead=lead)
        .select_for_update(of=("self",))
        .select_related("person", "organisation")
        .filter(pk=candidacy_id)
        .first()
    )
    if candidacy is None:
        raise SuccessionError("This person no longer stands forward at your organisation.")
    if candidacy.person_id == lead.pk:
        raise SuccessionError("You cannot record a talent conversation with yourself.")
    _check_dates(held_on, meet_again_on, now)
    already = TalentConversation.objects.filter(
        person=candidacy.person, lead=lead, organisation=candidacy.organisation, held_on=held_on
    )
    if already.exists():
        raise SuccessionError(
            f"You already recorded a conversation with {candidacy.person.display_name} on "
            f"{held_on.day} {held_on:%B %Y}: change that one."
        )
    conversation = TalentConversation(
        person=candidacy.person,
        lead=lead,
        organisation=candidacy.organisation,
        created_at=now,
        updated_at=now,
        updated_by=lead,
        **_words(held_on, aspiration, strengths, to_develop, next_steps, meet_again_on),
    )
    _checked(conversation)
    conversation.save()
    # Asked, not assumed: the lead fetched the candidacy, not this conversation (one query; their organisation is
    # known from the fetch above).
    lead_sees = conversations_for(user=lead).filter(pk=conversation.pk).exists()
    _record(
        conversation,
        actor=lead,
        action="recorded a talent conversation with you",
        before={},
        after=_as_json(conversation),
        now=now,
        lead_sees=lead_sees,
    )
    schedule(
        recipient=conversation.person,
        kind="talent_conversation_recorded",
        due_at=now,
        dedupe_key=f"{_key(conversation)}recorded",
        context={
            "lead_name": lead.display_name,
            "organisation": conversation.organisation.name,
            "held_on": held_on.isoformat(),
            "url": _url(conversation),
        },
    )
    _schedule_meeting(conversation, now, lead_sees=lead_sees)
    return conversation


def _checked(conversation: TalentConversation) -> None:
    """`full_clean()` as a SuccessionError: the forms check first; this is the last guard."""
    problem = clean_problem(conversation)
    if problem is not None:
        raise SuccessionError(problem)


def _locked(conversation_id: int, user: User) -> TalentConversation:
    """The conversation, locked, if `user` may change it; anyone else's is as if not there."""
    conversation = (
        conversations_for(user=user)
        .select_for_update(of=("self",))
        .select_related("person", "lead", "organisation")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise SuccessionError("This conversation is not there any more, or it is not open to you.")
    return conversation


@transaction.atomic
def conversation_update(
    *,
    conversation_id: int,
    actor: User,
    held_on: date,
    aspiration: str,
    strengths: str,
    to_develop: str,
    next_steps: str,
    meet_again_on: date | None,
    now: datetime,
) -> TalentConversation:
    """Either of the two changes the record; the reminders move with the meet-again date. Where the lead can no
    longer see it, only the person is reminded and named, and what still waited for the lead is cancelled."""
    conversation = _locked(conversation_id, actor)
    lead_sees = _lead_sees(conversation, actor)
    _check_dates(held_on, meet_again_on, now)
    before = _as_json(conversation)
    moved = meet_again_on != conversation.meet_again_on
    for name, value in _words(held_on, aspiration, strengths, to_develop, next_steps, meet_again_on).items():
        setattr(conversation, name, value)
    conversation.updated_at, conversation.updated_by = now, actor
    _checked(conversation)
    conversation.save()
    _record(
        conversation,
        actor=actor,
        action="changed a talent conversation with you",
        before=before,
        after=_as_json(conversation),
        now=now,
        lead_sees=lead_sees,
    )
    if moved:
        _schedule_meeting(conversation, now, lead_sees=lead_sees)
    elif not lead_sees and conversation.lead_id is not None:
        cancel_all(prefix=f"{_key(conversation)}due:{conversation.lead_id}:")
    return conversation


@transaction.atomic
def conversation_delete(*, conversation_id: int, person: User, now: datetime) -> None:
    """The person deletes their record; its reminders stop for both."""
    conversation = _locked(conversation_id, person)
    if conversation.person_id != person.pk:
        raise SuccessionError("Only the person the conversation is about can delete it.")
    _record(
        conversation,
        actor=person,
        action="deleted a talent conversation with you",
        before=_as_json(conversation),
        after={},
        now=now,
        lead_sees=_lead_sees(conversation, person),
    )
    cancel_all(prefix=_key(conversation))
    conversation.delete()


def _goal_date(conversation: TalentConversation, plan: Plan, today: date) -> date:
    """When the goal is due: the day agreed to meet again (where the step will be talked over), else the plan's
    end, else a quarter on. Never a past day, which a new goal cannot have; the person can change it in the plan."""
    for candidate in (conversation.meet_again_on, plan.ends_on):
        if candidate is not None and candidate >= today:
            return candidate
    return today + timedelta(days=GOAL_DAYS)


@transaction.atomic
def conversation_step_to_plan(
    *, conversation_id: int, person: User, step_index: int, plan_id: int, now: datetime
) -> Goal:
    """One agreed next step becomes a goal in one of the person's own plans. Only the person: a lead never writes
    in someone's plan, and another's plan is as if not there."""
    conversation = _locked(conversation_id, person)
    if conversation.person_id != person.pk:
        raise SuccessionError("Only the person the conversation is about can add its steps to their plan.")
    steps = conversation.next_step_list
    if not 0 <= step_index < len(steps):
        raise SuccessionError("Choose one of the agreed next steps.")
    plan = plan_for_owner(owner=person, plan_id=plan_id)
    if plan is None:
        raise SuccessionError("Choose one of your development plans.")
    step = steps[step_index]
    title = step if len(step) <= 200 else step[:199].rstrip() + "…"
    held = f"{conversation.held_on.day} {conversation.held_on:%B %Y}"
    with_whom = f" with {conversation.lead.display_name}" if conversation.lead else ""
    try:
        return goal_create(
            plan=plan,
            title=title,
            description=f"Agreed in a talent conversation{with_whom} at {conversation.organisation.name} on {held}."
            + (f"\n\n{step}" if title != step else ""),
            measure="Talked over, and agreed as done, at the next talent conversation.",
            target_date=_goal_date(conversation, plan, _today(now)),
            criteria=[],
            now=now,
        )
    except PlanError as exc:
        raise SuccessionError(str(exc)) from None


def conversations_leave(*, person: User) -> int:
    """Before an account closes (apps.privacy): the meet-again reminders of every conversation they are one of the
    two in stop for both, so the other person is not asked to meet someone who has left. Their own conversations
    then go with the account (CASCADE); one they held as a lead stays with the person, without them (SET_NULL).
    Returns how many reminders were cancelled."""
    cancelled = 0
    mine = TalentConversation.objects.filter(person=person) | TalentConversation.objects.filter(lead=person)
    for conversation_id in mine.values_list("pk", flat=True):
        cancelled += cancel_all(prefix=f"talent-conversation:{conversation_id}:due:")
    return cancelled


def conversations_withdrawn(*, person: User, organisation_id: int) -> int:
    """After a person withdraws at an organisation (called by `candidacy_withdraw`): the leads' meet-again
    reminders for their conversations there that the leads can no longer see stop, as the leads' sight of them
    does (all of them once the person no longer stands forward there; with a later candidacy left standing, those
    from before it). The person's own reminders stay: the conversations are theirs. Returns how many stopped."""
    cancelled = 0
    lost = lead_sight_lost().filter(person=person, organisation_id=organisation_id)
    for conversation_id, lead_id in lost.values_list("pk", "lead_id"):
        cancelled += cancel_all(prefix=f"talent-conversation:{conversation_id}:due:{lead_id}:")
    return cancelled


def lead_sight_lost() -> QuerySet[TalentConversation]:
    """Every conversation its lead can no longer see (`selectors.lead_sees_conversation`, for all leads at once)."""
    return TalentConversation.objects.filter(lead__isnull=False).exclude(lead_sees_conversation())


def unseen_meeting_reminders() -> Q:
    """Which meet-again reminders still wait for a lead who can no longer see the conversation they name (the
    person withdrew without it being caught, stood forward again only later, or the lead's grant ended or moved),
    as a condition for `notifications.services.cancel_unsent_where`: matched on the reminder's key, which holds the
    conversation and the lead."""
    lost = (
        lead_sight_lost()
        .filter(lead_id=OuterRef("recipient_id"))
        .annotate(
            prefix=Concat(
                Value("talent-conversation:"),
                Cast("pk", CharField()),
                Value(":due:"),
                Cast("lead_id", CharField()),
                Value(":"),
                output_field=CharField(),
            )
        )
        .filter(StartsWith(OuterRef("dedupe_key"), F("prefix")))
    )
    return Q(dedupe_key__startswith="talent-conversation:") & Q(Exists(lost))
