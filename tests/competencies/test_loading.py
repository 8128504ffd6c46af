"""Loading frameworks into the database, exporting them, and the commands around both."""

import json
from dataclasses import replace
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.competencies.fileformat import dump, parse
from apps.competencies.models import Criterion, Framework, LevelExpectation, PromptQuestion
from apps.competencies.selectors import framework_spec
from apps.competencies.services import FrameworkError, framework_load, shipped_framework_files
from apps.profiles.models import LeadershipLevel

from .test_fileformat import MINIMAL, PERSON_SPEC

pytestmark = pytest.mark.django_db


def test_loading_stores_everything_and_exports_it_back_exactly() -> None:
    spec = parse(PERSON_SPEC.read_text())
    result = framework_load(spec=spec)
    assert result.created
    assert Criterion.objects.filter(framework=result.framework).count() == 22
    assert PromptQuestion.objects.filter(criterion__framework=result.framework).count() == 13
    assert LevelExpectation.objects.filter(criterion__framework=result.framework).count() == 22 * 5
    assert framework_spec(framework=result.framework) == spec


def test_loading_the_same_version_again_changes_nothing() -> None:
    spec = parse(MINIMAL)
    first = framework_load(spec=spec)
    again = framework_load(spec=spec)
    assert not again.created and again.framework.pk == first.framework.pk
    assert Framework.objects.count() == 1


def test_the_same_version_with_other_content_is_refused() -> None:
    framework_load(spec=parse(MINIMAL))
    with pytest.raises(FrameworkError, match="already loaded with different content"):
        framework_load(spec=parse(MINIMAL.replace("Criterion one", "Criterion one, reworded")))
    assert Criterion.objects.get().title == "Criterion one"


def test_a_new_version_is_new_rows_and_leaves_the_old_alone() -> None:
    old = framework_load(spec=parse(MINIMAL)).framework
    new = framework_load(spec=parse(MINIMAL.replace('version: "1"', 'version: "2"').replace("one", "uno"))).framework
    assert old.pk != new.pk
    assert Criterion.objects.get(framework=old).title == "Criterion one"
    assert Criterion.objects.get(framework=new).title == "Criterion uno"


def test_load_framework_command_loads_the_shipped_frameworks_once() -> None:
    call_command("load_framework", "--shipped", stdout=StringIO())
    call_command("load_framework", "--shipped", stdout=StringIO())
    assert Framework.objects.count() == len(shipped_framework_files()) >= 1


def test_a_bad_file_is_refused_with_its_lines_and_nothing_is_loaded(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(MINIMAL)
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace('version: "1"', 'version: "2"').replace("areas: [corporate]", "areas: [golf]"))
    with pytest.raises(CommandError, match=r"bad.yaml was not loaded:\n  criteria\[0\].areas\[0\] \(line 17\)"):
        call_command("load_framework", str(good), str(bad))
    assert not Framework.objects.exists()  # the good file listed first was not loaded either


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "Name one or more framework files"),
        (["/no/such/file.yaml"], "no such file"),
    ],
)
def test_load_framework_bad_arguments(arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("load_framework", *arguments)


def test_export_framework_writes_yaml_and_json_that_load_back(tmp_path: Path) -> None:
    framework_load(spec=parse(PERSON_SPEC.read_text()))
    yaml_file, json_file = tmp_path / "out.yaml", tmp_path / "out.json"
    call_command("export_framework", "md-person-spec", "--output", str(yaml_file), stderr=StringIO())
    call_command(
        "export_framework",
        "md-person-spec",
        "--format",
        "json",
        "--output",
        str(json_file),
        stderr=StringIO(),
    )
    original = parse(PERSON_SPEC.read_text())
    assert yaml_file.read_text() == dump(original)
    assert parse(json_file.read_text()) == original
    assert json.loads(json_file.read_text())["framework"]["slug"] == "md-person-spec"


def test_export_of_an_unknown_framework_says_what_is_known() -> None:
    framework_load(spec=parse(MINIMAL))
    with pytest.raises(CommandError, match=r"No framework 'nope' \(known: tiny\)"):
        call_command("export_framework", "nope")
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("export_framework", "tiny", "--format", "pdf")


CASE_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "case"


def test_a_case_export_loads_back_as_the_same_framework(tmp_path: Path) -> None:
    original = parse(PERSON_SPEC.read_text())
    framework = framework_load(spec=original).framework
    case_file = tmp_path / "person-spec.case.json"
    call_command(
        "export_framework", "md-person-spec", "--format", "case", "--output", str(case_file), stderr=StringIO()
    )
    package = json.loads(case_file.read_text())
    assert package["CFDocument"]["identifier"] == str(framework.identifier)
    framework.delete()
    call_command("load_framework", str(case_file), stdout=StringIO())
    assert framework_spec(framework=Framework.objects.get(slug="md-person-spec")) == original


def test_exports_name_their_items_the_same_way_every_time(tmp_path: Path) -> None:
    framework_load(spec=parse(PERSON_SPEC.read_text()))
    first, second = StringIO(), StringIO()
    call_command("export_framework", "md-person-spec", "--format", "case", stdout=first)
    call_command("export_framework", "md-person-spec", "--format", "case", stdout=second)
    identifiers = [
        sorted(item["identifier"] for item in json.loads(out.getvalue())["CFItems"]) for out in (first, second)
    ]
    assert identifiers[0] == identifiers[1]


@pytest.mark.parametrize("name", ["case_opensalt_what_standards_could_be.json", "case_opensalt_ordering_act_math.json"])
def test_the_published_case_packages_load_with_notes(name: str) -> None:
    out = StringIO()
    call_command("load_framework", str(CASE_DIR / name), stdout=out)
    assert Framework.objects.count() == 1
    assert "loaded" in out.getvalue()


def test_a_malformed_case_package_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"CFDocument": {"identifier": "x", "title": "T"}, "CFItems": {"not": "a list"}}))
    with pytest.raises(CommandError, match="CFItems"):
        call_command("load_framework", str(bad))
    assert not Framework.objects.exists()


# --- what is expected at each level, in words -----------------------------------------------------------------------


def test_the_words_for_each_level_are_stored_and_read_back() -> None:
    spec = parse(PERSON_SPEC.read_text())
    framework = framework_load(spec=spec).framework
    assert framework.level_description(LeadershipLevel.CLINICAL_LEAD) == dict(spec.level_descriptions)["clinical_lead"]
    expectation = LevelExpectation.objects.get(
        criterion__framework=framework, criterion__code="EXP-3", level=LeadershipLevel.MEDICAL_DIRECTOR
    )
    assert expectation.expected == 4 and "responsible officer" in expectation.description
    assert not LevelExpectation.objects.filter(criterion__framework=framework, description="").exists()
    assert framework_spec(framework=framework) == spec
    assert not framework_load(spec=spec).created  # reloading is a no-op


def test_a_version_loaded_before_it_had_words_gets_them_and_nothing_else_changes() -> None:
    spec = parse(PERSON_SPEC.read_text())
    earlier = replace(
        spec,
        licence="The licence note as it was.",
        level_descriptions=(),
        criteria=tuple(replace(c, level_descriptions=()) for c in spec.criteria),
    )
    framework = framework_load(spec=earlier).framework
    before = set(LevelExpectation.objects.values_list("pk", "criterion_id", "level", "expected"))
    result = framework_load(spec=spec)
    assert not result.created and result.framework.pk == framework.pk
    assert framework_spec(framework=framework) == spec
    assert set(LevelExpectation.objects.values_list("pk", "criterion_id", "level", "expected")) == before
    assert not framework_load(spec=spec).created  # and from then on, reloading is a no-op


def test_words_never_come_with_a_changed_rating() -> None:
    spec = parse(PERSON_SPEC.read_text())
    bare = replace(
        spec, level_descriptions=(), criteria=tuple(replace(c, level_descriptions=()) for c in spec.criteria)
    )
    framework_load(spec=bare)
    first = spec.criteria[0]
    changed = replace(
        spec, criteria=(replace(first, levels=(("clinical_lead", 2), *first.levels[1:])), *spec.criteria[1:])
    )
    with pytest.raises(FrameworkError, match="already loaded with different content"):
        framework_load(spec=changed)
    assert not LevelExpectation.objects.exclude(description="").exists()


def test_a_licence_note_alone_never_changes() -> None:
    framework_load(spec=parse(MINIMAL))
    with pytest.raises(FrameworkError, match="already loaded with different content"):
        framework_load(spec=parse(MINIMAL.replace("licence: MIT", "licence: Other terms")))
    assert Framework.objects.get().licence == "MIT"


def test_other_words_for_a_loaded_version_are_refused() -> None:
    spec = parse(PERSON_SPEC.read_text())
    framework_load(spec=spec)
    reworded = replace(spec, level_descriptions=(("clinical_lead", "Other words."), *spec.level_descriptions[1:]))
    with pytest.raises(FrameworkError, match="already loaded with different content"):
        framework_load(spec=reworded)


def test_a_case_export_carries_the_words_and_loads_back_with_them(tmp_path: Path) -> None:
    original = parse(PERSON_SPEC.read_text())
    framework = framework_load(spec=original).framework
    out = StringIO()
    call_command("export_framework", "md-person-spec", "--format", "case", stdout=out)
    package = json.loads(out.getvalue())
    ours = package["CFDocument"]["extensions"]["steppingUp"]
    assert ours["levelDescriptions"] == dict(original.level_descriptions)
    exp3 = next(item for item in package["CFItems"] if item.get("humanCodingScheme") == "EXP-3")
    assert exp3["extensions"]["steppingUp"]["levels"]["medical_director"] == 4
    assert exp3["extensions"]["steppingUp"]["levelDescriptions"] == dict(original.criteria[2].level_descriptions)
    framework.delete()
    case_file = tmp_path / "person-spec.case.json"
    case_file.write_text(out.getvalue())
    call_command("load_framework", str(case_file), stdout=StringIO())
    loaded = Framework.objects.get(slug="md-person-spec")
    assert framework_spec(framework=loaded) == original
    assert loaded.level_descriptions == dict(original.level_descriptions)
