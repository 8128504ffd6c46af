"""The opportunity catalogue: the shipped file loads, covers every criterion, and bad files load nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.competencies.models import Criterion, Framework
from apps.competencies.services import framework_load_file, shipped_framework_files
from apps.development.models import Opportunity, OpportunityCriterion, OpportunityKind

pytestmark = pytest.mark.django_db

ISSUE_LIST = [  # every opportunity the issue names must be findable by title words
    "medical director",
    "chief executive",
    "chair",
    "board",
    "sub-committee",
    "deputis",
    "externally",
    "conference",
    "360",
    "personality",
    "mentor",
    "coach",
    "negotiat",
    "conversation",
    "case investigator",
    "resilience",
    "King's Fund",
    "GenerationQ",
    "Leadership Academy",
    "Master",
    "MBA",
    "quality improvement",
    "HFMA",
    "CQC",
    "education",
    "GIRFT",
    "seven-day",
    "senate",
    "reference group",
    "royal college",
    "charit",
    "board development",
    "action learning",
    "buddy",
    "induction",
]


@pytest.fixture
def frameworks(db: None) -> list[Framework]:
    return [framework_load_file(path=path).framework for path in shipped_framework_files()]


def test_the_shipped_catalogue_loads_and_covers_every_criterion_twice(frameworks: list[Framework]) -> None:
    out = StringIO()
    call_command("load_opportunities", stdout=out)
    assert Opportunity.objects.count() >= 40
    assert set(Opportunity.objects.values_list("kind", flat=True)) == set(OpportunityKind.values)
    for code in Criterion.objects.filter(framework__slug="md-person-spec").values_list("code", flat=True):
        assert OpportunityCriterion.objects.filter(framework_slug="md-person-spec", criterion_code=code).count() >= 2
    text = " ".join(f"{o.title} {o.description}" for o in Opportunity.objects.all()).lower()
    missing = [word for word in ISSUE_LIST if word.lower() not in text]
    assert not missing


def test_loading_again_keeps_administrators_edits_unless_asked(frameworks: list[Framework]) -> None:
    call_command("load_opportunities", stdout=StringIO())
    first = Opportunity.objects.order_by("code").first()
    assert first is not None
    Opportunity.objects.filter(pk=first.pk).update(title="Edited by an administrator")
    call_command("load_opportunities", stdout=StringIO())
    assert Opportunity.objects.get(pk=first.pk).title == "Edited by an administrator"
    call_command("load_opportunities", "--update", stdout=StringIO())
    assert Opportunity.objects.get(pk=first.pk).title != "Edited by an administrator"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("format: other\n", "expected 'format: stepping-up-opportunities/1'"),
        ("format: stepping-up-opportunities/1\nopportunities:\n  - {code: Bad Code}\n", "lower-case letters"),
        (
            "format: stepping-up-opportunities/1\nopportunities:\n  - {code: x, title: X, description: d, kind: course,"
            " typical_time: t, typical_cost: c, source: s, develops: {md-person-spec: [NOPE-1]}}\n",
            "unknown criterion code",
        ),
        (
            "format: stepping-up-opportunities/1\nopportunities:\n  - {code: x, title: X, description: d, kind: party,"
            " typical_time: t, typical_cost: c, source: s, develops: {}}\n",
            "kind: one of",
        ),
    ],
)
def test_a_bad_catalogue_is_refused_and_nothing_loads(
    frameworks: list[Framework], tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(CommandError, match=message):
        call_command("load_opportunities", str(path))
    assert not Opportunity.objects.exists()
