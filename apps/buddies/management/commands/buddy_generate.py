"""Write a seeded random cohort in the file format `buddy_pair` reads, for benchmarks and what-if runs.

`python manage.py buddy_generate --people 500 --levels 1 --seed 1 --output cohort.json` ('-' for stdout).
`--levels 1` puts everyone at one leadership level (the densest graph: the worst case); `--levels 5` spreads them
over the five levels as a national cohort would be. About one organisation per five people, so most pairs are
allowed; sectors, regions and months in role (0 to 36) are drawn at random.
"""

import random
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.common.jsonfiles import write_json

SECTORS = ("Mental health", "Acute", "Community", "Ambulance", "Primary care", "Learning disability")
REGIONS = (
    "London",
    "South East",
    "South West",
    "Midlands",
    "East of England",
    "North West",
    "North East and Yorkshire",
    "Wales",
)


def cohort_generate(*, people: int, levels: int, seed: int) -> dict[str, Any]:
    """A cohort as decoded JSON: the same seed and sizes always give the same file."""
    rng = random.Random(seed)
    organisations = max(2, people // 5)
    rows = []
    for n in range(people):
        rows.append(
            {
                "id": f"p{n}",
                "organisation": f"org{rng.randrange(organisations)}",
                "level": 5 - (n % levels),
                "sector": rng.choice(SECTORS),
                "region": rng.choice(REGIONS) if rng.random() < 0.9 else "",
                "months_in_role": rng.randrange(37),
            }
        )
    return {"people": rows}


class Command(BaseCommand):
    help = "Write a seeded random buddy cohort (JSON) for buddy_pair and buddy_bench."
    requires_system_checks: list[str] = []  # touches no database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, required=True)
        parser.add_argument("--levels", type=int, default=1, help="how many leadership levels, 1 to 5")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--output", required=True, help="file to write, or - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["people"] < 0 or not 1 <= options["levels"] <= 5:
            raise CommandError("--people must be 0 or more and --levels from 1 to 5.")
        cohort = cohort_generate(people=options["people"], levels=options["levels"], seed=options["seed"])
        write_json(options["output"], cohort, stdout=self.stdout)
