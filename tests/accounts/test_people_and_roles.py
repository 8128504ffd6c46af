"""Administrators grant and revoke roles; nobody else can."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role, RoleGrant, User
from tests.conftest import signed_in
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def roles_url(user: User) -> str:
    return reverse("accounts:roles", args=[user.pk])


def test_administrator_grants_and_revokes_a_role(administrator: User, owner: User) -> None:
    client = signed_in(administrator)
    client.post(roles_url(owner), {"role": Role.ORGANISER, "action": "grant"})
    grant = RoleGrant.objects.get(user=owner, role=Role.ORGANISER)
    assert grant.granted_by == administrator and grant.revoked_at is None

    client.post(roles_url(owner), {"role": Role.ORGANISER, "action": "revoke"})
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == administrator
    assert signed_in(owner).get(reverse("core:overview")).status_code == 403


def test_granting_twice_says_so_and_keeps_one_grant(administrator: User, owner: User) -> None:
    client = signed_in(administrator)
    client.post(roles_url(owner), {"role": Role.FACILITATOR, "action": "grant"})
    response = client.post(roles_url(owner), {"role": Role.FACILITATOR, "action": "grant"}, follow=True)
    assert "already holds the role" in response.content.decode()
    assert RoleGrant.objects.filter(user=owner, role=Role.FACILITATOR).count() == 1


def test_unknown_role_is_refused(administrator: User, owner: User) -> None:
    response = signed_in(administrator).post(roles_url(owner), {"role": "emperor", "action": "grant"}, follow=True)
    assert "Choose a role" in response.content.decode()
    assert not RoleGrant.objects.filter(user=owner).exists()


def test_administrator_cannot_remove_their_own_administrator_role(administrator: User) -> None:
    response = signed_in(administrator).post(
        roles_url(administrator), {"role": Role.ADMINISTRATOR, "action": "revoke"}, follow=True
    )
    assert "cannot remove your own administrator role" in response.content.decode()
    assert RoleGrant.objects.filter(user=administrator, revoked_at__isnull=True).exists()


def test_members_and_organisers_cannot_change_roles(owner: User, organiser: User, colleague: User) -> None:
    for user in (owner, organiser):
        response = signed_in(user).post(roles_url(colleague), {"role": Role.ADMINISTRATOR, "action": "grant"})
        assert response.status_code == 403
        assert signed_in(user).get(reverse("accounts:people")).status_code == 403
    assert not RoleGrant.objects.filter(user=colleague).exists()


def test_unknown_person_is_404(administrator: User) -> None:
    response = signed_in(administrator).post(reverse("accounts:roles", args=[999999]), {"role": "mentor"})
    assert response.status_code == 404


def test_wrong_method_on_roles(administrator: User, owner: User) -> None:
    assert signed_in(administrator).get(roles_url(owner)).status_code == 405


def test_people_search_and_query_count(administrator: User, django_assert_num_queries: object) -> None:
    UserFactory.create_batch(30)
    ProfileFactory(user__email="findme@example.org")
    client = signed_in(administrator)
    client.get(reverse("accounts:people"))  # the first request of a session records it (usersessions)
    # 1. the session  2. the user  3. their roles (navigation)  4. the count of people found
    # 5. unread notifications  6. the page of people  7. their live role grants
    with django_assert_num_queries(7):  # type: ignore[operator]
        response = client.get(reverse("accounts:people"), {"q": "findme"})
    body = response.content.decode()
    assert "findme@example.org" in body
    assert "person1@example.org" not in body


def test_people_page_needs_sign_in(client: Client) -> None:
    assert client.get(reverse("accounts:people")).status_code == 302
