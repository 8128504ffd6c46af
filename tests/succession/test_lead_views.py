"""The lead's view of a person's readiness, and the lead's page of one person: only at the organisation they lead,
on the scale, the person told, the change on record, every opening of the page on record, and the summary shown
only to a lead of someone who chose to show it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.audit.models import AccessEvent, ChangeEvent
from apps.notifications.models import Reminder
from apps.organisations.models import Organisation
from apps.succession.models import Candidacy, Readiness, ShowChoice
from apps.succession.services import SuccessionError
from apps.succession.services.lead_views import lead_view_set
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, ProfileFactory, grant
from tests.support.outbox import send_outbox
from tests.support.succession import make_candidacy, make_lead, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust() -> Organisation:
    return OrganisationFactory(name="Riverside NHS Foundation Trust")


@pytest.fixture
def lead(trust: Organisation) -> User:
    return make_lead(trust)


@pytest.fixture
def candidacy(trust: Organisation) -> Candidacy:
    person = ProfileFactory(user__first_name="Asha", user__last_name="Patel").user
    return make_candidacy(person, trust, make_post(trust), aim="To lead on quality", show=ShowChoice.SUMMARY)


def url(candidacy: Candidacy) -> str:
    return reverse("succession:candidate", args=[candidacy.pk])


def test_setting_a_view_stores_it_unseen_tells_the_person_and_records_the_change(
    lead: User, candidacy: Candidacy
) -> None:
    now = timezone.now()
    lead_view_set(lead=lead, candidacy=candidacy, readiness=Readiness.READY_NOW, comment=" Ready. ", now=now)
    candidacy.refresh_from_db()
    assert (candidacy.lead_readiness, candidacy.lead_comment, candidacy.lead_by, candidacy.lead_at) == (
        Readiness.READY_NOW,
        "Ready.",
        lead,
        now,
    )
    assert not candidacy.lead_view_seen
    reminder = Reminder.objects.get(kind="succession_lead_view")
    assert reminder.recipient == candidacy.person
    send_outbox()
    (message,) = mail.outbox
    assert "A lead at Riverside NHS Foundation Trust added their view of your readiness" in message.subject
    assert "Ready." not in message.body  # the view itself is read on the portal, signed in
    change = ChangeEvent.objects.get()
    assert (change.subject, change.capacity, change.after["lead's view of readiness"]) == (
        candidacy.person,
        "organisation lead",
        "Ready now",
    )
    # A view already seen and then changed is unseen again.
    Candidacy.objects.filter(pk=candidacy.pk).update(lead_seen_at=now + timedelta(minutes=1))
    later = now + timedelta(minutes=2)
    lead_view_set(lead=lead, candidacy=candidacy, readiness=Readiness.ONE_TO_TWO_YEARS, comment="", now=later)
    candidacy.refresh_from_db()
    assert not candidacy.lead_view_seen


@pytest.mark.parametrize("readiness", ["", "ready_tomorrow", "READY_NOW"])
def test_a_readiness_outside_the_scale_is_refused(lead: User, candidacy: Candidacy, readiness: str) -> None:
    with pytest.raises(SuccessionError, match="Choose ready now, ready in 1 to 2 years or ready in 3 to 5 years"):
        lead_view_set(lead=lead, candidacy=candidacy, readiness=readiness, comment="", now=timezone.now())
    candidacy.refresh_from_db()
    assert candidacy.lead_readiness == "" and not ChangeEvent.objects.exists() and not Reminder.objects.exists()


def test_a_lead_of_another_organisation_cannot_set_a_view(candidacy: Candidacy) -> None:
    other_lead = make_lead(OrganisationFactory())
    with pytest.raises(SuccessionError, match="organisation you lead"):
        lead_view_set(lead=other_lead, candidacy=candidacy, readiness="ready_now", comment="", now=timezone.now())
    organiser = ProfileFactory().user
    grant(organiser, Role.ORGANISER)
    with pytest.raises(SuccessionError, match="organisation you lead"):
        lead_view_set(lead=organiser, candidacy=candidacy, readiness="ready_now", comment="", now=timezone.now())
    candidacy.refresh_from_db()
    assert candidacy.lead_readiness == ""


def test_a_comment_too_long_is_refused(lead: User, candidacy: Candidacy) -> None:
    with pytest.raises(SuccessionError, match="1,000 characters"):
        lead_view_set(lead=lead, candidacy=candidacy, readiness="ready_now", comment="x" * 1001, now=timezone.now())


def test_the_lead_opens_a_person_and_the_opening_is_on_record(lead: User, candidacy: Candidacy) -> None:
    response = signed_in(lead).get(url(candidacy))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Asha Patel" in html and "To lead on quality" in html and "Ready in 1 to 2 years" in html
    assert "Their readiness summary" in html  # they chose to show one
    assert candidacy.person.email not in html
    event = AccessEvent.objects.get()
    assert (event.viewer, event.owner, event.record_kind) == (lead, candidacy.person, "succession candidacy")
    Candidacy.objects.filter(pk=candidacy.pk).update(show=ShowChoice.NAME_ONLY)
    html = signed_in(lead).get(url(candidacy)).content.decode()
    assert "Their readiness summary" not in html and "app-readiness-summary" not in html
    assert AccessEvent.objects.count() == 2


def test_the_lead_adds_their_view_through_the_form_and_sees_it_not_yet_seen(lead: User, candidacy: Candidacy) -> None:
    client = signed_in(lead)
    response = client.post(url(candidacy), {"readiness": "3_5_years", "comment": "Needs board exposure."})
    assert response.status_code == 302 and response["Location"] == url(candidacy)
    html = client.get(url(candidacy)).content.decode()
    assert "Ready in 3 to 5 years" in html and "Not yet seen by them" in html and "Needs board exposure." in html
    pipeline = client.get(reverse("succession:pipeline")).content.decode()
    assert "your view: not yet seen by them" in pipeline and "Ready in 3 to 5 years" not in pipeline


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"readiness": "soon"}, "Choose ready now, ready in 1 to 2 years or ready in 3 to 5 years"),
        ({}, "Choose ready now, ready in 1 to 2 years or ready in 3 to 5 years"),
        ({"readiness": "ready_now", "comment": "x" * 1001}, "Keep your comment to 1,000 characters"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_kept(
    lead: User, candidacy: Candidacy, data: dict[str, str], message: str
) -> None:
    response = signed_in(lead).post(url(candidacy), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "nhsuk-error-summary" in html and message in html
    candidacy.refresh_from_db()
    assert candidacy.lead_readiness == ""


def test_another_organisations_lead_gets_404_and_nothing_is_recorded(candidacy: Candidacy) -> None:
    other_lead = make_lead(OrganisationFactory())
    client = signed_in(other_lead)
    assert client.get(url(candidacy)).status_code == 404
    assert client.post(url(candidacy), {"readiness": "ready_now"}).status_code == 404
    assert not AccessEvent.objects.exists()
    candidacy.refresh_from_db()
    assert candidacy.lead_readiness == ""


@pytest.mark.parametrize("role", [None, Role.ORGANISER])
def test_people_without_the_lead_role_are_refused(candidacy: Candidacy, role: str | None) -> None:
    user = ProfileFactory().user
    if role:
        grant(user, role)
    assert signed_in(user).get(url(candidacy)).status_code == 403
    assert signed_in(candidacy.person).get(url(candidacy)).status_code == 403  # not even the person themself


def test_a_missing_candidacy_is_404(lead: User) -> None:
    assert signed_in(lead).get(reverse("succession:candidate", args=[99999])).status_code == 404


def test_another_lead_reads_a_view_only_once_the_person_has_seen_it(
    lead: User, candidacy: Candidacy, trust: Organisation
) -> None:
    second = make_lead(trust)
    lead_view_set(lead=lead, candidacy=candidacy, readiness=Readiness.READY_NOW, comment="Chairs QSC well", now=now())
    page = signed_in(second).get(url(candidacy)).content.decode()
    assert "Chairs QSC well" not in page and "Another lead has added a view they have not seen yet" in page
    assert "Chairs QSC well" in signed_in(lead).get(url(candidacy)).content.decode()  # its author reads it
    Candidacy.objects.filter(pk=candidacy.pk).update(lead_seen_at=now() + timedelta(minutes=1))
    assert "Chairs QSC well" in signed_in(second).get(url(candidacy)).content.decode()


def test_the_change_record_keeps_that_a_comment_was_written_not_its_words(lead: User, candidacy: Candidacy) -> None:
    lead_view_set(lead=lead, candidacy=candidacy, readiness=Readiness.READY_NOW, comment="Chairs QSC well", now=now())
    event = ChangeEvent.objects.get(action="added their view of your readiness")
    assert "Chairs QSC well" not in str(event.after) and event.after["lead's comment"] == "written (15 characters)"


def now() -> "timezone.datetime":
    return timezone.now()
