"""The demo plan: built once from the demo aspiring leader's suggestions, so that `make run` and the page
benchmarks reach a plan page with goals, an activity and suggestions."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.assessments import demo as assessments_demo
from apps.development import demo
from apps.development.models import Activity, Goal, Plan
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def test_the_demo_plan_is_made_once_from_the_suggestions() -> None:
    call_command("load_framework", "--shipped", verbosity=0)
    call_command("load_opportunities", stdout=StringIO())
    demo.seed(scale="small", stdout=StringIO())  # no demo person yet: nothing to do
    assert not Plan.objects.exists()
    owner = ProfileFactory(user__email=demo.OWNER).user
    demo.seed(scale="small", stdout=StringIO())  # no completed self-assessment yet: nothing to build on
    assert not Plan.objects.exists()
    assessments_demo.seed(scale="small", stdout=StringIO())
    demo.seed(scale="small", stdout=StringIO())
    demo.seed(scale="small", stdout=StringIO())  # twice: still one plan
    plan = Plan.objects.get(owner=owner)
    goals = list(Goal.objects.filter(plan=plan).prefetch_related("criteria"))
    assert len(goals) == 2 and all(g.criteria.exists() for g in goals)
    assert Activity.objects.filter(plan=plan, opportunity__isnull=False).count() == 1
