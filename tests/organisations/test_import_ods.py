"""Importing the real ODS and ONS files, and refusing broken ones whole."""

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.organisations.importers import ImportResult, OdsImportError, ods_import, ods_parse, readable_name
from apps.organisations.models import Organisation, OrganisationKind, Region, Sector

# The published files live beside the project (../shared), never copied into it.
ODS = Path(__file__).resolve().parents[3] / "shared" / "data" / "ods"
TRUSTS = ODS / "etr.csv"
TRUSTS_2025 = ODS / "etr_2025.csv"
SUB_ICBS = ODS / "eccg.csv"
ICBS = ODS / "icb_names_codes_dec_2024.csv"
REGIONS = ODS / "nhs_england_regions.csv"

pytestmark = pytest.mark.django_db


def counts(result: ImportResult) -> tuple[int, int, int, int]:
    return (result.created, result.updated, result.unchanged, result.closed)


def icb_codes_listed() -> set[str]:
    with ICBS.open(newline="") as file:
        return {row["ICB24CDH"] for row in csv.DictReader(file)}


# --- The trust file ---------------------------------------------------------------------------------------


def test_trust_file_imports_every_trust_open_or_closed() -> None:
    result = ods_import(path=TRUSTS)

    assert counts(result) == (274, 0, 0, 72)
    assert Organisation.objects.count() == 274
    assert Organisation.objects.filter(closed_on__isnull=True).count() == 202


def test_open_trusts_whose_icb_is_in_no_icb_list_are_imported_with_the_code_as_published() -> None:
    ods_import(path=TRUSTS)

    unlisted = Organisation.objects.filter(closed_on__isnull=True).exclude(icb_code="")
    unlisted = unlisted.exclude(icb_code__in=icb_codes_listed())
    assert unlisted.count() == 53
    assert Organisation.objects.get(ods_code="G6V2S").icb_code == "Z9B2Z"


def test_welsh_trusts_land_in_wales() -> None:
    ods_import(path=TRUSTS)

    welsh = Organisation.objects.filter(region__ods_code="W", closed_on__isnull=True)
    assert sorted(welsh.values_list("ods_code", flat=True)) == ["RQF", "RT4", "RYT"]
    assert not Organisation.objects.filter(region__isnull=True).exists()


def test_five_character_codes_import() -> None:
    ods_import(path=TRUSTS)

    north_london = Organisation.objects.get(ods_code="G6V2S")
    assert north_london.name == "North London NHS Foundation Trust"
    assert north_london.kind == OrganisationKind.FOUNDATION_TRUST
    assert str(north_london.region) == "London"
    assert north_london.opened_on == date(2024, 11, 1)
    assert Organisation.objects.get(ods_code="K0N6A").name == "The Online NHS Trust"


def test_closed_trusts_are_kept_with_their_close_date() -> None:
    ods_import(path=TRUSTS)

    tavistock = Organisation.objects.get(ods_code="RNK")
    assert tavistock.closed_on == date(2026, 3, 31)
    assert not tavistock.is_open


def test_the_address_is_joined_and_readable() -> None:
    ods_import(path=TRUSTS)

    manchester = Organisation.objects.get(ods_code="R0A")
    assert manchester.address == "Cobbett House, Oxford Road, Manchester"
    assert manchester.postcode == "M13 9WL"


@pytest.mark.parametrize(
    ("published", "readable"),
    [
        ("MANCHESTER UNIVERSITY NHS FOUNDATION TRUST", "Manchester University NHS Foundation Trust"),
        ("THE ONLINE NHS TRUST", "The Online NHS Trust"),
        (
            "SOUTH TYNESIDE AND SUNDERLAND NHS FOUNDATION TRUST",
            "South Tyneside and Sunderland NHS Foundation Trust",
        ),
        ("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "Guy's and St Thomas' NHS Foundation Trust"),
        (
            "THE NEWCASTLE UPON TYNE HOSPITALS NHS FOUNDATION TRUST",
            "The Newcastle upon Tyne Hospitals NHS Foundation Trust",
        ),
        (
            "GREAT ORMOND STREET HOSPITAL FOR CHILDREN NHS FOUNDATION TRUST",
            "Great Ormond Street Hospital for Children NHS Foundation Trust",
        ),
        ("ISLE OF WIGHT NHS TRUST", "Isle of Wight NHS Trust"),
        ("NHS DIRECT NHS TRUST", "NHS Direct NHS Trust"),
        ("NHS NORTH CENTRAL LONDON ICB", "NHS North Central London ICB"),
        ("RIVERSIDE UK CIC", "Riverside UK CIC"),
        ("NEWCASTLE ROAD, STOKE-ON-TRENT", "Newcastle Road, Stoke-on-Trent"),
    ],
)
def test_names_in_capitals_are_made_readable(published: str, readable: str) -> None:
    assert readable_name(published) == readable


@pytest.mark.parametrize(
    ("ods_code", "kind", "sectors"),
    [
        ("RRU", OrganisationKind.NHS_TRUST, ["ambulance"]),
        ("RXT", OrganisationKind.FOUNDATION_TRUST, ["mental_health"]),
        ("RW4", OrganisationKind.FOUNDATION_TRUST, ["mental_health"]),  # "Mersey Care"
        ("RVN", OrganisationKind.NHS_TRUST, ["mental_health"]),  # "Mental Health Partnership"
        ("RYX", OrganisationKind.NHS_TRUST, ["community"]),
        ("RRK", OrganisationKind.FOUNDATION_TRUST, ["acute"]),
        ("RR8", OrganisationKind.NHS_TRUST, ["acute"]),  # "Teaching Hospitals"
        ("RWX", OrganisationKind.FOUNDATION_TRUST, []),  # "Healthcare" says nothing of the sector
        ("RMP", OrganisationKind.FOUNDATION_TRUST, []),  # "Integrated Care" is not a mental health trust
        ("RQQ", OrganisationKind.NHS_TRUST, []),  # "Health Care" in two words neither
    ],
)
def test_kind_and_sectors_come_from_the_name_only_where_it_says_so(
    ods_code: str, kind: str, sectors: list[str]
) -> None:
    ods_import(path=TRUSTS)

    organisation = Organisation.objects.get(ods_code=ods_code)
    assert organisation.kind == kind
    assert sorted(organisation.sectors.values_list("code", flat=True)) == sectors


def test_a_sector_an_administrator_corrected_survives_a_reimport() -> None:
    ods_import(path=TRUSTS)
    berkshire = Organisation.objects.get(ods_code="RWX")
    berkshire.sectors.set(Sector.objects.filter(code__in=["mental_health", "community"]))

    ods_import(path=TRUSTS)

    assert sorted(berkshire.sectors.values_list("code", flat=True)) == ["community", "mental_health"]


def test_importing_the_same_file_twice_changes_nothing() -> None:
    ods_import(path=TRUSTS)

    again = ods_import(path=TRUSTS)

    assert counts(again) == (0, 0, 274, 0)
    assert Organisation.objects.count() == 274


def test_a_later_release_updates_names_icbs_addresses_and_closures() -> None:
    assert counts(ods_import(path=TRUSTS_2025)) == (273, 0, 0, 68)
    assert Organisation.objects.get(ods_code="RA7").name == (
        "University Hospitals Bristol and Weston NHS Foundation Trust"
    )

    result = ods_import(path=TRUSTS)

    # New: K0N6A. Closed since: RNK, RVJ, RY2, RYV. 88 rows differ between the two releases.
    assert counts(result) == (1, 88, 185, 4)
    bristol = Organisation.objects.get(ods_code="RA7")
    assert bristol.name == "Bristol NHS Foundation Trust"
    assert Organisation.objects.get(ods_code="RYV").closed_on == date(2026, 3, 31)
    assert Organisation.objects.get(ods_code="G6V2S").icb_code == "Z9B2Z"
    assert Organisation.objects.get(ods_code="RAT").postcode == "IG3 8XJ"


def test_importing_the_trust_file_takes_a_handful_of_queries(django_assert_num_queries) -> None:
    # 1. savepoint  2. regions  3. the organisations that exist already  4. one insert  5. sectors
    # 6. one insert of the sector links  7. release
    with django_assert_num_queries(7):
        ods_import(path=TRUSTS)
    # An earlier release over it: 1. savepoint  2. regions  3. the organisations that exist already
    # 4. one upsert of the 88 that differ  5. release
    with django_assert_num_queries(5):
        ods_import(path=TRUSTS_2025)


# --- The ICB list and the regions file ----------------------------------------------------------------------


def test_icb_list_creates_integrated_care_boards() -> None:
    result = ods_import(path=ICBS)

    assert counts(result) == (42, 0, 0, 0)
    north_central = Organisation.objects.get(ods_code="QMJ")
    assert north_central.name == "NHS North Central London Integrated Care Board"
    assert north_central.kind == OrganisationKind.ICB
    assert list(north_central.sectors.values_list("code", flat=True)) == ["integrated"]
    assert counts(ods_import(path=ICBS)) == (0, 0, 42, 0)


def test_icb_list_does_not_blank_what_it_does_not_publish() -> None:
    ods_import(path=ICBS)
    Organisation.objects.filter(ods_code="QMJ").update(name="Old name", postcode="N1 1AA")

    assert counts(ods_import(path=ICBS)) == (0, 1, 41, 0)

    north_central = Organisation.objects.get(ods_code="QMJ")
    assert north_central.name == "NHS North Central London Integrated Care Board"
    assert north_central.postcode == "N1 1AA"


def test_regions_file_updates_regions_and_creates_missing_ones() -> None:
    Region.objects.filter(ods_code="Y56").update(ons_code="", name="Greater London")
    Region.objects.filter(ods_code="Y63").delete()

    result = ods_import(path=REGIONS)

    assert counts(result) == (1, 1, 5, 0)
    assert Region.objects.get(ods_code="Y56").name == "London"
    assert Region.objects.get(ods_code="Y56").ons_code == "E40000003"
    assert Region.objects.get(ods_code="Y63").name == "North East and Yorkshire"
    assert Region.objects.get(ods_code="W").name == "Wales"  # not in the file, left alone
    assert counts(ods_import(path=REGIONS)) == (0, 0, 7, 0)


def test_sub_icb_file_is_refused() -> None:
    with pytest.raises(OdsImportError, match="sub-ICB locations, which Stepping Up does not hold"):
        ods_import(path=SUB_ICBS)

    assert Organisation.objects.count() == 0


# --- Broken files: refused whole, with the line -----------------------------------------------------------


def trust_rows() -> list[list[str]]:
    with TRUSTS.open(newline="") as file:
        return list(csv.reader(file))


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as file:
        csv.writer(file, quoting=csv.QUOTE_ALL).writerows(rows)
    return path


def broken_trust_file(tmp_path: Path, line: int, change: Callable[[list[str]], list[str]]) -> Path:
    """The real trust file with one line changed, saved as etr.csv."""
    rows = trust_rows()
    rows[line - 1] = change(list(rows[line - 1]))
    return write_rows(tmp_path / "etr.csv", rows)


def replaced(column: int, value: str) -> Callable[[list[str]], list[str]]:
    def change(row: list[str]) -> list[str]:
        row[column] = value
        return row

    return change


@pytest.fixture
def directory_before() -> dict[str, str]:
    """An earlier release already imported: a refused file must leave it exactly as it was."""
    ods_import(path=TRUSTS_2025)
    return dict(Organisation.objects.values_list("ods_code", "name"))


def assert_unchanged(before: dict[str, str]) -> None:
    assert Organisation.objects.count() == len(before)
    assert dict(Organisation.objects.values_list("ods_code", "name")) == before


@pytest.mark.parametrize(
    ("line", "change", "message"),
    [
        (17, replaced(10, "2024131"), "etr.csv, line 17: open date '2024131' is not a date in YYYYMMDD form"),
        (
            17,
            replaced(11, "20250230"),
            "etr.csv, line 17: close date '20250230' is not a date in YYYYMMDD form",
        ),
        (
            9,
            replaced(11, "19000101"),
            "etr.csv, line 9: close date '19000101' is before open date '20110701'",
        ),
        (5, lambda row: row[:20], "etr.csv, line 5: 20 columns, expected 27"),
        (6, lambda row: [*row, ""], "etr.csv, line 6: 28 columns, expected 27"),
        (12, replaced(1, ""), "etr.csv, line 12: the name is empty"),
        (30, replaced(0, "R0A"), "etr.csv, line 30: code 'R0A' appears again (first on line 3)"),
        (40, replaced(0, "r0z"), "etr.csv, line 40: organisation code 'r0z' is not a valid code"),
        (41, replaced(0, "TOOLONG1"), "etr.csv, line 41: organisation code 'TOOLONG1' is not a valid code"),
        (50, replaced(2, "Y99"), "etr.csv, line 50: region 'Y99' is not a known region"),
        (51, replaced(2, "LONDON"), "etr.csv, line 51: region code 'LONDON' is not a valid code"),
        (52, replaced(3, "Q M J"), "etr.csv, line 52: ICB code 'Q M J' is not a valid code"),
        (60, replaced(1, "NHS DARLINGTON CCG"), "etr.csv, line 60: 'NHS DARLINGTON CCG' is not an NHS trust"),
        (70, replaced(9, "POSTCODE TOO LONG"), "etr.csv, line 70: postcode:"),
        (274, replaced(1, "X" * 195 + " TRUST"), "etr.csv, line 274: name:"),  # the very last line too
    ],
)
def test_a_fault_in_any_row_refuses_the_whole_file(
    tmp_path: Path,
    directory_before: dict[str, str],
    line: int,
    change: Callable[[list[str]], list[str]],
    message: str,
) -> None:
    path = broken_trust_file(tmp_path, line, change)

    with pytest.raises(OdsImportError) as refused:
        ods_import(path=path)

    assert str(refused.value).startswith(message)
    assert_unchanged(directory_before)


def test_bytes_that_are_not_utf8_are_refused_with_their_line(tmp_path: Path, directory_before: dict[str, str]) -> None:
    content = bytearray(TRUSTS.read_bytes())
    lines = content.split(b"\n")
    lines[8] = lines[8].replace(b"NHS", b"NHS \xe9", 1)  # Latin-1 "é", as a spreadsheet might save it
    path = tmp_path / "etr.csv"
    path.write_bytes(b"\n".join(lines))

    with pytest.raises(OdsImportError, match=r"^etr\.csv, line 9: byte 0xe9 is not UTF-8 text"):
        ods_import(path=path)
    assert_unchanged(directory_before)


def test_a_file_saved_with_a_byte_order_mark_is_read() -> None:
    parsed = ods_parse(filename="etr.csv", content=b"\xef\xbb\xbf" + TRUSTS.read_bytes())

    assert len(parsed.organisations) == 274
    assert parsed.organisations[0].ods_code == "G6V2S"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "etr.csv: the file is empty"),
        (b"\n  \n", "etr.csv: the file is empty"),
        (
            b"name,code\nRXT,Birmingham\n",
            "etr.csv: unknown layout (line 1 starts 'name,code'); accepted layouts",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "etr.csv, line 1: byte 0x89 is not UTF-8 text"),
        (b'"RXT","BIRMINGHAM TRUST"\n"RYX","\x00"\n', "etr.csv, line 2: a NUL byte: this is not a text file"),
        (b'"RXT","unclosed, "quote" here\n', "etr.csv, line 1: not readable as CSV"),
    ],
)
def test_files_that_are_not_a_known_csv_are_refused(
    tmp_path: Path, directory_before: dict[str, str], content: bytes, message: str
) -> None:
    path = tmp_path / "etr.csv"
    path.write_bytes(content)

    with pytest.raises(OdsImportError) as refused:
        ods_import(path=path)

    assert str(refused.value).startswith(message)
    assert_unchanged(directory_before)


def test_the_unknown_layout_message_names_the_accepted_ones(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("email,name\n")

    with pytest.raises(OdsImportError) as refused:
        ods_import(path=path)

    assert "NHSER_ONS_CODE,NHSER_ODS_CODE,NHSER_NAME" in str(refused.value)
    assert "ICB24CD,ICB24CDH,ICB24NM,ObjectId" in str(refused.value)
    assert "27 columns" in str(refused.value)


def test_a_broken_icb_list_is_refused_with_its_line(tmp_path: Path) -> None:
    lines = ICBS.read_text().splitlines()
    lines[4] = lines[4].replace("E54", "X54", 1)
    path = tmp_path / "icbs.csv"
    path.write_text("\n".join(lines))

    with pytest.raises(OdsImportError, match=r"^icbs\.csv, line 5: ONS code 'X54\d+' is not a valid code"):
        ods_import(path=path)
    assert Organisation.objects.count() == 0


def test_a_broken_regions_file_is_refused_with_its_line(tmp_path: Path) -> None:
    lines = REGIONS.read_text().splitlines()
    lines[3] = lines[3] + ",extra"
    path = tmp_path / "regions.csv"
    path.write_text("\n".join(lines))

    with pytest.raises(OdsImportError, match=r"^regions\.csv, line 4: 4 columns, expected 3"):
        ods_import(path=path)


# --- The command ------------------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_ods", *args, stdout=out)
    return out.getvalue()


def test_command_imports_several_files_regions_first_whatever_the_order() -> None:
    output = run(str(TRUSTS), str(ICBS), str(REGIONS))

    assert output.splitlines() == [
        "nhs_england_regions.csv (NHS England regions): 0 created, 0 updated, 7 unchanged",
        "icb_names_codes_dec_2024.csv (ONS integrated care boards): 42 created, 0 updated, 0 unchanged",
        "etr.csv (ODS NHS trusts): 274 created, 0 updated, 0 unchanged, 72 closed",
    ]
    assert Organisation.objects.count() == 274 + 42


def test_command_dry_run_reports_and_writes_nothing() -> None:
    output = run(str(TRUSTS), "--dry-run")

    assert output.splitlines() == [
        "etr.csv (ODS NHS trusts): 274 created, 0 updated, 0 unchanged, 72 closed (dry run: nothing written)"
    ]
    assert Organisation.objects.count() == 0


def test_command_refuses_a_missing_file() -> None:
    with pytest.raises(CommandError, match=r"no-such-file\.csv: no such file"):
        run("/nowhere/no-such-file.csv")


def test_command_refuses_a_bad_file_with_its_line(tmp_path: Path) -> None:
    path = broken_trust_file(tmp_path, 17, replaced(10, "2024131"))

    with pytest.raises(CommandError, match=r"etr\.csv, line 17: open date '2024131' is not a date"):
        run(str(path))
    assert Organisation.objects.count() == 0


def test_command_writes_nothing_when_a_later_file_is_bad(tmp_path: Path) -> None:
    bad = broken_trust_file(tmp_path, 200, replaced(1, ""))

    with pytest.raises(CommandError, match="line 200: the name is empty"):
        run(str(ICBS), str(bad))
    assert Organisation.objects.count() == 0


def test_command_refuses_the_sub_icb_file() -> None:
    with pytest.raises(CommandError, match="sub-ICB locations"):
        run(str(SUB_ICBS))


def test_command_refuses_an_unknown_option() -> None:
    with pytest.raises(CommandError, match="unrecognized arguments: --overwrite"):
        run(str(TRUSTS), "--overwrite")
    assert Organisation.objects.count() == 0


def test_command_needs_a_file() -> None:
    with pytest.raises(CommandError, match="the following arguments are required: FILE"):
        run()
