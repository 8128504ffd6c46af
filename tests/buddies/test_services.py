"""The cohort services: pairing a draft from profiles, changing it by hand with the rules checked, publishing with
notices, the next cohort for someone left out, and the audit trail."""

from datetime import date

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.models import ChangeEvent
from apps.buddies.models import BuddyPair, Cohort, CohortMember, CohortStatus, PairStatus
from apps.buddies.selectors import buddy_for, buddy_of, people_with_buddy
from apps.buddies.services import (
    ALREADY_PUBLISHED,
    UNPAIRED_BY_HAND,
    BuddiesError,
    cohort_create,
    cohort_pair,
    cohort_publish,
    member_add,
    member_join,
    member_move_to_next,
    months_in_role,
    pair_make,
    pair_remove,
)
from apps.notifications.models import Reminder
from apps.profiles.models import CareerRole
from tests.buddies.factories import join, md

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(organiser: User) -> Cohort:
    return cohort_create(name="New MDs, winter 2026", actor=organiser, now=timezone.now())


def test_months_in_role_counts_whole_months() -> None:
    assert months_in_role(started=date(2026, 6, 15), today=date(2026, 12, 7)) == 5
    assert months_in_role(started=date(2026, 6, 1), today=date(2026, 12, 7)) == 6
    assert months_in_role(started=date(2026, 12, 20), today=date(2026, 12, 7)) == 0


def test_only_organisers_create_cohorts(owner: User) -> None:
    with pytest.raises(BuddiesError, match="run by organisers"):
        cohort_create(name="Mine", actor=owner, now=timezone.now())
    assert not Cohort.objects.exists()


def test_pairing_reads_profiles_and_keeps_a_snapshot_with_the_explanation(cohort: Cohort, organiser: User) -> None:
    ann, bob = md("Ann"), md("Bob", region="Y59")
    join(cohort, ann, date(2026, 10, 1))
    join(cohort, bob, date(2026, 1, 1))

    result = cohort_pair(cohort=cohort, actor=organiser, now=timezone.now())

    assert (result.pairs, result.left_out) == (1, 0)
    pair = BuddyPair.objects.get()
    assert (pair.status, pair.level, pair.first_sector, pair.second_region) == (
        PairStatus.DRAFT,
        5,
        "Mental health",
        "South East",
    )
    assert pair.first_organisation == "Ann NHS Foundation Trust"
    assert (pair.first_months_in_role, pair.second_months_in_role) == (2, 11)
    assert pair.explanation == (
        "Same leadership level, different organisations; Same sector (Mental health); One is 9 months further into "
        "the role: close enough to remember starting; Neighbouring regions (London and South East)"
    )
    assert pair.score == 10 + 40 + 30 + 10
    cohort.refresh_from_db()
    assert cohort.status == CohortStatus.DRAFT
    assert ChangeEvent.objects.filter(action="paired a buddy cohort (draft)").count() == 1


def test_people_who_cannot_be_paired_are_told_why(cohort: Cohort, organiser: User) -> None:
    ann = md("Ann")
    colleague = md("Cat", organisation=ann.profile.organisation)
    lead = md("Dan", role=CareerRole.CLINICAL_LEAD)
    no_role = md("Eve", role=CareerRole.CONSULTANT_GP)
    for person in (ann, colleague, lead, no_role):
        join(cohort, person)

    cohort_pair(cohort=cohort, actor=organiser, now=timezone.now())

    reasons = dict(CohortMember.objects.values_list("user__first_name", "left_out_reason"))
    assert reasons["Ann"].startswith("Nobody else in the cohort is at the same leadership level")
    assert reasons["Cat"] == reasons["Ann"]
    assert reasons["Dan"].startswith("Nobody else")
    assert "gives no leadership role" in reasons["Eve"]
    assert not BuddyPair.objects.exists()


def test_pairing_again_replaces_the_draft(cohort: Cohort, organiser: User) -> None:
    for name in ("Ann", "Bob", "Cat", "Dan"):
        join(cohort, md(name))
    cohort_pair(cohort=cohort, actor=organiser, now=timezone.now())
    cohort_pair(cohort=cohort, actor=organiser, now=timezone.now())
    assert BuddyPair.objects.count() == 2


def test_a_cohort_of_one_is_not_paired(cohort: Cohort, organiser: User) -> None:
    join(cohort, md("Ann"))
    with pytest.raises(BuddiesError, match="at least two people"):
        cohort_pair(cohort=cohort, actor=organiser, now=timezone.now())
    assert Cohort.objects.get().status == CohortStatus.OPEN


@pytest.fixture
def draft(cohort: Cohort, organiser: User) -> Cohort:
    ann, bob, cat = md("Ann"), md("Bob"), md("Cat")
    md("Zed", organisation=ann.profile.organisation)
    for person in (ann, bob, cat):
        join(cohort, person)
    join(cohort, User.objects.get(first_name="Zed"))
    cohort_pair(cohort=cohort, actor=organiser, now=timezone.now())
    return cohort


def test_a_pair_is_unpaired_and_paired_again_by_hand(draft: Cohort, organiser: User) -> None:
    for pair in list(draft.pairs.all()):
        pair_remove(pair=pair, actor=organiser, now=timezone.now())
    assert set(draft.members.values_list("left_out_reason", flat=True)) == {UNPAIRED_BY_HAND}
    ann, bob = User.objects.get(first_name="Ann"), User.objects.get(first_name="Bob")

    pair = pair_make(cohort=draft, first_user_id=bob.pk, second_user_id=ann.pk, actor=organiser, now=timezone.now())

    assert (pair.first_id, pair.second_id, pair.paired_by_hand) == (min(ann.pk, bob.pk), max(ann.pk, bob.pk), True)
    assert pair.explanation.startswith("Same leadership level, different organisations")
    assert draft.members.get(user=ann).left_out_reason == ""
    assert ChangeEvent.objects.filter(action="paired two buddies by hand (draft)").count() == 2  # one per person
    assert ChangeEvent.objects.filter(action="unpaired two buddies (draft)").count() == 4


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("Ann", "Ann", "cannot be their own buddy"),
        ("Ann", "Zed", "Both work at Ann NHS Foundation Trust: a buddy comes from another organisation."),
    ],
)
def test_pairing_by_hand_refuses_self_and_colleagues(
    draft: Cohort, organiser: User, first: str, second: str, message: str
) -> None:
    for pair in list(draft.pairs.all()):
        pair_remove(pair=pair, actor=organiser, now=timezone.now())
    ids = {u.first_name: u.pk for u in User.objects.all()}

    with pytest.raises(BuddiesError, match=message):
        pair_make(
            cohort=draft, first_user_id=ids[first], second_user_id=ids[second], actor=organiser, now=timezone.now()
        )
    assert not BuddyPair.objects.exists()


def test_pairing_by_hand_refuses_someone_already_paired_and_outsiders(draft: Cohort, organiser: User) -> None:
    pair = draft.pairs.first()
    assert pair is not None
    unpaired = draft.members.exclude(user_id__in=[pair.first_id, pair.second_id]).values_list("user_id", flat=True)
    with pytest.raises(BuddiesError, match="is already paired: unpair them first"):
        pair_make(
            cohort=draft, first_user_id=pair.first_id, second_user_id=unpaired[0], actor=organiser, now=timezone.now()
        )
    stranger = md("Stranger")
    with pytest.raises(BuddiesError, match="Choose two people of this cohort"):
        pair_make(
            cohort=draft, first_user_id=stranger.pk, second_user_id=unpaired[0], actor=organiser, now=timezone.now()
        )
    assert draft.pairs.count() == 2 - 0  # unchanged


def test_pairing_by_hand_refuses_two_levels(cohort: Cohort, organiser: User) -> None:
    ann, dan = md("Ann"), md("Dan", role=CareerRole.DEPUTY_MD)
    join(cohort, ann)
    join(cohort, dan)
    cohort_pair(cohort=cohort, actor=organiser, now=timezone.now())
    with pytest.raises(BuddiesError, match="different leadership levels"):
        pair_make(cohort=cohort, first_user_id=ann.pk, second_user_id=dan.pk, actor=organiser, now=timezone.now())


def test_the_database_refuses_a_pair_of_one_and_a_person_twice_in_a_column(draft: Cohort) -> None:
    from django.db import IntegrityError, transaction

    pair = draft.pairs.first()
    assert pair is not None
    with transaction.atomic(), pytest.raises(IntegrityError):
        BuddyPair.objects.filter(pk=pair.pk).update(second_id=pair.first_id)
    other = md("Other")
    with transaction.atomic(), pytest.raises(IntegrityError):
        BuddyPair.objects.create(
            cohort=draft,
            first_id=pair.first_id,
            second_id=max(other.pk, pair.first_id + 1),
            level=5,
            first_organisation="x",
            second_organisation="y",
            first_months_in_role=0,
            second_months_in_role=0,
            created_at=timezone.now(),
        )


def test_publishing_tells_both_people_and_the_odd_one_out(draft: Cohort, organiser: User) -> None:
    result = cohort_publish(cohort=draft, actor=organiser, now=timezone.now())

    assert (result.pairs, result.left_out) == (2, 0)
    assert set(draft.pairs.values_list("status", flat=True)) == {PairStatus.PUBLISHED}
    notices = Reminder.objects.filter(kind="buddy_paired")
    assert notices.count() == 4
    ann = User.objects.get(first_name="Ann")
    notice = notices.get(recipient=ann)
    pair = buddy_for(user=ann)
    assert pair is not None
    assert notice.context["buddy_name"] == buddy_of(pair=pair, user=ann).display_name
    assert notice.context["why"].startswith("Same leadership level, different organisations; Same sector")
    assert people_with_buddy(user_ids={ann.pk, organiser.pk}) == {ann.pk}


def test_the_odd_one_out_is_told_why_and_can_move_to_the_next_cohort(cohort: Cohort, organiser: User) -> None:
    for name in ("Ann", "Bob", "Cat"):
        join(cohort, md(name))
    cohort_pair(cohort=cohort, actor=organiser, now=timezone.now())
    cohort_publish(cohort=cohort, actor=organiser, now=timezone.now())
    notice = Reminder.objects.get(kind="buddy_left_out")
    assert notice.context["reason"].startswith("An odd number of people at this leadership level")
    member = CohortMember.objects.get(user=notice.recipient)

    with pytest.raises(BuddiesError, match="no open cohort to move to yet"):
        member_move_to_next(member=member, user=member.user, now=timezone.now())
    spring = cohort_create(name="Spring", actor=organiser, now=timezone.now())
    moved = member_move_to_next(member=member, user=member.user, now=timezone.now())

    assert (moved.cohort, moved.started_in_role) == (spring, member.started_in_role)
    paired_member = CohortMember.objects.filter(cohort=cohort).exclude(pk=member.pk).first()
    assert paired_member is not None
    with pytest.raises(BuddiesError, match="Only someone left without a buddy"):
        member_move_to_next(member=paired_member, user=paired_member.user, now=timezone.now())


def test_a_published_cohort_cannot_be_changed(draft: Cohort, organiser: User) -> None:
    cohort_publish(cohort=draft, actor=organiser, now=timezone.now())
    pair = draft.pairs.first()
    assert pair is not None
    for attempt in (
        lambda: cohort_pair(cohort=draft, actor=organiser, now=timezone.now()),
        lambda: pair_remove(pair=pair, actor=organiser, now=timezone.now()),
        lambda: cohort_publish(cohort=draft, actor=organiser, now=timezone.now()),
    ):
        with pytest.raises(BuddiesError, match=ALREADY_PUBLISHED):
            attempt()
    assert draft.pairs.count() == 2


def test_joining_is_checked(cohort: Cohort, organiser: User) -> None:
    ann = md("Ann")
    member_join(cohort=cohort, user=ann, started_in_role=date(2026, 5, 1), now=timezone.now())
    with pytest.raises(BuddiesError, match="Ann Doctor is already in this cohort"):
        member_add(cohort=cohort, user=ann, started_in_role=date(2026, 5, 1), actor=organiser, now=timezone.now())
    with pytest.raises(BuddiesError, match="cannot be in the future"):
        member_join(cohort=cohort, user=md("Bob"), started_in_role=date(2027, 5, 1), now=timezone.now())
    with pytest.raises(BuddiesError, match="run by organisers"):
        member_add(cohort=cohort, user=md("Cat"), started_in_role=date(2026, 5, 1), actor=ann, now=timezone.now())
    assert cohort.members.count() == 1
    assert ChangeEvent.objects.filter(action="joined a buddy cohort", subject=ann).count() == 1


def test_selectors_for_the_dashboard(draft: Cohort, organiser: User, django_assert_num_queries: object) -> None:
    ann = User.objects.get(first_name="Ann")
    assert buddy_for(user=ann) is None  # a draft is not shown
    assert people_with_buddy(user_ids={ann.pk}) == set()
    cohort_publish(cohort=draft, actor=organiser, now=timezone.now())
    with django_assert_num_queries(1):  # type: ignore[operator]
        pair = buddy_for(user=ann)
        assert pair is not None
        buddy = buddy_of(pair=pair, user=ann)
        assert buddy.profile.organisation_id is not None and pair.cohort.name == draft.name
    everyone = set(draft.members.values_list("user_id", flat=True))
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert people_with_buddy(user_ids=everyone | {organiser.pk}) == everyone
