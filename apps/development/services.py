"""Writes to development plans. Goals schedule their reminders through notifications (14 days before the target
date, and the day after it if still open); a plan schedules its quarterly reviews."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.competencies.models import Criterion
from apps.notifications.services import cancel_all, schedule
from apps.profiles.models import LeadershipLevel

from .models import Activity, ActivityStatus, Goal, GoalStatus, Opportunity, Plan

REMINDER_HOUR = time(9, 0)  # reminders arrive at nine in the morning, London time
LONGEST_PLAN = timedelta(days=3 * 366)


class PlanError(Exception):
    """A change that cannot be made as asked; the message is shown, and nothing was written."""


def _at_nine(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, REMINDER_HOUR))


@transaction.atomic
def plan_create(*, owner: User, title: str, target_level: int, starts_on: date, ends_on: date, now: datetime) -> Plan:
    if target_level not in LeadershipLevel.values:
        raise PlanError("Choose the role you are aiming for.")
    if ends_on <= starts_on:
        raise PlanError("The plan must end after it starts.")
    if ends_on - starts_on > LONGEST_PLAN:
        raise PlanError("A plan can cover up to three years: make a new one for the next period.")
    if ends_on < timezone.localdate(now):
        raise PlanError("The plan would already be over: choose an end date in the future.")
    plan = Plan(
        owner=owner,
        title=title.strip(),
        target_level=target_level,
        starts_on=starts_on,
        ends_on=ends_on,
        created_at=now,
    )
    plan.full_clean()
    plan.save()
    _schedule_reviews(plan, now)
    return plan


def _schedule_reviews(plan: Plan, now: datetime) -> None:
    """A review prompt every three months of the plan, from three months after it starts."""
    quarter = 1
    while True:
        day = _add_months(plan.starts_on, 3 * quarter)
        if day > plan.ends_on:
            return
        if _at_nine(day) > now:
            schedule(
                recipient=plan.owner,
                kind="plan_quarterly_review",
                due_at=_at_nine(day),
                dedupe_key=f"plan:{plan.pk}:review:{quarter}",
                context={"plan_title": plan.title, "url": reverse("development:plan", args=[plan.pk])},
            )
        quarter += 1


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _check_criteria(criteria: list[Criterion]) -> None:
    if len({c.framework_id for c in criteria}) > 1:
        raise PlanError("A goal's criteria must all come from the same framework.")


@transaction.atomic
def goal_create(
    *,
    plan: Plan,
    title: str,
    description: str,
    measure: str,
    target_date: date,
    criteria: list[Criterion],
    now: datetime,
) -> Goal:
    if not title.strip():
        raise PlanError("Enter what you want to achieve.")
    if target_date < timezone.localdate(now):
        raise PlanError("The target date must be today or in the future.")
    if Goal.objects.filter(plan=plan, title__iexact=title.strip()).exists():
        raise PlanError(f"Your plan already has a goal called “{title.strip()}”.")
    _check_criteria(criteria)
    goal = Goal(
        plan=plan,
        title=title.strip(),
        description=description.strip(),
        measure=measure.strip(),
        target_date=target_date,
        created_at=now,
    )
    goal.full_clean()
    goal.save()
    goal.criteria.set(criteria)
    _schedule_goal(goal, now)
    return goal


@transaction.atomic
def goal_update(
    *,
    goal: Goal,
    title: str,
    description: str,
    measure: str,
    target_date: date,
    status: str,
    criteria: list[Criterion],
    now: datetime,
) -> Goal:
    if status not in GoalStatus.values:
        raise PlanError("Choose a status from the list.")
    if not title.strip():
        raise PlanError("Enter what you want to achieve.")
    _check_criteria(criteria)
    moved = target_date != goal.target_date
    if moved and target_date < timezone.localdate(now) and status in (GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS):
        raise PlanError("A new target date must be today or in the future.")
    goal.title, goal.description, goal.measure = title.strip(), description.strip(), measure.strip()
    # Done keeps the day it was first done: saving a done goal again (a typo fixed) must not move it to today.
    goal.completed_at = (goal.completed_at or now) if status == GoalStatus.DONE else None
    goal.target_date, goal.status = target_date, status
    goal.full_clean()
    goal.save()
    goal.criteria.set(criteria)
    cancel_all(prefix=f"goal:{goal.pk}:")
    if goal.is_open:
        _schedule_goal(goal, now)
    return goal


def _schedule_goal(goal: Goal, now: datetime) -> None:
    # The target date is in the keys, so moving a goal gives fresh reminders for the new date.
    context = {
        "goal_title": goal.title,
        "due_on": goal.target_date.isoformat(),
        "url": reverse("development:plan", args=[goal.plan_id]),
    }
    key = f"goal:{goal.pk}:{goal.target_date.isoformat()}:"
    soon = _at_nine(goal.target_date - timedelta(days=14))
    if soon > now:
        schedule(recipient=goal.plan.owner, kind="goal_due_14d", due_at=soon, dedupe_key=key + "14d", context=context)
    overdue = _at_nine(goal.target_date + timedelta(days=1))
    schedule(
        recipient=goal.plan.owner,
        kind="goal_overdue",
        due_at=max(overdue, now),
        dedupe_key=key + "overdue",
        context=context,
    )


@transaction.atomic
def activity_create(
    *,
    plan: Plan,
    title: str,
    goal: Goal | None = None,
    opportunity: Opportunity | None = None,
    provider: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    now: datetime,
) -> Activity:
    if goal is not None and goal.plan_id != plan.pk:
        raise PlanError("That goal belongs to another plan.")
    if not title.strip():
        raise PlanError("Enter what you will do.")
    activity = Activity(
        plan=plan,
        goal=goal,
        opportunity=opportunity,
        title=title.strip(),
        provider=provider.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_at=now,
    )
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def activity_set_status(*, activity: Activity, status: str) -> Activity:
    if status not in ActivityStatus.values:
        raise PlanError("Choose a status from the list.")
    activity.status = status
    activity.save(update_fields=["status"])
    return activity


@transaction.atomic
def suggestion_accept(*, plan: Plan, opportunity: Opportunity, now: datetime) -> Activity:
    """One click adds a suggested opportunity to the plan as an activity, once. (A suggestion becomes a goal
    through the goal form, pre-filled, because only the person can say how they will know it is done.)"""
    if Activity.objects.filter(plan=plan, opportunity=opportunity).exists():
        raise PlanError(f"“{opportunity.title}” is already in your plan.")
    return activity_create(
        plan=plan, title=opportunity.title, opportunity=opportunity, provider=", ".join(opportunity.providers), now=now
    )
