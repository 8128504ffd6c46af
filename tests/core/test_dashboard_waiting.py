"""The dashboard's counts of what waits, read in one query (`waiting_for`), equal each selector's own count; so
does which parts of the page have anything to list (each asked with its own EXISTS there)."""

from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.selectors import user_has_authenticator_app
from apps.bilaterals.selectors import proposals_to_answer
from apps.core.dashboard import Waiting, listed_for, waiting_for
from apps.learning_sets.models import Session
from apps.learning_sets.selectors import sessions_for
from apps.mentoring.selectors import proposals_needing_reply
from apps.mentoring.services.proposals import proposal_make_best
from apps.shadowing.selectors import pending_answer_count
from tests.learning_sets.sets_support import World, published, world  # noqa: F401 (fixtures)
from tests.mentoring.test_proposals import make_mentor, make_request


def _one_by_one(user: User, now: timezone.datetime) -> Waiting:
    return Waiting(
        has_mfa=user_has_authenticator_app(user=user),
        proposals_waiting=proposals_needing_reply(user=user),
        attendance_to_record=sessions_for(user=user)
        .filter(
            learning_set__facilitator=user,
            starts_at__lt=now,
            attendance_recorded_at__isnull=True,
            cancelled_at__isnull=True,
        )
        .count(),
        shadowing_to_answer=pending_answer_count(user=user),
        bilaterals_to_answer=proposals_to_answer(user=user).count(),
        listed=frozenset(name for name, rows in listed_for(user=user, now=now).items() if rows().exists()),
    )


@pytest.mark.django_db
def test_the_counts_in_one_query_equal_the_selectors(published: World, django_assert_num_queries: object) -> None:  # noqa: F811
    mentor = make_mentor("md@example.org", capacity=2)
    proposal_make_best(request=make_request(published.owner), now=timezone.now())
    Authenticator.objects.create(user=mentor, type=Authenticator.Type.TOTP, data={})
    first = Session.objects.filter(learning_set=published.set1).order_by("starts_at").first()
    assert first is not None
    now = first.ends_at + timedelta(days=1)
    seen = []
    with time_machine.travel(now, tick=False):
        for user in (published.owner, published.facilitator, mentor):
            with django_assert_num_queries(1):  # type: ignore[operator]
                waiting = waiting_for(user=user, now=now)
            assert waiting == _one_by_one(user, now)
            seen.append(waiting)
    assert seen[0].proposals_waiting == 1  # the proposal waits for the mentee's yes
    assert seen[1].attendance_to_record == 1 and seen[2].has_mfa
    assert "session" in seen[0].listed and "session" in seen[1].listed  # the set's later sessions
    assert seen[2].listed == frozenset()  # the mentor has nothing of the page's lists yet


@pytest.mark.django_db
def test_requests_and_bilaterals_count_only_for_whoever_must_answer() -> None:
    from apps.bilaterals.models import Bilateral, BilateralStatus
    from tests.shadowing.support import ask, make_offer, person_in_role

    offerer, asker, third, fourth = (person_in_role(f"p{i}@example.org") for i in range(4))
    ask(make_offer(offerer), asker)
    now = timezone.now()
    Bilateral.objects.create(proposer=asker, partner=offerer, cadence_months=3, proposed_at=now)
    Bilateral.objects.create(proposer=offerer, partner=third, cadence_months=3, proposed_at=now)
    answered = Bilateral.objects.create(proposer=fourth, partner=offerer, cadence_months=3, proposed_at=now)
    Bilateral.objects.filter(pk=answered.pk).update(status=BilateralStatus.AGREED, answered_at=now)
    User.objects.filter(pk=third.pk).update(is_active=False)  # a deactivated person's counts are theirs alone
    for user in (offerer, asker, third, fourth):
        assert waiting_for(user=user, now=now) == _one_by_one(user, now)
    assert (
        waiting_for(user=offerer, now=now).shadowing_to_answer,
        waiting_for(user=offerer, now=now).bilaterals_to_answer,
    ) == (1, 1)
    assert (
        waiting_for(user=asker, now=now).shadowing_to_answer,
        waiting_for(user=asker, now=now).bilaterals_to_answer,
    ) == (0, 0)
