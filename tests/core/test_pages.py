"""The dashboard, the organiser's community overview, static pages, error pages and /healthz."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role, User
from apps.common.reporting import ReportRow, suppress_small_counts
from apps.organisations.models import Region
from apps.profiles.models import CareerRole, Profile
from tests.conftest import signed_in
from tests.factories import ProfileFactory, grant

pytestmark = pytest.mark.django_db


def test_home_is_public_and_signed_in_people_go_to_dashboard(client: Client, owner: User) -> None:
    assert "Create an account" in client.get(reverse("core:home")).content.decode()
    assert signed_in(owner).get(reverse("core:home")).url == reverse("core:dashboard")


def test_dashboard_asks_a_new_person_to_complete_their_profile(outsider: User) -> None:
    body = signed_in(outsider).get(reverse("core:dashboard")).content.decode()
    assert "Complete your profile" in body
    assert "Offer to mentor" not in body
    assert "Community overview" not in body


def test_dashboard_offers_mentoring_to_a_medical_director(owner: User) -> None:
    Profile.objects.filter(user=owner).update(career_role=CareerRole.MEDICAL_DIRECTOR)
    body = signed_in(owner).get(reverse("core:dashboard")).content.decode()
    assert "Keep your profile up to date" in body
    assert "Offer to mentor" in body


def test_dashboard_shows_organiser_links_only_to_organisers(organiser: User, owner: User) -> None:
    assert reverse("core:overview") in signed_in(organiser).get(reverse("core:dashboard")).content.decode()
    assert reverse("core:overview") not in signed_in(owner).get(reverse("core:dashboard")).content.decode()


def test_overview_is_refused_to_members(owner: User, client: Client) -> None:
    assert signed_in(owner).get(reverse("core:overview")).status_code == 403
    assert client.get(reverse("core:overview")).status_code == 302  # to sign in


def test_overview_suppresses_small_counts(organiser: User) -> None:
    london = Region.objects.get(ods_code="Y56")
    midlands = Region.objects.get(ods_code="Y60")
    ProfileFactory.create_batch(7, region=london)
    ProfileFactory.create_batch(2, region=midlands)  # too few to show
    body = signed_in(organiser).get(reverse("core:overview")).content.decode()
    assert "Midlands" in body
    midlands_row = body.split("Midlands", 1)[1].split("</tr>", 1)[0]
    assert "not shown" in midlands_row
    assert ">2<" not in midlands_row


def test_overview_query_count_is_constant(organiser: User, django_assert_num_queries: object) -> None:
    ProfileFactory.create_batch(30)
    client = signed_in(organiser)
    # The first request of a session records it (usersessions) and, with nothing stored yet, counts the profiles.
    client.get(reverse("core:overview"))
    ProfileFactory.create_batch(30)  # not counted again on a view (profiles.community_counts)
    # 1. the session  2. the user  3. roles  4. the stored counts (one row, without the people's hashes)
    # 5. unread notifications
    with django_assert_num_queries(5):  # type: ignore[operator]
        assert client.get(reverse("core:overview")).status_code == 200


def test_overview_rejects_wrong_method(organiser: User) -> None:
    assert signed_in(organiser).post(reverse("core:overview")).status_code == 405


def test_administrator_sees_the_overview(administrator: User) -> None:
    assert signed_in(administrator).get(reverse("core:overview")).status_code == 200


def test_facilitator_is_not_an_organiser(owner: User) -> None:
    grant(owner, Role.FACILITATOR)
    assert signed_in(owner).get(reverse("core:overview")).status_code == 403


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([("a", 10), ("b", 7)], [10, 7]),
        ([("a", 10), ("b", 3)], [None, None]),  # one small cell hides the next smallest too
        ([("a", 10), ("b", 6), ("c", 2)], [10, None, None]),
        ([("a", 10), ("b", 3), ("c", 2)], [10, None, None]),
        ([("a", 4)], [None]),
        ([], []),
    ],
)
def test_small_count_suppression(rows: list[tuple[str, int]], expected: list[int | None]) -> None:
    assert [r.count for r in suppress_small_counts(rows, minimum=5)] == expected
    assert all(isinstance(r, ReportRow) for r in suppress_small_counts(rows, minimum=5))


def test_static_pages_render(client: Client) -> None:
    assert client.get(reverse("core:accessibility")).status_code == 200
    assert client.get(reverse("core:privacy")).status_code == 200


def test_unknown_page_is_a_friendly_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_healthz_reports_database_and_broker(client: Client) -> None:
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_reports_an_unreachable_broker(client: Client, settings: object) -> None:
    from config.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get(reverse("core:healthz"))
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    assert response.json()["broker"].startswith("broker unreachable")
