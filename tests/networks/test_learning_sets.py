"""A network opens learning sets for its members (issue 19): its organiser sets up a programme from the network's
page; the programme is invitation-only and its invitation list follows the membership as people join, are accepted,
leave or are removed. Anyone else cannot set one up or see it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.learning_sets.forms_programmes import ProgrammeForm
from apps.learning_sets.models import Application, ApplicationStatus, Programme, ProgrammeInvitation, ProgrammeStatus
from apps.learning_sets.services.programmes import ProgrammeDetails, programme_open
from apps.networks.models import JoinRule, Network, NetworkMembership, NetworkProgramme
from apps.networks.services import NetworkError
from apps.networks.services.membership import membership_approve, membership_remove, network_leave, organiser_add
from apps.networks.services.programmes import network_programme_open
from tests.conftest import signed_in
from tests.learning_sets.test_applications import answers
from tests.learning_sets.test_programmes import FORM
from tests.learning_sets.test_programmes import make_programme as plain_programme

from .support import join, make_network, md, network_organiser

pytestmark = pytest.mark.django_db

# The programme form without the in-house choice, dated so that applications are open on the suite's fixed day
# (7 December 2026).
PROGRAMME_FORM = {
    **{name: value for name, value in FORM.items() if name != "organisation"},
    "name": "North West MD network sets 2027",
    "audience": "new_mds",
    "applications_open_on": "2026-12-01",
    "applications_close_on": "2027-01-15",
    "first_sessions_from": "2027-02-01",
}


@pytest.fixture
def organiser() -> User:
    return network_organiser()


@pytest.fixture
def network(organiser: User) -> Network:
    return make_network(organiser)


@pytest.fixture
def member(network: Network) -> User:
    person = md("member@example.org")
    join(network, person)
    return person


def invited(programme: Programme) -> set[str]:
    return set(ProgrammeInvitation.objects.filter(programme=programme).values_list("person__email", flat=True))


def open_programme(network: Network, organiser: User) -> Programme:
    client = signed_in(organiser)
    response = client.post(reverse("networks:programme_new", args=[network.pk]), PROGRAMME_FORM)
    assert response.status_code == 302, response.content.decode()
    programme = Programme.objects.get(network_link__network=network)
    programme_open(programme=programme, actor=organiser, now=timezone.now())
    return programme


def test_an_organiser_sets_up_sets_that_only_members_see_and_apply_to(
    network: Network, organiser: User, member: User
) -> None:
    programme = open_programme(network, organiser)
    assert programme.invited_only
    assert invited(programme) == {organiser.email, member.email}
    outsider = md("outsider@example.org")
    member_page = signed_in(member).get(reverse("networks:network", args=[network.pk])).content.decode()
    assert reverse("learning_sets:apply", args=[programme.pk]) in member_page
    assert programme.name in signed_in(member).get(reverse("learning_sets:programmes")).content.decode()
    assert programme.name not in signed_in(outsider).get(reverse("learning_sets:programmes")).content.decode()
    assert signed_in(outsider).get(reverse("learning_sets:apply", args=[programme.pk])).status_code == 404


def test_the_invitation_list_follows_the_membership(network: Network, organiser: User, member: User) -> None:
    programme = open_programme(network, organiser)
    newcomer = md("newcomer@example.org")
    join(network, newcomer)
    assert newcomer.email in invited(programme)
    network_leave(network=network, person=member, now=timezone.now())
    assert member.email not in invited(programme)
    removed = NetworkMembership.objects.get(network=network, person=newcomer)
    membership_remove(network=network, membership_id=removed.pk, actor=organiser, now=timezone.now())
    assert invited(programme) == {organiser.email}


def test_someone_waiting_for_approval_is_invited_once_accepted(organiser: User) -> None:
    network = make_network(organiser, name="By approval", join_rule=JoinRule.APPROVAL)
    programme = open_programme(network, organiser)
    asker = md("asker@example.org")
    join(network, asker)
    assert asker.email not in invited(programme)
    asked = NetworkMembership.objects.get(network=network, person=asker)
    membership_approve(network=network, membership_id=asked.pk, actor=organiser, now=timezone.now())
    assert asker.email in invited(programme)


def test_members_and_outsiders_cannot_set_up_sets(network: Network, member: User) -> None:
    outsider = md("outsider@example.org")
    for person, status in ((member, 404), (outsider, 404)):
        client = signed_in(person)
        assert client.get(reverse("networks:programme_new", args=[network.pk])).status_code == status
        assert client.post(reverse("networks:programme_new", args=[network.pk]), PROGRAMME_FORM).status_code == status
    assert not Programme.objects.exists()
    with pytest.raises(NetworkError, match="Only the network's organisers"):
        network_programme_open(network=network, actor=member, details=_details(), now=timezone.now())
    assert not Programme.objects.exists()


def test_a_co_organiser_without_the_organiser_role_is_told_why(network: Network, organiser: User) -> None:
    co = md("co@example.org")
    join(network, co)
    NetworkMembership.objects.filter(network=network, person=co).update(is_organiser=True)
    page = signed_in(co).get(reverse("networks:network", args=[network.pk])).content.decode()
    assert reverse("networks:programme_new", args=[network.pk]) not in page
    response = signed_in(co).post(reverse("networks:programme_new", args=[network.pk]), PROGRAMME_FORM)
    assert response.status_code == 400
    assert "Only organisers can run programmes of learning sets." in response.content.decode()
    assert not Programme.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter a name for the programme"),
        ({"open_to": "everybody"}, "Choose from the list"),
        ({"applications_close_on": "2026-11-01"}, "Applications cannot close before they open"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(
    network: Network, organiser: User, changes: dict, message: str
) -> None:
    response = signed_in(organiser).post(
        reverse("networks:programme_new", args=[network.pk]), {**PROGRAMME_FORM, **changes}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Programme.objects.exists() and not NetworkProgramme.objects.exists()


def test_a_draft_is_shown_to_organisers_only(network: Network, organiser: User, member: User) -> None:
    signed_in(organiser).post(reverse("networks:programme_new", args=[network.pk]), PROGRAMME_FORM)
    programme = Programme.objects.get()
    assert programme.status == ProgrammeStatus.DRAFT
    assert programme.name in signed_in(organiser).get(reverse("networks:network", args=[network.pk])).content.decode()
    assert programme.name not in signed_in(member).get(reverse("networks:network", args=[network.pk])).content.decode()


def test_another_networks_programme_is_not_listed(network: Network, organiser: User, member: User) -> None:
    other = make_network(organiser, name="National mental health MD forum", kind="national")
    programme = open_programme(other, organiser)
    plain_programme(organiser, name="Not a network's")
    page = signed_in(member).get(reverse("networks:network", args=[network.pk])).content.decode()
    assert programme.name not in page and "Not a network" not in page


def test_the_form_needs_a_post_or_get(network: Network, organiser: User) -> None:
    response = signed_in(organiser).put(reverse("networks:programme_new", args=[network.pk]))
    assert response.status_code == 405


def _details() -> ProgrammeDetails:
    form = ProgrammeForm(PROGRAMME_FORM)
    assert form.is_valid(), form.errors
    return form.details()


# Found in review (issue 19): who runs a network's sets, and who stays in them, follow the network.


def _membership_id(network: Network, person: User) -> int:
    return NetworkMembership.objects.get(network=network, person=person).pk


def test_the_networks_organisers_run_its_sets_and_one_removed_no_longer_does(
    network: Network, organiser: User, member: User
) -> None:
    early = network_organiser("early.co@example.org")
    join(network, early)
    organiser_add(network=network, membership_id=_membership_id(network, early), actor=organiser, now=timezone.now())
    programme = open_programme(network, organiser)
    assert set(programme.organisers.all()) == {organiser, early}
    network_leave(network=network, person=early, now=timezone.now())
    co = network_organiser("co.organiser@example.org")
    join(network, co)
    organiser_add(network=network, membership_id=_membership_id(network, co), actor=organiser, now=timezone.now())
    assert signed_in(co).get(reverse("learning_sets:programme", args=[programme.pk])).status_code == 200
    # A co-organiser without the portal's organiser role does not run programmes.
    plain = md("plain.co@example.org")
    join(network, plain)
    organiser_add(network=network, membership_id=_membership_id(network, plain), actor=organiser, now=timezone.now())
    membership_remove(network=network, membership_id=_membership_id(network, organiser), actor=co, now=timezone.now())
    # Removed from the network, the first organiser no longer sees its members' applications.
    assert signed_in(organiser).get(reverse("learning_sets:programme", args=[programme.pk])).status_code == 404
    assert signed_in(organiser).get(reverse("learning_sets:review", args=[programme.pk])).status_code == 404
    assert set(programme.organisers.all()) == {co}


def test_someone_who_leaves_or_is_removed_is_not_placed_in_the_networks_sets(
    network: Network, organiser: User, member: User
) -> None:
    programme = open_programme(network, organiser)
    removed = md("removed@example.org")
    join(network, removed)
    for person in (member, removed):
        response = signed_in(person).post(reverse("learning_sets:apply", args=[programme.pk]), answers(person))
        assert response.status_code == 302, response.content.decode()
    network_leave(network=network, person=member, now=timezone.now())
    membership_remove(
        network=network, membership_id=_membership_id(network, removed), actor=organiser, now=timezone.now()
    )
    statuses = dict(Application.objects.filter(programme=programme).values_list("person__email", "status"))
    assert statuses == {member.email: ApplicationStatus.WITHDRAWN, removed.email: ApplicationStatus.WITHDRAWN}
    # They still see the application, withdrawn, and cannot make it live again.
    client = signed_in(member)
    assert client.get(reverse("learning_sets:apply", args=[programme.pk])).status_code == 200
    response = client.post(reverse("learning_sets:apply", args=[programme.pk]), answers(member))
    assert response.status_code == 400
    assert "open only to the people invited to it" in response.content.decode()
    assert Application.objects.get(person=member).status == ApplicationStatus.WITHDRAWN
