"""The demo's bilateral: Richard Hale and Ruth Lewis, agreed, with a first meeting booked; once however often
seed_demo runs."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.bilaterals.demo import seed
from apps.bilaterals.models import Bilateral, BilateralMeeting, BilateralStatus

pytestmark = pytest.mark.django_db


def test_the_demo_bilateral_is_there_once_however_often_it_runs() -> None:
    seed(scale="small", stdout=StringIO())
    seed(scale="small", stdout=StringIO())
    bilateral = Bilateral.objects.get()
    assert bilateral.status == BilateralStatus.AGREED
    assert (bilateral.proposer.email, bilateral.partner.email) == ("mentor@example.org", "demo.ceo@example.org")
    assert bilateral.cadence_months == 2
    assert BilateralMeeting.objects.count() == 1


def test_seed_demo_runs_it_after_the_people_are_made() -> None:
    call_command("seed_demo", stdout=StringIO())
    assert Bilateral.objects.filter(proposer__email="mentor@example.org", status=BilateralStatus.AGREED).count() == 1
