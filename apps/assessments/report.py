"""A person's self-assessment results, built once for every output: the results page and the PDF both take their
figures from `results_context`, so both follow the same anonymity rules (`visible_feedback`) and show the same
numbers. The PDF is rendered by WeasyPrint from a self-contained template: no fonts, images or stylesheets are
fetched, so rendering never touches the network or the file system beyond the installed fonts."""

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from django.template.loader import render_to_string
from django.utils.timezone import now

from apps.competencies.models import ScalePoint
from apps.profiles.models import LeadershipLevel

from .anonymity import CriterionFeedback, FeedbackView, visible_feedback
from .models import Assessment, RaterCategory
from .pdf import document_bytes, render_document
from .results import (
    CriterionInput,
    CriterionResult,
    GroupReadiness,
    Readiness,
    criterion_results,
    readiness,
    readiness_by_group,
)
from .selectors import (
    CriterionFigures,
    criterion_figures,
    feedback_answers,
    feedback_round_for,
    previous_submitted,
    ratings_by_code,
)
from .services import next_due

if TYPE_CHECKING:
    from weasyprint.document import Document

PDF_TEMPLATE = "assessments/results_pdf.html"


@dataclass(frozen=True)
class DescribedResult(CriterionResult):
    """A criterion's result with the suggested rating's label and the words for what the target role should be
    able to show ("" when the framework has none)."""

    expected_label: str = ""
    expected_description: str = ""
    # The answer chosen when it is not a rating ("No chance to demonstrate"): shown in place of a rating, while
    # `self_rating` is None so that no figure counts it.
    not_rated_label: str = ""


def expected_of(*, level: int) -> str:
    """How the pages introduce what a role expects: "Expected of an associate medical director"."""
    role = LeadershipLevel(level).label.lower()
    return f"Expected of {'an' if role[0] in 'aeiou' else 'a'} {role}"


class ResultsContext(TypedDict):
    """The results page's template context; a dict so that pages can add their own keys to it."""

    assessment: Assessment
    feedback_open_until: datetime | None
    expected_of: str
    results: list[tuple[DescribedResult, CriterionFeedback]]
    feedback: FeedbackView
    summary: Readiness
    by_group: list[GroupReadiness]
    previous: Assessment | None
    scale: list[ScalePoint]
    top: int
    next_due: datetime | None  # when the next self-assessment against this framework is due, if it repeats
    figures: list[CriterionFigures]  # as read, for the crosswalk sections to reuse (`crosswalk_sections`)


def results_context(*, assessment: Assessment) -> ResultsContext:
    """What the results show: each criterion's result beside the raters' figures the anonymity rules allow.

    Reads plain values, not the entries the answering pages need (no prompts, answers or evidence): the
    criteria's figures in one query, the previous assessment's ratings, the scale and the feedback round, and the
    raters' answers only once the round has closed (before that none may show, `selectors.feedback_answers`)."""
    moment = now()
    previous = previous_submitted(assessment=assessment)
    before = ratings_by_code(assessment=previous) if previous else {}
    figures = criterion_figures(assessment=assessment)
    feedback_round = feedback_round_for(assessment=assessment)
    answers = (
        feedback_answers(assessment=assessment, now=moment)
        if feedback_round is not None and not feedback_round.is_open(moment)
        else []
    )
    feedback = visible_feedback(answers, labels=dict(RaterCategory.choices), criteria=[f.code for f in figures])
    inputs = [
        CriterionInput(
            code=f.code,
            title=f.title,
            group=f.group,
            self_rating=f.rating,
            expected=f.expected,
            previous=before.get(f.code),
            others=feedback.criteria[f.code].others_mean,
        )
        for f in figures
    ]
    scale = list(assessment.framework.scale.all())
    ordered = criterion_results(inputs)
    results = _described(ordered, figures, {p.value: p.label for p in scale})
    top = max((p.value for p in scale if not p.not_a_rating), default=1)
    return {
        "assessment": assessment,
        # Open: answers are coming in and none is shown yet (selectors.feedback_answers says why).
        "feedback_open_until": feedback_round.closes_at if feedback_round and feedback_round.is_open(moment) else None,
        "expected_of": expected_of(level=assessment.target_level),
        "results": [(r, feedback.criteria[r.code]) for r in results],
        "feedback": feedback,
        "summary": readiness(ordered),
        "by_group": readiness_by_group(ordered, groups=list(dict.fromkeys(i.group for i in inputs))),
        "previous": previous,
        "scale": scale,
        "top": top,
        "next_due": next_due(assessment),
        "figures": figures,
    }


def _described(
    results: list[CriterionResult], figures: list[CriterionFigures], labels: Mapping[int, str]
) -> list[DescribedResult]:
    words = {f.code: f.expected_description for f in figures}
    answered = {f.code: f.not_rated_label for f in figures}
    return [
        DescribedResult(
            **asdict(result),
            expected_label=labels.get(result.expected, "") if result.expected is not None else "",
            expected_description=words.get(result.code, ""),
            not_rated_label=answered.get(result.code, ""),
        )
        for result in results
    ]


def results_document(*, assessment: Assessment, context: Mapping[str, object], base_url: str) -> "Document":
    """The results laid out on A4 pages by WeasyPrint, before they are written as a PDF."""
    html = render_to_string(PDF_TEMPLATE, {**context, "assessment": assessment})
    return render_document(html=html, base_url=base_url, what="results")


def results_pdf(*, assessment: Assessment, context: Mapping[str, object], base_url: str) -> bytes:
    """The results as an A4 PDF. `context` is `results_context(assessment=...)`; `base_url` resolves links."""
    return document_bytes(results_document(assessment=assessment, context=context, base_url=base_url))
