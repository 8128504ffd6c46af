"""Demo organisations: real ones at small scale, synthetic ones added at large scale, never twice."""

import io
import re

import pytest

from apps.organisations.demo import DEMO_ORGANISATIONS, LARGE_SCALE_ORGANISATIONS, seed
from apps.organisations.models import Organisation, OrganisationKind, Region

pytestmark = pytest.mark.django_db


def seeded(scale: str) -> str:
    out = io.StringIO()
    seed(scale=scale, stdout=out)
    return out.getvalue()


def test_small_seed_creates_real_organisations_in_every_english_region() -> None:
    seeded("small")

    assert Organisation.objects.count() == len(DEMO_ORGANISATIONS)
    assert 25 <= len(DEMO_ORGANISATIONS) <= 40
    english = set(Region.objects.exclude(ods_code="W").values_list("ods_code", flat=True))
    assert set(Organisation.objects.values_list("region__ods_code", flat=True)) == english


@pytest.mark.parametrize(
    ("ods_code", "kind", "sectors"),
    [
        ("RXT", OrganisationKind.FOUNDATION_TRUST, ["mental_health"]),
        ("R0A", OrganisationKind.FOUNDATION_TRUST, ["acute"]),
        ("RYX", OrganisationKind.NHS_TRUST, ["community"]),
        ("RRU", OrganisationKind.NHS_TRUST, ["ambulance"]),
        ("QMJ", OrganisationKind.ICB, ["integrated"]),
    ],
)
def test_small_seed_gets_kinds_and_sectors_right(ods_code: str, kind: str, sectors: list[str]) -> None:
    seeded("small")

    organisation = Organisation.objects.get(ods_code=ods_code)
    assert organisation.kind == kind
    assert list(organisation.sectors.values_list("code", flat=True)) == sectors


def test_demo_codes_are_unique_and_look_like_ods_codes() -> None:
    codes = [demo.ods_code for demo in DEMO_ORGANISATIONS]

    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[A-Z0-9]{3,6}", code) for code in codes)


def test_seeding_twice_creates_nothing_new() -> None:
    assert seeded("small").startswith(f"  organisations: {len(DEMO_ORGANISATIONS)} created")

    output = seeded("small")

    assert output == f"  organisations: 0 created, {len(DEMO_ORGANISATIONS)} already there\n"
    assert Organisation.objects.count() == len(DEMO_ORGANISATIONS)


def test_large_seed_adds_synthetic_organisations_once(django_assert_num_queries) -> None:
    seeded("small")

    # 1. savepoint  2. the codes that exist already  3. regions  4. one insert of the organisations  5. sectors
    # 6. one insert of the sector links  7. release
    with django_assert_num_queries(7):
        seeded("large")
    seeded("large")

    assert Organisation.objects.count() == LARGE_SCALE_ORGANISATIONS
    synthetic = Organisation.objects.filter(ods_code__startswith="ZZ")
    assert synthetic.count() == LARGE_SCALE_ORGANISATIONS - len(DEMO_ORGANISATIONS)
    assert synthetic.filter(name__endswith="(synthetic)").count() == synthetic.count()
    assert not synthetic.filter(sectors__isnull=True).exists()


def test_seed_leaves_an_imported_organisation_as_it_is() -> None:
    Organisation.objects.create(ods_code="RA7", name="Bristol NHS Foundation Trust", kind="foundation_trust")

    seeded("small")

    assert Organisation.objects.get(ods_code="RA7").name == "Bristol NHS Foundation Trust"


def test_an_unknown_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown scale 'huge'"):
        seeded("huge")
