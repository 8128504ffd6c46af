"""`manage.py apply_retention [--dry-run]`: apply the retention rules now, or count what they would remove."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from ...retention import RULES, retention_apply


class Command(BaseCommand):
    help = "Apply the retention rules (docs/ARCHITECTURE.md, 'Your data'); with --dry-run, only count."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count what would be removed, remove nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        removed = retention_apply(now=timezone.now(), dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        for rule in RULES:
            self.stdout.write(f"{rule.name}: {verb} {removed[rule.name]} ({rule.keep_for})")
