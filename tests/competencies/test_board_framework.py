"""NHS England's leadership competency framework for board members, shipped as data: the file is complete and
honest about what is quoted, and `load_framework --shipped` loads it with the others, once."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.competencies.fileformat import parse
from apps.competencies.models import Criterion, CriterionGroup, Framework, LevelExpectation, PromptQuestion, ScalePoint
from apps.competencies.selectors import framework_spec
from apps.competencies.services import shipped_framework_files
from apps.competencies.vocabulary import AREAS, LEVELS

BOARD = Path(__file__).resolve().parents[2] / "apps" / "competencies" / "frameworks" / "nhs-board-leadership-2024.yaml"

DOMAINS = [  # as NHS England names them
    "Driving high quality and sustainable outcomes",
    "Setting strategy and delivering long term transformation",
    "Promoting equality and inclusion and reducing health and workforce inequalities",
    "Providing robust governance and assurance",
    "Creating a compassionate, just and positive culture",
    "Building a trusted relationship with partners and communities",
]
SCALE = ["No chance to demonstrate", "Rarely or never", "Occasionally", "Frequently", "Almost always"]


def test_the_board_framework_has_six_domains_and_the_published_scale() -> None:
    spec = parse(BOARD.read_text())
    assert (spec.slug, spec.version) == ("nhs-board-leadership", "2024")
    assert [g.title for g in spec.groups] == DOMAINS
    assert [g.code for g in spec.groups] == ["D1", "D2", "D3", "D4", "D5", "D6"]
    assert [p.value for p in spec.scale] == [1, 2, 3, 4, 5]  # a higher value is better
    assert [p.label for p in spec.scale] == SCALE
    assert all(p.descriptor for p in spec.scale)


def test_every_criterion_sits_in_a_domain_with_prompts_tags_and_every_level() -> None:
    spec = parse(BOARD.read_text())
    top = max(p.value for p in spec.scale)
    codes = {g.code for g in spec.groups}
    assert len(spec.criteria) == 24
    assert all(any(c.group == code for c in spec.criteria) for code in codes)  # no empty domain
    for criterion in spec.criteria:
        assert criterion.group in codes
        assert re.fullmatch(rf"{criterion.group}-\d+", criterion.code)
        assert criterion.description
        assert 1 <= len(criterion.prompts) <= 2
        assert criterion.areas and set(criterion.areas) <= set(AREAS)
        levels = dict(criterion.levels)
        assert list(levels) == list(LEVELS)  # every rung of the ladder, in order
        assert levels["medical_director"] == top  # a board member: "Almost always"
        ladder = [levels[code] for code in LEVELS]
        assert ladder == sorted(ladder)  # expectations never fall as the role grows


def test_the_file_says_what_is_quoted_and_what_is_ours() -> None:
    spec = parse(BOARD.read_text())
    assert "NHS England" in spec.source
    assert "https://www.england.nhs.uk/long-read/nhs-leadership-competency-framework-for-board-members/" in spec.source
    assert "Stepping Up's own words" in spec.licence
    assert "not NHS England's competency statements" in spec.licence
    assert "fit and proper person test" in spec.description


@pytest.mark.django_db
def test_load_framework_shipped_loads_it_alongside_the_others_once() -> None:
    first = StringIO()
    call_command("load_framework", "--shipped", stdout=first)
    assert "nhs-board-leadership-2024.yaml: NHS leadership competency framework for board members 2024: loaded" in (
        first.getvalue()
    )
    assert BOARD in shipped_framework_files()
    assert Framework.objects.count() == len(shipped_framework_files())
    assert {"md-person-spec", "mlcf", "nhs-board-leadership"} <= set(Framework.objects.values_list("slug", flat=True))
    board = Framework.objects.get(slug="nhs-board-leadership", version="2024")
    assert framework_spec(framework=board) == parse(BOARD.read_text())
    models = (Framework, ScalePoint, CriterionGroup, Criterion, PromptQuestion, LevelExpectation)
    before = {model.__name__: model.objects.count() for model in models}
    assert before["LevelExpectation"] >= 24 * 5

    again = StringIO()
    call_command("load_framework", "--shipped", stdout=again)
    assert {model.__name__: model.objects.count() for model in models} == before
    assert again.getvalue().count("already loaded, unchanged") == len(shipped_framework_files())
    assert Framework.objects.get(slug="nhs-board-leadership").pk == board.pk
