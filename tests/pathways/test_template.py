"""The first-year pathway as data: the shipped file reads, rests on the seeds' own words, every suggestion is in the
development catalogue and every step links to a page of the portal; every fault in a pathway file is refused with
where it is."""

from datetime import date
from pathlib import Path

import pytest
import yaml
from django.urls import reverse

from apps.development.catalogue import SHIPPED as CATALOGUE
from apps.pathways.template import STEP_KEYS, TemplateFileError, checkin_due_on, parse, shipped

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def test_the_shipped_file_has_the_four_areas_the_steps_and_the_check_ins() -> None:
    template = shipped()
    assert [area.title for area in template.areas] == [
        "Corporate and board responsibilities",
        "Strategy and finance",
        "Medical governance and revalidation",
        "Resilience",
    ]
    assert all(area.items for area in template.areas)
    assert [step.key for step in template.steps] == list(STEP_KEYS)
    assert template.checkins == (3, 6, 12)
    assert "seed 002" in template.source


def test_every_item_says_why_quoting_a_seed() -> None:
    for area in shipped().areas:
        assert "seed 00" in area.why, area.key
        for item in area.items:
            assert "seed 00" in item.why and ('"' in item.why or "“" in item.why), item.key


def test_every_suggestion_is_an_opportunity_in_the_shipped_catalogue() -> None:
    codes = {entry["code"] for entry in yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))["opportunities"]}
    missing = {item.key: item.opportunity for item in shipped().items if item.opportunity not in codes}
    assert missing == {}


def test_every_step_links_to_a_page_of_the_portal() -> None:
    for step in shipped().steps:
        assert reverse(step.link).startswith("/"), step.key


def test_the_seed_002_quotes_are_its_own_words() -> None:
    seed = next(SEEDS.glob("002_*.txt"), None)
    if seed is None:
        pytest.skip("the seeds are not beside this checkout")
    source = " ".join(seed.read_text(encoding="utf-8").split())
    for phrase in (
        "they and their peers would value more mentoring and induction, particularly on corporate responsibilities",
        "the main challenge was the financial reporting rules",
        "Being the medical bottom line - having to give assurance",
        "Most medical directors (92%, n=97) had agreed objectives with the chief executive",
    ):
        assert phrase in source


def test_a_check_in_falls_due_months_later_on_the_last_day_of_a_shorter_month() -> None:
    assert checkin_due_on(date(2026, 1, 15), 3) == date(2026, 4, 15)
    assert checkin_due_on(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert checkin_due_on(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert checkin_due_on(date(2026, 12, 7), 12) == date(2027, 12, 7)


GOOD_AREA = """  - key: a
    title: An area
    why: because
    items:
      - {key: one, title: One, why: because, opportunity: mentor}
"""
GOOD_STEPS = "".join(f"  - {{key: {key}, title: T, why: W, link: 'pathways:home', action: Go}}\n" for key in STEP_KEYS)


def _file(areas: str = GOOD_AREA, steps: str = GOOD_STEPS, checkins: str = "[3, 6, 12]") -> str:
    return f"source: S\nareas:\n{areas}steps:\n{steps}checkins: {checkins}\n"


def test_a_good_small_file_reads() -> None:
    template = parse(_file())
    assert template.items[0].opportunity == "mentor"
    assert template.area_of("one") is not None and template.area_of("two") is None


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (_file(areas=GOOD_AREA.replace("why: because\n    items", "items")), "areas[0]: missing 'why'"),
        (_file(areas=GOOD_AREA.replace("title: One", "title: ''")), "areas[0].items[0].title: expected text"),
        (_file(areas=GOOD_AREA.replace("opportunity: mentor", "opportunity: Not A Code")), "items[0].opportunity"),
        (_file(areas=GOOD_AREA.replace("key: one", "key: one, colour: red")), "unknown key 'colour'"),
        (_file(areas=GOOD_AREA + GOOD_AREA.replace("key: a\n", "key: b\n")), "the key 'one' is used twice"),
        (_file(areas=GOOD_AREA.replace("title: An area", f"title: {'x' * 151}")), "areas[0].title: at most 150"),
        (_file(steps=GOOD_STEPS.replace("key: buddy", "key: friend")), "steps[1].key: one of"),
        (_file(steps=GOOD_STEPS.replace("'pathways:home'", "'/first-year/'", 1)), "steps[0].link"),
        (_file(steps=GOOD_STEPS.split("\n", 1)[1]), "steps: missing the step 'scope'"),
        (_file(steps=GOOD_STEPS + GOOD_STEPS.split("\n", 1)[0] + "\n"), "steps: the key 'scope' is used twice"),
        (_file(checkins="[6, 3]"), "checkins: each month once"),
        (_file(checkins="[3, 30]"), "checkins[1]: a whole number of months"),
        (_file(checkins="[true]"), "checkins[0]"),
        (_file(checkins="[]"), "checkins: expected a list"),
        ("source: [", "not YAML"),
        ("- a list", "the file: expected a mapping"),
    ],
)
def test_a_fault_is_refused_naming_where_it_is(text: str, where: str) -> None:
    with pytest.raises(TemplateFileError) as refused:
        parse(text)
    assert where in str(refused.value)
