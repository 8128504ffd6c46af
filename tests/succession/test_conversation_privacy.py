"""A talent conversation's lead hears of it only while they can see it: not after the person withdraws, stands
forward again later, or the lead's grant ends or moves to another organisation. Each write leaves the lead out
once they cannot see it; the daily beat task cancels, before the day's reminders go, every reminder still waiting
for someone who can no longer see what it names; and a double submit records one conversation, not two."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant, User
from apps.audit.models import ChangeEvent
from apps.notifications.models import Reminder, ReminderStatus
from apps.organisations.models import Organisation
from apps.succession.models import Candidacy, TalentConversation
from apps.succession.selectors import conversations_for
from apps.succession.services import SuccessionError
from apps.succession.services.conversations import (
    conversation_create,
    conversation_delete,
    conversation_update,
    conversations_withdrawn,
)
from apps.succession.services.vacancies import vacancy_key
from apps.succession.tasks import remind_uncovered_vacancies
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, ProfileFactory
from tests.support.outbox import send_outbox
from tests.support.races import race
from tests.support.succession import make_candidacy, make_lead, make_post

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
MEET_ON = date(2026, 12, 10)  # three days after the suite's fixed day
WORDS: dict[str, object] = {
    "aspiration": "Deputy medical director",
    "strengths": "Calm",
    "to_develop": "Finance",
    "next_steps": "Act up for two weeks",
}


@pytest.fixture
def organisation(db: None) -> Organisation:
    return OrganisationFactory()


@pytest.fixture
def lead(organisation: Organisation) -> User:
    return make_lead(organisation)


def record(lead: User, candidacy: Candidacy, **changes: object) -> TalentConversation:
    values: dict[str, object] = {
        **WORDS,
        "held_on": timezone.localdate() - timedelta(days=1),
        "meet_again_on": MEET_ON,
        **changes,
    }
    return conversation_create(lead=lead, candidacy_id=candidacy.pk, now=timezone.now(), **values)  # type: ignore[arg-type]


def change(conversation: TalentConversation, actor: User, **changes: object) -> TalentConversation:
    values: dict[str, object] = {
        **WORDS,
        "held_on": conversation.held_on,
        "meet_again_on": conversation.meet_again_on,
        **changes,
    }
    return conversation_update(conversation_id=conversation.pk, actor=actor, now=timezone.now(), **values)  # type: ignore[arg-type]


def pending_due(conversation: TalentConversation) -> set[tuple[int | None, str]]:
    """(recipient, meet-again date) of the conversation's meet-again reminders still waiting to be sent."""
    return {
        (r.recipient_id, r.context["meet_again_on"])
        for r in Reminder.objects.filter(
            kind="talent_conversation_due",
            dedupe_key__startswith=f"talent-conversation:{conversation.pk}:due:",
            status=ReminderStatus.PENDING,
        )
    }


def withdraw(candidacy: Candidacy) -> None:
    """What `candidacy_withdraw` does to the conversations: the row goes, then the leads' reminders stop."""
    candidacy.delete()
    conversations_withdrawn(person=candidacy.person, organisation_id=candidacy.organisation_id)


def fresh(user: User) -> User:
    """The same person as a new request would load them (the organisation they lead is cached on the object)."""
    return User.objects.get(pk=user.pk)


# --- 1. A write leaves out a lead who can no longer see the conversation ----------------------------------------


def test_after_withdrawing_a_moved_date_reminds_only_the_person(
    owner: User, lead: User, organisation: Organisation
) -> None:
    candidacy = make_candidacy(owner, organisation)
    conversation = record(lead, candidacy)
    withdraw(candidacy)
    ChangeEvent.objects.all().delete()

    moved = MEET_ON + timedelta(days=7)
    change(conversation, owner, meet_again_on=moved)
    assert pending_due(conversation) == {(owner.pk, moved.isoformat())}  # nothing names the person to the lead
    assert [e.subject_id for e in ChangeEvent.objects.all()] == [owner.pk]

    conversation_delete(conversation_id=conversation.pk, person=owner, now=timezone.now())
    assert lead.pk not in ChangeEvent.objects.values_list("subject_id", flat=True)


def test_after_the_leads_grant_ends_a_change_cancels_their_reminder(
    owner: User, lead: User, organisation: Organisation
) -> None:
    conversation = record(lead, make_candidacy(owner, organisation))
    lead.role_grants.filter(role=Role.ORGANISATION_LEAD).update(revoked_at=timezone.now())
    ChangeEvent.objects.all().delete()

    change(conversation, owner, strengths="Listens well")  # the date stays
    assert pending_due(conversation) == {(owner.pk, MEET_ON.isoformat())}
    assert [e.subject_id for e in ChangeEvent.objects.all()] == [owner.pk]


def test_while_the_lead_sees_it_both_are_still_included(owner: User, lead: User, organisation: Organisation) -> None:
    conversation = record(lead, make_candidacy(owner, organisation))
    moved = MEET_ON + timedelta(days=7)
    change(conversation, owner, meet_again_on=moved)
    assert pending_due(conversation) == {(owner.pk, moved.isoformat()), (lead.pk, moved.isoformat())}
    assert sorted(ChangeEvent.objects.filter(actor=owner).values_list("subject_id", flat=True)) == sorted(
        [owner.pk, lead.pk]
    )


# --- 3. Standing forward again does not reopen what went before -------------------------------------------------


def test_standing_forward_again_keeps_the_old_conversation_the_persons_only(
    owner: User, lead: User, organisation: Organisation
) -> None:
    candidacy = make_candidacy(owner, organisation)
    old = record(lead, candidacy)
    withdraw(candidacy)
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        again = make_candidacy(owner, organisation)
        assert list(conversations_for(user=fresh(lead))) == []
        new = record(fresh(lead), again, held_on=timezone.localdate())

        assert list(conversations_for(user=fresh(lead))) == [new]
        assert set(conversations_for(user=owner)) == {old, new}
        assert signed_in(lead).get(reverse("succession:conversation", args=[old.pk])).status_code == 404
        assert signed_in(lead).get(reverse("succession:conversation", args=[new.pk])).status_code == 200
        assert signed_in(owner).get(reverse("succession:conversation", args=[old.pk])).status_code == 200
        listed = signed_in(lead).get(reverse("succession:conversations")).content.decode()
        assert reverse("succession:conversation", args=[new.pk]) in listed
        assert reverse("succession:conversation", args=[old.pk]) not in listed
        # the person changing the old one does not bring the lead back to it
        change(old, owner, meet_again_on=MEET_ON + timedelta(days=1))
        assert {recipient for recipient, _ in pending_due(old)} == {owner.pk}


def test_a_second_candidacy_made_while_the_first_stands_keeps_sight_until_both_go(
    owner: User, lead: User, organisation: Organisation
) -> None:
    first = make_candidacy(owner, organisation)
    conversation = record(lead, first)
    make_candidacy(owner, organisation, make_post(organisation))  # a post as well, later
    assert list(conversations_for(user=fresh(lead))) == [conversation]


# --- 2. The daily sweep, before the day's reminders -------------------------------------------------------------


def eight_in_london(day: date) -> datetime:
    return datetime.combine(day, time(8, 0), tzinfo=LONDON)


def test_the_daily_task_first_cancels_what_names_people_to_someone_who_cannot_see_them(
    organisation: Organisation, lead: User, django_assert_num_queries: object
) -> None:
    people = [ProfileFactory().user for _ in range(5)]
    seen, withdrew, back_again = people[:3]
    conversations = {
        "seen": record(lead, make_candidacy(seen, organisation)),
        "withdrew": record(lead, make_candidacy(withdrew, organisation)),
    }
    back = make_candidacy(back_again, organisation)
    conversations["back again"] = record(lead, back)
    revoked_lead, moved_lead = make_lead(organisation), make_lead(organisation)
    conversations["revoked"] = record(revoked_lead, make_candidacy(people[3], organisation))
    conversations["moved"] = record(moved_lead, make_candidacy(people[4], organisation))
    post = make_post(organisation, title="Medical director", level=5, expected_vacancy=MEET_ON + timedelta(days=40))
    remind_uncovered_vacancies()  # the day before: the three leads are told of the post
    assert Reminder.objects.filter(kind="succession_vacancy_uncovered").count() == 3
    # Held for a digest, say: none sent yet. Then the changes that should have stopped them, made directly, as
    # an administrator's revoke does (accounts knows nothing of succession).
    Reminder.objects.filter(kind="succession_vacancy_uncovered").update(status=ReminderStatus.DIGEST)
    Candidacy.objects.filter(person=withdrew).delete()
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        back.delete()
        make_candidacy(back_again, organisation)
    revoked_lead.role_grants.update(revoked_at=timezone.now())
    moved_lead.role_grants.update(organisation=OrganisationFactory())

    # The sweep: 1 its savepoint, 2 the lead's meet-again reminders for conversations they no longer see
    # cancelled, in one update, 3 the vacancy reminders to people who no longer lead the post's organisation, in
    # one update, 4 release. Then the day's vacancy reminders: 5 the posts, 6 their one lead left; schedule_many
    # 7 its savepoint, 8 the reminder already under the key (held for the digest, so left as it is), 9 the
    # insert's savepoint (nothing new to insert), 10 and 11 release both.
    with time_machine.travel(eight_in_london(MEET_ON), tick=False), django_assert_num_queries(11):  # type: ignore[operator]
        remind_uncovered_vacancies()

    for name, conversation in conversations.items():
        assert conversation.person_id is not None and conversation.lead is not None
        lead_sees = conversations_for(user=fresh(conversation.lead)).filter(pk=conversation.pk).exists()
        assert lead_sees == (name == "seen"), name
        expected = {conversation.person_id, conversation.lead_id} if lead_sees else {conversation.person_id}
        assert {recipient for recipient, _ in pending_due(conversation)} == expected, name
    vacancy = {r.recipient_id: r.status for r in Reminder.objects.filter(kind="succession_vacancy_uncovered")}
    assert vacancy == {
        lead.pk: ReminderStatus.DIGEST,
        revoked_lead.pk: ReminderStatus.CANCELLED,
        moved_lead.pk: ReminderStatus.CANCELLED,
    }
    assert Reminder.objects.get(dedupe_key=vacancy_key(post, lead)).status == ReminderStatus.DIGEST

    send_outbox()
    mail.outbox.clear()
    with time_machine.travel(datetime.combine(MEET_ON, time(9, 1), tzinfo=LONDON), tick=False):
        send_outbox()
    due = [m for m in mail.outbox if "Time to meet again" in m.subject]
    assert sorted(m.to[0] for m in due) == sorted([*(p.email for p in people), lead.email])


def test_the_sweep_makes_the_same_queries_however_many_reminders(
    organisation: Organisation, lead: User, django_assert_num_queries: object
) -> None:
    def more(count: int) -> None:
        for _ in range(count):
            trust = OrganisationFactory()
            gone = make_lead(trust)
            candidacy = make_candidacy(ProfileFactory().user, trust)
            record(gone, candidacy)
            make_post(trust, expected_vacancy=MEET_ON + timedelta(days=30))
            candidacy.delete()
        remind_uncovered_vacancies()
        RoleGrant.objects.exclude(user=lead).update(revoked_at=timezone.now())

    def run() -> None:
        # as above: 1-4 the sweep, 5-6 the posts and their leads (none left), nothing to schedule
        with time_machine.travel(eight_in_london(MEET_ON), tick=False), django_assert_num_queries(6):  # type: ignore[operator]
            remind_uncovered_vacancies()

    more(1)
    run()
    more(6)
    run()
    assert not Reminder.objects.filter(
        kind__in=["talent_conversation_due", "succession_vacancy_uncovered"],
        status=ReminderStatus.PENDING,
        recipient__role_grants__revoked_at__isnull=False,
    ).exists()


# --- 4. A double submit records one conversation ----------------------------------------------------------------


def test_a_second_conversation_on_the_same_day_is_refused(owner: User, lead: User, organisation: Organisation) -> None:
    candidacy = make_candidacy(owner, organisation)
    day = timezone.localdate() - timedelta(days=3)
    record(lead, candidacy, held_on=day)
    with pytest.raises(SuccessionError) as refused:
        record(lead, candidacy, held_on=day)
    assert str(refused.value) == (
        f"You already recorded a conversation with {owner.display_name} on {day.day} {day:%B %Y}: change that one."
    )
    record(lead, candidacy, held_on=day - timedelta(days=1))  # another day is another conversation
    assert TalentConversation.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_at_once_records_one_and_tells_the_other(reference_data: None) -> None:
    trust = OrganisationFactory()
    lead = make_lead(trust)
    person = ProfileFactory(user__email="racer@example.org").user
    candidacy = make_candidacy(person, trust)
    outcomes = race(*[(lambda: record(fresh(lead), candidacy)) for _ in range(2)])
    refused = [o for o in outcomes if isinstance(o, SuccessionError)]
    assert len(refused) == 1 and "You already recorded a conversation with" in str(refused[0])
    assert TalentConversation.objects.count() == 1
    assert Reminder.objects.filter(kind="talent_conversation_recorded").count() == 1
