"""Demo data for the career explorer: the shipped role profiles (as `load_role_profiles` loads them), so `make run`
shows the explorer without a separate step; the demo member's role history. Idempotent."""

from datetime import date
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User

from .models import RoleHistoryEntry, Step
from .selectors import shipped_roles
from .services.profiles import role_profiles_load

DEMO_MEMBER = "aspiring@example.org"
HISTORY = [
    ("Consultant psychiatrist", Step.CLINICAL, None, date(2012, 9, 1), date(2017, 4, 1)),
    ("Clinical lead, community mental health", Step.CLINICAL_LEAD, 1, date(2017, 4, 1), date(2021, 4, 1)),
    ("Clinical director, adult services", Step.CLINICAL_DIRECTOR, 2, date(2021, 4, 1), None),
]


@transaction.atomic
def seed(*, scale: str, stdout: TextIO) -> None:
    now = timezone.now()
    result = role_profiles_load(specs=shipped_roles(), update=False, now=now)
    stdout.write(f"  role profiles: {result.created} created")
    member = User.objects.filter(email=DEMO_MEMBER).first()
    if member is None or RoleHistoryEntry.objects.filter(owner=member).exists():
        return
    RoleHistoryEntry.objects.bulk_create(
        RoleHistoryEntry(
            owner=member, title=title, step=step, level=level, started_on=start, ended_on=end, created_at=now
        )
        for title, step, level, start, end in HISTORY
    )
