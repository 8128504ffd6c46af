"""Closing applications early: an organiser of the programme closes them today, after a confirmation, and can form
the sets at once; members can no longer apply, change or withdraw; anyone else is refused and nothing changes."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils.html import escape

from apps.accounts.models import Role, User
from apps.learning_sets.models import Application, ApplicationStatus, Programme, ProgrammeStatus
from apps.learning_sets.services import LearningSetError
from apps.learning_sets.services.programmes import programme_close_applications
from tests.conftest import signed_in
from tests.factories import UserFactory, grant

from .test_applications import answers
from .test_programmes import AFTER, CLOSES, DURING, FORM, LONDON, OPENS, applicant, make_programme, on

MIDDAY = datetime.combine(DURING, time(12), tzinfo=LONDON)  # `on(DURING)` stops the clock here


def close_url(programme: Programme) -> str:
    return reverse("learning_sets:programme_close", args=[programme.pk])


def detail_url(programme: Programme) -> str:
    return reverse("learning_sets:programme", args=[programme.pk])


def test_an_organiser_closes_applications_today_after_confirming_and_can_form_the_sets(organiser: User) -> None:
    programme = make_programme(organiser)
    for _ in range(6):
        applicant(programme)
    applicant(programme, status=ApplicationStatus.WITHDRAWN)
    with on(DURING):
        client = signed_in(organiser)
        page = client.get(detail_url(programme)).content.decode()
        assert "You can form the sets once applications close on 31 March 2027." in page
        assert f'href="{close_url(programme)}"' in page and "Close applications now" in page

        confirm = client.get(close_url(programme))
        text = confirm.content.decode()
        assert confirm.status_code == 200
        assert "Close applications now?" in text and "6 (1 more withdrawn)" in text
        assert "nobody can apply to the programme, or change or withdraw an application" in text
        assert "No, keep taking applications until 31 March 2027" in text
        programme.refresh_from_db()
        assert programme.applications_closed_at is None  # looking at the question changes nothing

        response = client.post(close_url(programme))
        assert response["Location"] == detail_url(programme)
        page = client.get(response["Location"]).content.decode()

    assert "Applications for “North West aspiring MDs 2027” are closed. You can form the sets now." in page
    assert f"Closed early on 15 March 2027 by {escape(str(organiser))}." in page
    assert "Form the sets" in page and "Close applications now" not in page
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.OPEN
    assert programme.applications_close_on == DURING  # the window as it really was: 1 to 15 March
    assert programme.applications_closed_at == MIDDAY and programme.applications_closed_by == organiser

    with on(DURING):
        response = client.post(reverse("learning_sets:programme_group", args=[programme.pk]))
    assert response["Location"] == reverse("learning_sets:review", args=[programme.pk])
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.GROUPING


def test_once_closed_members_can_no_longer_apply_change_or_withdraw(organiser: User, owner: User) -> None:
    programme = make_programme(organiser)
    mine = applicant(programme, email="already.applied@example.org")
    with on(DURING):
        programme_close_applications(programme=programme, actor=organiser, now=MIDDAY)
        listing = signed_in(owner).get(reverse("learning_sets:programmes")).content.decode()
        response = signed_in(owner).post(reverse("learning_sets:apply", args=[programme.pk]), answers(owner))
        withdrawn = signed_in(mine.person).post(reverse("learning_sets:withdraw", args=[programme.pk]), follow=True)
    assert "North West aspiring MDs 2027" not in listing
    assert response.status_code == 400
    assert "Applications for “North West aspiring MDs 2027” closed on 15 March 2027." in response.content.decode()
    assert not Application.objects.filter(person=owner).exists()
    assert "have closed, so the application can no longer be withdrawn" in withdrawn.content.decode()
    mine.refresh_from_db()
    assert mine.status == ApplicationStatus.APPLIED


@pytest.mark.parametrize(
    ("status", "day", "message"),
    [
        (ProgrammeStatus.OPEN, AFTER, "are already closed: they closed on 31 March 2027."),
        (ProgrammeStatus.GROUPING, AFTER, "are already closed: they closed on 31 March 2027."),
        (ProgrammeStatus.RUNNING, AFTER, "are already closed: they closed on 31 March 2027."),
        (ProgrammeStatus.DRAFT, DURING, "is not open yet, so it has no applications to close."),
        (ProgrammeStatus.OPEN, OPENS - timedelta(days=1), "do not open until 1 March 2027, so nobody can have applied"),
    ],
)
def test_applications_that_cannot_be_closed_give_the_reason_and_change_nothing(
    organiser: User, status: str, day: object, message: str
) -> None:
    programme = make_programme(organiser, status=status)
    with on(day):  # type: ignore[arg-type]
        client = signed_in(organiser)
        page = client.get(detail_url(programme)).content.decode()
        posted = client.post(close_url(programme), follow=True)
        asked = client.get(close_url(programme), follow=True)
    assert "Close applications now" not in page
    for response in (posted, asked):
        assert response.redirect_chain == [(detail_url(programme), 302)]
        assert message in response.content.decode()
    programme.refresh_from_db()
    assert (programme.status, programme.applications_close_on) == (status, CLOSES)
    assert programme.applications_closed_at is None and programme.applications_closed_by is None


def test_closing_twice_says_they_are_already_closed_and_keeps_the_first_close(organiser: User) -> None:
    programme = make_programme(organiser)
    with on(DURING):
        signed_in(organiser).post(close_url(programme))
    with on(DURING + timedelta(days=2)):
        response = signed_in(organiser).post(close_url(programme), follow=True)
        with pytest.raises(LearningSetError, match="already closed: they closed on 15 March 2027"):
            programme_close_applications(programme=programme, actor=organiser, now=MIDDAY + timedelta(days=2))
    assert "Applications for “North West aspiring MDs 2027” are already closed: they closed on 15 March 2027." in (
        response.content.decode()
    )
    programme.refresh_from_db()
    assert programme.applications_closed_at == MIDDAY and programme.applications_close_on == DURING


def test_only_the_programmes_organisers_can_close_its_applications(organiser: User, owner: User) -> None:
    programme = make_programme(organiser, description="A secret description")
    another = UserFactory(email="another.organiser@example.org")
    grant(another, Role.ORGANISER)
    with on(DURING):
        for person, status in ((owner, 403), (another, 404)):
            client = signed_in(person)
            for response in (client.get(close_url(programme)), client.post(close_url(programme))):
                assert response.status_code == status, person
                assert "secret" not in response.content.decode()
        with pytest.raises(LearningSetError, match="Only organisers can run programmes"):
            programme_close_applications(programme=programme, actor=owner, now=MIDDAY)
        with pytest.raises(LearningSetError, match="Only the programme's organisers can change it"):
            programme_close_applications(programme=programme, actor=another, now=MIDDAY)
    programme.refresh_from_db()
    assert programme.applications_close_on == CLOSES and programme.applications_closed_at is None


def test_closing_needs_a_sign_in_and_a_get_or_a_post(client: object, organiser: User) -> None:
    programme = make_programme(organiser)
    with on(DURING):
        response = client.post(close_url(programme))  # type: ignore[attr-defined]
        assert response.status_code == 302 and "/account/login/" in response["Location"]
        assert signed_in(organiser).delete(close_url(programme)).status_code == 405
    programme.refresh_from_db()
    assert programme.applications_closed_at is None


def test_a_new_closing_date_takes_applications_again(organiser: User, owner: User) -> None:
    programme = make_programme(organiser, status=ProgrammeStatus.OPEN)
    with on(DURING):
        client = signed_in(organiser)
        client.post(close_url(programme))
        page = client.get(detail_url(programme)).content.decode()
        assert "To take applications again, change the closing date." in page
        # Saving other changes keeps them closed; a new closing date opens them until then.
        form = {**FORM, "applications_close_on": DURING.isoformat()}
        assert client.post(reverse("learning_sets:programme_edit", args=[programme.pk]), form).status_code == 302
        programme.refresh_from_db()
        assert programme.applications_closed_at is not None
        form = {**FORM, "applications_close_on": "2027-03-25"}
        assert client.post(reverse("learning_sets:programme_edit", args=[programme.pk]), form).status_code == 302
        response = signed_in(owner).post(reverse("learning_sets:apply", args=[programme.pk]), answers(owner))
    programme.refresh_from_db()
    assert programme.applications_closed_at is None and programme.applications_closed_by is None
    assert response.status_code == 302 and Application.objects.filter(person=owner).exists()
