"""Members apply to programmes while the window is open, with their weekly availability as an accessible grid of
checkboxes; they change or withdraw their application until it closes; anything else is refused and saves nothing."""

import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.learning_sets.models import Application, ApplicationStatus, ProgrammeStatus
from apps.learning_sets.services import LearningSetError
from apps.learning_sets.services.applications import ApplicationDetails, application_save
from apps.learning_sets.slots import ALL_SLOTS
from apps.organisations.models import Sector
from apps.profiles.models import CareerRole, Profile
from tests.conftest import signed_in
from tests.factories import OrganisationFactory

from .test_programmes import AFTER, CLOSES, DURING, OPENS, applicant, make_programme, on


def answers(user: User, **changes: object) -> dict[str, object]:
    profile = Profile.objects.get(user=user)
    return {
        "organisation": str(profile.organisation_id),
        "sector": str(Sector.objects.get(code="acute").pk),
        "career_stage": "clinical_director",
        "profession": "doctor",
        "slots_tue": ["tue-14:00", "tue-08:00"],
        "slots_thu": ["thu-18:00"],
        "hopes": "Practice at board-level conversations.",
        **changes,
    }


# Finding a programme


def test_members_see_the_programmes_taking_applications_today(owner: User, organiser: User) -> None:
    make_programme(organiser, name="Open now")
    make_programme(organiser, name="Still being set up", status=ProgrammeStatus.DRAFT)
    make_programme(organiser, name="Opens later", applications_open_on=DURING + timedelta(days=1))
    make_programme(
        organiser,
        name="Closed yesterday",
        applications_open_on=OPENS - timedelta(days=30),
        applications_close_on=DURING - timedelta(days=1),
    )
    with on(DURING):
        page = signed_in(owner).get(reverse("learning_sets:programmes")).content.decode()
    assert "Open now" in page
    assert "Still being set up" not in page and "Opens later" not in page and "Closed yesterday" not in page


def test_a_programme_being_set_up_is_not_found_by_members(owner: User, organiser: User) -> None:
    programme = make_programme(organiser, status=ProgrammeStatus.DRAFT)
    with on(DURING):
        assert signed_in(owner).get(reverse("learning_sets:apply", args=[programme.pk])).status_code == 404


# The form


def test_the_form_starts_from_the_profile(owner: User, organiser: User) -> None:
    profile = Profile.objects.get(user=owner)
    profile.career_role = CareerRole.DIVISIONAL_MD
    profile.save()
    programme = make_programme(organiser)
    with on(DURING):
        page = signed_in(owner).get(reverse("learning_sets:apply", args=[programme.pk])).content.decode()
    assert re.search(rf'<option value="{profile.organisation_id}" selected>', page)
    assert re.search(rf'value="{profile.sector_id}"[^>]*checked', page) or re.search(
        rf'checked[^>]*value="{profile.sector_id}"', page
    )
    assert '<option value="divisional_md" selected>Divisional medical director</option>' in page


def test_the_current_role_is_the_profiles_list_consultants_included(owner: User, organiser: User) -> None:
    programme = make_programme(organiser)
    with on(DURING):
        client = signed_in(owner)
        page = client.get(reverse("learning_sets:apply", args=[programme.pk])).content.decode()
        response = client.post(
            reverse("learning_sets:apply", args=[programme.pk]), answers(owner, career_stage="consultant_gp")
        )
    offered = re.findall(r'<option value="(\w+)"[^>]*>', page.split('name="career_stage"')[1].split("</select>")[0])
    assert offered == [value for value, _ in CareerRole.choices]
    assert '<option value="consultant_gp" selected>Consultant or GP</option>' in page  # the owner's profile says so
    assert response.status_code == 302
    assert Application.objects.get().career_stage == CareerRole.CONSULTANT_GP


def test_availability_is_a_fieldset_per_weekday_of_labelled_checkboxes(owner: User, organiser: User) -> None:
    programme = make_programme(organiser)
    with on(DURING):
        page = signed_in(owner).get(reverse("learning_sets:apply", args=[programme.pk])).content.decode()
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        assert re.search(
            rf'<fieldset class="nhsuk-fieldset" aria-describedby="times-hint">\s*<legend[^>]*>{day}</legend>', page
        ), day
    boxes = re.findall(r'<input type="checkbox" name="slots_\w+" value="([^"]+)"[^>]*id="([^"]+)"', page)
    assert sorted(value for value, _ in boxes) == sorted(ALL_SLOTS)
    for value, id_ in boxes:
        assert re.search(rf'<label class="[^"]*" for="{id_}">\d\d:00 to \d\d:00</label>', page), value
    assert "<table" not in page


def test_answers_from_the_old_list_of_stages_move_to_the_profiles_list(organiser: User) -> None:
    migration = import_module("apps.learning_sets.migrations.0003_close_early_and_profile_roles")
    programme = make_programme(organiser)
    old = ("new_md", "board_member", "associate_md", "clinical_lead", "deputy_md")
    stored = [applicant(programme, stage=stage) for stage in old]
    migration.to_profile_roles(django_apps, None)
    moved = [Application.objects.get(pk=application.pk).career_stage for application in stored]
    assert moved == ["medical_director", "other", "associate_md", "clinical_lead", "deputy_md"]
    assert set(moved) <= set(CareerRole.values)


# Applying


def test_a_member_applies_with_their_weekly_times(owner: User, organiser: User) -> None:
    programme = make_programme(organiser)
    with on(DURING):
        client = signed_in(owner)
        response = client.post(reverse("learning_sets:apply", args=[programme.pk]), answers(owner))
        page = client.get(response["Location"]).content.decode()
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.person == owner and application.status == ApplicationStatus.APPLIED
    assert application.slots == ["tue-08:00", "tue-14:00", "thu-18:00"]  # in the week's order
    assert application.sector.code == "acute" and application.career_stage == "clinical_director"
    assert "Your application to “North West aspiring MDs 2027” is sent." in page
    assert re.search(r'value="thu-18:00"[^>]*checked|checked[^>]*value="thu-18:00"', page)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (OPENS - timedelta(days=1), "Applications for “North West aspiring MDs 2027” open on 1 March 2027."),
        (CLOSES + timedelta(days=1), "Applications for “North West aspiring MDs 2027” closed on 31 March 2027."),
    ],
)
def test_an_application_outside_the_window_is_refused(owner: User, organiser: User, day: object, message: str) -> None:
    programme = make_programme(organiser)
    with on(day):  # type: ignore[arg-type]
        client = signed_in(owner)
        assert message in client.get(reverse("learning_sets:apply", args=[programme.pk])).content.decode()
        response = client.post(reverse("learning_sets:apply", args=[programme.pk]), answers(owner))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Application.objects.exists()


def test_the_last_day_of_the_window_still_counts(owner: User, organiser: User) -> None:
    programme = make_programme(organiser)
    with on(CLOSES):
        response = signed_in(owner).post(reverse("learning_sets:apply", args=[programme.pk]), answers(owner))
    assert response.status_code == 302 and Application.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"slots_tue": ["sun-03:00"]}, "“sun-03:00” is not one of the weekly times offered"),
        ({"slots_tue": ["wed-10:00"]}, "“wed-10:00” is not one of the weekly times offered"),  # under another day
        ({"slots_tue": [], "slots_thu": []}, "Choose at least one weekly time you can make"),
        ({"career_stage": "chief_executive"}, "Choose a role from the list"),
        ({"career_stage": "new_md"}, "Choose a role from the list"),  # the old list's, no longer offered
        ({"career_stage": ""}, "Choose your current role"),
        ({"organisation": "999999"}, "Choose an organisation from the list"),
        ({"sector": ""}, "Choose your sector"),
    ],
)
def test_bad_application_input_is_refused_and_nothing_is_saved(
    owner: User, organiser: User, changes: dict, message: str
) -> None:
    programme = make_programme(organiser)
    with on(DURING):
        response = signed_in(owner).post(reverse("learning_sets:apply", args=[programme.pk]), answers(owner, **changes))
    page = response.content.decode()
    assert response.status_code == 400 and message in page and "There is a problem" in page
    assert "Practice at board-level conversations." in page  # nothing typed is lost
    assert not Application.objects.exists()


def test_the_service_refuses_a_slot_that_is_not_offered(owner: User, organiser: User) -> None:
    programme = make_programme(organiser)
    details = ApplicationDetails(
        organisation=OrganisationFactory(),
        sector=Sector.objects.get(code="acute"),
        career_stage="clinical_director",
        profession="doctor",
        slots=["tue-14:00", "tue-14:30"],
    )
    with on(DURING), pytest.raises(LearningSetError, match="“tue-14:30” is not one of the weekly times"):
        application_save(programme=programme, person=owner, details=details, now=timezone.now())
    assert not Application.objects.exists()


# Changing and withdrawing


def test_a_member_changes_then_withdraws_then_applies_again_while_the_window_is_open(
    owner: User, organiser: User
) -> None:
    programme = make_programme(organiser)
    url = reverse("learning_sets:apply", args=[programme.pk])
    with on(DURING):
        client = signed_in(owner)
        client.post(url, answers(owner))
        response = client.post(url, answers(owner, slots_tue=[], slots_thu=[], slots_fri=["fri-12:00"]))
        assert response.status_code == 302
        assert Application.objects.get().slots == ["fri-12:00"]
        assert "Withdraw your application" in client.get(url).content.decode()

        response = client.post(reverse("learning_sets:withdraw", args=[programme.pk]))
        assert response.status_code == 302
        assert Application.objects.get().status == ApplicationStatus.WITHDRAWN
        listing = client.get(reverse("learning_sets:programmes")).content.decode()
        assert "Withdrawn" in listing and "Apply<span" in listing

        client.post(url, answers(owner))
    application = Application.objects.get()  # still one application: the same row, live again
    assert application.status == ApplicationStatus.APPLIED and application.slots[0] == "tue-08:00"


def test_an_application_cannot_be_withdrawn_once_the_window_has_closed(owner: User, organiser: User) -> None:
    programme = make_programme(organiser)
    application = applicant(programme)
    Application.objects.filter(pk=application.pk).update(person=owner)
    with on(AFTER):
        response = signed_in(owner).post(reverse("learning_sets:withdraw", args=[programme.pk]), follow=True)
    assert "can no longer be withdrawn here" in response.content.decode()
    assert Application.objects.get().status == ApplicationStatus.APPLIED


def test_members_cannot_touch_anyone_elses_application(owner: User, colleague: User, organiser: User) -> None:
    programme = make_programme(organiser)
    with on(DURING):
        signed_in(owner).post(reverse("learning_sets:apply", args=[programme.pk]), answers(owner))
        page = signed_in(colleague).get(reverse("learning_sets:apply", args=[programme.pk])).content.decode()
        assert "Practice at board-level" not in page and "Send your application" in page
        assert signed_in(colleague).post(reverse("learning_sets:withdraw", args=[programme.pk])).status_code == 404
        assert signed_in(colleague).get(reverse("learning_sets:withdraw", args=[programme.pk])).status_code == 405
    assert Application.objects.get().status == ApplicationStatus.APPLIED
