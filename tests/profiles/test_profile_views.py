"""Completing and changing one's own profile; diversity answers that nobody else sees; offering to mentor."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role, RoleGrant, User
from apps.organisations.models import Region, Sector
from apps.profiles.models import CareerRole, DiversityInformation, Profile
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def valid_profile_data(**overrides: object) -> dict[str, object]:
    organisation = OrganisationFactory()
    data = {
        "first_name": "Amara",
        "last_name": "Okafor",
        "profession": "doctor",
        "career_role": CareerRole.CLINICAL_DIRECTOR,
        "job_title": "Clinical Director",
        "organisation": organisation.pk,
        "sector": Sector.objects.get(code="mental_health").pk,
        "region": Region.objects.get(ods_code="Y60").pk,
        "years_in_leadership": "5",
        "clinical_pas": "6",
        "leadership_pas": "4",
        "working_pattern": "full_time",
        "career_aim": "medical_director",
        "career_aim_when": "1_to_2_years",
    }
    data.update(overrides)
    return data


def test_new_person_completes_profile_and_goes_to_dashboard(outsider: User) -> None:
    client = signed_in(outsider)
    assert client.get(reverse("profiles:edit")).status_code == 200

    response = client.post(reverse("profiles:edit"), valid_profile_data())

    assert response.status_code == 302
    assert response.url == reverse("core:dashboard")
    profile = Profile.objects.get(user=outsider)
    assert profile.is_complete
    assert profile.leadership_level is not None and profile.leadership_level.label == "Clinical director"
    outsider.refresh_from_db()
    assert outsider.full_name == "Amara Okafor"


def test_bad_input_keeps_what_was_typed_and_changes_nothing(outsider: User) -> None:
    client = signed_in(outsider)
    data = valid_profile_data(clinical_pas="99", job_title="Clinical Director, Adult Services", career_aim="")

    response = client.post(reverse("profiles:edit"), data)

    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Clinical Director, Adult Services" in body  # nothing typed is lost
    assert "Enter a number of PAs from 0 to 16" in body
    assert not Profile.objects.filter(user=outsider, completed_at__isnull=False).exists()
    assert not Profile.objects.filter(user=outsider, job_title__startswith="Clinical").exists()


def test_organisation_of_unknown_id_is_refused(outsider: User) -> None:
    response = signed_in(outsider).post(reverse("profiles:edit"), valid_profile_data(organisation="999999"))
    assert response.status_code == 400
    assert "Choose your organisation from the list" in response.content.decode()


def test_profile_pages_need_sign_in(client: Client) -> None:
    for name in ("profiles:detail", "profiles:edit", "profiles:diversity"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_profile_page_shows_only_my_own_profile(owner: User, colleague: User) -> None:
    colleague.profile.job_title = "Secret job title of the colleague"
    colleague.profile.save()
    body = signed_in(owner).get(reverse("profiles:detail")).content.decode()
    assert owner.profile.organisation.name in body
    assert "Secret job title of the colleague" not in body


def test_wrong_method_is_refused(owner_client: Client) -> None:
    assert owner_client.delete(reverse("profiles:edit")).status_code == 405
    assert owner_client.get(reverse("profiles:mentor_offer")).status_code == 405


def test_diversity_answers_are_saved_and_can_be_deleted(owner: User) -> None:
    client = signed_in(owner)
    response = client.post(reverse("profiles:diversity"), {"age_band": "45_54", "gender": "woman"})
    assert response.status_code == 302
    assert DiversityInformation.objects.get(user=owner).age_band == "45_54"

    client.post(reverse("profiles:diversity"), {"action": "clear"})
    assert not DiversityInformation.objects.filter(user=owner).exists()


def test_diversity_bad_choice_changes_nothing(owner: User) -> None:
    response = signed_in(owner).post(reverse("profiles:diversity"), {"age_band": "ancient"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not DiversityInformation.objects.filter(user=owner).exists()


def test_diversity_answers_never_reach_another_persons_pages(owner: User, organiser: User) -> None:
    DiversityInformation.objects.create(user=owner, ethnic_group="mixed", gender="non_binary")
    client = signed_in(organiser)
    for name in ("core:dashboard", "core:overview", "profiles:detail"):
        body = client.get(reverse(name)).content.decode()
        assert "Mixed or multiple" not in body
        assert "Non-binary" not in body


def test_md_level_member_may_offer_to_mentor(owner: User) -> None:
    Profile.objects.filter(user=owner).update(career_role=CareerRole.MEDICAL_DIRECTOR)
    response = signed_in(owner).post(reverse("profiles:mentor_offer"))
    assert response.status_code == 302
    assert RoleGrant.objects.filter(user=owner, role=Role.MENTOR, revoked_at__isnull=True).exists()


def test_consultant_cannot_self_grant_mentor(owner: User) -> None:
    response = signed_in(owner).post(reverse("profiles:mentor_offer"), follow=True)
    assert "open to deputy medical directors" in response.content.decode()
    assert not RoleGrant.objects.filter(user=owner).exists()


def test_offering_twice_grants_once(owner: User) -> None:
    Profile.objects.filter(user=owner).update(career_role=CareerRole.MEDICAL_CEO)
    client = signed_in(owner)
    client.post(reverse("profiles:mentor_offer"))
    response = client.post(reverse("profiles:mentor_offer"), follow=True)
    assert "already offer to mentor" in response.content.decode()
    assert RoleGrant.objects.filter(user=owner, role=Role.MENTOR).count() == 1


def test_profile_detail_query_count_is_constant(owner: User, django_assert_num_queries: object) -> None:
    ProfileFactory.create_batch(20)
    client = signed_in(owner)
    client.get(reverse("profiles:detail"))  # the first request of a session records it (usersessions)
    # 1. the session  2. the user  3. the profile with its related rows  4. roles (navigation)
    # 5. unread notifications
    with django_assert_num_queries(5):  # type: ignore[operator]
        assert client.get(reverse("profiles:detail")).status_code == 200
