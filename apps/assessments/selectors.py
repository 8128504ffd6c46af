"""Reads of self-assessments. Every function filters by owner: another person's assessment does not exist here."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    PositiveSmallIntegerField,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models import Value as V
from django.utils import timezone

from apps.accounts.models import User
from apps.competencies.models import Criterion, CriterionGroup, LevelExpectation, PromptQuestion, ScalePoint

from .anonymity import Answer
from .models import (
    Assessment,
    AssessmentShare,
    Evidence,
    FeedbackRound,
    PromptAnswer,
    RaterCategory,
    RaterComment,
    RaterInvitation,
    RaterRating,
    RaterResponse,
    Rating,
)


@dataclass(frozen=True)
class PromptEntry:
    """A prompt question with this assessment's answer to it ("" when unanswered)."""

    prompt: PromptQuestion
    answer: str


@dataclass(frozen=True)
class CriterionEntry:
    """One criterion as a self-assessment page needs it: the person's rating (None until they rate), their evidence,
    the rating suggested for their target role (None when the framework suggests none) with the words for what that
    role should be able to show ("" when there are none), and their prompt answers."""

    criterion: Criterion
    rating: Rating | None
    evidence: tuple[Evidence, ...]
    expected: int | None
    prompts: tuple[PromptEntry, ...]
    expected_description: str = ""
    # The label of the answer chosen when it is not a rating ("No chance to demonstrate"), else "".
    not_rated_label: str = ""

    @property
    def rating_value(self) -> int | None:
        """The rating as a figure: None when not rated, or answered with a point that is not a rating."""
        return self.rating.value if self.rating and not self.not_rated_label else None


def _not_a_rating(framework_id: int) -> QuerySet[ScalePoint]:
    """The framework's point that is not a rating, matched to the outer row's `value`: used inside the queries that
    read ratings, so that leaving such an answer out of the figures costs no query of its own."""
    return ScalePoint.objects.filter(framework=framework_id, value=OuterRef("value"), not_a_rating=True)


def counted_value(*, framework_id: int) -> Case:
    """A rating's `value` as a figure: NULL, like "not rated", where it is the point that is not a rating."""
    return Case(
        When(Exists(_not_a_rating(framework_id)), then=V(None)),
        default=F("value"),
        output_field=PositiveSmallIntegerField(),
    )


@dataclass(frozen=True)
class CriterionFigures:
    """One criterion of an assessment as the results and the plan's suggestions need it, read as plain values:
    the person's rating as a figure (None when not rated, or answered with the point that is not a rating), the
    label of that point when it was chosen ("" otherwise), and the level suggested for the target role with its
    words (None and "" when the framework suggests none)."""

    code: str
    title: str
    group: str
    rating: int | None
    not_rated_label: str
    expected: int | None
    expected_description: str


def criterion_figures(*, assessment: Assessment) -> list[CriterionFigures]:
    """Every criterion of the assessment's framework in order, with this assessment's figures for it: ONE query,
    however many criteria. Each column is a lookup through a unique index (`one_rating_per_criterion`,
    `one_expectation_per_level`, `one_scale_point_per_value`), so nothing here grows with other people's data,
    and no prompts, answers or evidence are read: `all_entries` is for the pages that show those."""
    framework_id = assessment.framework_id
    rating = Rating.objects.filter(assessment=assessment, criterion=OuterRef("pk"))
    expectation = LevelExpectation.objects.filter(criterion=OuterRef("pk"), level=assessment.target_level)
    # The framework's point that is not a rating, matched to this criterion's rating (at most one per framework).
    not_a_rating = ScalePoint.objects.filter(framework=framework_id, value=OuterRef("raw"), not_a_rating=True)
    rows = (
        Criterion.objects.filter(framework=framework_id)
        .order_by("position")
        .annotate(
            raw=Subquery(rating.values("value")[:1]),
            not_rated_label=Subquery(not_a_rating.values("label")[:1]),
            expected=Subquery(expectation.values("expected")[:1]),
            expected_description=Subquery(expectation.values("description")[:1]),
        )
        .values_list("code", "title", "group__title", "raw", "not_rated_label", "expected", "expected_description")
    )
    return [
        CriterionFigures(
            code=code,
            title=title,
            group=group,
            rating=None if label else raw,
            not_rated_label=label or "",
            expected=expected,
            expected_description=description or "",
        )
        for code, title, group, raw, label, expected, description in rows
    ]


def assessments_for_owner(*, owner: User) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(owner=owner)
        .select_related("framework")
        .annotate(
            rated=Count("ratings", filter=Q(ratings__value__isnull=False)),
            criteria_count=Count("ratings"),
        )
        .order_by("-started_at", "-id")
    )


def assessment_for_owner(*, owner: User, assessment_id: int) -> Assessment | None:
    return Assessment.objects.filter(owner=owner, pk=assessment_id).select_related("framework").first()


def group_progress(*, assessment: Assessment) -> list[tuple[CriterionGroup, int, int]]:
    """(group, rated, total) for each group of the assessment's framework, in order. Two queries."""
    groups = list(CriterionGroup.objects.filter(framework=assessment.framework_id).order_by("position"))
    counts = (
        Rating.objects.filter(assessment=assessment)
        .values("criterion__group")
        .annotate(total=Count("id"), rated=Count("id", filter=Q(value__isnull=False)))
    )
    by_group = {row["criterion__group"]: (row["rated"], row["total"]) for row in counts}
    return [(g, *by_group.get(g.pk, (0, 0))) for g in groups]


def group_for_assessment(*, assessment: Assessment, code: str) -> CriterionGroup | None:
    return CriterionGroup.objects.filter(framework=assessment.framework_id, code=code).first()


def group_entries(*, assessment: Assessment, group: CriterionGroup) -> list[CriterionEntry]:
    """One group's criteria with their prompts, and this assessment's rating, answers and evidence for each."""
    return _entries(assessment, Criterion.objects.filter(group=group))


def all_entries(*, assessment: Assessment) -> list[CriterionEntry]:
    """Every criterion of the assessment's framework, in order, with its group and the same answers."""
    return _entries(assessment, Criterion.objects.filter(framework=assessment.framework_id).select_related("group"))


def _entries(assessment: Assessment, criteria_query: QuerySet[Criterion]) -> list[CriterionEntry]:
    """Six queries, however many criteria: criteria, prompts, expectations, ratings, answers, evidence."""
    criteria = list(
        criteria_query.order_by("position").prefetch_related(
            "prompts",
            Prefetch("expectations", queryset=LevelExpectation.objects.filter(level=assessment.target_level)),
        )
    )
    ratings = {
        r.criterion_id: r
        for r in Rating.objects.filter(assessment=assessment, criterion__in=criteria).annotate(
            not_rated_label=Subquery(_not_a_rating(assessment.framework_id).values("label")[:1])
        )
    }
    answers = dict(
        PromptAnswer.objects.filter(assessment=assessment, prompt__criterion__in=criteria).values_list(
            "prompt_id", "text"
        )
    )
    evidence: dict[int, list[Evidence]] = {}
    for item in Evidence.objects.filter(assessment=assessment, criterion__in=criteria):
        evidence.setdefault(item.criterion_id, []).append(item)
    entries = []
    for criterion in criteria:
        expectation = next(iter(criterion.expectations.all()), None)  # the target level's, if there is one
        entries.append(
            CriterionEntry(
                criterion=criterion,
                rating=ratings.get(criterion.pk),
                evidence=tuple(evidence.get(criterion.pk, [])),
                expected=expectation.expected if expectation else None,
                prompts=tuple(PromptEntry(prompt=p, answer=answers.get(p.pk, "")) for p in criterion.prompts.all()),
                expected_description=expectation.description if expectation else "",
                not_rated_label=getattr(ratings.get(criterion.pk), "not_rated_label", None) or "",
            )
        )
    return entries


def previous_submitted(*, assessment: Assessment) -> Assessment | None:
    """The owner's last completed assessment of the same framework (any version) before this one."""
    return (
        Assessment.objects.filter(
            owner=assessment.owner_id, framework__slug=assessment.framework.slug, submitted_at__isnull=False
        )
        .exclude(pk=assessment.pk)
        .filter(started_at__lt=assessment.started_at)
        .order_by("-submitted_at")
        .first()
    )


def ratings_by_code(*, assessment: Assessment) -> dict[str, int | None]:
    """Criterion code → rating: codes carry across framework versions, so assessments can be compared. None where
    not rated, or answered with the point that is not a rating: either way there is no figure to compare."""
    counted = counted_value(framework_id=assessment.framework_id)
    return dict(
        Rating.objects.filter(assessment=assessment).annotate(counted=counted).values_list("criterion__code", "counted")
    )


def feedback_round_for(*, assessment: Assessment) -> FeedbackRound | None:
    """The assessment's 360 feedback round, if one was opened (an assessment has at most one). Always read afresh:
    an assessment held in memory may carry a round that has closed since (creating a round caches it on the
    assessment, and closing it saves another copy)."""
    return FeedbackRound.objects.filter(assessment=assessment).first()


def invited_emails(*, feedback_round: FeedbackRound | None) -> list[str]:
    """Whom the owner asked: they chose them, so the addresses are theirs to see (never who answered what)."""
    if feedback_round is None:
        return []
    return list(RaterInvitation.objects.filter(round=feedback_round).values_list("email", flat=True))


def invitation_summary(*, feedback_round: FeedbackRound | None) -> list[tuple[str, int, int]]:
    """(category, asked, answered): counts only, never who."""
    if feedback_round is None:
        return []
    counts = {
        row["category"]: (row["asked"], row["answered"])
        for row in RaterInvitation.objects.filter(round=feedback_round)
        .values("category")
        .annotate(asked=Count("id"), answered=Count("id", filter=Q(answered=True)))
    }
    return [(label, *counts[value]) for value, label in RaterCategory.choices if value in counts]


def criteria_to_rate(*, assessment: Assessment) -> list[Criterion]:
    """What a rater rates: every criterion of the assessment's framework, in order, with its group."""
    return list(
        Criterion.objects.filter(framework=assessment.framework_id).select_related("group").order_by("position")
    )


def feedback_answers(*, assessment: Assessment, now: datetime | None = None) -> list[Answer]:
    """Every rater response to this assessment as plain data for the anonymity rules, once its round has closed,
    and none before: answers that appear one by one could be told apart by comparing the results page before and
    after each (docs/ARCHITECTURE.md, "360 feedback"). After the close nothing can be added or withdrawn, so what
    is shown never changes. Three queries."""
    closed = Q(round__closed_early_at__isnull=False) | Q(round__closes_at__lte=now or timezone.now())
    responses = {r.pk: r.category for r in RaterResponse.objects.filter(closed, round__assessment=assessment)}
    ratings: dict[object, dict[str, int | None]] = {pk: {} for pk in responses}
    # A rater's "No chance to demonstrate" (the point that is not a rating) reads as None, as "I can't say" does:
    # the anonymity rules then leave it out of every count and mean, once.
    counted = counted_value(framework_id=assessment.framework_id)
    for response_id, code, value in (
        RaterRating.objects.filter(response__in=responses)
        .annotate(counted=counted)
        .values_list("response_id", "criterion__code", "counted")
    ):
        ratings[response_id][code] = value
    comments: dict[object, dict[str, list[str]]] = {pk: {} for pk in responses}
    for response_id, code, text in RaterComment.objects.filter(response__in=responses).values_list(
        "response_id", "criterion__code", "text"
    ):
        comments[response_id].setdefault(code or "", []).append(text)
    return [Answer(category=responses[pk], ratings=ratings[pk], comments=comments[pk]) for pk in responses]


def live_shares(*, assessment: Assessment) -> QuerySet[AssessmentShare]:
    return AssessmentShare.objects.filter(assessment=assessment, revoked_at__isnull=True).select_related("viewer")


def share_for_viewer(*, viewer: User, assessment_id: int) -> AssessmentShare | None:
    """The live share that lets `viewer` see this assessment, or None: the permission is the query."""
    return (
        AssessmentShare.objects.filter(assessment_id=assessment_id, viewer=viewer, revoked_at__isnull=True)
        .select_related("assessment__owner", "assessment__framework")
        .first()
    )


def shared_with(*, viewer: User) -> QuerySet[AssessmentShare]:
    return (
        AssessmentShare.objects.filter(viewer=viewer, revoked_at__isnull=True)
        .select_related("assessment__owner", "assessment__framework")
        .order_by("-shared_at")
    )
