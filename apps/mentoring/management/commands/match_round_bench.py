"""Time a whole match round on the database: pool queries, scoring every allowed pair, solving, saving the draft.

`python manage.py match_round_bench --mentees 2000 --mentors 500 [--full-check]` builds a scheme with that many
seeded synthetic requests and offers inside a transaction, runs `round_run`, prints the figures and rolls everything
back, so it can run against any database without leaving a trace.

Peak memory is the process's resident-set high-water mark during `round_run` (VmHWM, reset just before it, as
`match_bench` measures), so it counts OR-Tools' C++ memory as well as Python's. The reference is a fixed numpy
workload (sorting 4 million seeded integers, twice) timed in the same run: the ratio round_run / reference is what
compares across runs on a shared, noisy machine, and so does the CPU time of this process (the database's own work
is not in it). `--full-check` also solves the same pool the old way, every allowed pair handed to the flow solver at
once, and says whether the matched count and total score agree (slow and memory-hungry at national scale: 80
million pairs need about 10 GB).
"""

import math
import random
import time
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant, User
from apps.mentoring.management.commands.match_bench import _reset_peak, _resident_kb
from apps.mentoring.models import MentoringRequest, MentorOffer, RoundPair, Scheme
from apps.mentoring.scoring_table import MentorTable
from apps.mentoring.selectors import mentees_facts, mentors_with_places, pool_requests, round_weights
from apps.mentoring.services.rounds import round_run
from apps.mentoring.solver import solve_indexed
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
        parser.add_argument(
            "--full-check", action="store_true", help="also solve every allowed pair at once and compare (slow)"
        )

    def handle(self, *args: Any, mentees: int, mentors: int, seed: int, full_check: bool, **options: Any) -> None:
        if not (1 <= mentees <= 50_000 and 1 <= mentors <= 10_000):
            raise CommandError("Use 1–50,000 mentees and 1–10,000 mentors.")
        organisations = list(Organisation.objects.filter(closed_on__isnull=True).order_by("pk")[:300])
        if not organisations:
            raise CommandError("No organisations: run `manage.py import_ods` or `seed_demo` first.")
        try:
            with transaction.atomic():
                self._run(mentees, mentors, random.Random(seed), organisations, full_check)
                raise Rollback
        except Rollback:
            pass

    def _run(
        self,
        n_mentees: int,
        n_mentors: int,
        rng: random.Random,
        organisations: list[Organisation],
        full_check: bool,
    ) -> None:
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
        reference = _reference_seconds()
        queries_before = len(connection.queries)
        can_measure = _reset_peak()
        started, cpu_started = time.perf_counter(), time.process_time()
        match_round = round_run(scheme=scheme, actor=organiser, now=now)
        total, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        peak = _resident_kb("VmHWM") if can_measure else None
        pairs = RoundPair.objects.filter(round=match_round, mentor__isnull=False)
        matched = pairs.count()
        self.stdout.write(
            f"{n_mentees:,} mentees × {n_mentors:,} mentors (built in {built:.1f} s): round_run {total:.2f} s "
            f"({cpu:.2f} s CPU in this process), "
            f"of which scoring and solving {match_round.solve_seconds:.2f} s; {matched:,} matched"
            + (f"; {len(connection.queries) - queries_before} queries" if connection.queries else "")
            + (f"; peak memory {peak / 1024:,.0f} MB" if peak is not None else "; peak memory not measured")
            + f"; reference {reference:.2f} s, ratio {total / reference:.2f}"
        )
        if full_check:
            total_score = math.fsum(score for score in pairs.values_list("score", flat=True))
            self.stdout.write(self._full_check(scheme, match_round, matched, total_score))

    def _full_check(self, scheme: Scheme, match_round: Any, matched: int, total_score: float) -> str:
        """The old way: every allowed pair to the flow solver at once; the same optimum (count, then total)?"""
        requests = list(pool_requests(scheme).select_related("mentee"))
        places = mentors_with_places(scheme=scheme, reserve_waiting=True)
        facts = mentees_facts(requests)
        weights = round_weights(match_round)
        table = MentorTable([place.facts for place in places])
        started = time.perf_counter()
        parts = [table.allowed(facts[request.pk], weights) for request in requests]
        edge_mentee = np.concatenate([np.full(len(a.mentors), i, dtype=np.int64) for i, a in enumerate(parts)])
        edge_mentor = np.concatenate([a.mentors for a in parts])
        edge_score = np.concatenate([a.scores for a in parts])
        del parts
        chosen = solve_indexed(
            mentees=len(requests),
            capacities=np.asarray([place.free for place in places], dtype=np.int64),
            edge_mentee=edge_mentee,
            edge_mentor=edge_mentor,
            edge_score=edge_score,
        )
        seconds = time.perf_counter() - started
        full_total = math.fsum(edge_score[chosen].tolist())
        # Both totals summed from floats; the solver compares scores in millionths, so allow that per match.
        same = len(chosen) == matched and abs(full_total - total_score) <= 1e-6 * max(1, matched)
        verdict = "same" if same else "DIFFERENT"
        return (
            f"full graph ({len(edge_score):,} pairs, {seconds:.1f} s): {verdict}: {len(chosen):,} matched, "
            f"total {full_total:,.6f} (the round: {total_score:,.6f})"
        )


def _reference_seconds() -> float:
    """A fixed numpy workload, the yardstick for this machine at this moment: sort 4 million seeded integers,
    twice."""
    values = np.random.default_rng(1).integers(0, 2**62, 4_000_000)
    started = time.perf_counter()
    for _ in range(2):
        np.sort(values)
    return time.perf_counter() - started
