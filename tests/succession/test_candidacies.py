"""Putting oneself forward, as the services see it: only at an organisation taking part, only for its own posts,
once per post or level (even when two requests race), with a readiness on the scale; a reminder to review that
follows every change; and withdrawing that removes everything the leads saw at once."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.models import ChangeEvent
from apps.notifications.models import Reminder, ReminderStatus
from apps.organisations.models import Organisation
from apps.profiles.models import CareerAimWhen, LeadershipLevel
from apps.succession.models import Candidacy, Readiness, ShowChoice
from apps.succession.selectors import candidacies_for_lead
from apps.succession.services import SuccessionError
from apps.succession.services.candidacies import (
    candidacy_confirm,
    candidacy_create,
    candidacy_lead_view_seen,
    candidacy_update,
    candidacy_withdraw,
    review_key,
)
from tests.factories import OrganisationFactory, ProfileFactory
from tests.support.races import race
from tests.support.succession import make_candidacy, make_lead, make_post

pytestmark = pytest.mark.django_db

ANSWERS: dict[str, Any] = {
    "aim": "Deputy medical director for quality within two years.",
    "timescale": CareerAimWhen.ONE_TO_2_YEARS,
    "readiness": Readiness.ONE_TO_TWO_YEARS,
    "emergency_cover": True,
    "show": ShowChoice.SUMMARY,
}


@pytest.fixture
def trust(db: None) -> Organisation:
    return OrganisationFactory(name="Northshire NHS Foundation Trust")


@pytest.fixture
def lead(trust: Organisation) -> User:
    return make_lead(trust)


def forward(person: User, organisation: Organisation, **changes: Any) -> Candidacy:
    values = {"post": None, "level": LeadershipLevel.DEPUTY_MD, **ANSWERS, **changes}
    return candidacy_create(person=person, organisation=organisation, now=timezone.now(), **values)


def review_reminder(candidacy_pk: int) -> Reminder:
    return Reminder.objects.get(dedupe_key=f"succession-review:{candidacy_pk}")


def test_standing_forward_for_a_post_takes_its_level_and_the_lead_sees_it(
    owner: User, trust: Organisation, lead: User
) -> None:
    post = make_post(trust, title="Associate medical director", level=LeadershipLevel.ASSOCIATE_MD)
    candidacy = forward(owner, trust, post=post, level=LeadershipLevel.MEDICAL_DIRECTOR)
    assert (candidacy.person, candidacy.post, candidacy.level) == (owner, post, LeadershipLevel.ASSOCIATE_MD)
    assert list(candidacies_for_lead(lead=lead)) == [candidacy]
    assert candidacy.reviewed_at == candidacy.created_at
    event = ChangeEvent.objects.get(action="put themself forward")
    assert event.subject == owner and "Associate medical director" in event.target


def test_only_at_an_organisation_taking_part(owner: User, trust: Organisation) -> None:
    with pytest.raises(SuccessionError, match="not taking part"):
        forward(owner, trust)  # no lead yet
    make_lead(trust)
    trust.closed_on = timezone.localdate() - timedelta(days=1)
    trust.save()
    with pytest.raises(SuccessionError, match="not taking part"):
        forward(owner, trust)
    assert not Candidacy.objects.exists() and not Reminder.objects.exists() and not ChangeEvent.objects.exists()


def test_a_post_of_another_organisation_is_refused(owner: User, trust: Organisation, lead: User) -> None:
    elsewhere = OrganisationFactory()
    make_lead(elsewhere)
    with pytest.raises(SuccessionError, match="this organisation's posts"):
        forward(owner, trust, post=make_post(elsewhere))
    assert not Candidacy.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"readiness": "ready_tomorrow"}, "readiness"),
        ({"readiness": ""}, "readiness"),
        ({"show": "everything"}, "leads see"),
        ({"timescale": "soon"}, "when you would like to move"),
        ({"level": 9}, "level on the leadership ladder"),
        ({"level": None}, "level on the leadership ladder"),
        ({"aim": "x" * 1001}, "1000 characters"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    owner: User, trust: Organisation, lead: User, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(SuccessionError, match=message):
        forward(owner, trust, **changes)
    assert not Candidacy.objects.exists() and not Reminder.objects.exists()


def test_someone_without_a_name_is_asked_for_one(trust: Organisation, lead: User) -> None:
    nameless = ProfileFactory(user__first_name="", user__last_name="").user
    with pytest.raises(SuccessionError, match="Add your name"):
        forward(nameless, trust)


def test_once_per_post_and_once_per_level(owner: User, trust: Organisation, lead: User) -> None:
    post = make_post(trust)
    forward(owner, trust, post=post)
    with pytest.raises(SuccessionError, match="already stand forward for Deputy medical director"):
        forward(owner, trust, post=post)
    forward(owner, trust)  # the level, without a post, is another choice
    with pytest.raises(SuccessionError, match="already stand forward as a deputy medical director"):
        forward(owner, trust)
    assert Candidacy.objects.filter(person=owner).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_at_once_makes_one_and_tells_the_other(reference_data: None) -> None:
    trust = OrganisationFactory()
    make_lead(trust)
    person = ProfileFactory(user__email="racer@example.org").user
    post = make_post(trust)
    outcomes = race(*[(lambda: forward(person, trust, post=post)) for _ in range(2)])
    refused = [o for o in outcomes if isinstance(o, SuccessionError)]
    assert len(refused) == 1 and "already stand forward" in str(refused[0])
    assert Candidacy.objects.filter(person=person).count() == 1
    outcomes = race(*[(lambda: forward(person, trust)) for _ in range(2)])
    assert sum(isinstance(o, SuccessionError) for o in outcomes) == 1
    assert Candidacy.objects.filter(person=person, post=None).count() == 1
    assert Reminder.objects.filter(dedupe_key__startswith="succession-review:").count() == 2


@pytest.mark.django_db
def test_the_other_submit_saved_between_the_check_and_full_clean_is_told_in_the_same_words(
    reference_data: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The interleaving that made the race above fail once in a parallel run: the first submit is saved after the
    second one's own check but before its full_clean, whose unique-constraint check then refuses in Django's words."""
    from apps.succession.services import candidacies as service

    trust = OrganisationFactory()
    make_lead(trust)
    person = ProfileFactory(user__email="second@example.org").user
    post = make_post(trust)
    real = service.clean_problem
    saved: list[Candidacy] = []

    def the_other_one_lands_first(candidacy: Candidacy) -> str | None:
        if not saved:
            monkeypatch.setattr(service, "clean_problem", real)
            saved.append(forward(person, trust, post=post))
        return real(candidacy)

    monkeypatch.setattr(service, "clean_problem", the_other_one_lands_first)
    with pytest.raises(SuccessionError, match="You already stand forward for"):
        forward(person, trust, post=post)
    assert len(saved) == 1  # (saved inside the refused call's transaction here, so rolled back with it)


def test_the_review_reminder_is_scheduled_moved_and_cancelled(owner: User, trust: Organisation, lead: User) -> None:
    candidacy = forward(owner, trust, readiness=Readiness.THREE_TO_FIVE_YEARS)
    reminder = review_reminder(candidacy.pk)
    assert reminder.kind == "succession_readiness_review" and reminder.recipient == owner
    assert reminder.due_at == candidacy.created_at.replace(year=candidacy.created_at.year + 3)
    assert reminder.context["organisation"] == trust.name and reminder.context["url"] == "/succession/"

    later = timezone.now() + timedelta(days=40)
    candidacy = candidacy_update(
        candidacy=candidacy, person=owner, now=later, **{**ANSWERS, "readiness": Readiness.READY_NOW}
    )
    reminder.refresh_from_db()
    assert candidacy.reviewed_at == later and reminder.due_at == later.replace(year=later.year + 1)
    assert reminder.context["readiness"] == "Ready now"

    confirmed_at = later + timedelta(days=300)
    candidacy_confirm(candidacy=candidacy, person=owner, now=confirmed_at)
    reminder.refresh_from_db()
    assert reminder.due_at == confirmed_at.replace(year=confirmed_at.year + 1)

    key = review_key(candidacy)
    candidacy_withdraw(candidacy=candidacy, person=owner, now=confirmed_at)
    assert Reminder.objects.get(dedupe_key=key).status == ReminderStatus.CANCELLED


def test_an_update_that_keeps_the_readiness_keeps_its_review_date(owner: User, trust: Organisation, lead: User) -> None:
    candidacy = forward(owner, trust)
    updated = candidacy_update(
        candidacy=candidacy, person=owner, now=timezone.now() + timedelta(days=5), **{**ANSWERS, "aim": "Now MD"}
    )
    assert updated.reviewed_at == candidacy.reviewed_at and updated.aim == "Now MD"
    event = ChangeEvent.objects.get(action="changed their candidacy")
    assert event.before["show"] == "summary" and event.after["readiness"] == Readiness.ONE_TO_TWO_YEARS


def test_an_update_refuses_bad_input_and_keeps_what_was_there(owner: User, trust: Organisation, lead: User) -> None:
    candidacy = forward(owner, trust)
    with pytest.raises(SuccessionError, match="readiness"):
        candidacy_update(candidacy=candidacy, person=owner, now=timezone.now(), **{**ANSWERS, "readiness": "soon"})
    candidacy.refresh_from_db()
    assert candidacy.readiness == Readiness.ONE_TO_TWO_YEARS


def test_no_one_changes_confirms_or_withdraws_anothers(
    owner: User, colleague: User, trust: Organisation, lead: User
) -> None:
    candidacy = forward(owner, trust)
    with pytest.raises(SuccessionError):
        candidacy_update(candidacy=candidacy, person=colleague, now=timezone.now(), **ANSWERS)
    with pytest.raises(SuccessionError):
        candidacy_confirm(candidacy=candidacy, person=colleague, now=timezone.now())
    with pytest.raises(SuccessionError):
        candidacy_withdraw(candidacy=candidacy, person=colleague, now=timezone.now())
    assert candidacy_lead_view_seen(person=colleague, shown=[(candidacy.pk, timezone.now())], now=timezone.now()) == 0
    assert Candidacy.objects.filter(pk=candidacy.pk, person=owner).exists()


def test_withdrawing_removes_it_from_the_leads_view_at_once(owner: User, trust: Organisation, lead: User) -> None:
    candidacy = forward(owner, trust)
    Candidacy.objects.filter(pk=candidacy.pk).update(
        lead_readiness=Readiness.READY_NOW, lead_comment="Ready", lead_by=lead, lead_at=timezone.now()
    )
    assert candidacies_for_lead(lead=lead).count() == 1
    candidacy_withdraw(candidacy=candidacy, person=owner, now=timezone.now())
    assert candidacies_for_lead(lead=lead).count() == 0
    assert not Candidacy.objects.filter(pk=candidacy.pk).exists()  # the lead's view with it
    event = ChangeEvent.objects.get(action="withdrew their candidacy")
    assert event.after == {} and event.before["readiness"] == Readiness.ONE_TO_TWO_YEARS
    with pytest.raises(SuccessionError, match="no longer stand forward"):
        candidacy_withdraw(candidacy=candidacy, person=owner, now=timezone.now())


def test_the_leads_view_is_marked_seen_once_shown(owner: User, trust: Organisation, lead: User) -> None:
    seen_before = make_candidacy(owner, trust)
    unseen = make_candidacy(owner, trust, post=make_post(trust))
    nothing = make_candidacy(owner, trust, level=LeadershipLevel.MEDICAL_DIRECTOR)
    at = timezone.now()
    Candidacy.objects.filter(pk__in=[seen_before.pk, unseen.pk]).update(
        lead_readiness=Readiness.READY_NOW, lead_by=lead, lead_at=at
    )
    Candidacy.objects.filter(pk=seen_before.pk).update(lead_seen_at=at + timedelta(minutes=1))
    shown = [(seen_before.pk, at), (unseen.pk, at), (nothing.pk, at)]
    later = at + timedelta(hours=1)
    assert candidacy_lead_view_seen(person=owner, shown=shown, now=later) == 1
    unseen.refresh_from_db()
    assert unseen.lead_seen_at == later and unseen.lead_view_seen
    # The lead changes their view: it is unseen again until shown.
    Candidacy.objects.filter(pk=unseen.pk).update(lead_at=later + timedelta(hours=1))
    unseen.refresh_from_db()
    assert not unseen.lead_view_seen


def test_a_view_changed_after_the_page_read_it_stays_unseen(owner: User, trust: Organisation, lead: User) -> None:
    """The page read the view as it stood at `at`; the lead changed it before the page marked it seen."""
    candidacy = make_candidacy(owner, trust)
    at = timezone.now()
    changed = at + timedelta(seconds=1)
    Candidacy.objects.filter(pk=candidacy.pk).update(lead_readiness=Readiness.READY_NOW, lead_by=lead, lead_at=changed)
    assert candidacy_lead_view_seen(person=owner, shown=[(candidacy.pk, at)], now=changed) == 0
    candidacy.refresh_from_db()
    assert candidacy.lead_seen_at is None and not candidacy.lead_view_seen
