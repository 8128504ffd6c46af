from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.development.catalogue import SHIPPED, CatalogueError, catalogue_load, read_catalogue


class Command(BaseCommand):
    help = (
        "Load the development-opportunity catalogue (default: the one shipped with the portal). Entries that exist "
        "are kept as administrators edited them unless --update. Load the frameworks first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=SHIPPED)
        parser.add_argument("--update", action="store_true", help="overwrite existing entries from the file")

    def handle(self, *args: Any, file: Path, update: bool, **options: Any) -> None:
        try:
            entries = read_catalogue(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file.") from None
        except CatalogueError as exc:
            raise CommandError(f"{file.name} was not loaded: {exc}") from None
        result = catalogue_load(entries=entries, update=update)
        self.stdout.write(
            f"{file.name}: {result.created} created, {result.updated} updated, {result.unchanged} left as they were"
        )
