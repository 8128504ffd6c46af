"""Frameworks to and from 1EdTech CASE (Competencies and Academic Standards Exchange) packages.

Why: CASE is the standard way competency frameworks move between systems, so a framework written here can be
published as a CASE 1.0 CFPackage, and a framework published elsewhere can be brought in as a starting point.

Pure: no Django, no database. Plain data in, plain data out, so both directions are tested on real files.
Modules: `write` (export); `check` (detection by content and every fault of a package, with its JSON path);
`read` (import: the document), `tree` (the isChildOf tree), `items` (groups and criteria), `values` (lenient JSON
values); `common` (names, the error and wording both share). The portal keeps an imported package whole beside the
framework read from it, so nothing here needs to carry what a framework does not use.

Export (`spec_to_case`) puts everything CASE has a field for in that field: the framework's name, version and
description on the CFDocument; a short form of the source as its `creator` and the full source in its `notes`; the
licence as a CFLicense (`licenseText`) in CFDefinitions, linked from the document's `licenseURI`; groups, criteria
and prompt questions as CFItems of the types "Group", "Criterion" and "Prompt question", joined by isChildOf
associations; area codes as `conceptKeywords`, level codes as `educationLevel`. What CASE has no field for, the
rating scale and each criterion's expected rating per level, goes in `extensions.steppingUp`. The isChildOf
sequence numbers of groups and criteria count through the whole framework (siblings stay in order for any
reader) so that our own lists come back in exactly their order.

Import (`case_to_spec`) is lenient: real packages predate CASE 1.0, carry extra keys, use strings where 1.0 has
LinkURI objects and relate items in many ways. It keeps the isChildOf tree and what maps onto a framework, and
returns notes on what it left out. Only a package that cannot be read as a tree at all raises CaseImportError.
When the package carries our own extensions, an export comes back equal to the framework it was made from.
"""

from .common import CaseImportError
from .read import case_to_spec
from .write import spec_to_case

__all__ = ["CaseImportError", "case_to_spec", "spec_to_case"]
