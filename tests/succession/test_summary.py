"""The readiness summary a person may show an organisation's leads: counts and levels from their own pages, under
the same 360 rules, and never a comment, a rater, a note or a reflection; and the "doing" facts for many people in
a constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.models import (
    Assessment,
    FeedbackRound,
    PromptAnswer,
    RaterCategory,
    RaterComment,
    RaterInvitation,
    RaterRating,
    RaterResponse,
)
from apps.assessments.services import assessment_start, assessment_submit
from apps.competencies.fileformat import parse
from apps.competencies.models import Criterion, PromptQuestion
from apps.competencies.services import framework_load
from apps.development.models import ActivityStatus, GoalStatus, PlanEvidence, Reflection
from apps.development.services import activity_create, goal_create
from apps.learning_sets.models import ProgrammeStatus
from apps.shadowing.models import RequestStatus
from apps.succession.summary import Flags, development_flags, readiness_summary
from tests.assessments.conftest import PERSON_SPEC
from tests.factories import ProfileFactory, year_plan
from tests.learning_sets.sets_support import World
from tests.shadowing.support import accepted, ask, make_offer, person_in_role
from tests.support.colleagues import working_with

pytestmark = pytest.mark.django_db

SECRETS = {
    "note": "ZEBRA-NOTE-on-my-rating",
    "answer": "ZEBRA-ANSWER-to-a-prompt",
    "comment": "ZEBRA-COMMENT-from-a-rater",
    "general": "ZEBRA-GENERAL-comment",
    "rater": "zebra.rater@example.org",
    "goal": "ZEBRA-GOAL-title",
    "reflection": "ZEBRA-REFLECTION-so-what",
    "evidence": "ZEBRA-EVIDENCE-text",
    "activity": "ZEBRA-ACTIVITY-title",
}


def completed(owner: User) -> Assessment:
    framework = framework_load(spec=parse(PERSON_SPEC.read_text())).framework
    assessment = assessment_start(owner=owner, framework=framework, target_level=5, now=timezone.now())
    assessment.ratings.update(value=3, note=SECRETS["note"])
    prompt = PromptQuestion.objects.filter(criterion__framework=framework).first()
    assert prompt is not None
    PromptAnswer.objects.create(assessment=assessment, prompt=prompt, text=SECRETS["answer"])
    return assessment_submit(assessment=assessment, now=timezone.now())


def feedback(assessment: Assessment, *, peers: int, line_managers: int = 1) -> FeedbackRound:
    """A closed round: `peers` peers and `line_managers` line managers answered every criterion with 4, with
    comments; one invitation carries a rater's address."""
    now = timezone.now()
    round_ = FeedbackRound.objects.create(
        assessment=assessment, opened_at=now - timedelta(days=20), closes_at=now - timedelta(days=1)
    )
    RaterInvitation.objects.create(
        round=round_, email=SECRETS["rater"], category=RaterCategory.PEER, invited_at=now, answered=True
    )
    criteria = list(Criterion.objects.filter(framework=assessment.framework_id))
    for category, count in ((RaterCategory.PEER, peers), (RaterCategory.LINE_MANAGER, line_managers)):
        for _ in range(count):
            response = RaterResponse.objects.create(round=round_, category=category)
            RaterRating.objects.bulk_create(RaterRating(response=response, criterion=c, value=4) for c in criteria)
            RaterComment.objects.create(response=response, criterion=criteria[0], text=SECRETS["comment"])
            RaterComment.objects.create(response=response, criterion=None, text=SECRETS["general"])
    return round_


def plan_with_words(owner: User) -> None:
    plan = year_plan(owner)
    today = timezone.localdate()
    done = goal_create(
        plan=plan,
        title=SECRETS["goal"],
        description="",
        measure="Chaired three meetings",
        target_date=today + timedelta(days=20),
        criteria=[],
        now=timezone.now(),
    )
    done.status = GoalStatus.DONE
    done.save()
    goal_create(
        plan=plan,
        title="Lead the job planning round",
        description="",
        measure="Done",
        target_date=today + timedelta(days=60),
        criteria=[],
        now=timezone.now(),
    )
    activity_create(plan=plan, title=SECRETS["activity"], now=timezone.now())
    cancelled = activity_create(plan=plan, title="Cancelled course", now=timezone.now())
    cancelled.status = ActivityStatus.CANCELLED
    cancelled.save()
    Reflection.objects.create(
        plan=plan,
        title="A board day",
        what_happened="x",
        so_what=SECRETS["reflection"],
        now_what="y",
        written_on=today,
        created_at=timezone.now(),
    )
    PlanEvidence.objects.create(
        plan=plan, kind="text", title="Minutes", text=SECRETS["evidence"], added_at=timezone.now()
    )


def rendered(person: User) -> str:
    return render_to_string("succession/_summary.html", {"summary": readiness_summary(person=person)})


def test_the_summary_counts_and_never_shows_comments_raters_notes_or_reflections(owner: User) -> None:
    assessment = completed(owner)
    feedback(assessment, peers=3)
    plan_with_words(owner)
    summary = readiness_summary(person=owner)
    assert summary is not None
    assert summary.self_assessment is not None and summary.self_assessment.target_role == "Medical director"
    assert summary.self_assessment.groups  # the results page's readiness by group
    assert summary.feedback is not None and summary.feedback.counted == 3  # the lone line manager is withheld
    assert all(line.meeting <= line.scored for line in summary.feedback.groups)
    assert summary.plan is not None
    assert (summary.plan.goals, summary.plan.goals_done) == (2, 1)
    assert summary.plan.next_target_on == timezone.localdate() + timedelta(days=60)
    assert summary.plan.activities == (("Their own activities", 1),)
    page = rendered(owner)
    assert "3 raters counted" in page and "1 of 2 goals done" in page
    for secret in SECRETS.values():
        assert secret not in page
        assert secret not in repr(summary)
    assert "Line manager" not in page and "Peers" not in page  # never how raters work with the person
    assert "Never shown" in page


def test_a_360_group_shows_only_once_three_in_it_answered(owner: User) -> None:
    assessment = completed(owner)
    feedback(assessment, peers=2, line_managers=0)
    summary = readiness_summary(person=owner)
    assert summary is not None and summary.feedback is None  # two answers: nothing of them shows
    assert "No 360 feedback with enough answers to show" in rendered(owner)


def test_an_open_round_shows_nothing_of_the_answers(owner: User) -> None:
    assessment = completed(owner)
    round_ = feedback(assessment, peers=3)
    round_.closes_at = timezone.now() + timedelta(days=3)
    round_.save()
    summary = readiness_summary(person=owner)
    assert summary is not None and summary.feedback is None


def test_nothing_to_summarise_is_none_and_says_so(owner: User) -> None:
    assert readiness_summary(person=owner) is None
    assert "Nothing to summarise yet" in rendered(owner)


def test_a_draft_self_assessment_is_not_summarised(owner: User) -> None:
    framework = framework_load(spec=parse(PERSON_SPEC.read_text())).framework
    assessment_start(owner=owner, framework=framework, target_level=5, now=timezone.now())
    assert readiness_summary(person=owner) is None


def test_what_they_are_doing_without_the_mentors_name(owner: User) -> None:
    mentor = ProfileFactory(user__email="zebra.mentor@example.org", user__first_name="Zebedee").user
    working_with(owner, mentor)
    md = person_in_role("md@example.org")
    accepted(make_offer(md), owner)
    accepted(make_offer(md, kind="conversation"), owner)
    ask(make_offer(person_in_role("md2@example.org")), owner)  # waiting for an answer: not counted
    flags = development_flags(people=[owner.pk])[owner.pk]
    assert flags == Flags(programmes=(), mentored=True, shadowing=1, conversations=1)
    page = rendered(owner)
    assert "A mentor or coach: yes" in page and "Zebedee" not in page and "zebra.mentor" not in page
    assert "Shadowing days and placements agreed or done: 1" in page


def test_learning_sets_count_only_while_their_programme_runs(
    organiser: User, owner: User, colleague: User, outsider: User
) -> None:
    world = World(organiser, owner, colleague, outsider)
    members = [p.pk for p in world.set1_members]
    assert development_flags(people=members)[owner.pk].programmes == ()  # sets still being formed
    world.programme.status = ProgrammeStatus.RUNNING
    world.programme.save()
    flags = development_flags(people=[*members, outsider.pk])
    assert all(flags[pk].programmes == (world.programme.name,) for pk in members)
    assert flags[outsider.pk].programmes == ()
    world.programme.status = ProgrammeStatus.FINISHED
    world.programme.save()
    assert development_flags(people=members)[owner.pk].programmes == ()


def test_development_flags_take_three_queries_however_many_people(owner: User) -> None:
    people = [ProfileFactory().user for _ in range(6)]
    md = person_in_role("md@example.org")
    shadowing, conversation = make_offer(md, per_year=50), make_offer(md, kind="conversation", per_year=50)
    for person in people:
        accepted(shadowing, person)
        accepted(conversation, person)
        working_with(person, ProfileFactory().user)
    for many in (people[:1], people):
        with CaptureQueriesContext(connection) as queries:
            flags = development_flags(people=[p.pk for p in many])
        # 1. learning set memberships in running programmes, with the programme's name
        # 2. active mentoring relationships as mentee
        # 3. accepted shadowing requests, counted by kind of offer
        assert len(queries) == 3
        assert all(flags[p.pk] == Flags(mentored=True, shadowing=1, conversations=1) for p in many)
    assert development_flags(people=[owner.pk]) == {owner.pk: Flags()}


def test_accepted_means_agreed_not_declined() -> None:
    md = person_in_role("md@example.org")
    person = ProfileFactory().user
    request = ask(make_offer(md), person)
    request.status = RequestStatus.WITHDRAWN
    request.save()
    assert development_flags(people=[person.pk])[person.pk].shadowing == 0
