"""`manage.py import_ods FILE [FILE ...]`: load the NHS directory from the published ODS and ONS files.

Every file is read and checked before the first is written, and all are written in one transaction, so a
fault in the last file leaves the directory as it was.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from apps.organisations.importers import (
    ImportResult,
    OdsFile,
    OdsImportError,
    ods_file_import,
    ods_file_read,
    ods_files_sorted,
)


class Command(BaseCommand):
    help = (
        "Import NHS organisations from the published files, recognised by their content: the ODS trust file "
        "(etr.csv, 27 columns, no header), the ONS ICB list (ICB24CD,ICB24CDH,ICB24NM,ObjectId) and the "
        "NHS England regions file (NHSER_ONS_CODE,NHSER_ODS_CODE,NHSER_NAME). Files may be given in any "
        "order: regions are loaded first, then ICBs, then trusts. The ODS sub-ICB file (eccg.csv) is "
        "refused: Stepping Up does not hold sub-ICB locations as organisations. A fault in any row refuses "
        "the whole call and writes nothing. Importing the same file twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="an ODS or ONS CSV file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the files and report what would change; write nothing",
        )

    def handle(self, *args: Any, files: list[Path], dry_run: bool, **options: Any) -> None:
        try:
            results = self._import(ods_files_sorted([ods_file_read(path=path) for path in files]), dry_run)
        except OdsImportError as error:
            raise CommandError(str(error)) from error
        for result in results:
            self.stdout.write(result.summary())

    @transaction.atomic
    def _import(self, ods_files: list[OdsFile], dry_run: bool) -> list[ImportResult]:
        return [ods_file_import(ods_file=ods_file, dry_run=dry_run) for ods_file in ods_files]
