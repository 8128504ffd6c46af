"""An administrator grants "Organisation lead" for one organisation, named by its ODS code; every way of getting the
code wrong is a clear message and nothing changed; the people page says which organisation a lead leads."""

from datetime import date

import pytest
from django.urls import reverse

from apps.accounts.models import Role, RoleGrant, User
from apps.accounts.selectors import led_organisation_id
from apps.organisations.models import Organisation
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust(db: None) -> Organisation:
    return OrganisationFactory(ods_code="RXT", name="Birmingham and Solihull Mental Health NHS Foundation Trust")


def roles_url(user: User) -> str:
    return reverse("accounts:roles", args=[user.pk])


def lead_grant(client: object, person: User, code: str) -> str:
    data = {"role": Role.ORGANISATION_LEAD, "action": "grant", "ods_code": code}
    return client.post(roles_url(person), data, follow=True).content.decode()  # type: ignore[attr-defined]


def test_administrator_grants_organisation_lead_for_an_organisation_by_its_ods_code(
    administrator: User, owner: User, trust: Organisation
) -> None:
    page = lead_grant(signed_in(administrator), owner, " rxt ")  # spaces and lower case are forgiven
    grant = RoleGrant.objects.get(user=owner, role=Role.ORGANISATION_LEAD)
    assert grant.organisation == trust and grant.granted_by == administrator and grant.revoked_at is None
    assert led_organisation_id(user=User.objects.get(pk=owner.pk)) == trust.pk
    assert f"is now organisation lead for {trust.name}" in page
    # The page the administrator is taken back to shows whom the grant is for.
    assert f"for {trust.name} (RXT)" in page


def test_revoking_organisation_lead_works_as_for_any_role(
    administrator: User, owner: User, trust: Organisation
) -> None:
    client = signed_in(administrator)
    lead_grant(client, owner, "RXT")
    page = client.post(
        roles_url(owner), {"role": Role.ORGANISATION_LEAD, "action": "revoke", "ods_code": ""}, follow=True
    ).content.decode()
    assert "is no longer organisation lead" in page
    assert not RoleGrant.objects.filter(user=owner, role=Role.ORGANISATION_LEAD, revoked_at__isnull=True).exists()
    assert f"for {trust.name} (RXT)" not in page


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"role": Role.ORGANISATION_LEAD, "ods_code": "ZZZ99"}, "No organisation has the ODS code ZZZ99"),
        ({"role": Role.ORGANISATION_LEAD, "ods_code": ""}, "Enter the ODS code of the organisation they are to lead"),
        ({"role": Role.ORGANISATION_LEAD, "ods_code": "   "}, "Enter the ODS code of the organisation"),
        ({"role": Role.MENTOR, "ods_code": "RXT"}, "Only an organisation lead is granted for an organisation"),
        ({"role": Role.ORGANISATION_LEAD, "ods_code": "X" * 11}, "An ODS code is at most 10 characters"),
    ],
)
def test_a_wrong_ods_code_is_a_clear_message_and_nothing_changes(
    administrator: User, owner: User, trust: Organisation, data: dict[str, str], says: str
) -> None:
    response = signed_in(administrator).post(roles_url(owner), {**data, "action": "grant"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and says in page
    assert not RoleGrant.objects.filter(user=owner).exists()


def test_a_closed_organisation_cannot_be_led(administrator: User, owner: User) -> None:
    OrganisationFactory(ods_code="RQ3", name="Closed Community Trust", closed_on=date(2024, 3, 31))
    page = lead_grant(signed_in(administrator), owner, "RQ3")
    assert "Closed Community Trust has closed; choose an open organisation." in page
    assert not RoleGrant.objects.filter(user=owner).exists()


def test_one_lead_grant_at_a_time(administrator: User, owner: User, trust: Organisation) -> None:
    """A person leads one organisation: a second grant, even for another organisation, is refused until the first
    is revoked."""
    OrganisationFactory(ods_code="RV5", name="South London and Maudsley")
    client = signed_in(administrator)
    lead_grant(client, owner, "RXT")
    page = lead_grant(client, owner, "RV5")
    assert "already holds the role organisation lead" in page
    assert list(RoleGrant.objects.filter(user=owner).values_list("organisation__ods_code", flat=True)) == ["RXT"]


def test_an_ods_code_sent_with_a_revoke_is_ignored(administrator: User, owner: User, trust: Organisation) -> None:
    client = signed_in(administrator)
    client.post(roles_url(owner), {"role": Role.MENTOR, "action": "grant"})
    page = client.post(
        roles_url(owner), {"role": Role.MENTOR, "action": "revoke", "ods_code": "RXT"}, follow=True
    ).content.decode()
    assert "is no longer mentor or coach" in page


def test_nobody_but_an_administrator_grants_it(organiser: User, owner: User, trust: Organisation) -> None:
    for user in (owner, organiser):
        data = {"role": Role.ORGANISATION_LEAD, "action": "grant", "ods_code": "RXT"}
        assert signed_in(user).post(roles_url(owner), data).status_code == 403
    assert not RoleGrant.objects.filter(user=owner, role=Role.ORGANISATION_LEAD).exists()


def test_people_page_query_count_is_the_same_with_leads_shown(
    administrator: User, trust: Organisation, django_assert_num_queries: object
) -> None:
    for n in range(5):
        person = ProfileFactory(user__email=f"lead{n}@example.org").user
        RoleGrant.objects.create(
            user=person,
            role=Role.ORGANISATION_LEAD,
            organisation=OrganisationFactory() if n else trust,
            granted_at=administrator.date_joined,
        )
    UserFactory.create_batch(5)
    client = signed_in(administrator)
    client.get(reverse("accounts:people"))  # the first request of a session records it (usersessions)
    # 1. the session  2. the user  3. their roles (navigation)  4. the count of people found
    # 5. unread notifications  6. the page of people  7. their live role grants, with each lead's organisation
    with django_assert_num_queries(7):  # type: ignore[operator]
        page = client.get(reverse("accounts:people")).content.decode()
    assert f"for {trust.name} (RXT)" in page
    assert page.count("ODS code, for an organisation lead") == 11  # one input a person


def test_someone_without_a_name_cannot_lead_an_organisation(administrator: User, trust: Organisation) -> None:
    """People standing forward see their leads by name; a lead without one would be shown by address."""
    nameless = UserFactory(first_name="", last_name="")
    page = lead_grant(signed_in(administrator), nameless, "RXT")
    assert "They need their name on their profile before they can lead an organisation." in page
    assert not RoleGrant.objects.filter(user=nameless).exists()
