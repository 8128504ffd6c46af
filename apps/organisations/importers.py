"""Loads the NHS directory from the files an operator downloads: ODS trusts, ONS ICBs, NHS England regions.

A release is all or nothing. Every row of a file is checked, and every record built and validated, before
anything is written, so a truncated or hand-edited download cannot leave half a directory behind: a fault
refuses the whole file, naming the file and line. Then one transaction creates and updates in bulk, a handful
of queries whatever the file's size.

Layouts are recognised from the content, not the name: operators rename downloads. The reading half
(`ods_parse`) touches no database, so a command can check every file of a batch before writing the first.
"""

import csv
import io
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from .models import Organisation, OrganisationKind, Region, Sector

ODS_COLUMNS = 27
ODS_CODE = re.compile(r"[A-Z0-9]{3,6}")
REGION_ODS_CODE = re.compile(r"Y\d\d")
REGION_ONS_CODE = re.compile(r"E40\d{6}")
ICB_ONS_CODE = re.compile(r"E54\d{6}")
REGIONS_HEADER = ["NHSER_ONS_CODE", "NHSER_ODS_CODE", "NHSER_NAME"]
# ONS renames the columns each year (ICB23CD, ICB24CD, …); the year is the only part allowed to change.
ICB_HEADER = re.compile(r"ICB(\d\d)CD,ICB\1CDH,ICB\1NM(,ObjectId)?")
WALES = "W"  # GOR code of Welsh organisations, and the ODS code of the Wales region


class OdsImportError(Exception):
    """A file that cannot be imported; the message names the file (and line) and is shown to the operator."""


class Layout(Enum):
    REGIONS = "NHS England regions (header NHSER_ONS_CODE,NHSER_ODS_CODE,NHSER_NAME)"
    ICBS = "ONS integrated care boards (header ICB24CD,ICB24CDH,ICB24NM,ObjectId)"
    TRUSTS = "ODS NHS trusts (etr.csv: 27 columns, no header)"

    @property
    def label(self) -> str:
        return self.value.split(" (")[0]


# Regions before the organisations that point at them.
IMPORT_ORDER = (Layout.REGIONS, Layout.ICBS, Layout.TRUSTS)
# What each file is the authority for. An ICB list says nothing of addresses, so it must not blank them, and
# sectors are never updated: an administrator may have corrected what the name suggested.
UPDATED_FIELDS = {
    Layout.ICBS: ("name", "kind"),
    Layout.TRUSTS: ("name", "kind", "region", "icb_code", "address", "postcode", "opened_on", "closed_on"),
}


@dataclass(frozen=True)
class RegionRow:
    line: int
    ods_code: str
    ons_code: str
    name: str


@dataclass(frozen=True)
class OrganisationRow:
    line: int
    ods_code: str
    name: str
    kind: str
    sector_codes: frozenset[str] = frozenset()
    region_code: str = ""
    icb_code: str = ""
    address: str = ""
    postcode: str = ""
    opened_on: date | None = None
    closed_on: date | None = None


@dataclass(frozen=True)
class OdsFile:
    """A checked file, ready to import."""

    filename: str
    layout: Layout
    regions: tuple[RegionRow, ...] = ()
    organisations: tuple[OrganisationRow, ...] = ()


def ods_files_sorted(ods_files: Collection[OdsFile]) -> list[OdsFile]:
    """Regions first, then ICBs, then trusts, whatever order the operator named the files in."""
    return sorted(ods_files, key=lambda ods_file: IMPORT_ORDER.index(ods_file.layout))


@dataclass(frozen=True)
class ImportResult:
    filename: str
    layout: Layout
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Organisations this import marked closed (created closed, or open until now).
    closed: int = 0
    dry_run: bool = False

    def summary(self) -> str:
        counts = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.layout is Layout.TRUSTS:
            counts += f", {self.closed} closed"
        note = " (dry run: nothing written)" if self.dry_run else ""
        return f"{self.filename} ({self.layout.label}): {counts}{note}"


# --- Reading: no database -----------------------------------------------------------------------------------


class _RowFault(ValueError):
    """A fault in one row; the caller adds the file name and line."""


Row = tuple[int, list[str]]  # (line number, stripped cells)
Record = TypeVar("Record", RegionRow, OrganisationRow)


def ods_file_read(*, path: Path) -> OdsFile:
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise OdsImportError(f"{path}: no such file") from None
    except OSError as error:
        raise OdsImportError(f"{path}: cannot be read ({error.strerror})") from None
    return ods_parse(filename=path.name, content=content)


def ods_parse(*, filename: str, content: bytes) -> OdsFile:
    rows = _csv_rows(filename, _decode(filename, content))
    if not rows:
        raise OdsImportError(f"{filename}: the file is empty")
    layout = _layout(filename, rows[0][1])
    if layout is Layout.REGIONS:
        regions = _parse_rows(filename, rows[1:], _region_row)
        return OdsFile(filename=filename, layout=layout, regions=tuple(regions))
    if layout is Layout.ICBS:
        width = len(rows[0][1])
        icbs = _parse_rows(filename, rows[1:], lambda line, cells: _icb_row(line, cells, width=width))
        return OdsFile(filename=filename, layout=layout, organisations=tuple(icbs))
    _refuse_without_trusts(filename, rows)
    return OdsFile(filename=filename, layout=layout, organisations=tuple(_parse_rows(filename, rows, _trust_row)))


def _decode(filename: str, content: bytes) -> str:
    try:
        text = content.decode("utf-8-sig")  # Excel adds a byte-order mark when it saves CSV as UTF-8
    except UnicodeDecodeError as error:
        line, byte = _line_at(content, error.start), content[error.start]
        raise OdsImportError(
            f"{filename}, line {line}: byte {byte:#04x} is not UTF-8 text; save the file as UTF-8 CSV"
        ) from None
    if "\0" in text:  # valid UTF-8 but a binary file, which the csv module would read without complaint
        line = _line_at(content, content.index(b"\0"))
        raise OdsImportError(f"{filename}, line {line}: a NUL byte: this is not a text file")
    return text


def _line_at(content: bytes, offset: int) -> int:
    return content[:offset].count(b"\n") + 1


def _csv_rows(filename: str, text: str) -> list[Row]:
    """The non-blank rows with their line numbers (a trailing blank line is common and harmless)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Row] = []
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((reader.line_num, [cell.strip() for cell in cells]))
    except csv.Error as error:
        raise OdsImportError(f"{filename}, line {reader.line_num}: not readable as CSV ({error})") from None
    return rows


def _layout(filename: str, first_row: list[str]) -> Layout:
    if first_row == REGIONS_HEADER:
        return Layout.REGIONS
    if ICB_HEADER.fullmatch(",".join(first_row)):
        return Layout.ICBS
    if len(first_row) == ODS_COLUMNS:
        return Layout.TRUSTS
    accepted = "; ".join(layout.value for layout in IMPORT_ORDER)
    start = ",".join(first_row)[:60]
    raise OdsImportError(f"{filename}: unknown layout (line 1 starts {start!r}); accepted layouts: {accepted}")


def _refuse_without_trusts(filename: str, rows: list[Row]) -> None:
    """ODS publishes other lists in the same 27 columns; of those only the trust list belongs here."""
    names = [cells[1].upper() for _, cells in rows if len(cells) > 1]
    if any(_is_trust(name) for name in names):
        return
    if any(re.search(r"\b(CCG|ICB|SUB-ICB)\b", name) for name in names):
        raise OdsImportError(
            f"{filename}: this file lists sub-ICB locations, which Stepping Up does not hold as "
            "organisations; import the ODS trust file (etr.csv) and the ONS ICB list instead"
        )
    raise OdsImportError(f"{filename}: this file lists no NHS trusts; of the ODS files, only etr.csv is accepted")


def _parse_rows(filename: str, rows: Sequence[Row], parse: Callable[[int, list[str]], Record]) -> list[Record]:
    records: list[Record] = []
    first_lines: dict[str, int] = {}
    for line, cells in rows:
        try:
            record = parse(line, cells)
            _refuse_repeat(record.ods_code, line, first_lines)
        except _RowFault as fault:
            raise OdsImportError(f"{filename}, line {line}: {fault}") from None
        records.append(record)
    return records


def _refuse_repeat(code: str, line: int, first_lines: dict[str, int]) -> None:
    if code in first_lines:
        raise _RowFault(f"code {code!r} appears again (first on line {first_lines[code]})")
    first_lines[code] = line


def _region_row(line: int, cells: list[str]) -> RegionRow:
    _expect_columns(cells, len(REGIONS_HEADER))
    ons_code, ods_code, name = cells
    return RegionRow(
        line=line,
        ods_code=_code(ods_code, "region ODS code", REGION_ODS_CODE),
        ons_code=_code(ons_code, "region ONS code", REGION_ONS_CODE),
        name=_required(name, "name"),
    )


def _icb_row(line: int, cells: list[str], *, width: int) -> OrganisationRow:
    _expect_columns(cells, width)
    _code(cells[0], "ONS code", ICB_ONS_CODE)
    return OrganisationRow(
        line=line,
        ods_code=_code(cells[1], "ODS code", ODS_CODE),
        name=_required(cells[2], "name"),
        kind=OrganisationKind.ICB,
        sector_codes=frozenset({"integrated"}),
    )


def _trust_row(line: int, cells: list[str]) -> OrganisationRow:
    _expect_columns(cells, ODS_COLUMNS)
    name = _required(cells[1], "name").upper()
    if not _is_trust(name):
        raise _RowFault(f"{cells[1]!r} is not an NHS trust; a trust file holds only trusts")
    opened_on, closed_on = _date(cells[10], "open date"), _date(cells[11], "close date")
    if opened_on and closed_on and closed_on < opened_on:
        raise _RowFault(f"close date {cells[11]!r} is before open date {cells[10]!r}")
    return OrganisationRow(
        line=line,
        ods_code=_code(cells[0], "organisation code", ODS_CODE),
        name=readable_name(name),
        kind=OrganisationKind.FOUNDATION_TRUST if "FOUNDATION TRUST" in name else OrganisationKind.NHS_TRUST,
        sector_codes=inferred_sectors(name),
        region_code=_trust_region_code(national_grouping=cells[2], gor=cells[23]),
        icb_code=_code(cells[3], "ICB code", ODS_CODE) if cells[3] else "",
        address=", ".join(readable_name(part) for part in cells[4:9] if part),
        postcode=cells[9].upper(),
        opened_on=opened_on,
        closed_on=closed_on,
    )


def _is_trust(upper_name: str) -> bool:
    return re.search(r"\bTRUST\b", upper_name) is not None


def _trust_region_code(*, national_grouping: str, gor: str) -> str:
    """Welsh trusts have no NHS England region; their GOR code puts them in Wales."""
    if national_grouping:
        return _code(national_grouping, "region code", REGION_ODS_CODE)
    return WALES if gor == WALES else ""


def _expect_columns(cells: list[str], expected: int) -> None:
    if len(cells) != expected:
        raise _RowFault(f"{len(cells)} columns, expected {expected}")


def _required(value: str, label: str) -> str:
    if not value:
        raise _RowFault(f"the {label} is empty")
    return value


def _code(value: str, label: str, pattern: re.Pattern[str]) -> str:
    if not pattern.fullmatch(value):
        raise _RowFault(f"{label} {value!r} is not a valid code (expected {pattern.pattern})")
    return value


def _date(value: str, label: str) -> date | None:
    if not value:
        return None
    try:
        if not re.fullmatch(r"\d{8}", value):
            raise ValueError
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise _RowFault(f"{label} {value!r} is not a date in YYYYMMDD form") from None


# --- Names and sectors --------------------------------------------------------------------------------------

ACRONYMS = {"NHS", "ICB", "ICS", "CCG", "CIC", "UK", "GP", "HIV", "LLP", "PCT", "HQ", "FT"}
# Lower case inside a name ("Newcastle upon Tyne", "Hospital for Children", "Stoke-on-Trent").
SMALL_WORDS = {"and", "of", "the", "for", "upon", "on", "in", "at", "under", "with", "super"}
# Only what the name says: "Healthcare" or "Teaching" alone could be any sector, so they set nothing.
SECTOR_PATTERNS = (
    ("ambulance", re.compile(r"\bAMBULANCE\b")),
    ("mental_health", re.compile(r"\bMENTAL HEALTH\b|\bPARTNERSHIP\b")),
    # "Mersey Care", "Health and Care": mental health trusts, unless an integrated or community provider;
    # "Health Care" in two words is an old spelling of healthcare, which says nothing.
    ("mental_health", re.compile(r"^(?!.*\b(INTEGRATED|COMMUNITY)\b).*(?<!HEALTH )\bCARE NHS\b")),
    ("learning_disability", re.compile(r"\bLEARNING DISABILIT")),
    ("community", re.compile(r"\bCOMMUNITY\b")),
    ("acute", re.compile(r"\bHOSPITALS?\b")),
)


def readable_name(text: str) -> str:
    """ODS publishes capitals: 'GUY'S AND ST THOMAS' NHS FOUNDATION TRUST' -> "Guy's and St Thomas' NHS …"."""
    parts = re.split(r"([A-Za-z0-9']+)", text)  # words at the odd positions, what separates them between
    parts[1::2] = [_readable_word(word, first=index == 0) for index, word in enumerate(parts[1::2])]
    return "".join(parts)


def _readable_word(word: str, *, first: bool) -> str:
    upper = word.upper()
    if upper in ACRONYMS:
        return upper
    if not first and upper.lower() in SMALL_WORDS:
        return upper.lower()
    return upper.capitalize()  # not str.title(), which gives "Guy'S"


def inferred_sectors(name: str) -> frozenset[str]:
    upper = name.upper()
    return frozenset(code for code, pattern in SECTOR_PATTERNS if pattern.search(upper))


# --- Writing ------------------------------------------------------------------------------------------------


def ods_import(*, path: Path, dry_run: bool = False) -> ImportResult:
    return ods_file_import(ods_file=ods_file_read(path=path), dry_run=dry_run)


@transaction.atomic
def ods_file_import(*, ods_file: OdsFile, dry_run: bool = False) -> ImportResult:
    """Create or update by ODS code. Importing the same file again changes nothing."""
    if ods_file.layout is Layout.REGIONS:
        return _regions_import(ods_file, dry_run=dry_run)
    return _organisations_import(ods_file, dry_run=dry_run)


@dataclass
class _Plan:
    new: list[Any] = field(default_factory=list)
    changed: list[Any] = field(default_factory=list)
    unchanged: int = 0
    closed: int = 0
    to_validate: list[tuple[int, models.Model]] = field(default_factory=list)  # (line, record to write)


def _regions_import(ods_file: OdsFile, *, dry_run: bool) -> ImportResult:
    existing = Region.objects.in_bulk(field_name="ods_code")
    plan = _Plan()
    for row in ods_file.regions:
        values = {"ons_code": row.ons_code, "name": row.name}
        current = existing.get(row.ods_code)
        new = Region(ods_code=row.ods_code, **values) if current is None else None
        _plan_row(plan, row.line, current, values, new=new)
    _validate(ods_file.filename, plan)
    if not dry_run:
        Region.objects.bulk_update(plan.changed, ["ons_code", "name"])
        Region.objects.bulk_create(plan.new)
    return _result(ods_file, plan, dry_run=dry_run)


def _organisations_import(ods_file: OdsFile, *, dry_run: bool) -> ImportResult:
    regions = dict(Region.objects.values_list("ods_code", "pk"))
    rows = ods_file.organisations
    existing = Organisation.objects.in_bulk([row.ods_code for row in rows], field_name="ods_code")
    fields = UPDATED_FIELDS[ods_file.layout]
    plan = _Plan()
    for row in rows:
        values = _organisation_values(ods_file.filename, row, regions, fields)
        current = existing.get(row.ods_code)
        if row.closed_on and (current is None or current.closed_on is None):
            plan.closed += 1
        new = Organisation(ods_code=row.ods_code, **values) if current is None else None
        _plan_row(plan, row.line, current, values, new=new)
    _validate(ods_file.filename, plan)
    if not dry_run:
        _organisations_update(plan.changed, fields)
        _organisations_create(plan.new, rows)
    return _result(ods_file, plan, dry_run=dry_run)


def _organisation_values(
    filename: str, row: OrganisationRow, regions: dict[str, int], fields: Iterable[str]
) -> dict[str, Any]:
    """The row's values for the fields this file is the authority for, keyed by attribute (region_id)."""
    if row.region_code and row.region_code not in regions:
        raise OdsImportError(f"{filename}, line {row.line}: region {row.region_code!r} is not a known region")
    available = {
        "name": row.name,
        "kind": row.kind,
        "region_id": regions.get(row.region_code),
        "icb_code": row.icb_code,
        "address": row.address,
        "postcode": row.postcode,
        "opened_on": row.opened_on,
        "closed_on": row.closed_on,
    }
    attnames = ["region_id" if name == "region" else name for name in fields]
    return {attname: available[attname] for attname in attnames}


def _plan_row(
    plan: _Plan, line: int, current: models.Model | None, values: dict[str, Any], *, new: models.Model | None
) -> None:
    """Sort one record into created, updated or unchanged; `new` is what to create when nothing matches."""
    if current is None:
        assert new is not None
        plan.new.append(new)
        plan.to_validate.append((line, new))
    elif any(getattr(current, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(current, name, value)
        plan.changed.append(current)
        plan.to_validate.append((line, current))
    else:
        plan.unchanged += 1


def _validate(filename: str, plan: _Plan) -> None:
    """full_clean() every record before the first write. Uniqueness is settled by matching on the ODS code
    and the region by the lookup above, so the per-row queries those checks would make are skipped."""
    for line, record in plan.to_validate:
        try:
            record.full_clean(exclude=["region"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
            raise OdsImportError(f"{filename}, line {line}: {problems}") from None


def _organisations_update(changed: list[Organisation], fields: Sequence[str]) -> None:
    """One INSERT … ON CONFLICT (id) DO UPDATE: bulk_update() builds a CASE per row and field in Python,
    about 4 ms a row, which would make a release that touches every trust take a second or more."""
    if changed:
        Organisation.objects.bulk_create(
            changed, update_conflicts=True, unique_fields=["pk"], update_fields=list(fields)
        )


def _organisations_create(new: list[Organisation], rows: Sequence[OrganisationRow]) -> None:
    """Create in one query and give each new organisation the sectors its name suggests (only on creation)."""
    if not new:
        return
    created = Organisation.objects.bulk_create(new)  # PostgreSQL returns the primary keys
    sector_codes = {row.ods_code: row.sector_codes for row in rows}
    sectors = Sector.objects.in_bulk(field_name="code")
    Through = Organisation.sectors.through
    Through.objects.bulk_create(
        Through(organisation_id=organisation.pk, sector_id=sectors[code].pk)
        for organisation in created
        for code in sorted(sector_codes[organisation.ods_code])
        if code in sectors
    )


def _result(ods_file: OdsFile, plan: _Plan, *, dry_run: bool) -> ImportResult:
    return ImportResult(
        filename=ods_file.filename,
        layout=ods_file.layout,
        created=len(plan.new),
        updated=len(plan.changed),
        unchanged=plan.unchanged,
        closed=plan.closed,
        dry_run=dry_run,
    )
