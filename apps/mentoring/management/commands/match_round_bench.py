"""Time a whole match round on the database: pool queries, scoring every allowed pair, solving, saving the draft.

`python manage.py match_round_bench --mentees 2000 --mentors 500` builds a scheme with that many seeded synthetic
requests and offers inside a transaction, runs `round_run`, prints the figures and rolls everything back, so it can
run against any database without leaving a trace.
"""

import random
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant, User
from apps.mentoring.models import MentoringRequest, MentorOffer, RoundPair, Scheme
from apps.mentoring.services.rounds import round_run
from apps.organisations.models import Organisation
from apps.profiles.models import CareerRole, Profile

CODES = [f"SKI-{i}" for i in range(1, 11)] + [f"EXP-{i}" for i in range(1, 7)] + [f"QUA-{i}" for i in range(1, 7)]
MENTOR_ROLES = [CareerRole.MEDICAL_DIRECTOR, CareerRole.DEPUTY_MD, CareerRole.ASSOCIATE_MD]
MENTEE_ROLES = [CareerRole.CLINICAL_LEAD, CareerRole.CLINICAL_DIRECTOR, CareerRole.ASSOCIATE_MD]


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time a match round end to end on synthetic data, rolled back afterwards."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mentees", type=int, default=2000)
        parser.add_argument("--mentors", type=int, default=500)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, mentees: int, mentors: int, seed: int, **options: Any) -> None:
        if not (1 <= mentees <= 50_000 and 1 <= mentors <= 10_000):
            raise CommandError("Use 1–50,000 mentees and 1–10,000 mentors.")
        organisations = list(Organisation.objects.filter(closed_on__isnull=True).order_by("pk")[:300])
        if not organisations:
            raise CommandError("No organisations: run `manage.py import_ods` or `seed_demo` first.")
        try:
            with transaction.atomic():
                self._run(mentees, mentors, random.Random(seed), organisations)
                raise Rollback
        except Rollback:
            pass

    def _run(self, n_mentees: int, n_mentors: int, rng: random.Random, organisations: list[Organisation]) -> None:
        now = timezone.now()
        started = time.perf_counter()
        organiser = User.objects.create(email="bench.organiser@example.invalid")
        scheme = Scheme.objects.create(name="Benchmark scheme", created_at=now)
        scheme.organisers.add(organiser)
        people = User.objects.bulk_create(
            [User(email=f"bench.{i}@example.invalid") for i in range(n_mentors + n_mentees)], batch_size=5000
        )
        mentors, mentees = people[:n_mentors], people[n_mentors:]
        Profile.objects.bulk_create(
            [
                Profile(
                    user=u,
                    career_role=rng.choice(MENTOR_ROLES if i < n_mentors else MENTEE_ROLES),
                    organisation=rng.choice(organisations),
                )
                for i, u in enumerate(people)
            ],
            batch_size=5000,
        )
        RoleGrant.objects.bulk_create([RoleGrant(user=u, role=Role.MENTOR, granted_at=now) for u in mentors])
        offers = MentorOffer.objects.bulk_create(
            [
                MentorOffer(
                    mentor=u,
                    capacity=rng.randint(1, 4),
                    kind="both",
                    expertise=rng.sample(CODES, 6),
                    modes=rng.sample(["video", "phone", "in_person"], 2),
                )
                for u in mentors
            ],
            batch_size=5000,
        )
        MentorOffer.schemes.through.objects.bulk_create(
            [MentorOffer.schemes.through(mentoroffer_id=o.pk, scheme_id=scheme.pk) for o in offers], batch_size=5000
        )
        MentoringRequest.objects.bulk_create(
            [
                MentoringRequest(
                    mentee=u,
                    kind="mentor",
                    focus=rng.sample(CODES, 3),
                    outside=rng.choice(["required", "preferred", "either"]),
                    modes=["video"],
                    scheme=scheme,
                    created_at=now,
                )
                for u in mentees
            ],
            batch_size=5000,
        )
        built = time.perf_counter() - started
        queries_before = len(connection.queries)
        started = time.perf_counter()
        match_round = round_run(scheme=scheme, actor=organiser, now=now)
        total = time.perf_counter() - started
        matched = RoundPair.objects.filter(round=match_round, mentor__isnull=False).count()
        self.stdout.write(
            f"{n_mentees:,} mentees × {n_mentors:,} mentors (built in {built:.1f} s): round_run {total:.2f} s, "
            f"of which scoring and solving {match_round.solve_seconds:.2f} s; {matched:,} matched"
            + (f"; {len(connection.queries) - queries_before} queries" if connection.queries else "")
        )
