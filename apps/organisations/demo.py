"""Demo organisations for `seed_demo`: real NHS organisations to try the portal with, synthetic ones at scale.

The real ones are a hand-picked sample of public facts (names, ODS codes, regions), written here rather than
read from the ODS files: an operator loads the real directory with `import_ods`. Seeding only creates what is
missing, so it never undoes an import or an administrator's correction, and running it twice creates nothing.
"""

from datetime import date
from itertools import cycle, product
from typing import NamedTuple, TextIO

from django.db import transaction

from .models import Organisation, OrganisationKind, Region, Sector

FT = OrganisationKind.FOUNDATION_TRUST
TRUST = OrganisationKind.NHS_TRUST
ICB = OrganisationKind.ICB
LARGE_SCALE_ORGANISATIONS = 250


class DemoOrganisation(NamedTuple):
    ods_code: str
    name: str
    kind: str
    region: str  # ODS code of the NHS England region
    sectors: tuple[str, ...]
    icb_code: str = ""
    closed_on: date | None = None


MH, ACUTE, COMMUNITY = "mental_health", "acute", "community"
AMBULANCE, LD, INTEGRATED = "ambulance", "learning_disability", "integrated"

DEMO_ORGANISATIONS = [
    # Mental health trusts
    DemoOrganisation("RXT", "Birmingham and Solihull Mental Health NHS Foundation Trust", FT, "Y60", (MH,), "QHL"),
    DemoOrganisation("RV5", "South London and Maudsley NHS Foundation Trust", FT, "Y56", (MH,), "QKK"),
    DemoOrganisation("RWK", "East London NHS Foundation Trust", FT, "Y56", (MH, COMMUNITY), "QMF"),
    DemoOrganisation("G6V2S", "North London NHS Foundation Trust", FT, "Y56", (MH,), "QMJ"),
    # Merged into North London NHS Foundation Trust: kept, closed, as old records still point at it.
    DemoOrganisation("TAF", "Camden and Islington NHS Foundation Trust", FT, "Y56", (MH,), "QMJ", date(2024, 10, 31)),
    DemoOrganisation("RX4", "Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust", FT, "Y63", (MH, LD), "QHM"),
    DemoOrganisation("RX3", "Tees, Esk and Wear Valleys NHS Foundation Trust", FT, "Y63", (MH, LD), "QHM"),
    DemoOrganisation("RWX", "Berkshire Healthcare NHS Foundation Trust", FT, "Y59", (MH, COMMUNITY), "QNQ"),
    DemoOrganisation("RX2", "Sussex Partnership NHS Foundation Trust", FT, "Y59", (MH,), "QNX"),
    DemoOrganisation("RDY", "Dorset HealthCare University NHS Foundation Trust", FT, "Y58", (MH, COMMUNITY), "QVV"),
    DemoOrganisation("RVN", "Avon and Wiltshire Mental Health Partnership NHS Trust", TRUST, "Y58", (MH,), "QOX"),
    DemoOrganisation("RHA", "Nottinghamshire Healthcare NHS Foundation Trust", FT, "Y60", (MH, LD), "QT1"),
    DemoOrganisation("RXV", "Greater Manchester Mental Health NHS Foundation Trust", FT, "Y62", (MH,), "QOP"),
    DemoOrganisation("RW4", "Mersey Care NHS Foundation Trust", FT, "Y62", (MH, COMMUNITY), "QYG"),
    DemoOrganisation("RMY", "Norfolk and Suffolk NHS Foundation Trust", FT, "Y61", (MH,), "QMM"),
    DemoOrganisation("RWR", "Hertfordshire Partnership University NHS Foundation Trust", FT, "Y61", (MH, LD), "QM7"),
    # Acute trusts
    DemoOrganisation("R0A", "Manchester University NHS Foundation Trust", FT, "Y62", (ACUTE,), "QOP"),
    DemoOrganisation("RRK", "University Hospitals Birmingham NHS Foundation Trust", FT, "Y60", (ACUTE,), "QHL"),
    DemoOrganisation("RJ1", "Guy's and St Thomas' NHS Foundation Trust", FT, "Y56", (ACUTE, COMMUNITY), "QKK"),
    DemoOrganisation("RTH", "Oxford University Hospitals NHS Foundation Trust", FT, "Y59", (ACUTE,), "QU9"),
    DemoOrganisation("RGT", "Cambridge University Hospitals NHS Foundation Trust", FT, "Y61", (ACUTE,), "QUE"),
    DemoOrganisation("RA7", "University Hospitals Bristol and Weston NHS Foundation Trust", FT, "Y58", (ACUTE,), "QUY"),
    DemoOrganisation("RTD", "The Newcastle upon Tyne Hospitals NHS Foundation Trust", FT, "Y63", (ACUTE,), "QHM"),
    DemoOrganisation("RR8", "Leeds Teaching Hospitals NHS Trust", TRUST, "Y63", (ACUTE,), "QWO"),
    # Community trusts
    DemoOrganisation("RYX", "Central London Community Healthcare NHS Trust", TRUST, "Y56", (COMMUNITY,), "QRV"),
    DemoOrganisation("RY6", "Leeds Community Healthcare NHS Trust", TRUST, "Y63", (COMMUNITY,), "QWO"),
    # Ambulance trusts
    DemoOrganisation("RRU", "London Ambulance Service NHS Trust", TRUST, "Y56", (AMBULANCE,), "QKK"),
    DemoOrganisation("RX7", "North West Ambulance Service NHS Trust", TRUST, "Y62", (AMBULANCE,), "QOP"),
    DemoOrganisation(
        "RYA",
        "West Midlands Ambulance Service University NHS Foundation Trust",
        FT,
        "Y60",
        (AMBULANCE,),
        "QUA",
    ),
    # Integrated care boards
    DemoOrganisation("QMJ", "NHS North Central London Integrated Care Board", ICB, "Y56", (INTEGRATED,)),
    DemoOrganisation("QOP", "NHS Greater Manchester Integrated Care Board", ICB, "Y62", (INTEGRATED,)),
    DemoOrganisation("QHL", "NHS Birmingham and Solihull Integrated Care Board", ICB, "Y60", (INTEGRATED,)),
    DemoOrganisation("QWO", "NHS West Yorkshire Integrated Care Board", ICB, "Y63", (INTEGRATED,)),
    # Other kinds: invented, and marked so, with codes starting "X" that no real organisation uses here.
    DemoOrganisation("X0D1A", "Fernbrook Independent Hospital (fictional)", OrganisationKind.INDEPENDENT, "Y58", (MH,)),
    DemoOrganisation("X0D2C", "Riverside Wellbeing CIC (fictional)", OrganisationKind.CIC, "Y61", (COMMUNITY, MH)),
]

# Synthetic organisations for performance work: every place with every kind of trust, round the regions.
SYNTHETIC_PLACES = [
    "Northfield", "Ashby", "Brookmere", "Calderbank", "Dunmore", "Eastwick", "Fairhaven", "Greystone",
    "Hollinsford", "Ivybridge Vale", "Kettleby", "Longmarsh", "Millbrook", "Netherton", "Oakhurst",
    "Pendlebury", "Queensmead", "Ravenscar", "Stonebridge", "Thornbury Vale", "Upperton", "Westmere",
]  # fmt: skip
SYNTHETIC_TYPES = [
    ("Mental Health NHS Trust", TRUST, (MH,)),
    ("Mental Health NHS Foundation Trust", FT, (MH,)),
    ("Partnership NHS Foundation Trust", FT, (MH, COMMUNITY)),
    ("Teaching Hospitals NHS Foundation Trust", FT, (ACUTE,)),
    ("Hospitals NHS Trust", TRUST, (ACUTE,)),
    ("Community Healthcare NHS Trust", TRUST, (COMMUNITY,)),
    ("Community Health Services NHS Foundation Trust", FT, (COMMUNITY,)),
    ("Ambulance Service NHS Trust", TRUST, (AMBULANCE,)),
    ("Learning Disability NHS Trust", TRUST, (LD, MH)),
    ("Health and Care NHS Trust", TRUST, (MH, COMMUNITY)),
]
ENGLISH_REGIONS = ["Y56", "Y58", "Y59", "Y60", "Y61", "Y62", "Y63"]


def seed(*, scale: str, stdout: TextIO) -> None:
    if scale not in ("small", "large"):
        raise ValueError(f"unknown scale {scale!r}: expected 'small' or 'large'")
    wanted = list(DEMO_ORGANISATIONS)
    if scale == "large":
        wanted += synthetic_organisations(count=LARGE_SCALE_ORGANISATIONS - len(DEMO_ORGANISATIONS))
    created = organisations_create_missing(organisations=wanted)
    stdout.write(f"  organisations: {created} created, {len(wanted) - created} already there\n")


def synthetic_organisations(*, count: int) -> list[DemoOrganisation]:
    combinations = product(SYNTHETIC_PLACES, SYNTHETIC_TYPES)
    regions = cycle(ENGLISH_REGIONS)
    return [
        DemoOrganisation(f"ZZ{number:03d}", f"{place} {suffix} (synthetic)", kind, next(regions), sectors)
        for number, (place, (suffix, kind, sectors)) in enumerate(combinations, start=1)
        if number <= count
    ]


@transaction.atomic
def organisations_create_missing(*, organisations: list[DemoOrganisation]) -> int:
    """Create, in bulk, those not already in the directory (matched by ODS code); return how many."""
    existing = set(
        Organisation.objects.filter(ods_code__in=[o.ods_code for o in organisations]).values_list("ods_code", flat=True)
    )
    missing = [o for o in organisations if o.ods_code not in existing]
    if not missing:
        return 0
    regions = dict(Region.objects.values_list("ods_code", "pk"))
    created = Organisation.objects.bulk_create(_organisation(demo, regions) for demo in missing)
    _sectors_add(created, {demo.ods_code: demo.sectors for demo in missing})
    return len(created)


def _organisation(demo: DemoOrganisation, regions: dict[str, int]) -> Organisation:
    organisation = Organisation(
        ods_code=demo.ods_code,
        name=demo.name,
        kind=demo.kind,
        region_id=regions[demo.region],
        icb_code=demo.icb_code,
        closed_on=demo.closed_on,
    )
    # The codes are known to be new and the region comes from the lookup: skip those checks' queries.
    organisation.full_clean(exclude=["region"], validate_unique=False, validate_constraints=False)
    return organisation


def _sectors_add(organisations: list[Organisation], sector_codes: dict[str, tuple[str, ...]]) -> None:
    sectors = dict(Sector.objects.values_list("code", "pk"))
    Through = Organisation.sectors.through
    Through.objects.bulk_create(
        Through(organisation_id=organisation.pk, sector_id=sectors[code])
        for organisation in organisations
        for code in sector_codes[organisation.ods_code]
    )
