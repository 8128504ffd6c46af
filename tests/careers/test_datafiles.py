"""The shipped data files read cleanly and hold what the explorer promises; a broken file says where."""

import pytest

from apps.careers.datafiles import DataFileError, read_roles, shipped_directorates
from apps.careers.selectors import shipped_roles

LADDER = [
    "clinical-lead",
    "clinical-director",
    "associate-medical-director",
    "deputy-medical-director",
    "medical-director",
    "medical-chief-executive",
]
SYSTEM = [
    "icb-chief-medical-officer",
    "regional-medical-director",
    "national-clinical-director",
    "royal-college-officer",
    "cqc-adviser",
]


def test_every_rung_and_every_system_role_has_a_profile_with_its_sources() -> None:
    specs = shipped_roles()
    assert [s.slug for s in specs if s.group == "ladder"] == LADDER
    assert [s.slug for s in specs if s.group == "system"] == SYSTEM
    for spec in specs:
        assert spec.summary and spec.responsibilities and spec.hardest and spec.job_description
        assert spec.person_specification and spec.reports_to and spec.typical_pas
        assert "seed 00" in spec.sources, spec.slug
    md = next(s for s in specs if s.slug == "medical-director")
    assert "4 to 11 PAs" in md.typical_pas and "median 8" in md.typical_pas
    assert md.person_spec_framework == "md-person-spec"
    assert [s.level for s in specs if s.group == "ladder"] == [1, 2, 3, 4, 5, 5]


def test_the_three_directorate_models_of_seed_001_map_each_clinical_title_to_a_level_or_none() -> None:
    found = shipped_directorates()
    assert [m.slug for m in found.models] == ["example-one", "example-two", "example-three"]
    assert "different titles can in reality look like similar jobs" in found.introduction
    assert "appendix 1" in found.source.lower()
    one = found.models[0]
    assert [(p.count, p.level) for p in one.clinical] == [(1, 5), (3, 4), (4, 2), (4, 1)]
    slugs = {s.slug for s in shipped_roles()}
    assert {p.role for m in found.models for p in m.clinical if p.role} <= slugs


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("format: other/1\nroles: []", "format: stepping-up-roles/1"),
        ("format: stepping-up-roles/1\nroles: [{slug: a b}]", "roles[0]: 'slug'"),
        ("format: stepping-up-roles/1\nroles: [{slug: a, group: ward}]", "roles[0] (a): 'group'"),
        ("roles: [", "Not YAML"),
    ],
)
def test_a_broken_roles_file_says_where(text: str, says: str) -> None:
    with pytest.raises(DataFileError, match=None) as caught:
        read_roles(text)
    assert says in str(caught.value)
