"""Programmes inside one organisation and across professions (issue 19; seed 001: sets "which involve other members
of the board such as the finance director, director of nursing, operations director and human resources director",
and "bringing together deputy medical directors and clinical directors as a peer group" inside one trust).

An in-house programme takes applications only from people who work at its organisation, is listed only to them, and
its sets need not mix organisations; a programme takes the professions it is open to; who may apply cannot change
under the feet of people who have applied.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.learning_sets.grouping import group
from apps.learning_sets.models import (
    Application,
    ApplicationStatus,
    Membership,
    OpenTo,
    Programme,
    ProgrammeInvitation,
    ProgrammeStatus,
)
from apps.learning_sets.selectors import grouping_problem
from apps.learning_sets.services import LearningSetError
from apps.learning_sets.services.applications import ApplicationDetails, application_save
from apps.learning_sets.services.programmes import programme_invitations_set
from apps.learning_sets.services.review import move_check, swap_check
from apps.organisations.models import Organisation, Sector
from apps.profiles.models import Profile
from tests.conftest import signed_in
from tests.factories import OrganisationFactory

from .test_applications import answers
from .test_programmes import AFTER, DURING, FORM, applicant, draft, make_programme, on

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust(owner: User) -> Organisation:
    """The owner's own organisation, as their profile says."""
    return Profile.objects.get(user=owner).organisation


def in_house(organiser: User, trust: Organisation, **changes: object) -> Programme:
    return make_programme(organiser, name="Deputies and clinical directors", organisation=trust, **changes)


# Setting one up


def test_an_organiser_sets_up_an_in_house_multi_professional_programme(organiser: User, trust: Organisation) -> None:
    response = signed_in(organiser).post(
        reverse("learning_sets:programme_new"), {**FORM, "organisation": str(trust.pk), "open_to": "board"}
    )
    programme = Programme.objects.get()
    assert response.status_code == 302
    assert (programme.organisation, programme.open_to) == (trust, OpenTo.BOARD)
    page = signed_in(organiser).get(reverse("learning_sets:programme", args=[programme.pk])).content.decode()
    assert f"In-house: people who work at {trust.name}" in page
    assert "Doctors and other board directors" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"open_to": "everybody"}, "Choose from the list"),
        ({"open_to": ""}, "Choose which professions may apply"),
        ({"organisation": "999999"}, "Choose an organisation from the list"),
    ],
)
def test_bad_choices_are_refused_and_nothing_is_saved(organiser: User, changes: dict, message: str) -> None:
    response = signed_in(organiser).post(reverse("learning_sets:programme_new"), {**FORM, **changes})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Programme.objects.exists()


def test_a_closed_organisation_cannot_be_chosen(organiser: User) -> None:
    closed = OrganisationFactory(closed_on="2020-03-31")
    response = signed_in(organiser).post(
        reverse("learning_sets:programme_new"), {**FORM, "organisation": str(closed.pk)}
    )
    assert response.status_code == 400
    assert "Choose an organisation from the list" in response.content.decode()


# Who sees it and who may apply


def test_an_in_house_programme_is_listed_and_open_only_to_its_organisations_people(
    owner: User, colleague: User, organiser: User, trust: Organisation
) -> None:
    Profile.objects.filter(user=colleague).update(organisation=OrganisationFactory())
    programme = in_house(organiser, trust)
    with on(DURING):
        assert programme.name in signed_in(owner).get(reverse("learning_sets:programmes")).content.decode()
        assert programme.name not in signed_in(colleague).get(reverse("learning_sets:programmes")).content.decode()
        assert signed_in(colleague).get(reverse("learning_sets:apply", args=[programme.pk])).status_code == 404
        assert signed_in(owner).get(reverse("learning_sets:apply", args=[programme.pk])).status_code == 200


def test_someone_who_names_another_organisation_is_refused(owner: User, organiser: User, trust: Organisation) -> None:
    programme = in_house(organiser, trust)
    elsewhere = OrganisationFactory()
    with on(DURING):
        response = signed_in(owner).post(
            reverse("learning_sets:apply", args=[programme.pk]), answers(owner, organisation=str(elsewhere.pk))
        )
    assert response.status_code == 400
    assert f"is an in-house programme for people who work at {trust.name}" in response.content.decode()
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("open_to", "profession", "admitted"),
    [
        ("doctors", "doctor", True),
        ("doctors", "finance", False),
        ("board", "finance", True),
        ("board", "hr", True),
        ("board", "operations", True),
        ("board", "nurse", True),
        ("board", "pharmacist", False),
        ("anyone", "pharmacist", True),
    ],
)
def test_a_programme_takes_the_professions_it_is_open_to(
    owner: User, organiser: User, open_to: str, profession: str, admitted: bool
) -> None:
    programme = make_programme(organiser, open_to=open_to)
    with on(DURING):
        response = signed_in(owner).post(
            reverse("learning_sets:apply", args=[programme.pk]), answers(owner, profession=profession)
        )
    assert Application.objects.filter(programme=programme, profession=profession).exists() is admitted
    if not admitted:
        assert response.status_code == 400
        assert "so it cannot take an application from" in response.content.decode()


def test_a_finance_directors_profile_fills_in_their_profession(owner: User, organiser: User) -> None:
    Profile.objects.filter(user=owner).update(profession="finance")
    programme = make_programme(organiser, open_to="board")
    with on(DURING):
        page = signed_in(owner).get(reverse("learning_sets:apply", args=[programme.pk])).content.decode()
    assert re.search(r'<input[^>]*value="finance"[^>]*checked', page)


# Changing who may apply


def test_who_may_apply_cannot_shut_out_people_who_have_applied(organiser: User, trust: Organisation) -> None:
    programme = make_programme(organiser, open_to="board")
    finance = applicant(programme, organisation=OrganisationFactory())
    Application.objects.filter(pk=finance.pk).update(profession="finance")
    with on(DURING):
        client = signed_in(organiser)
        narrower = client.post(
            reverse("learning_sets:programme_edit", args=[programme.pk]), {**FORM, "open_to": "doctors"}
        )
        in_house_now = client.post(
            reverse("learning_sets:programme_edit", args=[programme.pk]),
            {**FORM, "open_to": "board", "organisation": str(trust.pk)},
        )
    assert narrower.status_code == in_house_now.status_code == 400
    assert "whose profession the programme would no longer admit" in narrower.content.decode()
    assert "applied from other organisations" in in_house_now.content.decode()
    programme.refresh_from_db()
    assert (programme.open_to, programme.organisation) == ("board", None)


def test_once_sets_are_formed_the_programme_cannot_become_in_house(organiser: User, trust: Organisation) -> None:
    programme = make_programme(organiser)
    people = [applicant(programme, organisation=trust) for _ in range(2)]
    draft(programme, [("tue-14:00", people)])
    with on(AFTER):
        response = signed_in(organiser).post(
            reverse("learning_sets:programme_edit", args=[programme.pk]), {**FORM, "organisation": str(trust.pk)}
        )
    assert response.status_code == 400
    assert "The sets have been formed" in response.content.decode()
    programme.refresh_from_db()
    assert programme.organisation is None


# Forming the sets


def test_in_house_sets_are_formed_from_one_organisations_people(organiser: User, trust: Organisation) -> None:
    programme = in_house(organiser, trust, set_size_min=3, set_size_max=4, status=ProgrammeStatus.GROUPING)
    applications = [applicant(programme, organisation=trust) for _ in range(8)]
    grouped = group(grouping_problem(programme=programme, applications=applications, sets=None))
    assert grouped.placed == 8  # across organisations, nobody could share a set
    across = make_programme(organiser, set_size_min=3, set_size_max=4, status=ProgrammeStatus.GROUPING)
    same_trust = [applicant(across, organisation=trust) for _ in range(8)]
    assert group(grouping_problem(programme=across, applications=same_trust, sets=None)).placed == 0


def test_a_multi_professional_programme_mixes_professions(organiser: User, trust: Organisation) -> None:
    programme = in_house(organiser, trust, open_to="board", set_size_min=2, set_size_max=2)
    doctors = [applicant(programme, organisation=trust) for _ in range(2)]
    finance = [applicant(programme, organisation=trust) for _ in range(2)]
    Application.objects.filter(pk__in=[a.pk for a in finance]).update(profession="finance")
    applications = list(Application.objects.filter(programme=programme).select_related("organisation", "sector"))
    grouped = group(grouping_problem(programme=programme, applications=applications, sets=None))
    profession = {str(a.pk): a.profession for a in applications}
    assert [sorted(profession[m] for m in s.members) for s in grouped.sets] == [["doctor", "finance"]] * 2
    assert {str(d.pk) for d in doctors} | {str(f.pk) for f in finance} == set(profession)


def test_an_organiser_may_put_two_colleagues_in_one_in_house_set(organiser: User, trust: Organisation) -> None:
    programme = in_house(organiser, trust, set_size_min=1, set_size_max=4)
    first, second, third = (applicant(programme, organisation=trust) for _ in range(3))
    one, _ = draft(programme, [("tue-14:00", [first]), ("tue-14:00", [second, third])])
    assert move_check(programme=programme, application=third, target=one).allowed
    assert swap_check(programme=programme, first=first, second=second).allowed
    across = make_programme(organiser, name="Across", set_size_min=1, set_size_max=4)
    a, b, c = (applicant(across, organisation=trust) for _ in range(3))
    x, _ = draft(across, [("tue-14:00", [a]), ("tue-14:00", [b, c])])
    assert move_check(programme=across, application=c, target=x).reason == (f"someone from {trust} is already in set 1")


def test_the_service_refuses_whatever_the_caller(owner: User, organiser: User, trust: Organisation) -> None:
    programme = in_house(organiser, trust)
    details = ApplicationDetails(
        organisation=OrganisationFactory(),
        sector=Sector.objects.get(code="acute"),
        career_stage="clinical_director",
        profession="doctor",
        slots=["tue-14:00"],
    )
    with on(DURING), pytest.raises(LearningSetError, match="in-house programme"):
        application_save(programme=programme, person=owner, details=details, now=timezone.now())
    assert not Application.objects.exists()


# Invitation only: a network opens sets for its members (the networks app keeps the list)


def test_an_invitation_only_programme_is_for_the_people_invited(owner: User, colleague: User, organiser: User) -> None:
    programme = make_programme(organiser, name="Network member sets", invited_only=True)
    programme_invitations_set(programme=programme, people=[owner], now=timezone.now())
    with on(DURING):
        assert programme.name in signed_in(owner).get(reverse("learning_sets:programmes")).content.decode()
        assert programme.name not in signed_in(colleague).get(reverse("learning_sets:programmes")).content.decode()
        assert signed_in(colleague).get(reverse("learning_sets:apply", args=[programme.pk])).status_code == 404
        refused = signed_in(colleague).post(reverse("learning_sets:apply", args=[programme.pk]), answers(colleague))
        sent = signed_in(owner).post(reverse("learning_sets:apply", args=[programme.pk]), answers(owner))
    assert (refused.status_code, sent.status_code) == (404, 302)
    assert list(Application.objects.values_list("person", flat=True)) == [owner.pk]


def test_the_service_refuses_someone_not_invited(colleague: User, organiser: User) -> None:
    programme = make_programme(organiser, invited_only=True)
    with on(DURING), pytest.raises(LearningSetError, match="open only to the people invited"):
        application_save(programme=programme, person=colleague, details=_details(colleague), now=timezone.now())
    assert not Application.objects.exists()


def test_the_invitation_list_is_made_exactly_the_people_given(owner: User, colleague: User, organiser: User) -> None:
    programme = make_programme(organiser, invited_only=True)
    programme_invitations_set(programme=programme, people=[owner, colleague], now=timezone.now())
    with on(DURING):
        signed_in(owner).post(reverse("learning_sets:apply", args=[programme.pk]), answers(owner))
    programme_invitations_set(programme=programme, people=[colleague], now=timezone.now())
    assert list(ProgrammeInvitation.objects.values_list("person", flat=True)) == [colleague.pk]
    with on(DURING):
        # Off the list, but their application stays theirs to see and withdraw.
        assert signed_in(owner).get(reverse("learning_sets:apply", args=[programme.pk])).status_code == 200


def test_a_programme_open_to_all_it_admits_has_no_invitation_list(owner: User, organiser: User) -> None:
    programme = make_programme(organiser)
    with pytest.raises(LearningSetError, match="has no invitation list"):
        programme_invitations_set(programme=programme, people=[owner], now=timezone.now())
    assert not ProgrammeInvitation.objects.exists()


def test_changing_the_programme_keeps_it_invitation_only(organiser: User) -> None:
    programme = make_programme(organiser, invited_only=True)
    with on(DURING):
        response = signed_in(organiser).post(
            reverse("learning_sets:programme_edit", args=[programme.pk]), {**FORM, "name": "Renamed"}
        )
    programme.refresh_from_db()
    assert (response.status_code, programme.name, programme.invited_only) == (302, "Renamed", True)


def _details(person: User) -> ApplicationDetails:
    return ApplicationDetails(
        organisation=Profile.objects.get(user=person).organisation,
        sector=Sector.objects.get(code="acute"),
        career_stage="clinical_director",
        profession="doctor",
        slots=["tue-14:00"],
    )


def test_someone_taken_off_the_list_leaves_a_draft_set_but_never_a_running_one(organiser: User) -> None:
    programme = make_programme(organiser, invited_only=True, set_size_min=1, set_size_max=4)
    stays, goes = applicant(programme), applicant(programme)
    programme_invitations_set(programme=programme, people=[stays.person, goes.person], now=timezone.now())
    draft(programme, [("tue-14:00", [stays, goes])])
    programme_invitations_set(programme=programme, people=[stays.person], now=timezone.now())
    assert list(Membership.objects.values_list("member", flat=True)) == [stays.person_id]
    goes.refresh_from_db()
    assert goes.status == ApplicationStatus.WITHDRAWN

    running = make_programme(organiser, name="Running", invited_only=True, status=ProgrammeStatus.RUNNING)
    one, two = applicant(running), applicant(running)
    draft(running, [("tue-14:00", [one, two])])
    Programme.objects.filter(pk=running.pk).update(status=ProgrammeStatus.RUNNING)
    programme_invitations_set(programme=running, people=[one.person], now=timezone.now())
    assert Membership.objects.filter(learning_set__programme=running).count() == 2
