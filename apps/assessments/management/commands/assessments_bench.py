"""Benchmark: the results page for a person with 10 completed self-assessments and 40 raters on the latest.

Builds that person (in a transaction it rolls back, so nothing is left behind), renders the page repeatedly with
Django's test client and reports the query count and the render time (median and 95th percentile).
`python manage.py assessments_bench [--runs 30]` on PostgreSQL (DATABASE_URL).
"""

import random
import statistics
import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.feedback import feedback_round_close, feedback_round_open
from apps.assessments.models import (
    Assessment,
    AssessmentStatus,
    RaterCategory,
    RaterComment,
    RaterInvitation,
    RaterRating,
    RaterResponse,
    Rating,
)
from apps.competencies.models import Criterion, Framework


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the self-assessment results page for 10 assessments and 40 raters (nothing is kept)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=30, help="page renders to time (default 30)")

    def handle(self, *args: Any, runs: int, **options: Any) -> None:
        if not 1 <= runs <= 1000:
            raise CommandError("--runs must be between 1 and 1,000.")
        framework = Framework.objects.filter(slug="md-person-spec").order_by("-loaded_at").first()
        if framework is None:
            raise CommandError("Load the frameworks first: manage.py load_framework --shipped")
        try:
            with transaction.atomic():
                self._run(framework, runs)
                raise _Rollback
        except _Rollback:
            pass

    def _run(self, framework: Framework, runs: int) -> None:
        rng = random.Random(7)
        user = User.objects.create_user(email="bench.person@example.invalid", password=None)
        criteria = list(Criterion.objects.filter(framework=framework))
        now = timezone.now()
        latest = None
        for i in range(10):
            started = now - timedelta(days=30 * (10 - i))
            latest = Assessment.objects.create(
                owner=user,
                framework=framework,
                target_level=5,
                started_at=started,
                status=AssessmentStatus.SUBMITTED,
                submitted_at=started,
            )
            Rating.objects.bulk_create(
                Rating(assessment=latest, criterion=c, value=rng.randint(1, 4)) for c in criteria
            )
        assert latest is not None
        feedback_round = feedback_round_open(
            assessment=latest, closes_on=timezone.localdate() + timedelta(days=20), message="", now=now
        )
        categories = list(RaterCategory.values)
        for i in range(40):
            category = categories[i % len(categories)]
            RaterInvitation.objects.create(
                round=feedback_round,
                email=f"r{i}@example.invalid",
                category=category,
                invited_at=now,
                answered=True,
            )
            response = RaterResponse.objects.create(round=feedback_round, category=category)
            RaterRating.objects.bulk_create(
                RaterRating(response=response, criterion=c, value=rng.choice([1, 2, 3, 4, None])) for c in criteria
            )
            RaterComment.objects.create(response=response, criterion=rng.choice(criteria), text=f"Comment {i}")
        # Scores show only once feedback has closed: close it, as the person would.
        feedback_round_close(feedback_round=feedback_round, now=now)
        # "localhost", not the test client's "testserver": outside the test runner only ALLOWED_HOSTS are served.
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        url = reverse("assessments:results", args=[latest.pk])
        client.get(url)
        timings = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started_at = time.perf_counter()
                page = client.get(url)
                timings.append((time.perf_counter() - started_at) * 1000)
            if page.status_code != 200:
                raise CommandError(f"The results page answered {page.status_code}.")
        timings.sort()
        self.stdout.write(f"results page, 10 assessments, 40 raters, {len(criteria)} criteria, {runs} renders")
        self.stdout.write(f"queries per render:   {len(queries)}")
        self.stdout.write(f"median render:        {statistics.median(timings):.1f} ms")
        self.stdout.write(f"95th percentile:      {timings[int(len(timings) * 0.95) - 1]:.1f} ms")
