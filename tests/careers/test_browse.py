"""Comparing roles, the directorate models, and the query counts of the explorer's reference pages."""

import pytest
from django.test import Client

from apps.accounts.models import User
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_two_or_three_roles_side_by_side_in_a_table_with_headers(roles: None, owner: User) -> None:
    page = signed_in(owner).get("/careers/compare/?roles=clinical-director,medical-director,cqc-adviser")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<th scope="col"') == 3 and html.count('<th scope="row"') == 6
    assert html.index("Clinical director</a></th>") < html.index("Medical director</a></th>")
    # The form's boxes send ?roles=a&roles=b: the same table.
    again = signed_in(owner).get("/careers/compare/", {"roles": ["clinical-director", "medical-director"]})
    assert again.content.decode().count('<th scope="col"') == 2


@pytest.mark.parametrize(
    "query",
    ["?roles=medical-director", "?roles=a,b", "?roles=clinical-lead,clinical-director,medical-director,cqc-adviser"],
)
def test_one_unknown_or_four_roles_are_refused_by_name(roles: None, owner: User, query: str) -> None:
    response = signed_in(owner).get(f"/careers/compare/{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "<table" not in html


def test_the_compare_page_without_a_choice_is_just_the_form(roles: None, owner: User) -> None:
    response = signed_in(owner).get("/careers/compare/")
    assert response.status_code == 200 and "There is a problem" not in response.content.decode()


def test_the_directorate_models_quote_the_source_and_map_titles_to_levels(roles: None, owner: User) -> None:
    html = signed_in(owner).get("/careers/directorates/").content.decode()
    assert html.count("<table") == 3
    assert "different titles can in reality look like similar jobs" in html
    assert 'href="/careers/roles/deputy-medical-director/">Deputy chief medical officers' in html
    assert "Not on the ladder" in html  # the chief pharmacist
    assert "NHS Confederation" in html


@pytest.mark.parametrize(
    "url",
    [
        "/careers/",
        "/careers/roles/medical-director/",
        "/careers/roles/medical-director/versions/",
        "/careers/compare/?roles=medical-director,clinical-director,clinical-lead",
        "/careers/directorates/",
    ],
)
def test_reference_pages_take_five_queries(
    roles: None, owner: User, url: str, django_assert_num_queries: object
) -> None:
    client = signed_in(owner)
    # session, user, the page's one read (the current profiles, or one profile's versions), the person's roles
    # (header navigation), the unread count (header). The directorate models are a file read once per process.
    with django_assert_num_queries(5):  # type: ignore[operator]
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url", ["/careers/", "/careers/compare/", "/careers/directorates/", "/careers/routes/", "/careers/my-history/"]
)
def test_anonymous_people_are_sent_to_sign_in(url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302 and "/account/login/" in response["Location"]
