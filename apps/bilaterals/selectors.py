"""Reads for bilaterals. Permission is part of every query: a bilateral, its meetings and its log are seen by the
two people in it and nobody else (not an organiser, not an administrator), so anyone else gets a 404."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from apps.accounts.models import User
from apps.learning_sets.calendar import is_bank_holiday

from .models import Bilateral, BilateralMeeting, BilateralNote, BilateralStatus, MeetingStatus
from .planning import Option, meeting_options, next_due_on

LONDON = ZoneInfo("Europe/London")


def bilaterals_for(*, user: User) -> QuerySet[Bilateral]:
    """Every bilateral `user` is one of the two in, whatever its state, with both people."""
    return Bilateral.objects.filter(Q(proposer=user) | Q(partner=user)).select_related("proposer", "partner")


def bilaterals_listed_for(*, user: User, now: datetime) -> QuerySet[Bilateral]:
    """The list page's rows in one query: each bilateral of `user` with `next_meeting_at` and `next_meeting_id`,
    its first scheduled meeting that has not ended (None when none is booked)."""
    upcoming = BilateralMeeting.objects.filter(
        bilateral=OuterRef("pk"), status=MeetingStatus.SCHEDULED, ends_at__gt=now
    ).order_by("starts_at", "pk")
    return bilaterals_for(user=user).annotate(
        next_meeting_at=Subquery(upcoming.values("starts_at")[:1]),
        next_meeting_id=Subquery(upcoming.values("pk")[:1]),
    )


def proposals_to_answer(*, user: User) -> QuerySet[Bilateral]:
    """Proposals made to `user` still waiting for their answer: only the partner answers."""
    return bilaterals_for(user=user).filter(partner=user, status=BilateralStatus.PROPOSED)


def live_bilaterals_for(*, user: User) -> QuerySet[Bilateral]:
    """Proposed or agreed: what may still be changed (availability, ending)."""
    return bilaterals_for(user=user).filter(status__in=(BilateralStatus.PROPOSED, BilateralStatus.AGREED))


def meetings_for(*, user: User) -> QuerySet[BilateralMeeting]:
    """Meetings of bilaterals `user` is one of the two in, with the bilateral and both people."""
    return BilateralMeeting.objects.filter(Q(bilateral__proposer=user) | Q(bilateral__partner=user)).select_related(
        "bilateral__proposer", "bilateral__partner"
    )


def meetings_of(*, bilateral: Bilateral) -> QuerySet[BilateralMeeting]:
    return BilateralMeeting.objects.filter(bilateral=bilateral).order_by("-starts_at", "-pk")


def upcoming_meeting(*, bilateral: Bilateral, now: datetime) -> BilateralMeeting | None:
    """The booked meeting that has not ended yet, if any (there is at most one: `meeting_schedule` sees to it)."""
    return (
        BilateralMeeting.objects.filter(bilateral=bilateral, status=MeetingStatus.SCHEDULED, ends_at__gt=now)
        .order_by("starts_at", "pk")
        .first()
    )


def last_meeting_start(*, bilateral: Bilateral) -> datetime | None:
    """The start of the latest scheduled (not cancelled) meeting, held or booked: the next one is due a cadence
    after it."""
    latest = (
        BilateralMeeting.objects.filter(bilateral=bilateral, status=MeetingStatus.SCHEDULED)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return latest


def notes_for(*, user: User, meeting: BilateralMeeting) -> QuerySet[BilateralNote]:
    """The log of a meeting, for one of the two only (the meeting is filtered by the person again, so a caller
    that fetched it some other way still shows nothing to a third person)."""
    return (
        BilateralNote.objects.filter(meeting=meeting)
        .filter(Q(meeting__bilateral__proposer=user) | Q(meeting__bilateral__partner=user))
        .select_related("author")
    )


def upcoming_meetings_for(*, user: User, now: datetime) -> QuerySet[BilateralMeeting]:
    """`user`'s booked meetings that have not ended, of agreed bilaterals, soonest first, with the bilateral and
    both people (so `meeting.bilateral.other(user.pk)` needs no query)."""
    return (
        meetings_for(user=user)
        .filter(status=MeetingStatus.SCHEDULED, ends_at__gt=now, bilateral__status=BilateralStatus.AGREED)
        .order_by("starts_at", "pk")
    )


def next_bilateral_for(*, user: User, now: datetime | None = None) -> BilateralMeeting | None:
    """For the dashboard: `user`'s next bilateral meeting (`upcoming_meetings_for`); None when none is booked."""
    return upcoming_meetings_for(user=user, now=now or timezone.now()).first()


def due_on_for(*, bilateral: Bilateral) -> date | None:
    """When the next meeting of an agreed bilateral is due (planning.next_due_on); None unless agreed."""
    if not bilateral.is_agreed or bilateral.answered_at is None:
        return None
    last = last_meeting_start(bilateral=bilateral)
    return next_due_on(
        cadence_months=bilateral.cadence_months,
        last_meeting_on=timezone.localtime(last, LONDON).date() if last else None,
        agreed_on=timezone.localtime(bilateral.answered_at, LONDON).date(),
    )


def proposed_times(*, bilateral: Bilateral, now: datetime) -> list[Option]:
    """The times the portal proposes for the next meeting: slots both can make around the due date, bank holidays
    skipped (planning.meeting_options). Nothing before the partner agrees."""
    due_on = due_on_for(bilateral=bilateral)
    if due_on is None:
        return []
    return meeting_options(
        slots_a=bilateral.proposer_slots,
        slots_b=bilateral.partner_slots,
        due_on=due_on,
        today=timezone.localtime(now, LONDON).date(),
        is_holiday=is_bank_holiday,
    )
