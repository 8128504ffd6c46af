"""The opportunity catalogue, browsed and searched where a person adds an activity: by words, the criterion it
develops, its kind and its cost; one click adds it to the plan, once."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.accounts.models import User
from apps.competencies.models import Framework
from apps.development.models import Activity, Plan
from apps.development.selectors_catalogue import catalogue_search
from tests.assessments.conftest import person_spec  # noqa: F401 (fixture)
from tests.conftest import signed_in
from tests.factories import year_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(owner: User, person_spec: Framework) -> Plan:  # noqa: F811
    call_command("load_framework", "--shipped", verbosity=0)
    call_command("load_opportunities", verbosity=0)
    return year_plan(owner)


def test_filters_narrow_the_catalogue_and_each_match_meets_them(plan: Plan) -> None:
    everything = list(catalogue_search())
    assert len(everything) > 20
    free = list(catalogue_search(cost="free"))
    assert 0 < len(free) < len(everything)
    assert all(o.typical_cost.lower().startswith(("free", "usually free", "usually funded")) for o in free)
    courses = list(catalogue_search(kind="course"))
    assert courses and all(o.kind == "course" for o in courses)
    board = list(catalogue_search(q="board"))
    assert board and all("board" in (o.title + o.description + str(o.providers)).lower() for o in board)
    ski8 = list(catalogue_search(criterion="SKI-8"))
    assert ski8 and all(o.develops.filter(criterion_code="SKI-8").exists() for o in ski8)


def test_the_activity_page_lists_matches_and_adds_one_once(owner: User, plan: Plan) -> None:
    client = signed_in(owner)
    url = reverse("development:activity_new", args=[plan.pk])
    page = client.get(url, {"q": "shadow", "kind": "on_the_job"}).content.decode()
    first = catalogue_search(q="shadow", kind="on_the_job").first()
    assert first is not None and first.title in page
    client.post(reverse("development:suggestion_take", args=[plan.pk, first.code]))
    assert Activity.objects.filter(plan=plan, opportunity=first).count() == 1
    page = client.get(url, {"q": "shadow", "kind": "on_the_job"}).content.decode()
    assert "In your plan" in page


def test_a_search_updates_in_place_and_bad_filters_change_nothing(owner: User, plan: Plan) -> None:
    client = signed_in(owner)
    url = reverse("development:activity_new", args=[plan.pk])
    partial = client.get(url, {"q": "finance"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    for bad in ({"kind": "nonsense"}, {"criterion": "ZZZ-9"}, {"q": "x" * 500}, {"cost": "cheap"}):
        response = client.get(url, bad)
        assert response.status_code == 200  # the full catalogue, never a 500
    assert not Activity.objects.exists()


def test_someone_elses_plan_shows_no_catalogue(colleague: User, plan: Plan) -> None:
    assert signed_in(colleague).get(reverse("development:activity_new", args=[plan.pk])).status_code == 404


def test_the_page_makes_the_same_queries_however_big_the_catalogue(
    owner: User, plan: Plan, django_assert_num_queries: object
) -> None:
    client = signed_in(owner)
    url = reverse("development:activity_new", args=[plan.pk])
    client.get(url)
    # 1. the session  2. the user  3. the plan  4. the latest self-assessment  5. its criteria (the filter's
    # choices)  6. the plan's activities (already taken)  7. the matches  8. roles  9. unread reminders
    # 10. the plan's goals (the form's choices)
    with django_assert_num_queries(10):  # type: ignore[operator]
        client.get(url)


def test_time_bands_come_from_the_catalogue_and_filter(plan: Plan) -> None:
    from apps.development.models import Opportunity

    assert not Opportunity.objects.filter(time_band="").exists()
    for band in ("days", "months", "year"):
        found = list(catalogue_search(time=band))
        assert found and all(o.time_band == band for o in found)


def test_a_catalogue_with_an_unknown_time_band_is_refused_whole(plan: Plan) -> None:
    from apps.development.catalogue import CatalogueError, read_catalogue

    text = """format: stepping-up-opportunities/1
opportunities:
  - code: x
    title: X
    description: X
    kind: course
    typical_time: Ages
    time_band: forever
    typical_cost: Free
    source: test
    develops: {}
"""
    with pytest.raises(CatalogueError, match="time_band: one of days, months, year"):
        read_catalogue(text)
