"""Every read of the career and role explorer. A person's role history and reflection are theirs alone: each
selector filters by owner, so another person's entry is a 404. The routes and life-after-MD figures come only from
people who agreed to count, with small numbers suppressed."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from apps.accounts.models import User
from apps.assessments.models import Assessment
from apps.assessments.selectors import assessments_for_owner, ratings_by_code
from apps.common.reporting import ReportRow, suppress_small_counts, suppressed_total
from apps.competencies.models import LevelExpectation
from apps.development.models import Plan
from apps.profiles.models import LeadershipLevel
from apps.profiles.selectors import target_level_for

from .datafiles import SHIPPED_ROLES, Directorates, RoleSpec, read_roles, shipped_directorates
from .models import (
    RightTimeReflection,
    RoleGroup,
    RoleHistoryEntry,
    RoleProfile,
    RoutesConsent,
    RoutesFigures,
    Step,
)
from .routes import YEARS_MIN_COUNT, Move, Spell, Years, half_years, next_after, routes

REPORT_MIN_COUNT = 5  # docs/ARCHITECTURE.md, "Reports and small numbers"
LADDER_ORDER = [step.value for step in Step]
MAX_COMPARED = 3


def shipped_roles(path: Path = SHIPPED_ROLES) -> list[RoleSpec]:
    return read_roles(path.read_text(encoding="utf-8"))


# --- Role profiles ------------------------------------------------------------------------------------------------


def role_profiles_current() -> QuerySet[RoleProfile]:
    return RoleProfile.objects.filter(is_current=True).order_by("group", "position")


def role_profiles_by_group() -> list[tuple[str, list[RoleProfile]]]:
    """One query: the current profiles, under the two headings the explorer uses."""
    profiles = list(role_profiles_current())
    return [(label, [p for p in profiles if p.group == group]) for group, label in RoleGroup.choices]


def role_profile_current(*, slug: str) -> RoleProfile | None:
    return role_profiles_current().filter(slug=slug).first()


def role_profile_history(*, slug: str) -> QuerySet[RoleProfile]:
    return RoleProfile.objects.filter(slug=slug).select_related("edited_by").order_by("-version")


def role_profiles_compared(*, slugs: list[str]) -> list[RoleProfile]:
    """The profiles asked for, in the order asked, unknown slugs left out."""
    found = {p.slug: p for p in role_profiles_current().filter(slug__in=slugs)}
    return [found[slug] for slug in slugs if slug in found]


def role_for_level(*, level: int) -> RoleProfile | None:
    return role_profiles_current().filter(group=RoleGroup.LADDER, level=level).first()


def directorates() -> Directorates:
    return shipped_directorates()


@cache
def level_labels() -> dict[int, str]:
    return {int(value): str(label) for value, label in LeadershipLevel.choices}


# --- A person's own records ---------------------------------------------------------------------------------------


def history_for_owner(*, owner: User) -> QuerySet[RoleHistoryEntry]:
    return RoleHistoryEntry.objects.filter(owner=owner).select_related("sector").order_by("-started_on", "-id")


def history_entry_for_owner(*, owner: User, entry_id: int) -> RoleHistoryEntry | None:
    return history_for_owner(owner=owner).filter(pk=entry_id).first()


def routes_consent_for(*, owner: User) -> bool:
    return RoutesConsent.objects.filter(owner=owner, counted=True).exists()


def right_time_for_owner(*, owner: User) -> RightTimeReflection | None:
    return RightTimeReflection.objects.filter(owner=owner).first()


def plans_to_add_to(*, owner: User) -> list[Plan]:
    return list(Plan.objects.filter(owner=owner).order_by("-starts_on", "-id"))


# --- The anonymous routes -----------------------------------------------------------------------------------------


def _counted_spells(*, before: datetime) -> list[Spell]:
    """One query: the spells of everyone who agreed to count, as plain tuples, as they stood at `before`: a consent
    given (or changed) or an entry added since then waits for the next month's figures."""
    rows = RoleHistoryEntry.objects.filter(
        owner__routes_consent__counted=True,
        owner__routes_consent__changed_at__lt=before,
        owner__is_active=True,
        created_at__lt=before,
    ).values_list("owner_id", "step", "started_on", "ended_on")
    return [Spell(person, step, started, ended) for person, step, started, ended in rows]


def routes_figures_compute(*, before: datetime) -> dict[str, Any]:
    """The month's figures as JSON-ready data: only what the pages show, already suppressed (one query)."""
    spells = _counted_spells(before=before)
    found = routes(spells, minimum=REPORT_MIN_COUNT, order=LADDER_ORDER)
    after = next_after(spells, step=Step.MEDICAL_DIRECTOR)
    after_total = sum(after.values())
    after_rows = [(step, after[step]) for step in LADDER_ORDER if after.get(step)]
    return {
        "people": suppressed_total(found.people, minimum=REPORT_MIN_COUNT),
        "moves": [[m.from_step, m.to_step, m.people] for m in found.moves],
        "moves_left_out": found.moves_left_out,
        "years": [[y.step, y.people, y.median, y.lower, y.upper] for y in found.years],
        "after_md_total": after_total if after_total >= REPORT_MIN_COUNT else None,
        "after_md": (
            [[r.label, r.count] for r in suppress_small_counts(after_rows, minimum=REPORT_MIN_COUNT)]
            if after_total >= REPORT_MIN_COUNT
            else []
        ),
    }


def figures_as_at(figures: RoutesFigures) -> date:
    """The month start the figures stand at: their own month, or, carried over (services/figures.py), the month
    they were worked out."""
    stored = figures.figures.get("as_at")
    return date.fromisoformat(stored) if stored else figures.month


def routes_figures_stored(*, month: date) -> RoutesFigures | None:
    return RoutesFigures.objects.filter(month=month).first()


@dataclass(frozen=True)
class RoutesPage:
    as_at: date  # the first day of the month the figures stand at
    people: int | None  # None: fewer than the minimum, not shown
    moves: tuple[Move, ...]
    moves_left_out: bool
    years: tuple[Years, ...]
    widest: int  # the most people on one move, to scale the bars


def routes_page(*, figures: RoutesFigures) -> RoutesPage:
    data = figures.figures
    moves = tuple(Move(a, b, n) for a, b, n in data["moves"])
    return RoutesPage(
        as_at=figures_as_at(figures),
        people=data["people"],
        moves=moves,
        moves_left_out=data["moves_left_out"],
        # A row stored before the years rule (routes.py) is held to it as it is read: no step under
        # YEARS_MIN_COUNT people, every figure to the half year.
        years=tuple(
            Years(step, people, half_years(median), half_years(lower), half_years(upper))
            for step, people, median, lower, upper in data["years"]
            if people >= YEARS_MIN_COUNT
        ),
        widest=max((m.people for m in moves), default=0),
    )


def after_medical_director(*, figures: RoutesFigures) -> tuple[list[ReportRow], int | None]:
    """What consenting former medical directors did next, by kind of role, small counts suppressed; and how many
    there were (None below the minimum, when nothing is shown)."""
    data = figures.figures
    labels = dict(Step.choices)
    return [ReportRow(str(labels.get(step, step)), count) for step, count in data["after_md"]], data["after_md_total"]


# --- My gap to the next rung --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    code: str
    title: str
    rating: int | None  # None: not rated
    expected: int


@dataclass(frozen=True)
class NextRung:
    level: int
    label: str
    assessment: Assessment | None
    gaps: list[Gap]  # below the expectation, furthest first
    expectations: int  # how many criteria the framework expects something of at this level
    plan: Plan | None


def gap_to_next_rung(*, owner: User) -> NextRung:
    """The criteria of the person's latest completed self-assessment where their rating is below what the
    framework expects at the rung they are aiming for. Four queries, whatever the framework's size."""
    level = int(target_level_for(user=owner))
    assessment = (
        assessments_for_owner(owner=owner).filter(submitted_at__isnull=False).order_by("-submitted_at", "-id").first()
    )
    plan = Plan.objects.filter(owner=owner).order_by("-starts_on", "-id").first()
    gaps: list[Gap] = []
    expected_count = 0
    if assessment is not None:
        ratings = ratings_by_code(assessment=assessment)
        expectations = list(
            LevelExpectation.objects.filter(criterion__framework=assessment.framework, level=level)
            .select_related("criterion")
            .order_by("criterion__position", "criterion__pk")
        )
        expected_count = len(expectations)
        for e in expectations:
            rating = ratings.get(e.criterion.code)
            if rating is None or rating < e.expected:
                gaps.append(Gap(e.criterion.code, e.criterion.title, rating, e.expected))
        gaps.sort(key=lambda g: -(g.expected - (g.rating or 0)))
    return NextRung(level, level_labels()[level], assessment, gaps, expected_count, plan)
