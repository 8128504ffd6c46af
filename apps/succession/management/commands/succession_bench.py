"""Benchmark: the organisation lead's pipeline and the regional view with 250 organisations, 5,000 posts and 20,000
people standing forward, as a ratio to `/healthz` in the same run.

Seeds its own rows (organisations `SB0000`…, people `succession-bench-<i>@bench.invalid`, from
`random.Random(--seed)`) with `bulk_create`; idempotent: a second run finds them and seeds nothing. It touches no
one else's rows. Then, in-process with Django's test client (server time: no network, no gunicorn), each page is
timed alternately with `/healthz` so that both see the same machine load, its queries counted, and the pipeline's
main query (the organisation's candidacies with their people) EXPLAINed to show the index it uses.
`python manage.py succession_bench [--organisations 250] [--posts 5000] [--people 20000] [--runs 30]`.
"""

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client

from apps.accounts.models import Role, RoleGrant, User
from apps.organisations.models import Organisation, OrganisationKind, Region
from apps.profiles.models import CareerAimWhen, LeadershipLevel

from ...models import Candidacy, Post, Readiness, ShowChoice
from ...selectors import candidacies_for_lead

EMAIL = "succession-bench-{}@bench.invalid"
LEAD_EMAIL = "succession-bench-lead@bench.invalid"
ORGANISER_EMAIL = "succession-bench-organiser@bench.invalid"
ODS = "SB{:04d}"
SEEDED_AT = datetime(2026, 1, 1, tzinfo=UTC)
BATCH = 2000
LEVELS = [LeadershipLevel.MEDICAL_DIRECTOR, LeadershipLevel.DEPUTY_MD, *[LeadershipLevel.ASSOCIATE_MD] * 3]
LEVELS += [LeadershipLevel.CLINICAL_DIRECTOR] * 6 + [LeadershipLevel.CLINICAL_LEAD] * 9


@dataclass(frozen=True)
class Seeded:
    lead: User  # the lead of the first organisation
    organiser: User
    region: Region  # the first organisation's region
    made: int  # organisations made in this run (0: all there already)


def seed_bench(*, organisations: int, posts: int, people: int, seed_value: int = 1) -> Seeded:
    """The benchmark's organisations, posts, people and candidacies, made once with bulk_create."""
    regions = list(Region.objects.order_by("ods_code"))
    if not regions:
        raise CommandError("No regions: run the migrations (they load the NHS England regions).")
    existing = Organisation.objects.filter(ods_code=ODS.format(0)).first()
    made = 0
    if existing is None:
        _seed_rows(random.Random(seed_value), regions, organisations, posts, people)
        made = organisations
    first = Organisation.objects.get(ods_code=ODS.format(0))
    lead = User.objects.get(email=LEAD_EMAIL)
    organiser = User.objects.get(email=ORGANISER_EMAIL)
    assert first.region is not None
    return Seeded(lead=lead, organiser=organiser, region=first.region, made=made)


@transaction.atomic
def _seed_rows(rng: random.Random, regions: list[Region], organisations: int, posts: int, people: int) -> None:
    unusable = make_password(None)  # no one signs in as them: the benchmark's client uses force_login
    orgs = Organisation.objects.bulk_create(
        Organisation(
            ods_code=ODS.format(i),
            name=f"Bench NHS Trust {i}",
            kind=OrganisationKind.NHS_TRUST,
            region=regions[i % len(regions)],
        )
        for i in range(organisations)
    )
    today = SEEDED_AT.date()
    made_posts = Post.objects.bulk_create(
        Post(
            organisation=orgs[i % organisations],
            title=f"{LeadershipLevel(LEVELS[(i // organisations) % len(LEVELS)]).label} {i}",
            level=LEVELS[(i // organisations) % len(LEVELS)],
            holder_name=f"Holder {i}",
            expected_vacancy=today + timedelta(days=rng.randint(30, 1500)) if rng.random() < 0.4 else None,
            created_at=SEEDED_AT,
            updated_at=SEEDED_AT,
        )
        for i in range(posts)
    )
    posts_of: dict[int, list[Post]] = {}
    for post in made_posts:
        posts_of.setdefault(post.organisation_id, []).append(post)
    staff = User.objects.bulk_create(
        [
            User(email=LEAD_EMAIL, password=unusable, first_name="Bench", last_name="Lead"),
            User(email=ORGANISER_EMAIL, password=unusable, first_name="Bench", last_name="Organiser"),
        ]
    )
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(user=staff[0], role=Role.ORGANISATION_LEAD, organisation=orgs[0], granted_at=SEEDED_AT),
            RoleGrant(user=staff[1], role=Role.ORGANISER, granted_at=SEEDED_AT),
        ]
    )
    for offset in range(0, people, BATCH):
        users = User.objects.bulk_create(
            User(email=EMAIL.format(i), password=unusable, first_name="Bench", last_name=str(i))
            for i in range(offset, min(people, offset + BATCH))
        )
        Candidacy.objects.bulk_create(
            _candidacy(rng, user, orgs[i % organisations], posts_of) for i, user in enumerate(users, start=offset)
        )


def _candidacy(
    rng: random.Random, user: User, organisation: Organisation, posts_of: dict[int, list[Post]]
) -> Candidacy:
    post = rng.choice(posts_of[organisation.pk]) if rng.random() < 0.7 and posts_of.get(organisation.pk) else None
    level = post.level if post else rng.choice(LEVELS)
    return Candidacy(
        person=user,
        organisation=organisation,
        post=post,
        level=level,
        timescale=rng.choice(CareerAimWhen.values),
        readiness=rng.choice(Readiness.values),
        emergency_cover=rng.random() < 0.2,
        show=rng.choice(ShowChoice.values),
        created_at=SEEDED_AT,
        reviewed_at=SEEDED_AT,
    )


def _counting(queries: list[str]) -> Callable[..., Any]:
    """An execute wrapper noting each query (the request's own query log is reset at its start)."""

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


class Command(BaseCommand):
    help = "Time the pipeline and regional pages at scale, as a ratio to /healthz in the same run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisations", type=int, default=250)
        parser.add_argument("--posts", type=int, default=5000)
        parser.add_argument("--people", type=int, default=20_000)
        parser.add_argument("--runs", type=int, default=30, help="timed views of each page (default 30)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    def handle(
        self, *args: Any, organisations: int, posts: int, people: int, runs: int, seed: int, **options: Any
    ) -> None:
        if not 1 <= organisations <= 5000 or not organisations <= posts <= 100_000 or not 1 <= people <= 200_000:
            raise CommandError(
                "Give 1 to 5,000 organisations, at least as many posts (to 100,000), 1 to 200,000 people."
            )
        if not 1 <= runs <= 1000:
            raise CommandError("--runs must be between 1 and 1,000.")
        started = time.perf_counter()
        seeded = seed_bench(organisations=organisations, posts=posts, people=people, seed_value=seed)
        self.stdout.write(f"seeded {seeded.made:,} organisations in {time.perf_counter() - started:.1f} s")
        counts = (
            Organisation.objects.filter(ods_code__startswith="SB").count(),
            Post.objects.count(),
            Candidacy.objects.count(),
        )
        self.stdout.write("{:,} bench organisations, {:,} posts, {:,} candidacies in the database".format(*counts))
        lead, organiser = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
        lead.force_login(seeded.lead)
        organiser.force_login(seeded.organiser)
        pages = [
            ("pipeline (one organisation)", lead, "/succession/pipeline/"),
            (
                f"regional ({seeded.region.name})",
                organiser,
                f"/succession/pipeline/regional/?region={seeded.region.pk}",
            ),
        ]
        for _name, client, url in pages:
            self._get(client, url)  # warm: the session, the templates
            self._get(client, "/healthz")
        for name, client, url in pages:
            queries: list[str] = []
            with connection.execute_wrapper(_counting(queries)):
                self._get(client, url)
            times, health = self._timed(client, url, runs)
            ratio = statistics.median(times) / statistics.median(health)
            self.stdout.write(
                f"{name:<40} median {statistics.median(times):7.1f} ms, {len(queries)} queries, "
                f"{ratio:.2f}× /healthz (median {statistics.median(health):.1f} ms)"
            )
        plan = candidacies_for_lead(lead=seeded.lead).select_related("person").explain()
        self.stdout.write("EXPLAIN of the pipeline's candidacies:\n" + plan)

    def _timed(self, client: Client, url: str, runs: int) -> tuple[list[float], list[float]]:
        times, health = [], []
        for _ in range(runs):
            times.append(self._get(client, url))
            health.append(self._get(client, "/healthz"))
        return times, health

    def _get(self, client: Client, url: str) -> float:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}.")
        return elapsed
