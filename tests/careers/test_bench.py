"""`careers_bench` seeds its own people once (a second run adds none) and prints the page's ratio to /healthz."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.careers.models import RoleHistoryEntry, RoutesConsent

pytestmark = pytest.mark.django_db


def test_the_benchmark_seeds_once_and_reports_the_ratio() -> None:
    out = StringIO()
    call_command("careers_bench", people=30, runs=2, stdout=out)
    spells = RoleHistoryEntry.objects.count()
    assert RoutesConsent.objects.filter(counted=True).count() == 30 and spells >= 30
    call_command("careers_bench", people=30, runs=2, stdout=out)
    assert RoleHistoryEntry.objects.count() == spells
    text = out.getvalue()
    assert "seeded 30 new people" in text and "seeded 0 new people" in text
    assert "× /healthz" in text and "5 queries" in text
