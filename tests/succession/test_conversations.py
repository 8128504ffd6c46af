"""Talent conversations: a lead records one with someone standing forward at their organisation; the two of them,
and no one else, read and change it; the person deletes it and takes its next steps into their plan; both are
reminded on the day they agreed to meet again."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.audit.models import AccessEvent, ChangeEvent
from apps.development.models import Goal
from apps.notifications.models import Reminder, ReminderStatus
from apps.organisations.models import Organisation
from apps.privacy.services import account_close
from apps.succession.models import Candidacy, TalentConversation
from apps.succession.selectors import candidacies_for_lead
from apps.succession.services import SuccessionError
from apps.succession.services.conversations import (
    conversation_create,
    conversation_step_to_plan,
    conversations_withdrawn,
)
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, ProfileFactory, year_plan
from tests.support.outbox import send_outbox
from tests.support.succession import make_candidacy, make_lead

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def organisation(db: None) -> Organisation:
    return OrganisationFactory()


@pytest.fixture
def lead(organisation: Organisation) -> User:
    return make_lead(organisation)


@pytest.fixture
def candidacy(owner: User, organisation: Organisation) -> Candidacy:
    return make_candidacy(owner, organisation)


def form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "held_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "aspiration": "Deputy medical director within two years",
        "strengths": "Calm in a crisis",
        "to_develop": "Board-level finance",
        "next_steps": "Act up for two weeks\n\nJoin the quality committee\n",
        "meet_again_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
    data.update(changes)
    return data


def record(lead: User, candidacy: Candidacy, **changes: object) -> TalentConversation:
    day = timezone.localdate()
    values: dict[str, object] = {
        "held_on": day - timedelta(days=2),
        "aspiration": "Deputy medical director",
        "strengths": "Calm",
        "to_develop": "Finance",
        "next_steps": "Act up for two weeks\nJoin the quality committee",
        "meet_again_on": day + timedelta(days=30),
    }
    values.update(changes)
    return conversation_create(lead=lead, candidacy_id=candidacy.pk, now=timezone.now(), **values)  # type: ignore[arg-type]


def due_reminders(conversation: TalentConversation) -> list[tuple[int | None, datetime, str]]:
    return sorted(
        (r.recipient_id, r.due_at, r.status)
        for r in Reminder.objects.filter(kind="talent_conversation_due", dedupe_key__contains=f":{conversation.pk}:")
    )


def nine(day: object) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=LONDON)  # type: ignore[arg-type]


def other_lead() -> User:
    return make_lead(OrganisationFactory())


def strangers(organiser: User, outsider: User) -> list[User]:
    """Everyone who must find nothing: a lead of another organisation, an organiser, a stranger."""
    return [other_lead(), organiser, outsider]


# --- Recording ------------------------------------------------------------------------------------------------


def test_a_lead_records_a_conversation_and_the_person_is_told(owner: User, lead: User, candidacy: Candidacy) -> None:
    client = signed_in(lead)
    page = client.get(reverse("succession:conversation_new", args=[candidacy.pk]))
    assert page.status_code == 200 and owner.display_name in page.content.decode()
    response = client.post(reverse("succession:conversation_new", args=[candidacy.pk]), form())
    conversation = TalentConversation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "succession:conversation", args=[conversation.pk]
    )
    assert (conversation.person, conversation.lead, conversation.organisation_id) == (
        owner,
        lead,
        candidacy.organisation_id,
    )
    assert conversation.next_step_list == ["Act up for two weeks", "Join the quality committee"]
    day = timezone.localdate() + timedelta(days=30)
    assert due_reminders(conversation) == sorted(
        [(owner.pk, nine(day), ReminderStatus.PENDING), (lead.pk, nine(day), ReminderStatus.PENDING)]
    )
    events = ChangeEvent.objects.filter(actor=lead)
    assert sorted(e.subject_id for e in events) == sorted([owner.pk, lead.pk])
    assert {e.capacity for e in events} == {"organisation lead"}
    assert "Calm in a crisis" not in str([e.after for e in events])  # the words stay between the two
    send_outbox()
    [told] = [m for m in mail.outbox if m.to == [owner.email]]
    assert "recorded your talent conversation" in told.subject
    assert reverse("succession:conversation", args=[conversation.pk]) in told.body


def test_only_a_lead_of_the_organisation_starts_one(
    owner: User, candidacy: Candidacy, organiser: User, outsider: User
) -> None:
    url = reverse("succession:conversation_new", args=[candidacy.pk])
    assert signed_in(other_lead()).get(url).status_code == 404
    assert signed_in(other_lead()).post(url, form()).status_code == 404
    for user in (organiser, outsider, owner):
        assert signed_in(user).post(url, form()).status_code == 403
    assert not TalentConversation.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"held_on": "2100-01-01"}, "The date you met cannot be in the future"),
        ({"meet_again_on": "2026-12-06"}, "The date to meet again cannot be in the past"),
        ({"held_on": "31/02/2026"}, "Enter the date you met as a real date"),
        ({"held_on": ""}, "Enter the date you met"),
        ({"meet_again_on": "1900-01-01"}, "enter a date between 1950 and 2100"),
        (
            {"aspiration": "", "strengths": " ", "to_develop": "", "next_steps": "\n"},
            "Write at least one of aspiration, strengths",
        ),
        ({"strengths": "x" * 3001}, "keep it to 3000 characters or fewer"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(
    lead: User, candidacy: Candidacy, changes: dict[str, str], message: str
) -> None:
    response = signed_in(lead).post(reverse("succession:conversation_new", args=[candidacy.pk]), form(**changes))
    assert response.status_code == 400
    page = response.content.decode().replace("&#x27;", "'")
    assert message in page and "There is a problem" in page
    assert "Board-level finance" in page or changes.get("to_develop") == ""  # what they typed is kept
    assert not TalentConversation.objects.exists() and not Reminder.objects.exists()


def test_the_service_refuses_a_candidacy_elsewhere_and_oneself(
    owner: User, lead: User, organisation: Organisation
) -> None:
    elsewhere = make_candidacy(owner, OrganisationFactory())
    with pytest.raises(SuccessionError, match="no longer stands forward"):
        record(lead, elsewhere)
    own = make_candidacy(lead, organisation)
    with pytest.raises(SuccessionError, match="with yourself"):
        record(lead, own)
    assert not TalentConversation.objects.exists()


# --- Reading ----------------------------------------------------------------------------------------------------


def test_the_two_read_it_and_nobody_else(
    owner: User, lead: User, candidacy: Candidacy, organiser: User, outsider: User
) -> None:
    conversation = record(lead, candidacy)
    url = reverse("succession:conversation", args=[conversation.pk])
    for user in (owner, lead):
        page = signed_in(user).get(url)
        assert page.status_code == 200 and "Calm" in page.content.decode()
    for user in strangers(organiser, outsider):
        assert signed_in(user).get(url).status_code == 404
    assert not AccessEvent.objects.exists()  # the lead is a party to it, not a reader of someone's record
    assert "Add a next step to your development plan" not in signed_in(lead).get(url).content.decode()


def test_after_the_person_withdraws_the_lead_finds_nothing_at_once(
    owner: User, lead: User, candidacy: Candidacy
) -> None:
    conversation = record(lead, candidacy)
    url = reverse("succession:conversation", args=[conversation.pk])
    candidacy.delete()  # withdrawing deletes the candidacy
    conversations_withdrawn(person=owner, organisation_id=candidacy.organisation_id)
    assert signed_in(lead).get(url).status_code == 404
    assert (
        signed_in(lead).post(reverse("succession:conversation_edit", args=[conversation.pk]), form()).status_code == 404
    )
    assert signed_in(owner).get(url).status_code == 200  # the person keeps it
    statuses = {r.recipient_id: r.status for r in Reminder.objects.filter(kind="talent_conversation_due")}
    assert statuses == {owner.pk: ReminderStatus.PENDING, lead.pk: ReminderStatus.CANCELLED}


def test_a_lead_no_longer_leading_finds_nothing(owner: User, lead: User, candidacy: Candidacy) -> None:
    conversation = record(lead, candidacy)
    lead.role_grants.filter(role=Role.ORGANISATION_LEAD).update(revoked_at=timezone.now())
    assert signed_in(lead).get(reverse("succession:conversation", args=[conversation.pk])).status_code == 404


def test_the_list_shows_each_their_own(owner: User, lead: User, candidacy: Candidacy, outsider: User) -> None:
    conversation = record(lead, candidacy)
    link = reverse("succession:conversation", args=[conversation.pk])
    assert link in signed_in(owner).get(reverse("succession:conversations")).content.decode()
    assert link in signed_in(lead).get(reverse("succession:conversations")).content.decode()
    assert link not in signed_in(outsider).get(reverse("succession:conversations")).content.decode()


# --- Changing and deleting --------------------------------------------------------------------------------------


def test_either_changes_it_and_the_reminders_move(owner: User, lead: User, candidacy: Candidacy) -> None:
    conversation = record(lead, candidacy)
    url = reverse("succession:conversation_edit", args=[conversation.pk])
    assert signed_in(owner).get(url).status_code == 200
    moved = timezone.localdate() + timedelta(days=45)
    response = signed_in(owner).post(url, form(strengths="Listens well", meet_again_on=moved.isoformat()))
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert (conversation.strengths, conversation.updated_by) == ("Listens well", owner)
    pending = [r for r in due_reminders(conversation) if r[2] == ReminderStatus.PENDING]
    assert sorted(pending) == sorted([(owner.pk, nine(moved), "pending"), (lead.pk, nine(moved), "pending")])
    assert [r[2] for r in due_reminders(conversation)].count(ReminderStatus.CANCELLED) == 2
    assert ChangeEvent.objects.filter(actor=owner, capacity="the person it is about").count() == 2

    assert signed_in(lead).post(url, form(meet_again_on="")).status_code == 302
    assert {r[2] for r in due_reminders(conversation)} == {ReminderStatus.CANCELLED}


def test_nobody_else_changes_it_and_bad_input_changes_nothing(
    owner: User, lead: User, candidacy: Candidacy, organiser: User, outsider: User
) -> None:
    conversation = record(lead, candidacy)
    url = reverse("succession:conversation_edit", args=[conversation.pk])
    for user in strangers(organiser, outsider):
        assert signed_in(user).post(url, form(strengths="Hijacked")).status_code == 404
    response = signed_in(owner).post(url, form(strengths="Changed", held_on="2100-01-01"))
    assert response.status_code == 400 and "Changed" in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.strengths == "Calm"


def test_only_the_person_deletes_it_and_its_reminders_stop(owner: User, lead: User, candidacy: Candidacy) -> None:
    conversation = record(lead, candidacy)
    url = reverse("succession:conversation_delete", args=[conversation.pk])
    assert signed_in(lead).get(url).status_code == 404
    assert signed_in(lead).post(url).status_code == 404
    assert signed_in(owner).get(url).status_code == 200
    assert signed_in(owner).post(url).status_code == 302
    assert not TalentConversation.objects.exists()
    assert {r[2] for r in due_reminders(conversation)} == {ReminderStatus.CANCELLED}
    assert ChangeEvent.objects.filter(actor=owner, action="deleted a talent conversation with you").count() == 2


# --- Next steps into the plan -----------------------------------------------------------------------------------


def test_the_person_adds_a_next_step_to_their_plan(owner: User, lead: User, candidacy: Candidacy) -> None:
    conversation = record(lead, candidacy)
    plan = year_plan(owner)
    url = reverse("succession:conversation_step_to_plan", args=[conversation.pk])
    response = signed_in(owner).post(url, {"step-step": "1", "step-plan": str(plan.pk)})
    assert response.status_code == 302 and response["Location"] == reverse("development:plan", args=[plan.pk])
    goal = Goal.objects.get(plan=plan)
    assert goal.title == "Join the quality committee"
    assert goal.target_date == conversation.meet_again_on
    assert lead.display_name in goal.description
    again = signed_in(owner).post(url, {"step-step": "1", "step-plan": str(plan.pk)})
    assert again.status_code == 400 and "already has a goal" in again.content.decode().replace("&#x27;", "'")
    assert Goal.objects.count() == 1


def test_a_step_goes_only_into_the_persons_own_plan(
    owner: User, lead: User, candidacy: Candidacy, colleague: User
) -> None:
    conversation = record(lead, candidacy)
    mine, theirs, leads = year_plan(owner), year_plan(colleague), year_plan(lead)
    url = reverse("succession:conversation_step_to_plan", args=[conversation.pk])
    for data, message in [
        ({"step-step": "2", "step-plan": str(mine.pk)}, "Choose one of the agreed next steps from the list"),
        ({"step-step": "-1", "step-plan": str(mine.pk)}, "Choose one of the agreed next steps from the list"),
        ({"step-step": "x", "step-plan": str(mine.pk)}, "Choose one of the agreed next steps from the list"),
        ({"step-step": "0", "step-plan": str(theirs.pk)}, "Choose one of your plans from the list"),
        ({"step-step": "0"}, "Choose a plan"),
    ]:
        response = signed_in(owner).post(url, data)
        assert response.status_code == 400 and message in response.content.decode()
    assert signed_in(lead).post(url, {"step-step": "0", "step-plan": str(leads.pk)}).status_code == 404
    assert not Goal.objects.exists()
    with pytest.raises(SuccessionError, match="Choose one of your development plans"):
        conversation_step_to_plan(
            conversation_id=conversation.pk, person=owner, step_index=0, plan_id=theirs.pk, now=timezone.now()
        )
    with pytest.raises(SuccessionError, match="Choose one of the agreed next steps"):
        conversation_step_to_plan(
            conversation_id=conversation.pk, person=owner, step_index=5, plan_id=mine.pk, now=timezone.now()
        )


def test_without_a_plan_the_page_offers_to_start_one(owner: User, lead: User, candidacy: Candidacy) -> None:
    conversation = record(lead, candidacy)
    page = signed_in(owner).get(reverse("succession:conversation", args=[conversation.pk])).content.decode()
    assert reverse("development:list") in page and "Start one" in page


def test_a_step_without_a_meeting_date_is_due_at_the_plans_end(owner: User, lead: User, candidacy: Candidacy) -> None:
    conversation = record(lead, candidacy, meet_again_on=None)
    plan = year_plan(owner)
    goal = conversation_step_to_plan(
        conversation_id=conversation.pk, person=owner, step_index=0, plan_id=plan.pk, now=timezone.now()
    )
    assert goal.target_date == plan.ends_on


# --- Reminders --------------------------------------------------------------------------------------------------


def test_both_are_reminded_at_nine_on_the_day(owner: User, lead: User, candidacy: Candidacy) -> None:
    import time_machine

    day = timezone.localdate() + timedelta(days=3)
    record(lead, candidacy, meet_again_on=day)
    send_outbox()
    mail.outbox.clear()
    with time_machine.travel(nine(day) - timedelta(minutes=1)):
        send_outbox()
        assert mail.outbox == []
    with time_machine.travel(nine(day) + timedelta(minutes=1)):
        send_outbox()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, lead.email])
    assert all("Time to meet again" in m.subject for m in mail.outbox)


# --- Closing an account -----------------------------------------------------------------------------------------


def test_closing_an_account_takes_the_person_out_of_the_pipeline_and_stops_the_reminders(
    owner: User, lead: User, candidacy: Candidacy
) -> None:
    conversation = record(lead, candidacy)
    account_close(user=owner, actor=owner, now=timezone.now())
    assert not candidacies_for_lead(lead=lead).exists()
    assert not TalentConversation.objects.exists()
    lead_reminder = Reminder.objects.get(kind="talent_conversation_due", recipient=lead)
    assert lead_reminder.status == ReminderStatus.CANCELLED
    assert signed_in(lead).get(reverse("succession:conversation", args=[conversation.pk])).status_code == 404


def test_when_the_lead_closes_their_account_the_person_keeps_the_conversation(
    owner: User, lead: User, candidacy: Candidacy
) -> None:
    conversation = record(lead, candidacy)
    account_close(user=lead, actor=lead, now=timezone.now())
    conversation.refresh_from_db()
    assert conversation.lead is None
    page = signed_in(owner).get(reverse("succession:conversation", args=[conversation.pk])).content.decode()
    assert "a former member" in page
    assert Reminder.objects.get(kind="talent_conversation_due", recipient=owner).status == ReminderStatus.CANCELLED


# --- Query counts -----------------------------------------------------------------------------------------------


def test_the_conversation_page_makes_the_same_queries_however_many_steps_and_plans(
    owner: User, lead: User, candidacy: Candidacy, django_assert_num_queries: object
) -> None:
    conversation = record(lead, candidacy)
    year_plan(owner)
    client: Client = signed_in(owner)
    url = reverse("succession:conversation", args=[conversation.pk])
    client.get(url)  # warm the session

    def count() -> str:
        # 1 session, 2 user, 3 the organisation they lead, if any (the permission of the next), 4 the conversation
        # with both people, the organisation and who changed it last, 5 the person's plans; the header's 6 roles and
        # 7 unread reminders
        with django_assert_num_queries(7):  # type: ignore[operator]
            response = client.get(url)
        return response.content.decode()

    assert count().count('name="step-plan"') == 1
    TalentConversation.objects.filter(pk=conversation.pk).update(next_steps="\n".join(f"Step {i}" for i in range(20)))
    for i in range(4):
        year_plan(owner, title=f"Plan {i}")
    assert count().count('name="step-plan"') == 5


def test_the_list_makes_the_same_queries_as_it_grows(
    lead: User, organisation: Organisation, django_assert_num_queries: object
) -> None:
    client = signed_in(lead)
    client.get(reverse("succession:conversations"))

    def count() -> int:
        # 1 session, 2 user, 3 the lead's organisation (the permission of the next), 4 the conversations with both
        # people and the organisation; the header's 5 roles and 6 unread reminders
        with django_assert_num_queries(6):  # type: ignore[operator]
            response = client.get(reverse("succession:conversations"))
        return response.content.decode().count("/succession/conversations/")

    before = count()
    for _ in range(5):
        record(lead, make_candidacy(ProfileFactory().user, organisation))
    assert count() == before + 5
