from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from apps.careers.datafiles import SHIPPED_ROLES, DataFileError, read_roles
from apps.careers.services.profiles import role_profiles_load


class Command(BaseCommand):
    help = (
        "Load the role profiles of the career explorer (default: the file shipped with the portal). Idempotent: "
        "profiles that exist are kept as administrators edited them unless --update, which adds a new version "
        "where the file differs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=SHIPPED_ROLES)
        parser.add_argument("--update", action="store_true", help="add a new version where the file differs")

    def handle(self, *args: Any, file: Path, update: bool, **options: Any) -> None:
        try:
            specs = read_roles(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file.") from None
        except DataFileError as exc:
            raise CommandError(f"{file.name} was not loaded: {exc}") from None
        result = role_profiles_load(specs=specs, update=update, now=timezone.now())
        self.stdout.write(
            f"{file.name}: {result.created} created, {result.updated} updated, {result.unchanged} left as they were"
        )
