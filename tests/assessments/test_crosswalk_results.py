"""Through the crosswalk: results show the frameworks the assessed one maps to, and evidence or a reflection against
one criterion counts towards the criteria it maps to, for its owner and nobody else."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.crosswalk import crosswalk_sections, evidence_also_counting
from apps.assessments.evidence import evidence_add
from apps.assessments.models import Assessment
from apps.assessments.services import assessment_start, assessment_submit
from apps.competencies.models import Criterion, CriterionLink, Framework
from apps.development.records import Anchor, reflection_add
from tests.conftest import signed_in
from tests.factories import ProfileFactory, year_plan
from tests.support.colleagues import become_mentor_of, share_results_with

pytestmark = pytest.mark.django_db

BOARD = "NHS leadership competency framework for board members"


@pytest.fixture
def frameworks(db: None) -> dict[str, Framework]:
    call_command("load_framework", "--shipped", stdout=StringIO())
    return {f.slug: f for f in Framework.objects.all()}


def _criterion(framework: Framework, code: str) -> Criterion:
    return Criterion.objects.get(framework=framework, code=code)


@pytest.fixture
def results(owner: User, frameworks: dict[str, Framework]) -> Assessment:
    """The owner's completed self-assessment against the person specification for medical director (4 suggested
    everywhere but the desirable criteria): every criterion 3, but SKI-3 and SKI-8 at 4."""
    assessment = assessment_start(
        owner=owner, framework=frameworks["md-person-spec"], target_level=5, now=timezone.now()
    )
    assessment.ratings.update(value=3)
    assessment.ratings.filter(criterion__code__in=["SKI-3", "SKI-8"]).update(value=4)
    return assessment_submit(assessment=assessment, now=timezone.now())


def _board_evidence(person: User, frameworks: dict[str, Framework], title: str) -> Assessment:
    """A draft self-assessment against the board framework with one note on D6-3 ("Communicates openly")."""
    board = assessment_start(
        owner=person, framework=frameworks["nhs-board-leadership"], target_level=5, now=timezone.now()
    )
    evidence_add(
        assessment=board,
        criterion=_criterion(frameworks["nhs-board-leadership"], "D6-3"),
        kind="text",
        title=title,
        text="I presented the mortality review to the council of governors.",
        now=timezone.now(),
    )
    return board


def test_results_show_how_the_ratings_map_to_each_linked_framework(owner: User, results: Assessment) -> None:
    page = signed_in(owner).get(reverse("assessments:results", args=[results.pk])).content.decode()
    assert f"How this maps to {BOARD}" in page
    assert "How this maps to Medical Leadership Competency Framework" in page
    sections = {s.framework.slug: s for s in crosswalk_sections(assessment=results)}
    partners = {g.code: g for g in sections["nhs-board-leadership"].groups}["D6"]
    # EXP-4, SKI-2, SKI-3, SKI-4, SKI-8 and SKI-9 map into "Building a trusted relationship with partners and
    # communities"; SKI-3 and SKI-8 are rated 4, what a medical director is expected to show.
    assert [m.code for m in partners.mapped] == ["EXP-4", "SKI-2", "SKI-3", "SKI-4", "SKI-8", "SKI-9"]
    assert (partners.meeting, partners.rated) == (2, 6)
    assert "6 of your criteria map here: 2 at or above what your target role expects." in page
    assert {g.code: g for g in sections["nhs-board-leadership"].groups}["D3"].mapped == ()
    assert "None of your criteria map here." in page
    setting_direction = {g.code: g for g in sections["mlcf"].groups}["SD"]
    assert [(m.code, m.to) for m in setting_direction.mapped if m.code == "SKI-4"] == [("SKI-4", ("SD-3",))]


def test_without_links_results_have_no_crosswalk(owner: User, results: Assessment) -> None:
    CriterionLink.objects.all().delete()
    assert crosswalk_sections(assessment=results) == []
    assert (
        "How this maps to"
        not in signed_in(owner).get(reverse("assessments:results", args=[results.pk])).content.decode()
    )


def test_the_results_page_query_count(owner: User, results: Assessment, django_assert_num_queries: Any) -> None:
    client, url = signed_in(owner), reverse("assessments:results", args=[results.pk])
    client.get(url)
    # 1. the session  2. the user  3. the assessment with its framework  4. the previous completed assessment
    # 5. each criterion with its group, rating and expectation at the target level (`criterion_figures`)  6. the
    # feedback round (none)  7. the scale.  The crosswalk (assessments.crosswalk.crosswalk_sections, given the
    # figures of 5.):  8. the links  9. the latest version of each linked framework  10. their criteria with their
    # groups.  The layout:  11. roles  12. the unread count
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200


def test_a_colleague_shared_with_sees_the_mapping_of_the_shared_results_only(
    owner: User, colleague: User, results: Assessment, frameworks: dict[str, Framework]
) -> None:
    _board_evidence(owner, frameworks, "Governors' briefing")
    become_mentor_of(owner, colleague)
    share_results_with(colleague, results)
    client = signed_in(colleague)
    page = client.get(reverse("assessments:shared_results", args=[results.pk])).content.decode()
    assert f"How this maps to {BOARD}" in page
    assert "6 of their criteria map here: 2 at or above what their target role expects." in page
    assert "Governors" not in page and "Also counts towards" not in page
    criterion = _criterion(frameworks["md-person-spec"], "SKI-3")
    assert client.get(reverse("assessments:evidence_add", args=[results.pk, criterion.pk])).status_code == 404


def test_evidence_in_a_board_self_assessment_also_counts_towards_the_mapped_criterion(
    owner: User, frameworks: dict[str, Framework]
) -> None:
    _board_evidence(owner, frameworks, "Governors' briefing")
    stranger = ProfileFactory(user__email="stranger@example.org").user
    _board_evidence(stranger, frameworks, "Someone else's briefing")
    spec = assessment_start(owner=owner, framework=frameworks["md-person-spec"], target_level=5, now=timezone.now())
    ski3 = _criterion(frameworks["md-person-spec"], "SKI-3")
    linked = evidence_also_counting(assessment=spec, criterion=ski3)
    assert [(e.evidence.title, e.criterion_code, e.framework_name) for e in linked] == [
        ("Governors' briefing", "D6-3", BOARD)
    ]
    page = signed_in(owner).get(reverse("assessments:evidence_add", args=[spec.pk, ski3.pk])).content.decode()
    assert "Also counts towards SKI-3" in page and "Governors&#x27; briefing" in page
    assert "Someone else" not in page
    # A criterion that maps to nothing there shows none.
    exp2 = _criterion(frameworks["md-person-spec"], "EXP-2")
    assert evidence_also_counting(assessment=spec, criterion=exp2) == []


def test_the_stranger_sees_only_their_own_evidence_across_the_crosswalk(
    owner: User, frameworks: dict[str, Framework]
) -> None:
    _board_evidence(owner, frameworks, "Governors' briefing")
    stranger = ProfileFactory(user__email="stranger@example.org").user
    spec = assessment_start(owner=stranger, framework=frameworks["md-person-spec"], target_level=5, now=timezone.now())
    assert evidence_also_counting(assessment=spec, criterion=_criterion(frameworks["md-person-spec"], "SKI-3")) == []


def test_the_evidence_links_are_two_queries(
    owner: User, frameworks: dict[str, Framework], django_assert_num_queries: Any
) -> None:
    _board_evidence(owner, frameworks, "Governors' briefing")
    spec = assessment_start(owner=owner, framework=frameworks["md-person-spec"], target_level=5, now=timezone.now())
    ski3 = _criterion(frameworks["md-person-spec"], "SKI-3")
    # 1. the links of SKI-3  2. the owner's evidence on the criteria they lead to, with its assessment's framework
    with django_assert_num_queries(2):
        evidence_also_counting(assessment=spec, criterion=ski3)


def test_a_reflection_in_the_plan_also_counts_towards_the_mapped_criteria(
    owner: User, frameworks: dict[str, Framework]
) -> None:
    plan = year_plan(owner)
    reflection_add(
        plan=plan,
        anchor=Anchor(criterion=_criterion(frameworks["md-person-spec"], "SKI-3")),
        title="Explaining the mortality figures to the board",
        what_happened="I presented them.",
        so_what="The non-executives asked better questions.",
        now_what="Do it quarterly.",
        written_on=timezone.localdate() - timedelta(days=1),
        now=timezone.now(),
    )
    page = signed_in(owner).get(reverse("development:plan", args=[plan.pk])).content.decode()
    assert "Also counting towards other frameworks" in page
    assert f"{BOARD}: “Communicates openly and builds trust” (D6-3): 1 record, through SKI-3" in page
    assert "(SD-2): 1 record, through SKI-3" in page
