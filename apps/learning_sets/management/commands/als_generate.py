"""Write seeded, realistic applicants for action learning sets in `als_group`'s input format.

`python manage.py als_generate --applicants 1000 --seed 1 --output applicants.json` ('-' writes stdout)
About N/4 to N/3 organisations of uneven sizes (a few large trusts, many small practices), each in one sector;
career stages from aspiring clinical director to new medical director, the junior ones commoner; each person gives
3 to 8 weekly slots, mid-week and mid-day ones likelier, and about 1 in 100 gives none. Sets of 6 to 8. The same
arguments always write the same file. Touches no database.
"""

import json
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.learning_sets.slots import START_TIMES, WEEKDAYS

SECTORS: dict[str, float] = {
    "acute": 0.30,
    "mental health": 0.14,
    "community": 0.12,
    "primary care": 0.20,
    "ambulance": 0.05,
    "specialist": 0.08,
    "ICB": 0.11,
}
STAGES: dict[str, float] = {
    "aspiring clinical director": 0.34,
    "clinical director": 0.26,
    "associate medical director": 0.20,
    "deputy medical director": 0.12,
    "new medical director": 0.08,
}
DAY_WEIGHTS = (0.8, 1.2, 1.3, 1.2, 0.6)  # mon … fri
TIME_WEIGHTS = (0.6, 1.0, 1.3, 1.4, 1.1, 0.7)  # 08:00 … 18:00
NO_AVAILABILITY_SHARE = 0.01


def applicants_generate(*, applicants: int, seed: int) -> dict[str, Any]:
    """The input file's content, as decoded JSON."""
    if applicants == 0:
        return {"set_size": {"min": 6, "max": 8}, "participants": []}
    rng = np.random.default_rng(seed)
    organisations = min(applicants, max(1, int(rng.integers(applicants // 4, applicants // 3 + 1))))
    org_sector = rng.choice(list(SECTORS), size=organisations, p=_shares(SECTORS))
    # Lognormal sizes: most organisations send one to three people, a few large trusts send a dozen or more.
    org_weight = rng.lognormal(0.0, 0.9, size=organisations)
    # Every organisation sends someone; the rest of the places go by weight.
    extra = rng.choice(organisations, size=applicants - organisations, p=org_weight / org_weight.sum())
    org_of = rng.permutation(np.concatenate([np.arange(organisations), extra]))
    stage_of = rng.choice(list(STAGES), size=applicants, p=_shares(STAGES))
    slots = [f"{day}-{start}" for day in WEEKDAYS for start in START_TIMES]
    slot_weight = np.outer(DAY_WEIGHTS, TIME_WEIGHTS).ravel()
    participants = []
    for i in range(applicants):
        many = 0 if rng.random() < NO_AVAILABILITY_SHARE else int(rng.integers(3, 9))
        chosen = rng.choice(len(slots), size=many, replace=False, p=slot_weight / slot_weight.sum())
        org = int(org_of[i])
        participants.append(
            {
                "id": f"applicant-{i:05d}",
                "organisation": f"org-{org:04d}",
                "sector": str(org_sector[org]),
                "stage": str(stage_of[i]),
                "slots": [slots[j] for j in sorted(chosen.tolist())],
            }
        )
    return {"set_size": {"min": 6, "max": 8}, "participants": participants}


def _shares(weights: dict[str, float]) -> np.ndarray:
    values = np.array(list(weights.values()))
    return values / values.sum()


class Command(BaseCommand):
    help = "Write seeded, realistic action learning set applicants (als_group's input format)."
    requires_system_checks: list[str] = []  # touches no database: runs anywhere

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--applicants", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--output", required=True, help="file to write, or - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["applicants"] < 0:
            raise CommandError("--applicants must be 0 or more.")
        data = applicants_generate(applicants=options["applicants"], seed=options["seed"])
        text = json.dumps(data, indent=1) + "\n"
        if options["output"] == "-":
            self.stdout.write(text, ending="")
            return
        Path(options["output"]).write_text(text, encoding="utf-8")
        organisations = len({person["organisation"] for person in data["participants"]})
        self.stdout.write(f"Wrote {options['applicants']} applicants from {organisations} organisations.")
