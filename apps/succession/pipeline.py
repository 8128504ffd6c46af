"""Read-only figures for succession: an organisation lead's pipeline (per post, who stands forward and how ready
they say they are; the gaps; the pipeline by level and horizon; its diversity as suppressed aggregates) and the
regional view for organisers (counts only, across a region's or an integrated care board's organisations).

Both pages are built in a fixed number of queries however many posts and people there are: each part is one
query over the whole organisation or area, grouped here in Python or in the database, never a query per row.

What a lead sees of a person is only what the person chose for that organisation: their name and readiness
always; what they are doing and the agreed next steps of their latest talent conversation only if they chose to
show a summary; the lead's own view only once the person has seen it ("no grid labels a person who has not seen
the label"). A withdrawn candidacy is deleted, so it is in none of these figures from that moment, except the
diversity tables: those are a stored copy, renewed only once at least 5 people's entries have changed, so that no
sequence of views gives away one person's answers (services/diversity_snapshots.py)."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from django.conf import settings
from django.db.models import (
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from apps.accounts.models import User
from apps.common.dates import months_after
from apps.common.reporting import ReportRow
from apps.organisations.models import Organisation, OrganisationKind, Region
from apps.profiles.models import AgeBand, EthnicGroup, Gender, LeadershipLevel, YesNoPreferNot

from .diversity import Characteristic, Person, Table, diversity_tables, one_row_each, suppress_row, tables_from_json
from .models import Candidacy, Post, Readiness, ShowChoice
from .selectors import candidacies_for_lead, conversations_for, led_organisation, posts_for_lead, vacancy_window_end
from .services.diversity_snapshots import diversity_snapshot_current
from .summary import Flags, development_flags

HORIZONS = (Readiness.READY_NOW, Readiness.ONE_TO_TWO_YEARS, Readiness.THREE_TO_FIVE_YEARS)
HORIZON_HEADINGS = ("Ready now", "1 to 2 years", "3 to 5 years")
HORIZON_RANK = {horizon.value: rank for rank, horizon in enumerate(HORIZONS)}
LEVELS = tuple(sorted(LeadershipLevel.values, reverse=True))  # medical director first
NOT_YET_SEEN = "your view: not yet seen by them"

CHARACTERISTICS = (
    Characteristic("gender", "Gender", tuple(Gender.choices)),
    Characteristic("ethnic_group", "Ethnic group", tuple(EthnicGroup.choices)),
    Characteristic("age_band", "Age band", tuple(AgeBand.choices)),
    Characteristic("disability", "Disability or long-term condition", tuple(YesNoPreferNot.choices)),
)


# --- The organisation lead's pipeline --------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """One person standing forward, as the lead sees them beside a post or a level."""

    candidacy_id: int
    name: str
    readiness: str  # their own word, as a label
    ready_now: bool
    emergency_cover: bool
    for_level: bool  # they stand forward for the level, so for every post at it
    lead_view: str  # the lead's view as a label once the person has seen it; NOT_YET_SEEN; or "" when none
    summary: bool  # they chose to show a summary: `doing` and `agreed_steps` are theirs to show
    doing: Flags | None
    agreed_steps: int | None  # agreed next steps of their latest talent conversation with this lead; None: none held


@dataclass(frozen=True)
class PostLine:
    post_id: int
    title: str
    portfolio: str
    holder: str
    expected_vacancy: date | None
    people: tuple[Standing, ...]  # standing forward for this post itself; those for its level are on its LevelBlock
    for_level: int  # how many stand forward for the post's level, so for it too (listed once, on the LevelBlock)
    no_cover: bool  # no one ready now and no one offering emergency cover, for the post or its level
    vacant_soon_unready: bool  # falling vacant within six months with no one ready now


@dataclass(frozen=True)
class LevelBlock:
    level: int
    label: str
    posts: tuple[PostLine, ...]
    # standing forward for the level, so for every post at it: listed once here rather than under each post (a
    # long page otherwise, and the same person many times)
    for_level: tuple[Standing, ...]


@dataclass(frozen=True)
class HorizonRow:
    level: int
    label: str
    counts: tuple[int, ...]  # people by horizon, in HORIZONS order
    people: int


@dataclass(frozen=True)
class Pipeline:
    organisation: Organisation
    levels: tuple[LevelBlock, ...]
    by_horizon: tuple[HorizonRow, ...]
    diversity: tuple[Table, ...]
    no_cover: int
    vacant_soon_unready: int
    minimum: int
    summary_people: tuple[int, ...]  # whose summary facts the grid shows: each opening is on their access record


def _lead_view(candidacy: Candidacy) -> str:
    if not candidacy.lead_readiness:
        return ""
    if not candidacy.lead_view_seen:
        return NOT_YET_SEEN
    return Readiness(candidacy.lead_readiness).label


def _standing(candidacy: Candidacy, flags: dict[int, Flags], steps: dict[int, int]) -> Standing:
    summary = candidacy.show == ShowChoice.SUMMARY
    return Standing(
        candidacy_id=candidacy.pk,
        name=candidacy.person.display_name,
        readiness=Readiness(candidacy.readiness).label,
        ready_now=candidacy.readiness == Readiness.READY_NOW,
        emergency_cover=candidacy.emergency_cover,
        for_level=candidacy.post_id is None,
        lead_view=_lead_view(candidacy),
        summary=summary,
        doing=flags.get(candidacy.person_id) if summary else None,
        agreed_steps=steps.get(candidacy.person_id) if summary else None,
    )


def _agreed_steps(lead: User, organisation_id: int) -> dict[int, int]:
    """For each person who chose to show a summary, the agreed next steps of their latest talent conversation with
    this lead at this organisation: one query (DISTINCT ON the person, newest first)."""
    showing = candidacies_for_lead(lead=lead).filter(show=ShowChoice.SUMMARY).values("person_id")
    latest = (
        conversations_for(user=lead)
        .filter(lead=lead, organisation_id=organisation_id, person_id__in=Subquery(showing))
        .order_by("person_id", "-held_on", "-pk")
        .distinct("person_id")
        .only("pk", "person_id", "next_steps")
    )
    return {conversation.person_id: len(conversation.next_step_list) for conversation in latest}


def _best_by_level(candidacies: list[Candidacy]) -> dict[tuple[int, int], str]:
    """Each person once per level, at the most ready horizon they gave for it (for a post or for the level)."""
    best: dict[tuple[int, int], str] = {}
    for c in candidacies:
        key = (c.person_id, c.level)
        if key not in best or HORIZON_RANK[c.readiness] < HORIZON_RANK[best[key]]:
            best[key] = c.readiness
    return best


def _by_horizon(best: dict[tuple[int, int], str]) -> tuple[HorizonRow, ...]:
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * len(HORIZONS))
    for (_, level), readiness in best.items():
        counts[level][HORIZON_RANK[readiness]] += 1
    return tuple(
        HorizonRow(level, LeadershipLevel(level).label, tuple(counts[level]), sum(counts[level]))
        for level in LEVELS
        if level in counts
    )


def _diversity(
    lead: User, organisation: Organisation, best: dict[tuple[int, int], str], minimum: int
) -> tuple[Table, ...]:
    """The diversity tables, each row dated. One query reads the answers of the people standing forward here;
    each person goes into one row only (`one_row_each`: rows sharing all people but one would give that one away
    by subtraction), and each row shown is the organisation's stored one until at least `minimum` of its people's
    entries have changed (services/diversity_snapshots.py: one query, or a few more when rows are worked out
    again). The answers are never kept beside a name."""
    fields = [f"person__diversity__{c.code}" for c in CHARACTERISTICS]
    answers = {
        row[0]: dict(zip((c.code for c in CHARACTERISTICS), (value or "" for value in row[1:]), strict=True))
        for row in candidacies_for_lead(lead=lead).values_list("person_id", *fields).distinct()
    }
    people = {
        person_id: Person(level, readiness, answers.get(person_id, {}))
        for person_id, (level, readiness) in one_row_each(best).items()
    }

    def build(counted: Sequence[Person]) -> list[Table]:
        return diversity_tables(
            counted,
            characteristics=CHARACTERISTICS,
            levels=[(level, LeadershipLevel(level).label) for level in LEVELS],
            horizons=[(h.value, h.label) for h in HORIZONS],
            minimum=minimum,
        )

    order = [(level, h.value) for level in LEVELS for h in HORIZONS]
    now = timezone.now()
    snapshot = diversity_snapshot_current(organisation=organisation, people=people, build=build, order=order, now=now)
    return tables_from_json(snapshot.tables)


def pipeline_for_lead(*, lead: User, today: date) -> Pipeline | None:
    """The pipeline of the organisation `lead` leads, or None if they lead none. A fixed number of queries: the
    organisation, its posts, its candidacies with their people, what the people who chose a summary are doing
    (summary.development_flags), their latest conversations' next steps, the diversity answers and the stored
    diversity tables (a few more queries when those are worked out again: `_diversity`)."""
    organisation = led_organisation(user=lead)
    if organisation is None:
        return None
    minimum = settings.REPORT_MIN_COUNT
    posts = list(posts_for_lead(lead=lead).select_related("holder").order_by("-level", "title", "pk"))
    candidacies = list(
        candidacies_for_lead(lead=lead).select_related("person").order_by("-level", "readiness", "created_at", "pk")
    )
    summary_people = sorted({c.person_id for c in candidacies if c.show == ShowChoice.SUMMARY})
    flags = development_flags(people=summary_people) if summary_people else {}
    steps = _agreed_steps(lead, organisation.pk)
    standing = {c.pk: _standing(c, flags, steps) for c in candidacies}
    rank = {c.pk: (HORIZON_RANK[c.readiness], c.post_id is None) for c in candidacies}
    by_post: dict[int, list[Standing]] = defaultdict(list)
    by_level: dict[int, list[Standing]] = defaultdict(list)
    for c in candidacies:
        (by_post[c.post_id] if c.post_id is not None else by_level[c.level]).append(standing[c.pk])
    window_end = vacancy_window_end(today)
    lines: dict[int, list[PostLine]] = defaultdict(list)
    for post in posts:
        # the most ready first; the flags count those for its level as well
        own = sorted(by_post[post.pk], key=lambda s: rank[s.candidacy_id])
        people = own + by_level[post.level]
        anyone_ready = any(s.ready_now for s in people)
        vacant_soon = post.expected_vacancy is not None and today <= post.expected_vacancy <= window_end
        lines[post.level].append(
            PostLine(
                post_id=post.pk,
                title=post.title,
                portfolio=post.portfolio,
                holder=post.holder.display_name if post.holder else post.holder_name,
                expected_vacancy=post.expected_vacancy,
                people=tuple(own),
                for_level=len(by_level[post.level]),
                no_cover=not anyone_ready and not any(s.emergency_cover for s in people),
                vacant_soon_unready=vacant_soon and not anyone_ready,
            )
        )
    levels = tuple(
        LevelBlock(
            level=level,
            label=LeadershipLevel(level).label,
            posts=tuple(lines[level]),
            for_level=tuple(sorted(by_level[level], key=lambda s: rank[s.candidacy_id])),
        )
        for level in LEVELS
        if lines[level] or by_level[level]
    )
    best = _best_by_level(candidacies)
    every_line = [line for block in levels for line in block.posts]
    return Pipeline(
        organisation=organisation,
        levels=levels,
        by_horizon=_by_horizon(best),
        diversity=_diversity(lead, organisation, best, minimum),
        no_cover=sum(line.no_cover for line in every_line),
        vacant_soon_unready=sum(line.vacant_soon_unready for line in every_line),
        minimum=minimum,
        summary_people=tuple(summary_people),
    )


# --- The regional view ---------------------------------------------------------------------------------------------

# People-derived figures are shown only for an area where at least this many organisations contribute to them:
# fewer, and an organiser who also leads one of them could take their own figures away and read another's.
MIN_ORGANISATIONS = 3
REGIONAL_VACANCY_MONTHS = 12
MD_AND_DEPUTY = (LeadershipLevel.MEDICAL_DIRECTOR, LeadershipLevel.DEPUTY_MD)
PARTITION_LABELS = (
    "Someone ready now",
    "At best, someone ready in 1 to 2 years",
    "Only people ready later (3 to 5 years)",
    "No one standing forward",
)


@dataclass(frozen=True)
class Area:
    """A region, or an integrated care board with the organisations that name it as their ICB."""

    name: str
    organisations: Q  # which organisations are in it, for Organisation queries

    @classmethod
    def of_region(cls, region: Region) -> "Area":
        return cls(region.name, Q(region=region))

    @classmethod
    def of_icb(cls, icb: Organisation) -> "Area":
        return cls(icb.name, Q(icb_code=icb.ods_code) | Q(pk=icb.pk))


@dataclass(frozen=True)
class LevelSize:
    label: str
    people: int | None  # None: not shown (fewer than the minimum)
    counts: tuple[int | None, ...] | None  # by horizon; None where hidden, or the whole row

    @property
    def cells(self) -> list[tuple[str, int | None]]:
        """The counts beside their horizons' short labels, every one None when the row is hidden whole."""
        counts = self.counts or (None,) * len(HORIZON_HEADINGS)
        return list(zip(HORIZON_HEADINGS, counts, strict=True))


@dataclass(frozen=True)
class RegionalFigures:
    area: str
    organisations: int  # open organisations in the area
    organisations_with_posts: int
    md_posts: int  # medical director and deputy posts (posts are not people: always shown)
    md_organisations_enough: bool  # enough organisations have such posts for their people-derived split
    md_partition: list[ReportRow] | None  # None: not shown
    vacant_unready: int | None  # posts falling vacant within 12 months with no one ready now; None: not shown
    vacancy_organisations_enough: bool
    sizes: tuple[LevelSize, ...]
    sizes_organisations_enough: bool
    minimum: int
    min_organisations: int


def icbs() -> QuerySet[Organisation]:
    """The integrated care boards one may choose, open ones only."""
    return Organisation.objects.filter(kind=OrganisationKind.ICB, closed_on__isnull=True).order_by("name")


def _area_organisations(area: Area) -> QuerySet[Organisation]:
    return Organisation.objects.filter(area.organisations, closed_on__isnull=True)


@dataclass(frozen=True)
class _AreaCounts:
    posts: dict[str, int]  # the post figures regional_figures shows
    sizes: dict[tuple[int, str], int]  # people standing forward by (level, horizon)
    size_organisations: int  # how many organisations those people stand at


def _area_counts(area: Area, today: date) -> _AreaCounts:
    """Two queries, the area's posts and the area's candidacies, both through indexes, counted here: the medical
    director and deputy posts split by the best readiness anyone standing forward for them gives (for the post, or
    for its level at its organisation), the posts falling vacant within 12 months with no one ready now, how many
    organisations each figure comes from, and the people standing forward by level and horizon (each person once per
    level, at the most ready horizon they gave anywhere in the area). Only counts leave this function.

    Counted in SQL these took three queries and 28 ms for a region of 32 organisations: the posts' aggregate tested
    each readiness again in every count that used it (nineteen EXISTS per post) and was estimated so dear that
    PostgreSQL compiled it to machine code first, and the sizes read every candidacy in the country (issue 20)."""
    organisations = _area_organisations(area)
    posts = Post.objects.filter(organisation__in=organisations).order_by()
    candidacies = list(
        Candidacy.objects.filter(organisation__in=organisations)
        .order_by()
        .values_list("person_id", "organisation_id", "post_id", "level", "readiness")
    )
    # The best (lowest) horizon rank anyone gives for each post, and for each level at each organisation.
    best_for_post: dict[int, int] = {}
    best_for_level: dict[tuple[int, int], int] = {}
    best_of_person: dict[tuple[int, int], int] = {}
    for person, organisation, post, level, readiness in candidacies:
        rank = HORIZON_RANK[readiness]
        if post is not None:
            best_for_post[post] = min(rank, best_for_post.get(post, rank))
        else:
            best_for_level[(organisation, level)] = min(rank, best_for_level.get((organisation, level), rank))
        best_of_person[(person, level)] = min(rank, best_of_person.get((person, level), rank))
    sizes: dict[tuple[int, str], int] = {}
    for (_person, level), rank in best_of_person.items():
        key = (level, HORIZONS[rank].value)
        sizes[key] = sizes.get(key, 0) + 1

    vacancy_end = _months_on(today, REGIONAL_VACANCY_MONTHS)
    figures = dict.fromkeys(("md_posts", "md_ready_now", "md_soon", "md_later", "vacant_unready"), 0)
    with_posts: set[int] = set()
    md_organisations: set[int] = set()
    vacancy_organisations: set[int] = set()
    nobody = len(HORIZONS)
    for pk, organisation, level, expected_vacancy in posts.values_list(
        "pk", "organisation_id", "level", "expected_vacancy"
    ):
        rank = min(best_for_post.get(pk, nobody), best_for_level.get((organisation, level), nobody))
        with_posts.add(organisation)
        if level in MD_AND_DEPUTY:
            md_organisations.add(organisation)
            figures["md_posts"] += 1
            if rank < nobody:
                figures[("md_ready_now", "md_soon", "md_later")[min(rank, 2)]] += 1
        if rank != 0 and expected_vacancy is not None and today <= expected_vacancy <= vacancy_end:
            figures["vacant_unready"] += 1
            vacancy_organisations.add(organisation)
    figures["organisations_with_posts"] = len(with_posts)
    figures["md_organisations"] = len(md_organisations)
    figures["vacancy_organisations"] = len(vacancy_organisations)
    return _AreaCounts(
        posts=figures,
        sizes=sizes,
        size_organisations=len({organisation for _p, organisation, _post, _l, _r in candidacies}),
    )


def _months_on(day: date, months: int) -> date:
    return months_after(datetime.combine(day, time(12), tzinfo=UTC), months).date()


def rounded(count: int | None) -> int | None:
    """A people-derived regional count to the nearest 5 (halves up), as the ONS rounds census tables: areas overlap
    (a region and its ICBs; two ICBs' sum and their region), so exact figures could be subtracted to isolate one
    organisation's people. Rounded, such a difference says nothing certain about one organisation."""
    if count is None:
        return None
    return 5 * ((count + 2) // 5)


def _partition(figures: dict[str, int], minimum: int) -> list[ReportRow] | None:
    counts = [figures["md_ready_now"], figures["md_soon"], figures["md_later"]]
    counts.append(figures["md_posts"] - sum(counts))
    shown = suppress_row(counts, minimum=minimum)
    if shown is None:
        return None
    return [ReportRow(label, rounded(n)) for label, n in zip(PARTITION_LABELS, shown, strict=True)]


def _rounded_row(row: tuple[int | None, ...] | None) -> tuple[int | None, ...] | None:
    return None if row is None else tuple(rounded(n) for n in row)


def _sizes(sizes: dict[tuple[int, str], int], minimum: int) -> tuple[LevelSize, ...]:
    rows = []
    for level in LEVELS:
        counts = [sizes.get((level, horizon.value), 0) for horizon in HORIZONS]
        people = sum(counts)
        if people == 0:
            continue
        rows.append(
            LevelSize(
                label=LeadershipLevel(level).label,
                people=rounded(people) if people >= minimum else None,
                counts=_rounded_row(suppress_row(counts, minimum=minimum)),
            )
        )
    return tuple(rows)


def regional_figures(*, area: Area, today: date) -> RegionalFigures:
    """Counts across the area's open organisations, never a person and never one organisation's people: every
    count derived from people is suppressed under the minimum (diversity.suppress_row, which holds beside a shown
    total), and shown only where at least MIN_ORGANISATIONS organisations contribute to it. Three queries: the
    organisations counted, then `_area_counts`."""
    minimum = settings.REPORT_MIN_COUNT
    organisations = _area_organisations(area).count()
    counts = _area_counts(area, today)
    figures, sizes, size_organisations = counts.posts, counts.sizes, counts.size_organisations
    md_enough = figures["md_organisations"] >= MIN_ORGANISATIONS
    vacancy_enough = figures["vacancy_organisations"] >= MIN_ORGANISATIONS
    vacant = figures["vacant_unready"]
    return RegionalFigures(
        area=area.name,
        organisations=organisations,
        organisations_with_posts=figures["organisations_with_posts"],
        md_posts=figures["md_posts"],
        md_organisations_enough=md_enough,
        md_partition=_partition(figures, minimum) if md_enough else None,
        vacant_unready=rounded(vacant) if vacancy_enough and vacant >= minimum else None,
        vacancy_organisations_enough=vacancy_enough,
        sizes=_sizes(sizes, minimum) if size_organisations >= MIN_ORGANISATIONS else (),
        sizes_organisations_enough=size_organisations >= MIN_ORGANISATIONS,
        minimum=minimum,
        min_organisations=MIN_ORGANISATIONS,
    )
