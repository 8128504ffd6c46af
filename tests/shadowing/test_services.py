"""The rules of offers and requests, in the services: each refusal is a clear message and writes nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from apps.accounts.models import User
from apps.development.models import Reflection
from apps.notifications.models import Reminder, ReminderStatus
from apps.shadowing.models import RequestStatus, ShadowingOffer, ShadowingReflection, ShadowingRequest
from apps.shadowing.services import (
    ShadowingError,
    offer_pause,
    offer_resume,
    offer_withdraw,
    reflection_write,
    request_accept,
    request_decline,
    request_set_date,
    request_withdraw,
    requests_expire,
    shadowing_leave,
)
from apps.shadowing.tasks import expire_shadowing_requests
from tests.factories import ProfileFactory, UserFactory, year_plan
from tests.support.races import race

from .support import WHY, accepted, ask, make_offer, person_in_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def md(owner: User) -> User:
    """A medical director in another organisation than the owner's."""
    return person_in_role("md@example.org")


def kinds_for(user: User) -> list[str]:
    return list(Reminder.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True))


# --- Offers ---------------------------------------------------------------------------------------------------------


def test_an_offer_takes_its_role_level_organisation_and_region_from_the_profile(md: User) -> None:
    offer = make_offer(md)
    profile = md.profile
    assert (offer.role_title, offer.level) == ("Medical Director", 5)
    assert (offer.organisation_id, offer.region_id) == (profile.organisation_id, profile.region_id)


@pytest.mark.parametrize("per_year", [0, 500, -1])
def test_an_offer_of_0_or_500_a_year_is_refused(md: User, per_year: int) -> None:
    with pytest.raises(ShadowingError, match="How many a year"):
        make_offer(md, per_year=per_year)
    assert not ShadowingOffer.objects.exists()


def test_one_offer_of_each_kind_and_a_withdrawn_one_frees_the_kind(md: User) -> None:
    first = make_offer(md)
    make_offer(md, kind="conversation")
    with pytest.raises(ShadowingError, match="You already offer a shadowing day"):
        make_offer(md)
    offer_withdraw(offer=first, now=timezone.now())
    make_offer(md)
    assert ShadowingOffer.objects.filter(person=md).count() == 3


def test_an_offer_saved_by_a_second_submit_before_full_clean_is_refused_in_the_same_words(
    md: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two submits at once: the other is saved after this one's own check but before its full_clean, whose
    unique-constraint check would otherwise refuse in Django's words."""
    from apps.shadowing import services

    real = services.clean_problem
    saved: list[ShadowingOffer] = []

    def the_other_one_lands_first(instance: ShadowingOffer) -> str | None:
        if not saved:
            monkeypatch.setattr(services, "clean_problem", real)
            saved.append(make_offer(md))
        return real(instance)

    monkeypatch.setattr(services, "clean_problem", the_other_one_lands_first)
    with pytest.raises(ShadowingError, match="You already offer a shadowing day"):
        make_offer(md)
    assert len(saved) == 1


def test_someone_without_a_role_on_their_profile_cannot_offer(outsider: User) -> None:
    with pytest.raises(ShadowingError, match="Add your current role to your profile"):
        make_offer(outsider)


def test_pause_and_resume_change_what_can_be_asked(md: User, owner: User) -> None:
    offer = offer_pause(offer=make_offer(md), now=timezone.now())
    with pytest.raises(ShadowingError, match="not open to requests"):
        ask(offer, owner)
    with pytest.raises(ShadowingError, match="is paused: there is nothing to change"):
        offer_pause(offer=offer, now=timezone.now())
    ask(offer_resume(offer=offer, now=timezone.now()), owner)


# --- Requests -------------------------------------------------------------------------------------------------------


def test_a_request_tells_the_offerer_and_gives_them_14_days(md: User, owner: User) -> None:
    request = ask(make_offer(md), owner)
    assert request.reply_by == request.created_at + timedelta(days=14)
    reminder = Reminder.objects.get(recipient=md)
    assert reminder.kind == "shadowing_request_received"
    assert reminder.context["other_name"] == str(owner) and reminder.context["reply_by"] == "2026-12-21"
    assert owner.email not in str(reminder.context)


def test_nobody_can_ask_themself(md: User) -> None:
    with pytest.raises(ShadowingError, match="your own offer"):
        ask(make_offer(md), md)
    assert not ShadowingRequest.objects.exists()


def test_the_database_refuses_a_request_to_oneself_too(md: User) -> None:
    from django.db import IntegrityError, transaction

    offer = make_offer(md)
    with pytest.raises(IntegrityError), transaction.atomic():
        ShadowingRequest.objects.create(
            offer=offer,
            offerer=md,
            requester=md,
            why=WHY,
            created_at=timezone.now(),
            reply_by=timezone.now() + timedelta(days=1),
        )


def test_a_request_beyond_the_yearly_limit_is_refused(md: User, owner: User, colleague: User) -> None:
    offer = make_offer(md, per_year=1)
    ask(offer, owner)
    with pytest.raises(ShadowingError, match="no places left: they offer 1 a year, and all are taken"):
        ask(offer, colleague)
    assert ShadowingRequest.objects.count() == 1


def test_declined_and_lapsed_requests_free_their_place_and_a_year_later_the_limit_starts_again(
    md: User, owner: User, colleague: User
) -> None:
    offer = make_offer(md, per_year=1)
    first = ask(offer, owner)
    request_decline(request_id=first.pk, offerer=md, message="", now=timezone.now())
    accepted(offer, colleague)
    third = UserFactory()
    with pytest.raises(ShadowingError, match="no places left"):
        ask(offer, third)
    with time_machine.travel(timezone.now() + timedelta(days=366)):
        ask(offer, third)


def test_who_may_ask_inside_or_outside_the_organisation(owner: User, colleague: User) -> None:
    # The colleague works in the owner's organisation; the outsider has no organisation at all.
    inside = make_offer(
        person_in_role("inside@example.org", organisation=owner.profile.organisation), who_may_ask="inside"
    )
    outside = make_offer(
        person_in_role("outside@example.org", organisation=owner.profile.organisation), who_may_ask="outside"
    )
    with pytest.raises(ShadowingError, match="only from people outside their organisation"):
        ask(outside, colleague)
    stranger = ProfileFactory().user
    with pytest.raises(ShadowingError, match="only from people in their organisation"):
        ask(inside, stranger)
    ask(inside, colleague)
    ask(outside, stranger)


def test_one_waiting_request_per_person_and_offer(md: User, owner: User) -> None:
    offer = make_offer(md)
    ask(offer, owner)
    with pytest.raises(ShadowingError, match="already asked"):
        ask(offer, owner)


def test_a_suggested_date_must_be_after_today(md: User, owner: User) -> None:
    with pytest.raises(ShadowingError, match="after today"):
        ask(make_offer(md), owner, suggested_on=timezone.localdate())


def test_only_the_offerer_answers_and_only_the_requester_withdraws(md: User, owner: User, colleague: User) -> None:
    request = ask(make_offer(md), owner)
    for person in (owner, colleague):
        with pytest.raises(ShadowingError, match="No such request"):
            request_accept(request_id=request.pk, offerer=person, agreed_on=None, message="", now=timezone.now())
        with pytest.raises(ShadowingError, match="No such request"):
            request_decline(request_id=request.pk, offerer=person, message="", now=timezone.now())
    for person in (md, colleague):
        with pytest.raises(ShadowingError, match="No such request"):
            request_withdraw(request_id=request.pk, requester=person, now=timezone.now())
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_accepting_with_a_date_schedules_the_day_before_and_how_did_it_go(md: User, owner: User) -> None:
    day = timezone.localdate() + timedelta(days=10)
    request = accepted(make_offer(md), owner, agreed_on=day)
    assert kinds_for(owner) == ["shadowing_request_accepted", "shadowing_day_before", "shadowing_how_did_it_go"]
    assert kinds_for(md) == ["shadowing_request_received", "shadowing_day_before"]
    before = Reminder.objects.get(recipient=owner, kind="shadowing_day_before")
    assert timezone.localtime(before.due_at).date() == day - timedelta(days=1)
    assert timezone.localtime(before.due_at).hour == 9
    after = Reminder.objects.get(kind="shadowing_how_did_it_go")
    assert timezone.localtime(after.due_at).date() == day + timedelta(days=1)
    assert after.context["url"] == f"/talk-to-someone/requests/{request.pk}/reflection/"

    # Moving the date moves the reminders: the old ones are cancelled, new ones wait under keys with the new date.
    request_set_date(request_id=request.pk, offerer=md, agreed_on=day + timedelta(days=7), now=timezone.now())
    waiting = Reminder.objects.filter(
        status=ReminderStatus.PENDING, kind__in=["shadowing_day_before", "shadowing_how_did_it_go"]
    )
    assert waiting.count() == 3
    assert all((day + timedelta(days=7)).isoformat() in r.dedupe_key for r in waiting)


def test_declining_tells_the_requester_with_the_message(md: User, owner: User) -> None:
    request = ask(make_offer(md), owner)
    request_decline(request_id=request.pk, offerer=md, message="Ask Dr Lewis, our deputy.", now=timezone.now())
    reminder = Reminder.objects.get(recipient=owner)
    assert reminder.kind == "shadowing_request_declined" and reminder.context["message"] == "Ask Dr Lewis, our deputy."
    with pytest.raises(ShadowingError, match="no longer waiting"):
        request_accept(request_id=request.pk, offerer=md, agreed_on=None, message="", now=timezone.now())


def test_withdrawing_an_accepted_request_stops_its_reminders_and_tells_the_offerer(md: User, owner: User) -> None:
    request = accepted(make_offer(md), owner, agreed_on=timezone.localdate() + timedelta(days=10))
    request_withdraw(request_id=request.pk, requester=owner, now=timezone.now())
    assert not Reminder.objects.filter(kind="shadowing_day_before", status=ReminderStatus.PENDING).exists()
    assert Reminder.objects.get(recipient=md, kind="shadowing_request_withdrawn").context["was_accepted"] == "yes"


def test_withdrawing_an_offer_declines_those_still_waiting(md: User, owner: User) -> None:
    offer = make_offer(md)
    request = ask(offer, owner)
    offer_withdraw(offer=offer, now=timezone.now())
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED and request.answer_message == "The offer has been withdrawn."


# --- Expiry ---------------------------------------------------------------------------------------------------------


def test_an_unanswered_request_lapses_after_14_days_once_and_the_requester_is_told(md: User, owner: User) -> None:
    request = ask(make_offer(md, per_year=1), owner)
    with time_machine.travel(request.reply_by - timedelta(minutes=1)):
        expire_shadowing_requests()
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    with time_machine.travel(request.reply_by + timedelta(minutes=1)):
        # A request whose time is up cannot be accepted even before the hourly task has run.
        with pytest.raises(ShadowingError, match="has lapsed"):
            request_accept(request_id=request.pk, offerer=md, agreed_on=None, message="", now=timezone.now())
        expire_shadowing_requests()
        expire_shadowing_requests()  # safe to run twice
        assert requests_expire(now=timezone.now()) == 0
    request.refresh_from_db()
    assert request.status == RequestStatus.EXPIRED
    assert Reminder.objects.filter(recipient=owner, kind="shadowing_request_expired").count() == 1
    ask(request.offer, owner)  # the lapsed request no longer holds the place


# --- Races ----------------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_requests_for_the_last_place_at_once_one_wins(reference_data: None) -> None:
    offer = make_offer(person_in_role("md.race@example.org"), per_year=1)
    people = [ProfileFactory(user__email=f"asker{i}@example.org").user for i in range(2)]
    outcomes = race(*[(lambda p=p: ask(offer, p)) for p in people])
    refused = [o for o in outcomes if isinstance(o, ShadowingError)]
    assert len(refused) == 1 and "no places left" in str(refused[0])
    assert ShadowingRequest.objects.filter(offer=offer).count() == 1


@pytest.mark.django_db(transaction=True)
def test_answering_while_the_expiry_runs_does_one_or_the_other(reference_data: None) -> None:
    md = person_in_role("md.race2@example.org")
    request = ask(make_offer(md), ProfileFactory(user__email="asker@example.org").user)
    # The offerer answers in the last second; the hourly task runs with a clock a second past the deadline.
    before, after = request.reply_by - timedelta(seconds=1), request.reply_by + timedelta(seconds=1)
    outcomes = race(
        lambda: request_accept(request_id=request.pk, offerer=md, agreed_on=None, message="", now=before),
        lambda: requests_expire(now=after),
    )
    request.refresh_from_db()
    if request.status == RequestStatus.ACCEPTED:
        assert outcomes[1] == 0
    else:
        assert request.status == RequestStatus.EXPIRED and isinstance(outcomes[0], ShadowingError)


# --- Afterwards -----------------------------------------------------------------------------------------------------


def test_a_reflection_goes_into_the_requesters_own_plan(md: User, owner: User, colleague: User) -> None:
    request = accepted(make_offer(md), owner)
    plan = year_plan(owner)
    other_plan = year_plan(colleague)
    parts = {"title": "Shadowing day", "what_happened": "Board", "so_what": "Hard", "now_what": "Chair a committee"}
    with pytest.raises(ShadowingError, match="Choose one of your development plans"):
        reflection_write(request_id=request.pk, author=owner, plan_id=other_plan.pk, now=timezone.now(), **parts)
    assert not ShadowingReflection.objects.exists() and not Reflection.objects.exists()
    with pytest.raises(ShadowingError, match="No such request"):
        reflection_write(request_id=request.pk, author=md, plan_id=None, now=timezone.now(), **parts)
    written = reflection_write(request_id=request.pk, author=owner, plan_id=plan.pk, now=timezone.now(), **parts)
    assert written.plan_reflection is not None and written.plan_reflection.plan == plan
    assert written.plan_reflection.now_what == "Chair a committee"
    with pytest.raises(ShadowingError, match="already written"):
        reflection_write(request_id=request.pk, author=owner, plan_id=None, now=timezone.now(), **parts)


def test_no_reflection_before_the_agreed_day_or_on_a_request_not_accepted(md: User, owner: User) -> None:
    offer = make_offer(md)
    parts = {"title": "t", "what_happened": "w", "so_what": "s", "now_what": "n", "plan_id": None}
    waiting = ask(make_offer(md, kind="conversation"), owner)
    with pytest.raises(ShadowingError, match="once your request has been accepted"):
        reflection_write(request_id=waiting.pk, author=owner, now=timezone.now(), **parts)
    request = accepted(offer, owner, agreed_on=timezone.localdate() + timedelta(days=3))
    with pytest.raises(ShadowingError, match="on or after the day"):
        reflection_write(request_id=request.pk, author=owner, now=timezone.now(), **parts)


def test_closing_an_account_tells_the_others_and_keeps_their_reflections(
    md: User, owner: User, colleague: User
) -> None:
    offer = make_offer(md)
    waiting = ask(offer, colleague)
    done = accepted(make_offer(md, kind="conversation"), owner, agreed_on=timezone.localdate() + timedelta(days=5))
    ShadowingRequest.objects.filter(pk=done.pk).update(agreed_on=timezone.localdate())
    reflection_write(
        request_id=done.pk,
        author=owner,
        title="t",
        what_happened="w",
        so_what="s",
        now_what="n",
        plan_id=None,
        now=timezone.now(),
    )
    shadowing_leave(person=md, now=timezone.now())
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.DECLINED
    assert (
        Reminder.objects.get(recipient=colleague, kind="shadowing_request_declined").context["url"]
        == "/talk-to-someone/"
    )
    assert not Reminder.objects.filter(
        recipient=owner, kind="shadowing_day_before", status=ReminderStatus.PENDING
    ).exists()
    md.delete()
    assert ShadowingReflection.objects.get(author=owner).request is None
