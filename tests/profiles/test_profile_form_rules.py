"""The profile form's rules: sector and region come from the chosen organisation when it can give them, every
required field has its own message naming it, bad input keeps what was typed and changes nothing, and the next
career aim offers the rungs below deputy MD, which set the role a self-assessment or plan aims for."""

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.organisations.models import Region, Sector
from apps.profiles.models import CareerAim, CareerRole, LeadershipLevel, Profile
from apps.profiles.selectors import target_level_for
from tests.conftest import signed_in
from tests.factories import OrganisationFactory

from .test_profile_views import valid_profile_data

pytestmark = pytest.mark.django_db


def error_summary(body: str) -> str:
    start = body.index('class="nhsuk-error-summary"')
    return body[start : body.index("</ul>", start)]


def test_sector_and_region_left_blank_are_taken_from_the_organisation(outsider: User) -> None:
    organisation = OrganisationFactory(sectors=["acute"], region=Region.objects.get(ods_code="Y62"))
    data = valid_profile_data(organisation=organisation.pk, sector="", region="")

    response = signed_in(outsider).post(reverse("profiles:edit"), data)

    assert response.status_code == 302
    profile = Profile.objects.get(user=outsider)
    assert profile.sector == Sector.objects.get(code="acute") and profile.region.name == "North West"
    assert profile.is_complete


def test_a_sector_or_region_chosen_by_the_person_is_kept(outsider: User) -> None:
    organisation = OrganisationFactory(sectors=["acute"], region=Region.objects.get(ods_code="Y62"))
    community = Sector.objects.get(code="community")
    data = valid_profile_data(organisation=organisation.pk, sector=community.pk)

    signed_in(outsider).post(reverse("profiles:edit"), data)

    profile = Profile.objects.get(user=outsider)
    assert profile.sector == community and profile.region.name == "Midlands"  # as chosen, not the organisation's


def test_the_form_says_where_sector_and_region_come_from(outsider: User) -> None:
    body = signed_in(outsider).get(reverse("profiles:edit")).content.decode()
    assert "Leave this blank to use your organisation's sector, if it works in only one." in body
    assert "Leave this blank to use your organisation's NHS region." in body
    assert "Your organisation&#x27;s sector</option>" in body


def test_an_organisation_in_several_sectors_asks_for_one_and_keeps_what_was_typed(outsider: User) -> None:
    organisation = OrganisationFactory(name="Two Sectors NHS Trust", sectors=["mental_health", "community"])
    data = valid_profile_data(organisation=organisation.pk, sector="", job_title="Clinical Director, Older Adults")

    response = signed_in(outsider).post(reverse("profiles:edit"), data)

    assert response.status_code == 400
    body = response.content.decode()
    assert '<a href="#id_sector">Choose your sector: Two Sectors NHS Trust works in more than one</a>' in body
    assert 'value="Clinical Director, Older Adults"' in body  # nothing typed is lost
    assert not Profile.objects.filter(user=outsider, completed_at__isnull=False).exists()
    assert not Profile.objects.filter(user=outsider, job_title__startswith="Clinical").exists()


def test_an_organisation_without_a_region_asks_for_one(outsider: User) -> None:
    organisation = OrganisationFactory(name="Regionless Ltd", region=None)
    response = signed_in(outsider).post(
        reverse("profiles:edit"), valid_profile_data(organisation=organisation.pk, region="")
    )
    assert response.status_code == 400
    assert "Choose your NHS region: we do not know the region of Regionless Ltd" in response.content.decode()
    assert not Profile.objects.filter(user=outsider, region__isnull=False).exists()


def test_every_missing_required_field_is_named_in_the_error_summary(outsider: User) -> None:
    response = signed_in(outsider).post(reverse("profiles:edit"), {"first_name": "Amara"})

    assert response.status_code == 400
    summary = error_summary(response.content.decode())
    assert "This field is required" not in summary
    for target, message in [
        ("id_last_name", "Enter your last name"),
        ("id_profession_0", "Choose your profession"),
        ("id_career_role", "Choose your current role"),
        ("id_organisation", "Choose your organisation"),
        ("id_career_aim", "Choose your next career aim"),
    ]:
        assert f'<a href="#{target}">{message}</a>' in summary
    assert 'value="Amara"' in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"clinical_pas": "lots"}, "Enter a number of PAs from 0 to 16, for example 2.5"),
        ({"leadership_pas": "2.55"}, "Enter a number of PAs from 0 to 16, for example 2.5"),
        ({"years_in_leadership": "-1"}, "Enter a whole number of years from 0 to 50, for example 5"),
        ({"years_in_leadership": "51"}, "Enter a whole number of years from 0 to 50, for example 5"),
        ({"career_aim": "astronaut"}, "Choose your next career aim from the list"),
        ({"sector": "999999"}, "Choose your sector from the list"),
        ({"first_name": "A" * 101}, "Enter a first name of 100 characters or fewer"),
    ],
)
def test_bad_input_is_named_and_changes_nothing(outsider: User, changes: dict[str, str], message: str) -> None:
    response = signed_in(outsider).post(reverse("profiles:edit"), valid_profile_data(**changes))
    assert response.status_code == 400
    assert message in error_summary(response.content.decode())
    assert not Profile.objects.filter(user=outsider, completed_at__isnull=False).exists()


def test_the_career_aims_include_the_rungs_below_deputy_md(outsider: User) -> None:
    body = signed_in(outsider).get(reverse("profiles:edit")).content.decode()
    for label in ("Medical or clinical lead", "Clinical director", "Associate or divisional medical director"):
        assert f">{label}</option>" in body
    response = signed_in(outsider).post(reverse("profiles:edit"), valid_profile_data(career_aim="associate_md"))
    assert response.status_code == 302
    assert Profile.objects.get(user=outsider).career_aim == CareerAim.ASSOCIATE_MD


@pytest.mark.parametrize(
    ("role", "aim", "level"),
    [
        (CareerRole.CONSULTANT_GP, CareerAim.MEDICAL_DIRECTOR, LeadershipLevel.MEDICAL_DIRECTOR),
        (CareerRole.CONSULTANT_GP, CareerAim.CLINICAL_LEAD, LeadershipLevel.CLINICAL_LEAD),
        (CareerRole.CLINICAL_LEAD, CareerAim.CLINICAL_DIRECTOR, LeadershipLevel.CLINICAL_DIRECTOR),
        (CareerRole.CLINICAL_DIRECTOR, CareerAim.ASSOCIATE_MD, LeadershipLevel.ASSOCIATE_MD),
        (CareerRole.ASSOCIATE_MD, CareerAim.DEPUTY_MD, LeadershipLevel.DEPUTY_MD),
        (CareerRole.DEPUTY_MD, CareerAim.CHIEF_EXECUTIVE, LeadershipLevel.MEDICAL_DIRECTOR),
        # Aims off the ladder: the rung above the current role, and the top rung for anyone already on it.
        (CareerRole.CONSULTANT_GP, CareerAim.UNDECIDED, LeadershipLevel.CLINICAL_LEAD),
        (CareerRole.CLINICAL_DIRECTOR, CareerAim.SYSTEM_ROLE, LeadershipLevel.ASSOCIATE_MD),
        (CareerRole.MEDICAL_DIRECTOR, CareerAim.RETIREMENT, LeadershipLevel.MEDICAL_DIRECTOR),
        (CareerRole.TRAINEE, "", LeadershipLevel.CLINICAL_LEAD),
    ],
)
def test_the_role_aimed_for_follows_the_career_aim(owner: User, role: str, aim: str, level: LeadershipLevel) -> None:
    Profile.objects.filter(user=owner).update(career_role=role, career_aim=aim)
    assert target_level_for(user=owner) == level


def test_someone_without_a_profile_aims_for_the_first_rung(outsider: User) -> None:
    assert target_level_for(user=outsider) == LeadershipLevel.CLINICAL_LEAD
