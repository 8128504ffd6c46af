"""Load framework files: our own format (YAML or JSON) or a 1EdTech CASE package (JSON), told apart by content."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from apps.competencies.case import CaseImportError, case_to_spec
from apps.competencies.case.check import looks_like_case, package_faults, read_json
from apps.competencies.crosswalkfile import CrosswalkFileError, CrosswalkSpec, parse_crosswalk
from apps.competencies.defaults import DEFAULT_SCALE
from apps.competencies.fileformat import FrameworkFileError, FrameworkSpec, parse
from apps.competencies.services import FrameworkError, framework_load, shipped_framework_files
from apps.competencies.services_crosswalk import CrosswalkError, crosswalk_load, shipped_crosswalk_files


class Command(BaseCommand):
    help = (
        "Load competency frameworks from files (stepping-up-framework/1 YAML or JSON, or a CASE JSON package). "
        "A file with any fault is refused with the line of each fault, and nothing is loaded. Loading the same "
        "version again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="framework files to load")
        parser.add_argument(
            "--shipped",
            action="store_true",
            help="load the frameworks that come with the portal, then their crosswalks",
        )
        parser.add_argument(
            "--replace-crosswalks",
            action="store_true",
            help="with --shipped: make the crosswalks exactly the shipped ones, undoing administrators' edits",
        )

    def handle(
        self, *args: Any, files: list[Path], shipped: bool, replace_crosswalks: bool = False, **options: Any
    ) -> None:
        paths = [*(shipped_framework_files() if shipped else []), *files]
        if not paths:
            raise CommandError("Name one or more framework files, or use --shipped.")
        specs = [(path, self._read(path)) for path in paths]  # every file is checked before anything is loaded
        crosswalks = [(path, _read_crosswalk(path)) for path in (shipped_crosswalk_files() if shipped else [])]
        for path, (spec, notes, case) in specs:
            try:
                result = framework_load(spec=spec, case=case)
            except FrameworkError as exc:
                raise CommandError(f"{path.name}: {exc}") from None
            state = "loaded" if result.created else "already loaded, unchanged"
            self.stdout.write(f"{path.name}: {spec.name} {spec.version}: {state} ({len(spec.criteria)} criteria)")
            for note in notes:
                self.stdout.write(f"  note: {note}")
        for path, crosswalk in crosswalks:
            self._load_crosswalk(path, crosswalk, keep_existing=not replace_crosswalks)

    def _load_crosswalk(self, path: Path, crosswalk: CrosswalkSpec, *, keep_existing: bool) -> None:
        """After the frameworks, so that every code it names can be checked against a loaded framework. Pairs of
        frameworks that already have links keep them (administrators edit them in the portal) unless replaced."""
        try:
            result = crosswalk_load(crosswalk=crosswalk, now=timezone.now(), keep_existing=keep_existing)
        except CrosswalkError as exc:
            raise CommandError(f"{path.name} was not loaded (no link was written):\n{_listed(exc.faults)}") from None
        kept = "".join(f"; {one} and {other} kept as they are" for one, other in result.kept)
        self.stdout.write(f"{path.name}: crosswalk: {result.added} links added, {result.removed} removed{kept}")

    def _read(self, path: Path) -> tuple[FrameworkSpec, list[str], dict[str, Any] | None]:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file.") from None
        except (UnicodeDecodeError, IsADirectoryError) as exc:
            raise CommandError(f"{path}: not a readable text file ({exc.__class__.__name__}).") from None
        # A CASE package is told by its content; a broken one that names a CFDocument is still read as CASE, so
        # that its fault is told as JSON (line and column), not as our format.
        if looks_like_case(text) or ('"CFDocument"' in text and text.lstrip("\ufeff \t\r\n").startswith("{")):
            return self._read_case(path, text)
        try:
            return parse(text), [], None
        except FrameworkFileError as exc:
            raise CommandError(f"{path.name} was not loaded:\n{_listed([str(f) for f in exc.faults])}") from None

    def _read_case(self, path: Path, text: str) -> tuple[FrameworkSpec, list[str], dict[str, Any]]:
        try:
            package = read_json(text)
            faults = package_faults(package)
            if faults:
                raise CommandError(f"{path.name} was not loaded:\n{_listed(faults)}")
            assert isinstance(package, dict)  # package_faults refuses anything else
            spec, notes = case_to_spec(package, default_scale=DEFAULT_SCALE)
        except CaseImportError as exc:
            raise CommandError(f"{path.name} was not loaded: {exc}") from None
        return spec, notes, package


def _read_crosswalk(path: Path) -> CrosswalkSpec:
    try:
        return parse_crosswalk(path.read_text(encoding="utf-8"))
    except CrosswalkFileError as exc:
        raise CommandError(f"{path.name} was not loaded:\n{_listed([str(f) for f in exc.faults])}") from None


def _listed(faults: list[str]) -> str:
    return "\n".join(f"  {fault}" for fault in faults)
