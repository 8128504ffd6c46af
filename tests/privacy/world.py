"""A person who has done everything the portal offers, and the people around them, for the closing tests.

The leaver has: a profile and diversity answers; a self-assessment with an uploaded document and a 360 round with
an answer; a plan with an uploaded document, shared with their mentor; a self-assessment shared with them; a
mentee they mentor (active, meetings logged by both) and a mentor who mentored them (closed, feedback with
comments from both, in a scheme); a waiting proposal as a mentor; an open request; a scheme they organise with a
draft match round they ran, where they are a mentee's proposed mentor; a learning set programme they organise and
closed early, a set they are a member of (attendance, apologies, a reflection, a calendar link) and a set they
facilitate (attendance recorded, a note); the access log both ways, changes both ways; a role they granted;
reminders, preferences, an account e-mail waiting; a data download.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant, User
from apps.assessments.evidence import evidence_add
from apps.assessments.models import (
    Assessment,
    AssessmentShare,
    EvidenceKind,
    FeedbackRound,
    RaterRating,
    RaterResponse,
)
from apps.assessments.services import assessment_start
from apps.audit.services import access_record, change_record
from apps.competencies.fileformat import parse
from apps.competencies.models import Criterion, Framework
from apps.competencies.services import framework_load
from apps.development.models import Plan, PlanShare
from apps.development.records import Anchor, plan_evidence_add
from apps.exports.models import DataExport
from apps.learning_sets.models import LearningSet, Programme, Session
from apps.learning_sets.services.feeds import feed_token_get
from apps.learning_sets.services.notes import note_add, reflection_write
from apps.learning_sets.services.publishing import programme_publish
from apps.learning_sets.services.sessions import apology_send, attendance_record
from apps.mentoring.models import (
    MatchRound,
    MentoringRelationship,
    MentoringRequest,
    MentorOffer,
    Proposal,
    RoundPair,
    Scheme,
)
from apps.mentoring.services.proposals import proposal_notices
from apps.mentoring.services.relationships import feedback_give, meeting_log, relationship_close
from apps.notifications.models import NotificationPreference
from apps.notifications.services import account_email_schedule, schedule, schedule_many
from apps.profiles.models import CareerRole, DiversityInformation
from tests.assessments.conftest import PERSON_SPEC
from tests.assessments.test_evidence import pdf
from tests.factories import ProfileFactory, grant, year_plan
from tests.learning_sets.sets_support import NOW as SETS_NOW
from tests.learning_sets.sets_support import add_set, make_facilitator, make_programme
from tests.mentoring.test_relationships import start

LONDON = ZoneInfo("Europe/London")
# Free of apostrophes, which HTML escaping changes, so that pages can be searched for them as they are.
LEAVER_MEETING = "Notes from the leaver on a board paper"
MENTEE_MEETING = "Notes from the mentee on the job description"
MD_MEETING = "Notes from the medical director on the interview panel"
LEAVER_COMMENT = "Closing words from the leaver"
MD_COMMENT = "Closing words from the medical director"
NOTE = "Next time: bring one real problem each"


def pdf_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("Audit.pdf", pdf(), content_type="application/pdf")


def person_spec() -> Framework:
    found = Framework.objects.filter(slug="md-person-spec").first()
    return found or framework_load(spec=parse(PERSON_SPEC.read_text())).framework


def mentor_with_offer(email: str, *, capacity: int = 2) -> User:
    user = ProfileFactory(user__email=email, career_role=CareerRole.MEDICAL_DIRECTOR).user
    grant(user, Role.MENTOR)
    MentorOffer.objects.create(mentor=user, capacity=capacity, kind="both", modes=["video"])
    return user


def pair(mentor: User, mentee: User, *, scheme: Scheme | None = None) -> MentoringRelationship:
    return start(mentor, mentee, scheme=scheme)


@dataclass
class World:
    leaver: User
    mentee: User  # the leaver mentors them (active)
    md: User  # mentored the leaver (closed)
    waiting_mentee: User  # a proposal of the leaver as their mentor is waiting
    next_mentor: User  # where the waiting mentee is passed on to
    co_organiser: User
    facilitator: User  # facilitates the set the leaver is a member of
    member: User  # in the set the leaver facilitates
    set_peer: User  # in the leaver's own set
    colleague: User  # shares a self-assessment with the leaver; saw the leaver's plan
    scheme: Scheme
    md_scheme: Scheme
    programme: Programme
    own_set: LearningSet
    led_set: LearningSet
    active_pair: MentoringRelationship
    past_pair: MentoringRelationship
    waiting: Proposal
    match_round: MatchRound
    assessment: Assessment
    plan: Plan
    files: list[str]


def build(*, now: datetime) -> World:
    leaver = ProfileFactory(user__email="leaver@example.org", user__first_name="Leah", user__last_name="Vance").user
    for role in (Role.MENTOR, Role.FACILITATOR, Role.ORGANISER):
        grant(leaver, role)
    DiversityInformation.objects.create(user=leaver)
    MentorOffer.objects.create(mentor=leaver, capacity=3, kind="both", modes=["video"])
    colleague = ProfileFactory(user__email="colleague@example.org").user
    co_organiser = ProfileFactory(user__email="co.organiser@example.org").user
    grant(co_organiser, Role.ORGANISER)

    # Records: a self-assessment with a document and a 360 answer; a plan with a document.
    spec = person_spec()
    criterion = Criterion.objects.get(framework=spec, code="EXP-1")
    assessment = assessment_start(owner=leaver, framework=spec, target_level=5, now=now)
    evidence = evidence_add(
        assessment=assessment, criterion=criterion, kind=EvidenceKind.FILE, title="Audit", upload=pdf_upload(), now=now
    )
    feedback_round = FeedbackRound.objects.create(
        assessment=assessment, opened_at=now, closes_at=now + timedelta(days=20)
    )
    answer = RaterResponse.objects.create(round=feedback_round, category="peer")
    RaterRating.objects.create(response=answer, criterion=criterion, value=3)
    plan = year_plan(leaver)
    plan_evidence = plan_evidence_add(
        plan=plan, anchor=Anchor(), kind=EvidenceKind.FILE, title="Board paper", upload=pdf_upload(), now=now
    )
    theirs = assessment_start(owner=colleague, framework=spec, target_level=4, now=now)
    AssessmentShare.objects.create(assessment=theirs, viewer=leaver, reason="mentor", shared_at=now)

    # Mentoring: the leaver mentors someone (active), was mentored (closed, in a scheme), has a proposal waiting.
    mentee = ProfileFactory(user__email="mentee@example.org", career_role=CareerRole.CLINICAL_DIRECTOR).user
    active_pair = pair(leaver, mentee)
    started_on = timezone.localdate(active_pair.started_at, LONDON)
    meeting_log(
        relationship=active_pair,
        actor=leaver,
        met_on=started_on,
        mode="video",
        notes=LEAVER_MEETING,
        actions="",
        now=now,
    )
    meeting_log(
        relationship=active_pair,
        actor=mentee,
        met_on=started_on,
        mode="video",
        notes=MENTEE_MEETING,
        actions="",
        now=now,
    )
    md = mentor_with_offer("md@example.org")
    md_organiser = ProfileFactory(user__email="md.organiser@example.org").user
    md_scheme = Scheme.objects.create(name="Midlands new MDs", created_at=now)
    md_scheme.organisers.add(md_organiser)
    past_pair = pair(md, leaver, scheme=md_scheme)
    meeting_log(
        relationship=past_pair, actor=md, met_on=started_on, mode="video", notes=MD_MEETING, actions="", now=now
    )
    relationship_close(relationship=past_pair, actor=md, reason="goals_met", now=now)
    for author, comment in ((leaver, LEAVER_COMMENT), (md, MD_COMMENT)):
        feedback_give(
            relationship=past_pair,
            actor=author,
            usefulness=4,
            goals_met="yes",
            would_recommend=True,
            comment=comment,
            now=now,
        )
    PlanShare.objects.create(plan=plan, viewer=md, shared_at=now)
    access_record(
        viewer=md, owner=leaver, record_kind="development plan", record_id=plan.pk, reason="shared with mentor", now=now
    )
    access_record(
        viewer=leaver,
        owner=colleague,
        record_kind="self-assessment",
        record_id=theirs.pk,
        reason="shared with mentor",
        now=now,
    )

    waiting_mentee = ProfileFactory(user__email="waiting@example.org", career_role=CareerRole.CLINICAL_DIRECTOR).user
    next_mentor = mentor_with_offer("next.md@example.org")
    waiting_request = MentoringRequest.objects.create(
        mentee=waiting_mentee, kind="mentor", focus=["SKI-8"], modes=["video"], created_at=now
    )
    waiting = Proposal.objects.create(
        request=waiting_request,
        mentor=leaver,
        score=60,
        explanation="x",
        created_at=now,
        reply_by=now + timedelta(days=7),
    )
    schedule_many(proposal_notices([waiting], now=now, tell_mentee=True))
    MentoringRequest.objects.create(mentee=leaver, kind="coach", focus_text="Board presence", created_at=now)

    # A scheme the leaver organises, with a draft round they ran, where they are someone's proposed mentor.
    scheme = Scheme.objects.create(name="North West aspiring MDs", created_at=now)
    scheme.organisers.add(leaver, co_organiser)
    match_round = MatchRound.objects.create(scheme=scheme, created_by=leaver, created_at=now)
    in_round = MentoringRequest.objects.create(
        mentee=ProfileFactory(user__email="in.round@example.org").user, kind="mentor", scheme=scheme, created_at=now
    )
    RoundPair.objects.create(round=match_round, request=in_round, mentor=leaver, score=10, explanation="x")
    change_record(
        actor=leaver,
        capacity="organiser",
        action="changed your proposed mentor",
        target="a round",
        subjects=[in_round.mentee],
        before={"mentor": "someone"},
        after={"mentor": str(leaver)},
        now=now,
    )
    change_record(
        actor=co_organiser,
        capacity="organiser",
        action="moved you to another set",
        target="a set",
        subjects=[leaver],
        before={},
        after={},
        now=now,
    )

    # Learning sets: the leaver organises the programme, is a member of set 1 and facilitates set 2.
    facilitator = make_facilitator("facilitator@example.org")
    set_peer = ProfileFactory(user__email="set.peer@example.org").user
    member = ProfileFactory(user__email="member@example.org").user
    programme = make_programme(co_organiser)
    programme.organisers.add(leaver)
    own_set = add_set(programme, number=1, slot="tue-14:00", facilitator=facilitator, members=[leaver, set_peer])
    led_set = add_set(programme, number=2, slot="thu-10:00", facilitator=leaver, members=[member])
    Programme.objects.filter(pk=programme.pk).update(applications_closed_at=SETS_NOW, applications_closed_by=leaver)
    with time_machine.travel(SETS_NOW, tick=False):
        programme_publish(programme=programme, actor=co_organiser, now=SETS_NOW)
    first = Session.objects.get(learning_set=own_set, number=1)
    second = Session.objects.get(learning_set=own_set, number=2)
    led_first = Session.objects.get(learning_set=led_set, number=1)
    apology_send(session=second, member=leaver, message="On call", now=first.ends_at)
    after = second.ends_at + timedelta(hours=1)
    attendance_record(session=first, actor=facilitator, present={leaver.pk: True, set_peer.pk: False}, now=after)
    attendance_record(session=led_first, actor=leaver, present={member.pk: True}, now=after)
    note_add(learning_set=led_set, author=leaver, text=NOTE, session=led_first, now=after)
    reflection_write(
        learning_set=own_set, author=leaver, session=first, what_happened="a", so_what="b", now_what="c", now=after
    )
    feed_token_get(person=leaver, now=now)

    # Roles granted, reminders, preferences, an account e-mail waiting, a download.
    RoleGrant.objects.create(user=colleague, role=Role.MENTOR, granted_at=now, granted_by=leaver)
    NotificationPreference.objects.create(user=leaver, kind="plan_quarterly_review", mode="off")
    schedule(
        recipient=leaver,
        kind="goal_due_14d",
        due_at=now + timedelta(days=3),
        dedupe_key="leaver:goal",
        context={"goal_title": "x", "due_on": "2027-01-01", "url": "/plans/"},
    )
    account_email_schedule(address=leaver.email, subject="s", heading="h", text="t", html="", now=now)
    DataExport.objects.create(owner=leaver, requested_at=now)

    return World(
        leaver=leaver,
        mentee=mentee,
        md=md,
        waiting_mentee=waiting_mentee,
        next_mentor=next_mentor,
        co_organiser=co_organiser,
        facilitator=facilitator,
        member=member,
        set_peer=set_peer,
        colleague=colleague,
        scheme=scheme,
        md_scheme=md_scheme,
        programme=programme,
        own_set=own_set,
        led_set=led_set,
        active_pair=active_pair,
        past_pair=past_pair,
        waiting=waiting,
        match_round=match_round,
        assessment=assessment,
        plan=plan,
        files=[evidence.file.name, plan_evidence.file.name],
    )
