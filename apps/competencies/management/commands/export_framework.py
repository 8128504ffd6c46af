"""Write a loaded framework back out: our own format (YAML or JSON, lossless) or a CASE JSON package."""

import json
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.competencies.fileformat import dump
from apps.competencies.models import Framework
from apps.competencies.selectors import case_package_for, framework_spec


class Command(BaseCommand):
    help = "Export a framework (by slug; the latest loaded version unless --framework-version) as yaml, json or case."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the framework's slug, e.g. md-person-spec")
        parser.add_argument("--framework-version", help="which version (default: the latest loaded)")
        parser.add_argument("--format", choices=["yaml", "json", "case"], default="yaml")
        parser.add_argument("--output", type=Path, help="file to write (default: standard output)")

    def handle(
        self, *args: Any, slug: str, framework_version: str | None, format: str, output: Path | None, **options: Any
    ) -> None:
        versions = Framework.objects.filter(slug=slug).order_by("-loaded_at")
        if framework_version:
            versions = versions.filter(version=framework_version)
        framework = versions.first()
        if framework is None:
            known = ", ".join(sorted(set(Framework.objects.values_list("slug", flat=True)))) or "none loaded"
            raise CommandError(
                f"No framework '{slug}'{f' version {framework_version}' if framework_version else ''} (known: {known})."
            )
        text = self._render(framework, format)
        if output is None:
            self.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {framework.name} {framework.version} as {format} to {output}.")

    def _render(self, framework: Framework, format: str) -> str:
        spec = framework_spec(framework=framework)
        if format == "yaml":
            return dump(spec)
        if format == "json":
            return json.dumps(yaml.safe_load(dump(spec)), indent=2, ensure_ascii=False) + "\n"
        package = case_package_for(framework=framework)  # as it was loaded, or built from our own format
        return json.dumps(package, indent=2, ensure_ascii=False) + "\n"
