"""Sharing a development plan with a named mentor: by the owner's choice, read-only, revocable, every view logged."""

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.audit.models import AccessEvent
from apps.competencies.models import Criterion, Framework
from apps.development.models import Activity, Goal, GoalStatus, Plan, PlanEvidence, PlanShare, Reflection
from apps.development.services import plan_create
from tests.conftest import signed_in
from tests.factories import ProfileFactory, grant
from tests.support.colleagues import become_mentor_of, share_plan_with

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db

REFUSAL = "You can share your plan with someone who mentors or coaches on Stepping Up."


@pytest.fixture
def plan(owner: User) -> Plan:
    today = timezone.localdate()
    return plan_create(
        owner=owner,
        title="Towards deputy MD",
        target_level=4,
        starts_on=today,
        ends_on=today + timedelta(days=365),
        now=timezone.now(),
    )


@pytest.fixture
def mentor(db: None) -> User:
    user = ProfileFactory(user__email="md.mentor@example.org").user
    grant(user, Role.MENTOR)
    return user


def share(owner: User, plan: Plan, email: str) -> "TestResponse":
    return signed_in(owner).post(
        reverse("development:plan_sharing", args=[plan.pk]), {"action": "share", "email": email}
    )


def shared_url(plan: Plan) -> str:
    return reverse("development:shared_plan", args=[plan.pk])


def fill(plan: Plan, criteria: list[Criterion], *, goals: int, reflections: int) -> None:
    now, today = timezone.now(), timezone.localdate()
    for i in range(goals):
        goal = Goal.objects.create(
            plan=plan, title=f"Goal {i}", measure="m", target_date=today + timedelta(days=i), created_at=now
        )
        goal.criteria.set(criteria)
    Goal.objects.filter(title="Goal 0").update(status=GoalStatus.DONE)
    Activity.objects.bulk_create(
        Activity(plan=plan, title=f"Activity {i}", starts_on=today, created_at=now) for i in range(10)
    )
    Reflection.objects.bulk_create(
        Reflection(
            plan=plan,
            title=f"Reflection {i}",
            what_happened="Chaired the panel",
            so_what="Silence is useful",
            now_what="Ask, then wait",
            written_on=today,
            created_at=now,
        )
        for i in range(reflections)
    )
    PlanEvidence.objects.bulk_create(
        [
            PlanEvidence(plan=plan, kind="link", title="Course certificate", url="https://example.org/c", added_at=now),
            PlanEvidence(
                plan=plan,
                kind="file",
                title="360 summary",
                file="plan-evidence/x/abc",
                file_name="360.pdf",
                added_at=now,
            ),
        ]
    )


def test_owner_shares_with_a_mentor_who_reads_it_and_every_view_is_logged(
    owner: User, plan: Plan, mentor: User, person_spec: Framework
) -> None:
    fill(plan, list(Criterion.objects.filter(framework=person_spec, code="SKI-6")), goals=2, reflections=1)
    assert share(owner, plan, "MD.Mentor@Example.ORG").status_code == 302
    assert PlanShare.objects.get().viewer == mentor

    client = signed_in(mentor)
    assert "Towards deputy MD" in client.get(reverse("development:shared_plans")).content.decode()
    page = client.get(shared_url(plan)).content.decode()
    assert all(text in page for text in ("Goal 1", "SKI-6", "1 of 2 goals done", "Activity 9", "Reflection 0"))
    assert "Silence is useful" in page and "Ask, then wait" in page
    assert '<a href="https://example.org/c" rel="noopener noreferrer"' in page
    assert "360.pdf" in page and "plan-evidence/" not in page  # a document by name only: no way to fetch it
    client.get(shared_url(plan))

    events = AccessEvent.objects.all()
    assert len(events) == 2
    assert {(e.viewer, e.owner, e.record_kind, e.record_id) for e in events} == {
        (mentor, owner, "development plan", str(plan.pk))
    }
    log = signed_in(owner).get(reverse("audit:mine")).content.decode()
    assert str(mentor) in log and "Your development plan" in log and "mentor or coach" in log


def test_the_shared_page_offers_no_way_to_change_anything(
    owner: User, plan: Plan, mentor: User, person_spec: Framework
) -> None:
    fill(plan, [], goals=1, reflections=0)
    share(owner, plan, mentor.email)
    page = signed_in(mentor).get(shared_url(plan)).content.decode()
    goal, activity = Goal.objects.get(), Activity.objects.first()
    assert activity is not None
    for owners_page in (
        reverse("development:plan", args=[plan.pk]),
        reverse("development:goal_add", args=[plan.pk]),
        reverse("development:goal_edit", args=[plan.pk, goal.pk]),
        reverse("development:activity_status", args=[plan.pk, activity.pk]),
        reverse("development:plan_sharing", args=[plan.pk]),
    ):
        assert f'"{owners_page}"' not in page
    assert "Suggested for you" not in page and 'name="status"' not in page


def test_revoking_ends_access_at_once(owner: User, plan: Plan, mentor: User) -> None:
    share(owner, plan, mentor.email)
    live = PlanShare.objects.get()
    page = signed_in(owner).get(reverse("development:plan_sharing", args=[plan.pk])).content.decode()
    assert str(mentor) in page and "Stop sharing" in page
    response = signed_in(owner).post(
        reverse("development:plan_sharing", args=[plan.pk]), {"action": "revoke", "share": live.pk}
    )
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.revoked_at is not None
    client = signed_in(mentor)
    assert client.get(shared_url(plan)).status_code == 404
    assert "Towards deputy MD" not in client.get(reverse("development:shared_plans")).content.decode()
    assert not AccessEvent.objects.exists()


def test_a_revoked_share_can_be_given_again(owner: User, plan: Plan, mentor: User) -> None:
    share(owner, plan, mentor.email)
    signed_in(owner).post(
        reverse("development:plan_sharing", args=[plan.pk]), {"action": "revoke", "share": PlanShare.objects.get().pk}
    )
    assert share(owner, plan, mentor.email).status_code == 302
    assert signed_in(mentor).get(shared_url(plan)).status_code == 200


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("nobody@example.org", REFUSAL),
        ("colleague@example.org", REFUSAL),  # a member without the mentor role: the very same words
        ("owner@example.org", "This is your own plan"),
        ("not-an-address", "Enter an e-mail address like name@nhs.net"),
        ("", "Enter their e-mail address"),
    ],
)
def test_sharing_with_the_wrong_person_is_refused(
    owner: User, colleague: User, plan: Plan, email: str, message: str
) -> None:
    response = share(owner, plan, email)
    assert response.status_code == 400 and message in response.content.decode()
    assert not PlanShare.objects.exists()


def test_an_inactive_mentor_is_refused_in_the_same_words(owner: User, plan: Plan, mentor: User) -> None:
    User.objects.filter(pk=mentor.pk).update(is_active=False)
    response = share(owner, plan, mentor.email)
    assert response.status_code == 400 and REFUSAL in response.content.decode()
    assert not PlanShare.objects.exists()


def test_sharing_twice_says_so(owner: User, plan: Plan, mentor: User) -> None:
    share(owner, plan, mentor.email)
    response = share(owner, plan, mentor.email)
    assert response.status_code == 400 and "already share" in response.content.decode()
    assert PlanShare.objects.count() == 1


def test_nobody_else_sees_or_manages_it(owner: User, colleague: User, plan: Plan, mentor: User) -> None:
    share(owner, plan, mentor.email)
    live = PlanShare.objects.get()
    client = signed_in(colleague)
    sharing = reverse("development:plan_sharing", args=[plan.pk])
    assert client.get(sharing).status_code == 404
    assert client.post(sharing, {"action": "revoke", "share": live.pk}).status_code == 404
    assert client.post(sharing, {"action": "share", "email": colleague.email}).status_code == 404
    assert client.get(shared_url(plan)).status_code == 404
    assert "Towards deputy MD" not in client.get(reverse("development:shared_plans")).content.decode()
    live.refresh_from_db()
    assert live.revoked_at is None and PlanShare.objects.count() == 1
    assert not AccessEvent.objects.exists()


# The owner's own pages of a plan: never the colleague's, shared or not.
OWNERS_PAGES = ("development:plan", "development:plan_pdf", "development:plan_sharing", "development:goal_add")


def test_a_colleague_shared_with_reads_the_plan_and_not_the_notes_in_its_evidence(
    owner: User, colleague: User, plan: Plan
) -> None:
    fill(plan, [], goals=2, reflections=1)
    PlanEvidence.objects.create(
        plan=plan,
        kind="text",
        title="Notes after appraisal",
        text="PRIVATE words of my appraiser",
        added_at=timezone.now(),
    )
    become_mentor_of(owner, colleague)
    share_plan_with(colleague, plan)
    client = signed_in(colleague)
    assert "Towards deputy MD" in client.get(reverse("development:shared_plans")).content.decode()
    response = client.get(shared_url(plan))
    page = response.content.decode()
    assert response.status_code == 200 and all(text in page for text in ("Goal 1", "Activity 9", "Reflection 0"))
    # Evidence by its title only, as the sharing page promises: what a note says stays the owner's.
    assert "Notes after appraisal" in page and "PRIVATE words of my appraiser" not in page
    for name in OWNERS_PAGES:
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404
    event = AccessEvent.objects.get()
    assert (event.viewer, event.owner, event.record_kind) == (colleague, owner, "development plan")


@pytest.mark.parametrize("their_mentor", [False, True], ids=["same organisation", "the owner's mentor"])
def test_a_colleague_without_a_share_gets_404(owner: User, colleague: User, plan: Plan, their_mentor: bool) -> None:
    assert colleague.profile.organisation == owner.profile.organisation
    if their_mentor:
        become_mentor_of(owner, colleague)  # someone the owner could choose, until they do
    client = signed_in(colleague)
    assert client.get(shared_url(plan)).status_code == 404
    for name in OWNERS_PAGES:
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404
    assert "Towards deputy MD" not in client.get(reverse("development:shared_plans")).content.decode()
    assert not AccessEvent.objects.exists()


def test_the_mentor_reads_but_cannot_reach_the_owners_pages(owner: User, plan: Plan, mentor: User) -> None:
    share(owner, plan, mentor.email)
    client = signed_in(mentor)
    assert client.get(reverse("development:plan", args=[plan.pk])).status_code == 404
    assert client.get(reverse("development:goal_add", args=[plan.pk])).status_code == 404
    assert client.get(reverse("development:plan_sharing", args=[plan.pk])).status_code == 404


def test_a_plan_that_does_not_exist_looks_like_one_not_shared(mentor: User, plan: Plan) -> None:
    client = signed_in(mentor)
    assert client.get(shared_url(plan)).status_code == 404
    assert client.get(reverse("development:shared_plan", args=[plan.pk + 1000])).status_code == 404


def test_shared_plan_query_count_is_constant(
    owner: User, plan: Plan, mentor: User, person_spec: Framework, django_assert_num_queries: object
) -> None:
    fill(plan, list(Criterion.objects.filter(framework=person_spec)[:3]), goals=30, reflections=20)
    share(owner, plan, mentor.email)
    client = signed_in(mentor)
    client.get(shared_url(plan))
    # 1. the session  2. the user  3. the live share joined to its plan and owner  4. goals  5. their criteria
    # 6. activities  7. reflections  8. evidence  9. the access event written  10. roles and 11. unread count
    # for the layout
    with django_assert_num_queries(11):  # type: ignore[operator]
        assert client.get(shared_url(plan)).status_code == 200


def test_pages_need_sign_in(client: Client, plan: Plan) -> None:
    for url in (
        reverse("development:plan_sharing", args=[plan.pk]),
        reverse("development:shared_plans"),
        shared_url(plan),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_wrong_methods_are_refused(owner: User, plan: Plan, mentor: User) -> None:
    share(owner, plan, mentor.email)
    assert signed_in(owner).put(reverse("development:plan_sharing", args=[plan.pk])).status_code == 405
    assert signed_in(owner).delete(reverse("development:plan_sharing", args=[plan.pk])).status_code == 405
    client = signed_in(mentor)
    assert client.post(reverse("development:shared_plans")).status_code == 405
    assert client.post(shared_url(plan)).status_code == 405
    assert not AccessEvent.objects.exists()
