"""Found in review: moving to the next cohort twice, a buddy who closes their account (the other is told and may
move on), and two organisers unpairing the same pair at once."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.buddies.models import BuddyPair, Cohort, CohortMember, CohortStatus
from apps.buddies.services import (
    BUDDY_CLOSED_ACCOUNT,
    BuddiesError,
    cohort_create,
    cohort_pair,
    cohort_publish,
    member_move_to_next,
    pair_make,
    pair_remove,
)
from apps.notifications.models import Reminder
from apps.privacy.services import account_close
from tests.buddies.factories import join, md
from tests.conftest import signed_in
from tests.factories import grant
from tests.support.races import race


def _published(organiser: User, names: tuple[str, ...]) -> Cohort:
    cohort = cohort_create(name="Winter", actor=organiser, now=timezone.now())
    for name in names:
        join(cohort, md(name))
    cohort_pair(cohort=cohort, actor=organiser, now=timezone.now())
    cohort_publish(cohort=cohort, actor=organiser, now=timezone.now())
    return cohort


# Moving to the next cohort.


@pytest.mark.django_db
def test_someone_left_out_moves_once_not_into_every_open_cohort(organiser: User) -> None:
    winter = _published(organiser, ("Ann", "Bob", "Cat"))
    [member] = [m for m in winter.members.all() if m.left_out_reason]
    spring = cohort_create(name="Spring", actor=organiser, now=timezone.now())
    cohort_create(name="Summer", actor=organiser, now=timezone.now())
    member_move_to_next(member=member, user=member.user, now=timezone.now())

    with pytest.raises(BuddiesError, match="already in a cohort waiting to be paired"):
        member_move_to_next(member=member, user=member.user, now=timezone.now())

    assert list(CohortMember.objects.filter(user=member.user).values_list("cohort__name", flat=True)) == [
        "Winter",
        spring.name,
    ]
    page = signed_in(member.user).get(reverse("buddies:mine")).content.decode()
    assert "Move to the next cohort" not in page


@pytest.mark.django_db
def test_moving_twice_through_the_page_changes_nothing_and_says_why(organiser: User) -> None:
    winter = _published(organiser, ("Ann", "Bob", "Cat"))
    [member] = [m for m in winter.members.all() if m.left_out_reason]
    cohort_create(name="Spring", actor=organiser, now=timezone.now())
    cohort_create(name="Summer", actor=organiser, now=timezone.now())
    client = signed_in(member.user)
    client.post(reverse("buddies:move", args=[member.pk]))

    response = client.post(reverse("buddies:move", args=[member.pk]), follow=True)

    assert "already in a cohort waiting to be paired" in response.content.decode()
    assert CohortMember.objects.filter(user=member.user).count() == 2


# A buddy closes their account.


@pytest.mark.django_db
def test_when_a_buddy_closes_their_account_the_other_is_told_and_offered_the_next_cohort(organiser: User) -> None:
    winter = _published(organiser, ("Ann", "Bob"))
    ann, bob = User.objects.get(first_name="Ann"), User.objects.get(first_name="Bob")

    account_close(user=ann, actor=ann, now=timezone.now())

    notice = Reminder.objects.get(kind="buddy_left", recipient=bob)
    assert notice.context == {"buddy_name": "Ann Doctor", "cohort": "Winter", "url": notice.context["url"]}
    assert not BuddyPair.objects.filter(cohort=winter).exists()
    assert CohortMember.objects.get(user=bob).left_out_reason == BUDDY_CLOSED_ACCOUNT
    cohort_create(name="Spring", actor=organiser, now=timezone.now())
    page = signed_in(bob).get(reverse("buddies:mine")).content.decode()
    assert BUDDY_CLOSED_ACCOUNT in page and "Move to the next cohort" in page


@pytest.mark.django_db
def test_a_draft_buddy_closing_their_account_leaves_the_reason_and_tells_nobody_yet(organiser: User) -> None:
    cohort = cohort_create(name="Winter", actor=organiser, now=timezone.now())
    for name in ("Ann", "Bob"):
        join(cohort, md(name))
    cohort_pair(cohort=cohort, actor=organiser, now=timezone.now())
    ann, bob = User.objects.get(first_name="Ann"), User.objects.get(first_name="Bob")

    account_close(user=ann, actor=ann, now=timezone.now())

    assert not Reminder.objects.filter(kind="buddy_left").exists()
    assert CohortMember.objects.get(user=bob).left_out_reason == BUDDY_CLOSED_ACCOUNT
    cohort_publish(cohort=cohort, actor=organiser, now=timezone.now())
    assert Reminder.objects.get(kind="buddy_left_out", recipient=bob).context["reason"] == BUDDY_CLOSED_ACCOUNT


# Two organisers at once.


def _unpaired_draft() -> tuple[Cohort, User, list[User]]:
    organiser = md("Olive")
    grant(organiser, Role.ORGANISER)
    cohort = cohort_create(name="Winter", actor=organiser, now=timezone.now())
    people = [md(name) for name in ("Ann", "Bob", "Cat")]
    for person in people:
        join(cohort, person)
    cohort_pair(cohort=cohort, actor=organiser, now=timezone.now())
    cohort.pairs.all().delete()
    assert Cohort.objects.get(pk=cohort.pk).status == CohortStatus.DRAFT
    return cohort, organiser, people


@pytest.mark.django_db(transaction=True)
def test_a_person_second_in_one_pair_and_first_in_another_at_once_ends_in_one_pair(reference_data: None) -> None:
    # Ann < Bob < Cat by id: Ann-Bob puts Bob second, Bob-Cat puts him first. No unique constraint sees that: only
    # the lock on the cohort keeps Bob in one pair.
    cohort, organiser, (ann, bob, cat) = _unpaired_draft()
    assert ann.pk < bob.pk < cat.pk

    outcomes = race(
        lambda: pair_make(
            cohort=cohort, first_user_id=ann.pk, second_user_id=bob.pk, actor=organiser, now=timezone.now()
        ),
        lambda: pair_make(
            cohort=cohort, first_user_id=bob.pk, second_user_id=cat.pk, actor=organiser, now=timezone.now()
        ),
    )

    assert sum(isinstance(o, BuddyPair) for o in outcomes) == 1
    [refusal] = [o for o in outcomes if not isinstance(o, BuddyPair)]
    assert isinstance(refusal, BuddiesError) and "Bob Doctor is already paired" in str(refusal)
    assert BuddyPair.objects.filter(cohort=cohort).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_organisers_unpairing_the_same_pair_at_once_get_a_message_not_an_error(reference_data: None) -> None:
    cohort, organiser, (ann, bob, _) = _unpaired_draft()
    pair = pair_make(cohort=cohort, first_user_id=ann.pk, second_user_id=bob.pk, actor=organiser, now=timezone.now())

    outcomes = race(
        lambda: pair_remove(pair=pair, actor=organiser, now=timezone.now()),
        lambda: pair_remove(pair=pair, actor=organiser, now=timezone.now()),
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["BuddiesError", "NoneType"]
    [refusal] = [o for o in outcomes if o is not None]
    assert "already been unpaired" in str(refusal)
    assert not BuddyPair.objects.filter(cohort=cohort).exists()


# The reason an odd one out is given.


def test_several_left_over_at_an_odd_sized_level_are_not_told_one_had_to_be_left_over() -> None:
    from apps.buddies.pairing import ODD_NUMBER, PARTNERS_TAKEN, Person, solve

    def person(id: str, organisation: str) -> Person:
        return Person(id=id, organisation=organisation, level=5, sector="", region="", months_in_role=0)

    # Four from one trust and one from another: one pair, three left over. "An odd number, so one had to be left
    # over" is not why: the one person outside t1 is taken.
    result = solve([person("a", "t1"), person("b", "t1"), person("c", "t1"), person("d", "t1"), person("e", "t2")])

    assert result.paired == 2
    assert [item.reason for item in result.left_out] == [PARTNERS_TAKEN] * 3
    # The true odd one out still hears it.
    assert [i.reason for i in solve([person("a", "t1"), person("b", "t2"), person("c", "t3")]).left_out] == [ODD_NUMBER]


# A person's own export during a draft.


@pytest.mark.django_db
def test_an_export_during_the_draft_does_not_name_the_buddy_the_organiser_may_still_change(organiser: User) -> None:
    from apps.exports.collect import buddies_of

    cohort = cohort_create(name="Winter", actor=organiser, now=timezone.now())
    for name in ("Ann", "Bob"):
        join(cohort, md(name))
    cohort_pair(cohort=cohort, actor=organiser, now=timezone.now())
    ann = User.objects.get(first_name="Ann")

    [draft] = buddies_of(ann)["pairs"]

    assert (draft["buddy"], draft["their_organisation"], draft["status"]["code"]) == (None, None, "draft")
    assert draft["your_organisation"] == "Ann NHS Foundation Trust"
    cohort_publish(cohort=cohort, actor=organiser, now=timezone.now())
    [published] = buddies_of(ann)["pairs"]
    assert published["buddy"] is not None and published["their_organisation"] == "Bob NHS Foundation Trust"


@pytest.mark.django_db
def test_a_member_of_the_pair_cannot_unpair_or_publish_by_posting(organiser: User) -> None:
    cohort = cohort_create(name="Winter", actor=organiser, now=timezone.now())
    for name in ("Ann", "Bob"):
        join(cohort, md(name))
    cohort_pair(cohort=cohort, actor=organiser, now=timezone.now())
    pair = BuddyPair.objects.get(cohort=cohort)
    client = signed_in(User.objects.get(first_name="Ann"))

    assert client.post(reverse("buddies:pair_delete", args=[cohort.pk, pair.pk])).status_code == 403
    assert client.post(reverse("buddies:publish", args=[cohort.pk])).status_code == 403
    assert BuddyPair.objects.filter(pk=pair.pk).exists()
    assert Cohort.objects.get(pk=cohort.pk).status == CohortStatus.DRAFT
