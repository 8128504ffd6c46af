"""Closing an account: what is theirs alone is erased, what others rely on is kept without them and shown as
"a former member", nothing PROTECTs, and a wrong password changes nothing. By the person, and by an
administrator at their request; anyone else gets a 403."""

from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import Settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import RoleGrant, User
from apps.assessments.models import Assessment, AssessmentShare, RaterResponse
from apps.audit.models import AccessEvent, ChangeEvent
from apps.bilaterals.models import Bilateral
from apps.development.models import Plan, PlanShare
from apps.exports.models import DataExport
from apps.learning_sets.models import (
    Apology,
    Application,
    Attendance,
    CalendarFeed,
    LearningSet,
    Membership,
    Reflection,
    SetNote,
)
from apps.learning_sets.reports import programme_report
from apps.mentoring.models import (
    ClosingFeedback,
    MatchRound,
    Meeting,
    MentoringRelationship,
    MentoringRequest,
    MentorOffer,
    Proposal,
    RequestStatus,
    RoundPair,
)
from apps.mentoring.selectors import scheme_report
from apps.notifications.kinds import ACCOUNT_EMAIL
from apps.notifications.models import NotificationPreference, Reminder, ReminderStatus
from apps.privacy.models import AccountClosure
from apps.privacy.services import ClosingError, account_close
from apps.profiles.models import DiversityInformation, Profile
from tests.bilaterals.support import agreed, booked
from tests.bilaterals.support import md as bilateral_md
from tests.conftest import signed_in
from tests.factories import PASSWORD, ProfileFactory

from .world import LEAVER_COMMENT, LEAVER_MEETING, MD_COMMENT, MD_MEETING, MENTEE_MEETING, NOTE, World, build

CLOSE = reverse("privacy:close_account")


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()  # sign-in rate limits and used two-factor codes live in the cache


@pytest.fixture
def world(db: None) -> World:
    return build(now=timezone.now())


def close(world: World, django_capture_on_commit_callbacks: object) -> AccountClosure:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        return account_close(user=world.leaver, actor=world.leaver, now=timezone.now())


def everything_of(world: World) -> dict[str, int]:
    """A census of the rows around the leaver: equal before and after means nothing changed."""
    leaver = world.leaver
    return {
        "users": User.objects.count(),
        "assessments": Assessment.objects.filter(owner=leaver).count(),
        "plans": Plan.objects.filter(owner=leaver).count(),
        "meetings": Meeting.objects.count(),
        "relationships active": MentoringRelationship.objects.filter(status="active").count(),
        "proposals waiting": Proposal.objects.filter(status="proposed").count(),
        "attendance": Attendance.objects.filter(member=leaver).count(),
        "reminders": Reminder.objects.filter(recipient=leaver).count(),
        "feedback comments": ClosingFeedback.objects.exclude(comment="").count(),
        "offer paused": MentorOffer.objects.filter(mentor=leaver, paused=True).count(),
    }


# --- What goes and what stays --------------------------------------------------------------------------------


def test_an_account_with_every_kind_of_record_closes(
    world: World, media: Path, django_capture_on_commit_callbacks: object
) -> None:
    leaver_id, email = world.leaver.pk, world.leaver.email
    assert all((media / name).exists() for name in world.files)
    closure = close(world, django_capture_on_commit_callbacks)

    assert not User.objects.filter(pk=leaver_id).exists()
    # Theirs alone: erased.
    assert not Profile.objects.filter(user_id=leaver_id).exists()
    assert not DiversityInformation.objects.filter(user_id=leaver_id).exists()
    assert not Assessment.objects.filter(owner_id=leaver_id).exists()
    assert not RaterResponse.objects.exists()  # the 360 answers about them
    assert not Plan.objects.filter(owner_id=leaver_id).exists()
    assert not AssessmentShare.objects.filter(viewer_id=leaver_id).exists()
    assert not PlanShare.objects.filter(plan=world.plan.pk).exists()
    assert not MentorOffer.objects.filter(mentor_id=leaver_id).exists()
    assert not MentoringRequest.objects.filter(mentee_id=leaver_id).exists()
    assert not Proposal.objects.filter(mentor_id=leaver_id).exists()
    assert not Meeting.objects.filter(notes=LEAVER_MEETING).exists()
    assert not Application.objects.filter(person_id=leaver_id).exists()
    assert not Membership.objects.filter(member_id=leaver_id).exists()
    assert not Apology.objects.filter(member_id=leaver_id).exists()
    assert not Reflection.objects.filter(author_id=leaver_id).exists()
    assert not CalendarFeed.objects.filter(person_id=leaver_id).exists()
    assert not Reminder.objects.filter(recipient_id=leaver_id).exists()
    assert not NotificationPreference.objects.filter(user_id=leaver_id).exists()
    assert not AccessEvent.objects.filter(owner_id=leaver_id).exists()
    assert not ChangeEvent.objects.filter(subject_id=leaver_id).exists()
    assert not RoleGrant.objects.filter(user_id=leaver_id).exists()
    assert not DataExport.objects.filter(owner_id=leaver_id).exists()
    assert not world.scheme.organisers.filter(pk=leaver_id).exists()
    assert not world.programme.organisers.filter(pk=leaver_id).exists()
    # Their files, after the commit.
    assert not any((media / name).exists() for name in world.files)

    # What others rely on: kept, without them.
    assert list(world.scheme.organisers.all()) == [world.co_organiser]
    assert MatchRound.objects.get(pk=world.match_round.pk).created_by is None
    assert RoundPair.objects.get(round=world.match_round).mentor is None  # left unmatched in the draft round
    assert Meeting.objects.filter(notes=MENTEE_MEETING, relationship=world.active_pair).exists()
    assert Meeting.objects.filter(notes=MD_MEETING, relationship=world.past_pair).exists()
    left = ClosingFeedback.objects.get(relationship=world.past_pair, as_mentor=False)
    assert (left.author, left.comment, left.usefulness) == (None, "", 4)
    assert ClosingFeedback.objects.get(relationship=world.past_pair, as_mentor=True).comment == MD_COMMENT
    assert LearningSet.objects.get(pk=world.led_set.pk).facilitator is None
    assert SetNote.objects.get(text=NOTE).author is None
    assert Attendance.objects.filter(session__learning_set=world.own_set, member=None, present=True).count() == 1
    assert Attendance.objects.filter(session__learning_set=world.led_set, recorded_by=None).count() == 1
    assert RoleGrant.objects.get(user=world.colleague).granted_by is None
    viewed = AccessEvent.objects.get(owner=world.colleague)
    assert (viewed.viewer, viewed.viewer_name) == (None, "Leah Vance")
    changed = ChangeEvent.objects.get(action="changed your proposed mentor")
    assert (changed.actor, changed.actor_name) == (None, "Leah Vance")

    # Recorded without anything about them.
    assert closure.by_administrator is False
    assert closure.erased["mentoring.meeting"] == 1 and closure.kept["learning_sets.attendance.member"] == 1
    assert email not in str(closure.erased) + str(closure.kept)
    assert not ChangeEvent.objects.filter(action__startswith="closed an account").exists()  # only for administrators


def test_the_pairs_are_closed_and_the_others_told_or_shown(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    close(world, django_capture_on_commit_callbacks)

    active = MentoringRelationship.objects.get(pk=world.active_pair.pk)
    assert (active.status, active.mentor, active.mentee, active.close_reason) == (
        "closed",
        None,
        world.mentee,
        "circumstances",
    )
    assert not Reminder.objects.filter(
        dedupe_key__startswith=f"relationship:{active.pk}:", status=ReminderStatus.PENDING
    ).exists()
    # The mentee can be matched again: their request is open.
    assert MentoringRequest.objects.get(mentee=world.mentee).status == RequestStatus.OPEN
    # The waiting mentee was passed to the next best mentor and told, as when a mentor says no.
    passed_on = Proposal.objects.get(request__mentee=world.waiting_mentee)
    assert passed_on.status == "proposed" and passed_on.mentor in (world.md, world.next_mentor)
    told = Reminder.objects.get(recipient=world.waiting_mentee, kind="mentoring_proposal_passed")
    assert told.context["next_name"] == str(passed_on.mentor)
    still_waiting = Reminder.objects.filter(
        dedupe_key__startswith=f"proposal:{world.waiting.pk}:", status=ReminderStatus.PENDING
    ).exclude(pk=told.pk)
    assert not still_waiting.exists()  # the reminders to answer stopped; only the news is on its way


def test_the_other_person_still_sees_their_log_with_a_former_member(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    close(world, django_capture_on_commit_callbacks)

    page = signed_in(world.mentee).get(reverse("mentoring:relationship", args=[world.active_pair.pk])).content.decode()
    assert "Working with a former member" in page
    assert MENTEE_MEETING in page and LEAVER_MEETING not in page
    assert "Leah" not in page and "leaver@example.org" not in page
    assert "has since closed their account" in page and "Ask to be matched with someone else" in page

    page = signed_in(world.md).get(reverse("mentoring:relationship", args=[world.past_pair.pk])).content.decode()
    assert "A former member's feedback" in page
    assert MD_MEETING in page and LEAVER_COMMENT not in page and "Leah" not in page

    listing = signed_in(world.md).get(reverse("mentoring:relationships")).content.decode()
    assert "With a former member" in listing


def test_the_sets_keep_their_record(world: World, django_capture_on_commit_callbacks: object) -> None:
    before = programme_report(world.programme)
    close(world, django_capture_on_commit_callbacks)

    after = programme_report(world.programme)
    assert after.attendance == before.attendance  # the programme's rate is unchanged
    led = signed_in(world.member).get(reverse("learning_sets:set", args=[world.led_set.pk])).content.decode()
    assert "Facilitator: a former member." in led
    assert NOTE in led and "Written by a former member" in led and "Leah" not in led
    own = signed_in(world.set_peer).get(reverse("learning_sets:set", args=[world.own_set.pk])).content.decode()
    assert "Leah" not in own
    detail = signed_in(world.co_organiser).get(reverse("learning_sets:programme", args=[world.programme.pk]))
    assert "by a former member" in detail.content.decode()


def test_the_organisers_counts_of_pairs_stay(world: World, django_capture_on_commit_callbacks: object) -> None:
    before = scheme_report(world.md_scheme)
    close(world, django_capture_on_commit_callbacks)
    after = scheme_report(world.md_scheme)
    assert after.relationships == before.relationships
    assert after.mentees.answers == before.mentees.answers and after.mentors.answers == before.mentors.answers


def test_the_others_audit_logs_keep_the_name(world: World, django_capture_on_commit_callbacks: object) -> None:
    close(world, django_capture_on_commit_callbacks)
    page = signed_in(world.colleague).get(reverse("audit:mine")).content.decode()
    assert "Leah Vance (account since closed)" in page


def test_they_are_signed_out_everywhere_and_sent_one_email(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    elsewhere = Client()
    elsewhere.login(email=world.leaver.email, password=PASSWORD)
    assert elsewhere.get(reverse("core:dashboard")).status_code == 200
    close(world, django_capture_on_commit_callbacks)

    assert elsewhere.get(reverse("core:dashboard")).status_code == 302  # to the sign-in page
    to_them = Reminder.objects.filter(kind=ACCOUNT_EMAIL, email="leaver@example.org")
    assert [r.context["heading"] for r in to_them] == ["Your account is closed"]  # the waiting one is gone
    assert "an administrator" not in to_them.get().context["text"]


def test_a_bare_delete_is_never_refused(world: World) -> None:
    """The five PROTECT keys that refused an administrator's delete (a shared record viewed, attendance recorded,
    a set note written, a match round created, a meeting logged) and the relationship's proposal key are gone."""
    world.leaver.delete()
    assert not User.objects.filter(email="leaver@example.org").exists()


def test_closing_twice_refuses_the_second(world: World, django_capture_on_commit_callbacks: object) -> None:
    leaver = world.leaver
    close(world, django_capture_on_commit_callbacks)
    with pytest.raises(ClosingError, match="already closed"):
        account_close(user=leaver, actor=leaver, now=timezone.now())


def test_no_one_but_an_administrator_closes_someone_else(world: World) -> None:
    before = everything_of(world)
    with pytest.raises(ClosingError, match="Only an administrator"):
        account_close(user=world.leaver, actor=world.colleague, now=timezone.now())
    assert everything_of(world) == before


# --- The person's page -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_says_what_is_erased_and_what_is_kept(owner: User) -> None:
    page = signed_in(owner).get(CLOSE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Meetings you logged in a mentoring pair" in text and "What is kept for other people" in text
    assert 'href="/your-data/"' in text
    assert 'name="code"' not in text  # no second factor set up: the password alone


def test_a_wrong_password_changes_nothing_and_says_so(world: World) -> None:
    client = signed_in(world.leaver)
    before = everything_of(world)
    response = client.post(CLOSE, {"password": "not-my-password-99"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "The password is not right. Your account has not been closed." in text
    assert "not-my-password-99" not in text  # nothing typed is echoed back
    assert everything_of(world) == before
    assert client.get(reverse("core:dashboard")).status_code == 200  # still signed in


@pytest.mark.django_db
def test_an_empty_password_is_asked_for(owner: User) -> None:
    response = signed_in(owner).post(CLOSE, {"password": ""})
    assert response.status_code == 400 and "Enter your password" in response.content.decode()
    assert User.objects.filter(pk=owner.pk).exists()


def test_the_right_password_closes_signs_out_and_confirms(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    client = signed_in(world.leaver)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(CLOSE, {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("privacy:account_closed")
    assert not User.objects.filter(email="leaver@example.org").exists()
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Your account is closed" in page.content.decode()
    assert "Leah" not in page.content.decode()
    assert client.get(reverse("core:dashboard")).status_code == 302  # signed out
    assert not Client().login(email="leaver@example.org", password=PASSWORD)


SECRET = "JBSWY3DPEHPK3PXP"


def _code() -> str:
    return format_hotp_value(hotp_value(SECRET, int(timezone.now().timestamp()) // 30))


@pytest.mark.django_db
def test_with_two_factor_the_code_is_asked_for_too(owner: User) -> None:
    TOTP.activate(owner, SECRET)
    client = signed_in(owner)
    assert 'name="code"' in client.get(CLOSE).content.decode()

    missing = client.post(CLOSE, {"password": PASSWORD})
    wrong = client.post(CLOSE, {"password": PASSWORD, "code": "000000" if _code() != "000000" else "111111"})
    assert (missing.status_code, wrong.status_code) == (400, 400)
    assert "Enter a code from your authenticator app" in missing.content.decode()
    assert "The code is not right" in wrong.content.decode()
    assert User.objects.filter(pk=owner.pk).exists()

    closed = client.post(CLOSE, {"password": PASSWORD, "code": _code()})
    assert closed.status_code == 302
    assert not User.objects.filter(pk=owner.pk).exists()


@pytest.mark.django_db
def test_a_wrong_password_spends_no_code(owner: User) -> None:
    TOTP.activate(owner, SECRET)
    client = signed_in(owner)
    code = _code()
    assert client.post(CLOSE, {"password": "wrong-password-42", "code": code}).status_code == 400
    assert client.post(CLOSE, {"password": PASSWORD, "code": code}).status_code == 302


@pytest.mark.django_db
def test_signed_out_people_are_sent_to_sign_in_and_other_methods_refused(owner: User) -> None:
    response = Client().get(CLOSE)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert signed_in(owner).put(CLOSE).status_code == 405


@pytest.mark.django_db
def test_the_closed_page_is_plain_for_anyone() -> None:
    page = Client().get(reverse("privacy:account_closed"))
    assert page.status_code == 200 and "Your account is closed" in page.content.decode()


# --- An administrator, on request ------------------------------------------------------------------------------


def someone(world: World) -> str:
    return reverse("privacy:close_someone", args=[world.leaver.pk])


def test_an_administrator_closes_an_account_on_request(
    world: World, administrator: User, django_capture_on_commit_callbacks: object
) -> None:
    client = signed_in(administrator)
    page = client.get(someone(world))
    assert page.status_code == 200
    assert "Close the account of Leah Vance" in page.content.decode() and "What is erased" in page.content.decode()

    unconfirmed = client.post(someone(world), {})
    assert unconfirmed.status_code == 400
    assert "Confirm that they asked us to close their account" in unconfirmed.content.decode()
    assert User.objects.filter(pk=world.leaver.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(someone(world), {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:people")
    assert not User.objects.filter(email="leaver@example.org").exists()
    assert MentoringRelationship.objects.get(pk=world.active_pair.pk).status == "closed"  # the same rules
    closure = AccountClosure.objects.get()
    assert closure.by_administrator
    event = ChangeEvent.objects.get(action="closed an account at the person's request")
    assert (event.actor, event.subject, event.capacity) == (administrator, None, "administrator")
    assert "Leah" not in f"{event.target}{event.before}{event.after}"
    told = Reminder.objects.get(kind=ACCOUNT_EMAIL, email="leaver@example.org")
    assert "an administrator closed it, as you asked us to" in told.context["text"]


def test_the_people_page_has_a_close_button_for_others_only(world: World, administrator: User) -> None:
    page = signed_in(administrator).get(reverse("accounts:people")).content.decode()
    assert someone(world) in page
    assert reverse("privacy:close_someone", args=[administrator.pk]) not in page


def test_an_administrator_cannot_close_their_own_account_there(administrator: User) -> None:
    client = signed_in(administrator)
    own = reverse("privacy:close_someone", args=[administrator.pk])
    assert client.get(own).status_code == 403
    assert client.post(own, {"confirm": "on"}).status_code == 403
    assert User.objects.filter(pk=administrator.pk).exists()


@pytest.mark.parametrize("role", ["organiser", "mentor", None])
def test_anyone_else_gets_403_and_nothing_changes(world: World, role: str | None) -> None:
    other = ProfileFactory(user__email="other@example.org").user
    if role:
        from tests.factories import grant

        grant(other, role)
    client = signed_in(other)
    before = everything_of(world)
    assert client.get(someone(world)).status_code == 403
    assert client.post(someone(world), {"confirm": "on"}).status_code == 403
    assert everything_of(world) == before


@pytest.mark.django_db
def test_an_unknown_person_is_404(administrator: User) -> None:
    assert signed_in(administrator).get(reverse("privacy:close_someone", args=[999_999])).status_code == 404


def test_correcting_attendance_keeps_a_former_members_mark(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    from apps.learning_sets.models import Session
    from apps.learning_sets.services.sessions import attendance_record

    close(world, django_capture_on_commit_callbacks)
    first = Session.objects.get(learning_set=world.own_set, number=1)
    attendance_record(session=first, actor=world.facilitator, present={world.set_peer.pk: True}, now=timezone.now())
    marks = sorted((a.member_id is None, a.present) for a in Attendance.objects.filter(session=first))
    assert marks == [(False, True), (True, True)]  # the peer corrected to present; the former member's mark kept


@pytest.mark.django_db
def test_signed_out_people_are_sent_to_sign_in_from_the_administrators_page(owner: User) -> None:
    response = Client().get(reverse("privacy:close_someone", args=[owner.pk]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert User.objects.filter(pk=owner.pk).exists()


@pytest.mark.django_db
def test_guessing_the_password_here_meets_the_sign_in_limits(owner: User) -> None:
    """Five wrong passwords in five minutes (ACCOUNT_RATE_LIMITS["login_failed"]) stop even the right one: a session
    left open is no way round the limits that protect the password."""
    client = signed_in(owner)
    for _ in range(5):
        assert client.post(CLOSE, {"password": "a-wrong-guess-0000"}).status_code == 400
    refused = client.post(CLOSE, {"password": PASSWORD})
    assert refused.status_code == 400 and "has not been closed" not in refused.content.decode()
    assert User.objects.filter(pk=owner.pk).exists()


@pytest.mark.django_db
def test_a_bilateral_ends_and_the_other_is_told(django_capture_on_commit_callbacks: object) -> None:
    leaver, other = bilateral_md("bilateral.leaver@example.org"), bilateral_md("bilateral.other@example.org")
    booked(agreed(leaver, other))
    assert Reminder.objects.filter(recipient=other, kind="bilateral_meeting_tomorrow").exists()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        account_close(user=leaver, actor=leaver, now=timezone.now())
    assert not Bilateral.objects.exists()  # gone with the account
    assert Reminder.objects.filter(recipient=other, kind="bilateral_ended").count() == 1
    # The reminder of the meeting that will not happen is not sent.
    waiting = Reminder.objects.filter(recipient=other, kind="bilateral_meeting_tomorrow", status=ReminderStatus.PENDING)
    assert not waiting.exists()
