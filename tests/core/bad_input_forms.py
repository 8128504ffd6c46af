"""Every form the portal's users submit, for the fuzz in test_bad_input_fuzz.py: how to reach it with a valid
answer (built as the tests of its app build theirs, with their helpers), and its fields.

A `Scenario` is the valid answer: who sends it, where, and the ids of other people's objects that each field
must refuse. A `Form` says how the page refuses: `page` re-renders the form with a 4xx and the error summary
(allauth's own pages re-render with 200: `allauth`), `message` redirects and says why in a banner (buttons whose
view reads one value), `search` is a GET that ignores what it does not understand.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.forms import DirectorySearchForm, PeopleSearchForm, RoleChangeForm
from apps.accounts.models import Role, User
from apps.assessments.feedback import feedback_round_open, rater_invite
from apps.assessments.forms import InviteForm, OpenRoundForm, StartForm
from apps.assessments.forms_evidence import EvidenceForm
from apps.assessments.models import Assessment
from apps.assessments.services import assessment_start
from apps.assessments.sharing import share_grant
from apps.bilaterals.forms import ChooseTimeForm, MoveForm, ProposeForm
from apps.bilaterals.forms import NoteForm as BilateralNoteForm
from apps.bilaterals.services import meeting_schedule
from apps.buddies.forms import CohortForm as BuddyCohortForm
from apps.buddies.forms import JoinForm as BuddyJoinForm
from apps.buddies.forms import MemberAddForm as BuddyMemberAddForm
from apps.buddies.models import Cohort as BuddyCohort
from apps.buddies.services import cohort_create as buddy_cohort_create
from apps.buddies.services import cohort_pair as buddy_cohort_pair
from apps.careers.forms import RightTimeForm, RoleHistoryForm, RoleProfileForm
from apps.careers.selectors import shipped_roles
from apps.careers.services.profiles import role_profiles_load
from apps.common.sharing_form import ShareWithForm
from apps.competencies.fileformat import parse
from apps.competencies.models import Criterion, Framework
from apps.competencies.services import framework_load
from apps.development.forms import ActivityForm, GoalForm, PlanEvidenceForm, PlanForm
from apps.development.forms import ReflectionForm as PlanReflectionForm
from apps.development.models import Activity, Goal, Opportunity
from apps.development.selectors_catalogue import CatalogueSearchForm
from apps.development.services import activity_create, goal_create
from apps.development.sharing import plan_share_grant
from apps.learning_sets.forms_programmes import ApplicationForm, ProgrammeForm
from apps.learning_sets.forms_sets import ApologyForm, NoteForm, ReflectionToPlanForm, RescheduleForm
from apps.learning_sets.forms_sets import ReflectionForm as SetReflectionForm
from apps.learning_sets.models import Application, LearningSet, ProgrammeStatus, Session
from apps.learning_sets.services.notes import reflection_write
from apps.mentoring.forms import OfferForm, RequestForm
from apps.mentoring.forms_relationships import AgreementForm, CloseForm, FeedbackForm, MeetingForm
from apps.mentoring.forms_schemes import SchemeForm
from apps.mentoring.models import MentoringRelationship, MentoringRequest, Proposal, RoundPair
from apps.mentoring.selectors import agreement_fingerprint
from apps.mentoring.services.relationships import agreement_save, meeting_log, relationship_close
from apps.mentoring.services.rounds import round_run
from apps.networks.forms import AgendaForm as NetworkAgendaForm
from apps.networks.forms import MeetingForm as NetworkMeetingForm
from apps.networks.forms import NetworkForm
from apps.networks.forms import NoteForm as NetworkNoteForm
from apps.networks.forms import TopicForm as NetworkTopicForm
from apps.networks.services.membership import membership_approve, network_join
from apps.networks.services.notes import note_add as network_note_add
from apps.notifications.emails import unsubscribe_token
from apps.notifications.selectors import preferences_for_user
from apps.organisations.models import Region
from apps.pathways.forms import CheckInForm as PathwayCheckInForm
from apps.pathways.forms import CohortForm as PathwayCohortForm
from apps.pathways.forms import EnrolForm as PathwayEnrolForm
from apps.pathways.forms import InviteForm as PathwayInviteForm
from apps.pathways.forms import ScopeForm as PathwayScopeForm
from apps.pathways.forms import TickForm as PathwayTickForm
from apps.profiles.forms import DiversityForm, ProfileForm
from apps.profiles.models import CareerRole, DiversityInformation
from apps.shadowing.forms import (
    AcceptForm,
    BrowseForm,
    DateForm,
    DeclineForm,
)
from apps.shadowing.forms import OfferForm as ShadowingOfferForm
from apps.shadowing.forms import (
    ReflectionForm as ShadowingReflectionForm,
)
from apps.shadowing.forms import RequestForm as ShadowingRequestForm
from apps.succession.forms_conversations import ConversationForm, StepToPlanForm
from apps.succession.forms_forward import CandidacyForm, ConfirmForm, OrganisationChoiceForm
from apps.succession.forms_pipeline import AreaForm, LeadViewForm
from apps.succession.forms_posts import PostForm, StructureForm
from apps.succession.models import TalentConversation
from apps.succession.services.conversations import conversation_create
from apps.succession.structures import shipped
from tests.accounts.test_account_flows import STRONG
from tests.assessments.conftest import PERSON_SPEC
from tests.bilaterals.support import FIRST_OPTION as BILATERAL_TIME
from tests.bilaterals.support import agreed as agreed_bilateral
from tests.bilaterals.support import md as md_person
from tests.buddies.factories import join as buddy_join_cohort
from tests.buddies.factories import md as buddy_md
from tests.conftest import signed_in
from tests.factories import PASSWORD, OrganisationFactory, ProfileFactory, grant, year_plan
from tests.learning_sets import test_programmes as programmes
from tests.learning_sets.sets_support import NOW as SETS_NOW
from tests.learning_sets.sets_support import World, add_set, sessions_of
from tests.learning_sets.sets_support import make_programme as make_set_programme
from tests.learning_sets.test_applications import answers
from tests.mentoring.test_offers_and_requests import offer_data, request_data
from tests.mentoring.test_relationships import GOALS, NOTES, make_mentor, start
from tests.mentoring.test_rounds import WEIGHTS, make_scheme, scheme_mentee, scheme_mentor
from tests.networks.support import make_network, network_organiser, propose, schedule
from tests.pathways.support import enrol as pathway_enrol
from tests.pathways.support import make_cohort as pathway_cohort
from tests.profiles.test_profile_views import valid_profile_data
from tests.shadowing.support import WHY, accepted, ask, make_offer, person_in_role
from tests.support.rater_links import rater_links_sent
from tests.support.succession import make_candidacy, make_lead, make_post

from .bad_values import Field, Kind

LONDON = ZoneInfo("Europe/London")
AFTER_FIRST_SESSION = datetime(2026, 10, 20, 17, 0, tzinfo=LONDON)  # set 1's first session (sets_support) is over
PROGRAMME_SET_UP = datetime(2027, 1, 15, 12, 0, tzinfo=LONDON)  # before the dates of test_programmes.FORM


class People:
    """The suite's people (tests/conftest.py), each made when a form first needs them: most need one or two."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request

    def _person(self, fixture: str) -> User:
        return cast(User, self._request.getfixturevalue(fixture))

    @property
    def owner(self) -> User:
        return self._person("owner")

    @property
    def colleague(self) -> User:
        return self._person("colleague")

    @property
    def outsider(self) -> User:
        return self._person("outsider")

    @property
    def organiser(self) -> User:
        return self._person("organiser")

    @property
    def administrator(self) -> User:
        return self._person("administrator")


@dataclass
class Scenario:
    client: Client
    url: str
    data: dict[str, Any]
    names: dict[str, str] = field(default_factory=dict)  # a field's name in the post, when it carries an id
    foreign: dict[str, list[str]] = field(default_factory=dict)  # ids of other people's objects, per field
    headers: dict[str, str] = field(default_factory=dict)

    def key(self, name: str) -> str:
        return self.names.get(name, name)


@dataclass(frozen=True)
class Form:
    name: str
    build: Callable[[People], Scenario]
    fields: tuple[Field, ...]
    refusal: Literal["page", "allauth", "message", "search"] = "page"
    at: datetime | None = None  # the clock, for forms that depend on the day (sessions, application windows)

    @property
    def method(self) -> str:
        return "get" if self.refusal == "search" else "post"


def _today(days: int = 0) -> str:
    return str(timezone.localdate() + timedelta(days=days))


def load_person_spec() -> Framework:
    return framework_load(spec=parse(PERSON_SPEC.read_text())).framework


def _draft_assessment(owner: User) -> Assessment:
    return assessment_start(owner=owner, framework=load_person_spec(), target_level=5, now=timezone.now())


def _mentor(email: str) -> User:
    user = ProfileFactory(user__email=email).user
    grant(user, Role.MENTOR)
    return user


def _goal(owner: User, title: str = "Chair the quality committee") -> Goal:
    plan = year_plan(owner)
    return goal_create(
        plan=plan,
        title=title,
        description="",
        measure="Chaired three meetings",
        target_date=timezone.localdate() + timedelta(days=30),
        criteria=[],
        now=timezone.now(),
    )


# Accounts and profile ------------------------------------------------------------------------------------------


def sign_up(p: People) -> Scenario:
    return Scenario(
        Client(),
        reverse("account_signup"),
        {"email": "new.doctor@example.org", "password1": STRONG, "password2": STRONG},
    )


def password_reset(p: People) -> Scenario:
    return Scenario(Client(), reverse("account_reset_password"), {"email": "someone.new@example.org"})


def add_email(p: People) -> Scenario:
    data = {"action_add": "", "email": "owner.second@example.org"}
    return Scenario(signed_in(p.owner), reverse("account_email"), data)


def sign_in(p: People) -> Scenario:
    return Scenario(Client(), reverse("account_login"), {"login": p.owner.email, "password": PASSWORD})


def profile(p: People) -> Scenario:
    closed = OrganisationFactory(closed_on=date(2020, 3, 31))
    return Scenario(
        signed_in(p.owner), reverse("profiles:edit"), valid_profile_data(), foreign={"organisation": [str(closed.pk)]}
    )


def diversity(p: People) -> Scenario:
    data = {
        name: str(next(iter(DiversityInformation._meta.get_field(name).flatchoices))[0])  # type: ignore[union-attr]
        for name in ("age_band", "gender", "ethnic_group", "disability")
    }
    return Scenario(signed_in(p.owner), reverse("profiles:diversity"), data)


def people_search(p: People) -> Scenario:
    return Scenario(signed_in(p.administrator), reverse("accounts:people"), {"q": "owner", "page": "1"})


def roles(p: People) -> Scenario:
    return Scenario(
        signed_in(p.administrator),
        reverse("accounts:roles", args=[p.owner.pk]),
        {"role": Role.MENTOR, "action": "grant"},
    )


def organisations(p: People) -> Scenario:
    return Scenario(signed_in(p.administrator), reverse("organisations:list"), {"q": "trust", "closed": "on"})


def notification_pages(p: People) -> Scenario:
    return Scenario(signed_in(p.owner), reverse("notifications:list"), {"page": "1"})


def preferences(p: People) -> Scenario:
    chosen = preferences_for_user(user=p.owner)
    data = {kind.code: mode for kind, mode in chosen}
    return Scenario(signed_in(p.owner), reverse("notifications:preferences"), data, names={"mode": chosen[0][0].code})


def unsubscribe(p: People) -> Scenario:
    kind = next(kind for kind, _ in preferences_for_user(user=p.owner) if kind.can_unsubscribe)
    token = unsubscribe_token(user_id=p.owner.pk, email=p.owner.email, kind=kind.code)
    return Scenario(Client(), reverse("notifications:unsubscribe", args=[token]), {"scope": "kind"})


# Self-assessment and 360 feedback -----------------------------------------------------------------------------


def assessment_new(p: People) -> Scenario:
    spec = load_person_spec()
    return Scenario(signed_in(p.owner), reverse("assessments:new"), {"framework": str(spec.pk), "target_level": "5"})


def assessment_group(p: People) -> Scenario:
    assessment = _draft_assessment(p.owner)
    criterion = Criterion.objects.filter(framework=assessment.framework, prompts__isnull=False).first()
    assert criterion is not None
    prompt = criterion.prompts.first()
    assert prompt is not None
    names = {"rating": f"rating_{criterion.pk}", "note": f"note_{criterion.pk}", "answer": f"answer_{prompt.pk}"}
    data = {names["rating"]: "3", names["note"]: "Led the discharge audit", names["answer"]: "At the board"}
    url = reverse("assessments:group", args=[assessment.pk, criterion.group.code])
    return Scenario(signed_in(p.owner), url, data, names=names)


def assessment_evidence(p: People) -> Scenario:
    assessment = _draft_assessment(p.owner)
    criterion = assessment.framework.criteria.first()
    assert criterion is not None
    data = {"kind": "link", "title": "Audit of discharge summaries", "text": "What it shows", "url": "https://x.org/a"}
    return Scenario(signed_in(p.owner), reverse("assessments:evidence_add", args=[assessment.pk, criterion.pk]), data)


def feedback_open(p: People) -> Scenario:
    assessment = _draft_assessment(p.owner)
    data = {"action": "open", "closes_on": _today(21), "message": "Thank you for your time"}
    return Scenario(signed_in(p.owner), reverse("assessments:feedback", args=[assessment.pk]), data)


def _open_round(owner: User) -> Assessment:
    assessment = _draft_assessment(owner)
    feedback_round_open(
        assessment=assessment, closes_on=timezone.localdate() + timedelta(days=21), message="", now=timezone.now()
    )
    return assessment


def feedback_invite(p: People) -> Scenario:
    assessment = _open_round(p.owner)
    data = {"action": "invite", "email": "rater@example.org", "category": "peer"}
    return Scenario(signed_in(p.owner), reverse("assessments:feedback", args=[assessment.pk]), data)


def rater(p: People) -> Scenario:
    assessment = _open_round(p.owner)
    rater_invite(
        feedback_round=assessment.feedback_round,  # type: ignore[attr-defined]
        email="rater@example.org",
        category="peer",
        now=timezone.now(),
    )
    path = rater_links_sent()["rater@example.org"]
    criteria = list(assessment.framework.criteria.order_by("position"))
    names = {"rating": f"rating_{criteria[0].pk}", "comment": f"comment_{criteria[0].pk}"}
    data = {
        "action": "submit",
        **{f"rating_{c.pk}": "3" for c in criteria},
        names["comment"]: "Clear and fair",
        "comment_general": "Thanks for asking",
    }
    return Scenario(Client(), path, data, names=names)


def assessment_share(p: People) -> Scenario:
    assessment = _draft_assessment(p.owner)
    data = {"action": "share", "person": "else", "email": p.organiser.email}
    return Scenario(signed_in(p.owner), reverse("assessments:sharing", args=[assessment.pk]), data)


def assessment_unshare(p: People) -> Scenario:
    assessment = _draft_assessment(p.owner)
    share = share_grant(assessment=assessment, viewer_email=p.organiser.email, now=timezone.now())
    theirs = assessment_start(owner=p.colleague, framework=assessment.framework, target_level=5, now=timezone.now())
    other = share_grant(assessment=theirs, viewer_email=p.organiser.email, now=timezone.now())
    return Scenario(
        signed_in(p.owner),
        reverse("assessments:sharing", args=[assessment.pk]),
        {"action": "revoke", "share": str(share.pk)},
        foreign={"share": [str(other.pk)]},
    )


# Development plans -------------------------------------------------------------------------------------------


def plan_new(p: People) -> Scenario:
    data = {"title": "Towards medical director", "target_level": "5", "starts_on": _today(), "ends_on": _today(365)}
    return Scenario(signed_in(p.owner), reverse("development:list"), data)


def _goal_data() -> dict[str, Any]:
    return {
        "title": "Chair the committee",
        "description": "Monthly",
        "measure": "Chaired it",
        "target_date": _today(30),
    }


def goal_new(p: People) -> Scenario:
    load_person_spec()
    plan = year_plan(p.owner)
    return Scenario(signed_in(p.owner), reverse("development:goal_add", args=[plan.pk]), _goal_data())


def goal_edit(p: People) -> Scenario:
    load_person_spec()
    goal = _goal(p.owner)
    data = {**_goal_data(), "status": "in_progress"}
    return Scenario(signed_in(p.owner), reverse("development:goal_edit", args=[goal.plan_id, goal.pk]), data)


def goal_from_suggestion(p: People) -> Scenario:
    plan = year_plan(p.owner)
    opportunity = Opportunity.objects.filter(is_active=True).first()
    data = {"suggestion": opportunity.code if opportunity else "", "criteria": ["SKI-8"]}
    return Scenario(signed_in(p.owner), reverse("development:goal_add", args=[plan.pk]), data)


def activity_new(p: People) -> Scenario:
    goal = _goal(p.owner)
    theirs = _goal(p.colleague)
    data = {
        "title": "Shadow the medical director",
        "goal": str(goal.pk),
        "provider": "NHS Leadership Academy",
        "starts_on": _today(),
        "ends_on": _today(30),
    }
    return Scenario(
        signed_in(p.owner),
        reverse("development:activity_new", args=[goal.plan_id]),
        data,
        foreign={"goal": [str(theirs.pk)]},
    )


def catalogue(p: People) -> Scenario:
    load_person_spec()
    plan = year_plan(p.owner)
    data = {"q": "board", "criterion": "", "kind": "", "time": "", "cost": "free"}
    return Scenario(signed_in(p.owner), reverse("development:activity_new", args=[plan.pk]), data)


def catalogue_htmx(p: People) -> Scenario:
    return replace(catalogue(p), headers={"HX-Request": "true"})  # the results update in place as one types


def reflection_new(p: People) -> Scenario:
    goal = _goal(p.owner)
    theirs = _goal(p.colleague)
    data = {
        "about": f"goal:{goal.pk}",
        "title": "The board meeting",
        "written_on": _today(),
        "what_happened": "I presented the audit",
        "so_what": "Numbers first",
        "now_what": "Lead with the story",
    }
    return Scenario(
        signed_in(p.owner),
        reverse("development:reflection_new", args=[goal.plan_id]),
        data,
        foreign={"about": [f"goal:{theirs.pk}"]},
    )


def plan_evidence(p: People) -> Scenario:
    plan = year_plan(p.owner)
    data = {"about": "plan", "kind": "link", "title": "Audit", "text": "What it shows", "url": "https://x.org/a"}
    return Scenario(signed_in(p.owner), reverse("development:evidence_new", args=[plan.pk]), data)


def plan_share(p: People) -> Scenario:
    plan = year_plan(p.owner)
    mentor = _mentor("md@example.org")
    data = {"person": "else", "email": mentor.email}
    return Scenario(signed_in(p.owner), reverse("development:plan_sharing", args=[plan.pk]), data)


def plan_unshare(p: People) -> Scenario:
    mentor = _mentor("md@example.org")
    plan = year_plan(p.owner)
    share = plan_share_grant(plan=plan, viewer_email=mentor.email, now=timezone.now())
    other = plan_share_grant(plan=year_plan(p.colleague), viewer_email=mentor.email, now=timezone.now())
    return Scenario(
        signed_in(p.owner),
        reverse("development:plan_sharing", args=[plan.pk]),
        {"action": "revoke", "share": str(share.pk)},
        foreign={"share": [str(other.pk)]},
    )


def activity_status(p: People) -> Scenario:
    plan = year_plan(p.owner)
    activity: Activity = activity_create(plan=plan, title="Shadow the MD", now=timezone.now())
    url = reverse("development:activity_status", args=[plan.pk, activity.pk])
    return Scenario(signed_in(p.owner), url, {"status": "done"})


# Mentoring -----------------------------------------------------------------------------------------------------


def _closed_scheme(organiser: User) -> str:
    return str(make_scheme(organiser, open_to_requests=False).pk)


def offer(p: People) -> Scenario:
    load_person_spec()
    grant(p.owner, Role.MENTOR)
    data = {**offer_data(), "expertise": ["SKI-8"]}
    return Scenario(
        signed_in(p.owner), reverse("mentoring:offer"), data, foreign={"schemes": [_closed_scheme(p.organiser)]}
    )


def mentoring_request(p: People) -> Scenario:
    load_person_spec()
    data = {**request_data(), "focus": ["SKI-8"]}
    return Scenario(
        signed_in(p.owner), reverse("mentoring:request"), data, foreign={"scheme": [_closed_scheme(p.organiser)]}
    )


def _relationship(p: People) -> MentoringRelationship:
    return start(make_mentor("md@example.org"), p.owner)


def agreement(p: People) -> Scenario:
    relationship = _relationship(p)
    data = {"goals": GOALS, "meeting_frequency": "monthly", "confidentiality": "Between us unless someone is at risk"}
    return Scenario(signed_in(p.owner), reverse("mentoring:relationship_agreement", args=[relationship.pk]), data)


def agree(p: People) -> Scenario:
    mentor = make_mentor("md@example.org")
    relationship = start(mentor, p.owner)
    agreement_save(
        relationship=relationship,
        actor=mentor,
        goals=GOALS,
        meeting_frequency="monthly",
        confidentiality="Between us",
        now=timezone.now(),
    )
    relationship.refresh_from_db()
    url = reverse("mentoring:relationship_agree", args=[relationship.pk])
    return Scenario(signed_in(p.owner), url, {"seen": agreement_fingerprint(relationship)})


def _meeting_data() -> dict[str, Any]:
    return {"met_on": _today(), "mode": "video", "notes": NOTES, "actions": "Read the board papers"}


def meeting_new(p: People) -> Scenario:
    relationship = _relationship(p)
    return Scenario(signed_in(p.owner), reverse("mentoring:meeting_add", args=[relationship.pk]), _meeting_data())


def meeting_edit(p: People) -> Scenario:
    relationship = _relationship(p)
    meeting = meeting_log(
        relationship=relationship,
        actor=p.owner,
        met_on=timezone.localdate(),
        mode="phone",
        notes="First call",
        actions="",
        now=timezone.now(),
    )
    url = reverse("mentoring:meeting_edit", args=[relationship.pk, meeting.pk])
    return Scenario(signed_in(p.owner), url, _meeting_data())


def close(p: People) -> Scenario:
    relationship = _relationship(p)
    url = reverse("mentoring:relationship_close", args=[relationship.pk])
    return Scenario(signed_in(p.owner), url, {"reason": "goals_met"})


def closing_feedback(p: People) -> Scenario:
    relationship = _relationship(p)
    relationship_close(relationship=relationship, actor=p.owner, reason="goals_met", now=timezone.now())
    data = {"usefulness": "4", "goals_met": "partly", "would_recommend": "yes", "comment": "Kind and direct"}
    return Scenario(signed_in(p.owner), reverse("mentoring:relationship_feedback", args=[relationship.pk]), data)


def early_check(p: People) -> Scenario:
    relationship = _relationship(p)
    meeting_log(  # the question is asked after the first meeting
        relationship=relationship,
        actor=p.owner,
        met_on=timezone.localdate(),
        mode="video",
        notes="",
        actions="",
        now=timezone.now(),
    )
    url = reverse("mentoring:relationship_early_check", args=[relationship.pk])
    return Scenario(signed_in(p.owner), url, {"working": "yes"})


def proposal_reply(p: People) -> Scenario:
    mentor = make_mentor("md@example.org")
    request = MentoringRequest.objects.create(
        mentee=p.owner, kind="mentor", focus=["SKI-8"], modes=["video"], created_at=timezone.now()
    )
    proposal = Proposal.objects.create(
        request=request, mentor=mentor, score=50, explanation="helps with 1 focus area", created_at=timezone.now()
    )
    return Scenario(signed_in(p.owner), reverse("mentoring:reply", args=[proposal.pk]), {"reply": "decline"})


def _scheme_data() -> dict[str, Any]:
    return {
        "name": "North West aspiring MDs",
        "description": "For consultants aiming for medical director",
        "open_to_requests": "on",
        **WEIGHTS,
        "co_organiser_emails": "",
    }


def scheme_new(p: People) -> Scenario:
    return Scenario(signed_in(p.organiser), reverse("mentoring:scheme_new"), _scheme_data())


def scheme_edit(p: People) -> Scenario:
    scheme = make_scheme(p.organiser)
    return Scenario(signed_in(p.organiser), reverse("mentoring:scheme_edit", args=[scheme.pk]), _scheme_data())


def round_pairs(organiser: User, at: str = "example.org") -> tuple[RoundPair, RoundPair, User]:
    """A round of two pairs, and a spare mentor with room."""
    scheme = make_scheme(organiser)
    scheme_mentor(scheme, f"a@{at}", capacity=1)
    scheme_mentor(scheme, f"b@{at}", capacity=1, role=CareerRole.DEPUTY_MD)
    spare = scheme_mentor(scheme, f"spare@{at}", capacity=1, role=CareerRole.ASSOCIATE_MD)
    scheme_mentee(scheme, f"first@{at}")
    scheme_mentee(scheme, f"second@{at}")
    match_round = round_run(scheme=scheme, actor=organiser, now=timezone.now())
    first, second = RoundPair.objects.filter(round=match_round).order_by("pk")
    return first, second, spare


def _pair_url(pair: RoundPair, action: str) -> str:
    return reverse(f"mentoring:pair_{action}", args=[pair.round.scheme_id, pair.round_id, pair.pk])


def pair_change(p: People) -> Scenario:
    first, _, spare = round_pairs(p.organiser)
    return Scenario(signed_in(p.organiser), _pair_url(first, "change"), {"mentor": str(spare.pk)})


def pair_swap(p: People) -> Scenario:
    first, second, _ = round_pairs(p.organiser)
    theirs, _, _ = round_pairs(make_organiser("other.organiser@example.org"), at="elsewhere.org")
    return Scenario(
        signed_in(p.organiser),
        _pair_url(first, "swap"),
        {"other": str(second.pk)},
        foreign={"other": [str(theirs.pk)]},
    )


def round_pages(p: People) -> Scenario:
    first, _, _ = round_pairs(p.organiser)
    url = reverse("mentoring:round", args=[first.round.scheme_id, first.round_id])
    return Scenario(signed_in(p.organiser), url, {"show": "unmatched", "page": "1"})


def make_organiser(email: str) -> User:
    user = ProfileFactory(user__email=email).user
    grant(user, Role.ORGANISER)
    return user


# Learning sets -------------------------------------------------------------------------------------------------


def programme_new(p: People) -> Scenario:
    return Scenario(signed_in(p.organiser), reverse("learning_sets:programme_new"), dict(programmes.FORM))


def programme_edit(p: People) -> Scenario:
    programme = programmes.make_programme(p.organiser, status=ProgrammeStatus.DRAFT)
    url = reverse("learning_sets:programme_edit", args=[programme.pk])
    return Scenario(signed_in(p.organiser), url, dict(programmes.FORM))


def apply(p: People) -> Scenario:
    programme = programmes.make_programme(p.organiser)
    closed = OrganisationFactory(closed_on=date(2020, 3, 31))
    return Scenario(
        signed_in(p.owner),
        reverse("learning_sets:apply", args=[programme.pk]),
        answers(p.owner),
        foreign={"organisation": [str(closed.pk)]},
    )


def make_world(p: People, *, published: bool = True) -> World:
    world = World(p.organiser, p.owner, p.colleague, p.outsider)
    return world.publish() if published else world


def reschedule(p: People) -> Scenario:
    world = make_world(p)
    session = sessions_of(world.set1)[0]
    url = reverse("learning_sets:session_reschedule", args=[session.pk])
    return Scenario(signed_in(world.facilitator), url, {"day": "2026-10-21", "start": "14:00"})


def apology(p: People) -> Scenario:
    world = make_world(p)
    session = sessions_of(world.set1)[0]
    url = reverse("learning_sets:apology", args=[session.pk])
    return Scenario(signed_in(p.owner), url, {"message": "Sorry: I am on call that afternoon"})


def attendance(p: People) -> Scenario:
    world = make_world(p)
    session = sessions_of(world.set1)[0]
    data = {f"member_{member.pk}": "yes" for member in world.set1_members}
    return Scenario(
        signed_in(world.facilitator),
        reverse("learning_sets:attendance", args=[session.pk]),
        data,
        names={"member": f"member_{p.owner.pk}", "stranger": f"member_{p.outsider.pk}"},
    )


def _other_set_session(world: World) -> Session:
    return sessions_of(world.set2)[0]


def note(p: People) -> Scenario:
    world = make_world(p)
    session = sessions_of(world.set1)[0]
    return Scenario(
        signed_in(world.facilitator),
        reverse("learning_sets:note_new", args=[world.set1.pk]),
        {"text": "Bring one challenge each", "session": str(session.pk)},
        foreign={"session": [str(_other_set_session(world).pk)]},
    )


def set_reflection(p: People) -> Scenario:
    world = make_world(p)
    first, later = sessions_of(world.set1)[:2]
    data = {
        "session": str(first.pk),
        "what_happened": "I brought the rota problem",
        "so_what": "I had not asked the team",
        "now_what": "Ask them first",
    }
    return Scenario(
        signed_in(p.owner),
        reverse("learning_sets:reflection_new", args=[world.set1.pk]),
        data,
        foreign={"session": [str(_other_set_session(world).pk), str(later.pk)]},
    )


def reflection_to_plan(p: People) -> Scenario:
    world = make_world(p)
    reflection = reflection_write(
        learning_set=world.set1,
        author=p.owner,
        session=sessions_of(world.set1)[0],
        what_happened="I brought the rota problem",
        so_what="I had not asked the team",
        now_what="Ask them first",
        now=timezone.now(),
    )
    plan = year_plan(p.owner)
    theirs = year_plan(p.colleague)
    return Scenario(
        signed_in(p.owner),
        reverse("learning_sets:reflection_plan", args=[world.set1.pk, reflection.pk]),
        {"plan": str(plan.pk), "title": "Action learning set, October"},
        foreign={"plan": [str(theirs.pk)]},
    )


def _application(world: World, person: User) -> Application:
    return Application.objects.get(programme=world.programme, person=person)


def _elsewhere() -> LearningSet:
    """A set of another organiser's programme: it and its people must be out of reach."""
    programme = make_set_programme(make_organiser("elsewhere@example.org"), name="Elsewhere")
    return add_set(programme, number=1, slot="tue-14:00", facilitator=None, members=[ProfileFactory().user])


def review_move(p: People) -> Scenario:
    world, elsewhere = make_world(p, published=False), _elsewhere()
    url = reverse("learning_sets:move", args=[world.programme.pk, _application(world, p.owner).pk])
    return Scenario(signed_in(p.organiser), url, {"target": "out"}, foreign={"target": [str(elsewhere.pk)]})


def review_swap(p: People) -> Scenario:
    world, elsewhere = make_world(p, published=False), _elsewhere()
    theirs = Application.objects.get(membership__learning_set=elsewhere)
    # Both free at either set's time, so that the two may change places.
    Application.objects.filter(programme=world.programme).update(slots=["tue-14:00", "thu-10:00"])
    data = {"first": str(_application(world, p.owner).pk), "second": str(_application(world, world.other_member).pk)}
    return Scenario(
        signed_in(p.organiser),
        reverse("learning_sets:swap", args=[world.programme.pk]),
        data,
        foreign={"first": [str(theirs.pk)], "second": [str(theirs.pk)]},
    )


def publish(p: People) -> Scenario:
    world = make_world(p, published=False)
    url = reverse("learning_sets:publish", args=[world.programme.pk])
    return Scenario(signed_in(p.organiser), url, {"next": reverse("learning_sets:review", args=[world.programme.pk])})


def review_set(p: People) -> Scenario:
    world = make_world(p, published=False)
    url = reverse("learning_sets:set_edit", args=[world.programme.pk, world.set1.pk])
    data = {"slot": "tue-14:00", "facilitator": str(world.facilitator.pk)}
    return Scenario(signed_in(p.organiser), url, data, foreign={"facilitator": [str(p.outsider.pk)]})


# Talk to someone in the role ---------------------------------------------------------------------------------------

SHADOWING_OFFER = {"kind": "shadowing", "per_year": "4", "setting": "in_person", "who_may_ask": "anyone", "note": "Hi"}


def shadowing_offer(p: People) -> Scenario:
    return Scenario(signed_in(p.owner), reverse("shadowing:offer_new"), dict(SHADOWING_OFFER))


def shadowing_offer_edit(p: People) -> Scenario:
    offer = make_offer(p.owner)
    data = {k: v for k, v in SHADOWING_OFFER.items() if k != "kind"}
    return Scenario(signed_in(p.owner), reverse("shadowing:offer_edit", args=[offer.pk]), data)


def shadowing_request(p: People) -> Scenario:
    offer = make_offer(person_in_role("md@example.org"))
    data = {"why": WHY, "suggested_on": _today(10)}
    return Scenario(signed_in(p.owner), reverse("shadowing:request_new", args=[offer.pk]), data)


def shadowing_accept(p: People) -> Scenario:
    request = ask(make_offer(person_in_role("md@example.org")), p.owner)
    names = {"agreed_on": "accept-agreed_on", "message": "accept-message"}
    data = {names["agreed_on"]: _today(10), names["message"]: "See you then"}
    url = reverse("shadowing:request_accept", args=[request.pk])
    return Scenario(signed_in(request.offerer), url, data, names=names)


def shadowing_decline(p: People) -> Scenario:
    request = ask(make_offer(person_in_role("md@example.org")), p.owner)
    url = reverse("shadowing:request_decline", args=[request.pk])
    return Scenario(
        signed_in(request.offerer), url, {"decline-message": "Not this year"}, names={"message": "decline-message"}
    )


def shadowing_date(p: People) -> Scenario:
    request = accepted(make_offer(person_in_role("md@example.org")), p.owner)
    url = reverse("shadowing:request_date", args=[request.pk])
    return Scenario(
        signed_in(request.offerer), url, {"date-agreed_on": _today(10)}, names={"agreed_on": "date-agreed_on"}
    )


def shadowing_reflection(p: People) -> Scenario:
    request = accepted(make_offer(person_in_role("md@example.org")), p.owner)
    plan = year_plan(p.owner)
    data = {"title": "Board day", "what_happened": "w", "so_what": "s", "now_what": "n", "plan": str(plan.pk)}
    url = reverse("shadowing:reflection", args=[request.pk])
    return Scenario(signed_in(p.owner), url, data, foreign={"plan": [str(year_plan(p.colleague).pk)]})


def _lead_of_owners_organisation(p: People) -> User:
    """The owner as their organisation's lead (the colleague is at the same organisation)."""
    return make_lead(p.owner.profile.organisation, p.owner)


def _post_data(**changes: str) -> dict[str, str]:
    data = {"title": "Deputy medical director", "level": "4", "portfolio": "quality", "pas": "4.5"}
    return data | {"holder": "", "holder_name": "", "expected_vacancy": _today(60)} | changes


def succession_post(p: People) -> Scenario:
    lead, elsewhere = _lead_of_owners_organisation(p), ProfileFactory().user
    make_candidacy(p.colleague, p.owner.profile.organisation)  # the leads see them: they may be named holder
    data = _post_data(holder=str(p.colleague.pk))
    return Scenario(signed_in(lead), reverse("succession:post_new"), data, foreign={"holder": [str(elsewhere.pk)]})


def succession_post_edit(p: People) -> Scenario:
    lead = _lead_of_owners_organisation(p)
    post = make_post(p.owner.profile.organisation)
    url = reverse("succession:post_edit", args=[post.pk])
    return Scenario(signed_in(lead), url, _post_data(holder_name="Dr Jane Smith"))


def succession_structure(p: People) -> Scenario:
    lead = _lead_of_owners_organisation(p)
    return Scenario(signed_in(lead), reverse("succession:structure_apply"), {"structure": "mental-health-trust"})


FORWARD = {"aim": "Deputy MD", "timescale": "1_to_2_years", "readiness": "1_2_years", "show": "summary"}


def forward_choose(p: People) -> Scenario:
    organisation = OrganisationFactory()
    make_lead(organisation)
    return Scenario(signed_in(p.owner), reverse("succession:forward_new"), {"q": "Trust"})


def forward_new(p: People) -> Scenario:
    organisation, elsewhere = OrganisationFactory(), OrganisationFactory()
    make_lead(organisation)
    make_lead(elsewhere)
    post, theirs = make_post(organisation), make_post(elsewhere)
    url = f"{reverse('succession:forward_new')}?organisation={organisation.pk}"
    data = {**FORWARD, "place": f"post-{post.pk}", "emergency_cover": "on"}
    return Scenario(signed_in(p.owner), url, data, foreign={"place": [f"post-{theirs.pk}"]})


def forward_edit(p: People) -> Scenario:
    organisation = OrganisationFactory()
    make_lead(organisation)
    candidacy = make_candidacy(p.owner, organisation)
    return Scenario(signed_in(p.owner), reverse("succession:forward_edit", args=[candidacy.pk]), dict(FORWARD))


def forward_confirm(p: People) -> Scenario:
    organisation = OrganisationFactory()
    make_lead(organisation)
    candidacy = make_candidacy(p.owner, organisation)
    return Scenario(signed_in(p.owner), reverse("succession:forward_confirm", args=[candidacy.pk]), {})


def succession_lead_view(p: People) -> Scenario:
    lead = _lead_of_owners_organisation(p)
    candidacy = make_candidacy(p.colleague, p.owner.profile.organisation, make_post(p.owner.profile.organisation))
    url = reverse("succession:candidate", args=[candidacy.pk])
    return Scenario(signed_in(lead), url, {"readiness": "ready_now", "comment": "Ready for the board."})


def succession_regional(p: People) -> Scenario:
    region = Region.objects.get(ods_code="Y56")
    return Scenario(signed_in(p.organiser), reverse("succession:regional"), {"region": str(region.pk), "icb": ""})


TALENT_CONVERSATION = {
    "held_on": _today(-1),
    "aspiration": "Deputy MD",
    "strengths": "Calm",
    "to_develop": "Finance",
    "next_steps": "Act up\nJoin the committee",
    "meet_again_on": _today(30),
}


def _talent_conversation(p: People) -> tuple[User, TalentConversation]:
    """A lead of a new organisation and their conversation with the owner, who stands forward there."""
    organisation = OrganisationFactory()
    lead = make_lead(organisation)
    candidacy = make_candidacy(p.owner, organisation)
    fields = {**TALENT_CONVERSATION, "held_on": timezone.localdate(), "meet_again_on": None}
    return lead, conversation_create(lead=lead, candidacy_id=candidacy.pk, now=timezone.now(), **fields)


def talent_conversation(p: People) -> Scenario:
    organisation = OrganisationFactory()
    lead = make_lead(organisation)
    candidacy = make_candidacy(p.owner, organisation)
    url = reverse("succession:conversation_new", args=[candidacy.pk])
    return Scenario(signed_in(lead), url, dict(TALENT_CONVERSATION))


def talent_conversation_edit(p: People) -> Scenario:
    _, conversation = _talent_conversation(p)
    url = reverse("succession:conversation_edit", args=[conversation.pk])
    return Scenario(signed_in(p.owner), url, dict(TALENT_CONVERSATION))


def talent_conversation_to_plan(p: People) -> Scenario:
    _, conversation = _talent_conversation(p)
    plan = year_plan(p.owner)
    url = reverse("succession:conversation_step_to_plan", args=[conversation.pk])
    names = {"step": "step-step", "plan": "step-plan"}
    data = {"step-step": "1", "step-plan": str(plan.pk)}
    return Scenario(signed_in(p.owner), url, data, names=names, foreign={"plan": [str(year_plan(p.colleague).pk)]})


def roles_organisation_lead(p: People) -> Scenario:
    OrganisationFactory(ods_code="RXT")
    data = {"role": Role.ORGANISATION_LEAD, "action": "grant", "ods_code": "RXT"}
    return Scenario(signed_in(p.administrator), reverse("accounts:roles", args=[p.owner.pk]), data)


def shadowing_browse(p: People) -> Scenario:
    make_offer(person_in_role("md@example.org"))
    return Scenario(signed_in(p.owner), reverse("shadowing:browse"), {"level": "5", "kind": "shadowing", "region": ""})


# Networks and forums --------------------------------------------------------------------------------------------

NETWORK = {"name": "Yorkshire MD network", "kind": "regional", "region": "", "description": "", "join_rule": "open"}
NETWORK_MEETING = {"day": "2027-02-11", "start": "14:00", "end": "16:00", "place": "Leeds", "online_url": ""}


def _network_with_owner(p: People) -> tuple[Any, Any]:
    """A network its organiser runs, with the owner (a consultant, so by request) a member, and a meeting."""
    organiser = network_organiser()
    network = make_network(organiser)
    asked = network_join(network=network, person=p.owner, now=timezone.now())
    membership_approve(network=network, membership_id=asked.pk, actor=organiser, now=timezone.now())
    return organiser, schedule(network, organiser)


def network_new(p: People) -> Scenario:
    region = Region.objects.get(ods_code="Y63")
    return Scenario(signed_in(p.organiser), reverse("networks:network_new"), {**NETWORK, "region": str(region.pk)})


def network_meeting(p: People) -> Scenario:
    organiser, meeting = _network_with_owner(p)
    url = reverse("networks:meeting_new", args=[meeting.network_id])
    return Scenario(signed_in(organiser), url, dict(NETWORK_MEETING))


def network_meeting_edit(p: People) -> Scenario:
    organiser, meeting = _network_with_owner(p)
    url = reverse("networks:meeting_edit", args=[meeting.pk])
    return Scenario(signed_in(organiser), url, dict(NETWORK_MEETING))


def network_topic(p: People) -> Scenario:
    _, meeting = _network_with_owner(p)
    url = reverse("networks:topic_new", args=[meeting.pk])
    return Scenario(signed_in(p.owner), url, {"title": "Winter pressures", "detail": "Beds"})


def network_vote(p: People) -> Scenario:
    organiser, meeting = _network_with_owner(p)
    topic = propose(meeting, organiser, "Job planning")
    return Scenario(signed_in(p.owner), reverse("networks:vote", args=[topic.pk]), {})


def network_agenda(p: People) -> Scenario:
    organiser, meeting = _network_with_owner(p)
    topic = propose(meeting, p.owner, "Job planning")
    elsewhere = propose(schedule(meeting.network, organiser, days=30), p.owner, "Elsewhere")
    data = {"topics": [str(topic.pk)], "other_items": "Minutes"}
    url = reverse("networks:agenda", args=[meeting.pk])
    return Scenario(signed_in(organiser), url, data, foreign={"topics": [str(elsewhere.pk)]})


def network_note(p: People) -> Scenario:
    _, meeting = _network_with_owner(p)
    return Scenario(signed_in(p.owner), reverse("networks:notes", args=[meeting.pk]), {"text": "Agreed actions"})


def network_programme(p: People) -> Scenario:
    network = make_network(p.organiser, name="Fuzzed MD network")
    data = {name: value for name, value in programmes.FORM.items() if name != "organisation"}
    return Scenario(signed_in(p.organiser), reverse("networks:programme_new", args=[network.pk]), data)


def network_note_edit(p: People) -> Scenario:
    _, meeting = _network_with_owner(p)
    note = network_note_add(meeting=meeting, author=p.owner, text="First", now=timezone.now())
    return Scenario(signed_in(p.owner), reverse("networks:note_edit", args=[note.pk]), {"text": "Second"})


# The catalogue ---------------------------------------------------------------------------------------------------

# First-year pathway ----------------------------------------------------------------------------------------------


def pathway_join(p: People) -> Scenario:
    return Scenario(signed_in(p.owner), reverse("pathways:join"), {"started_on": _today(-30)})


def pathway_scope(p: People) -> Scenario:
    pathway_enrol(p.owner, started_on=timezone.localdate() - timedelta(days=60))
    data = {"scope": "Responsible officer", "objectives": "A workforce plan", "agreed_on": _today(-30)}
    return Scenario(signed_in(p.owner), reverse("pathways:scope"), data)


def pathway_tick(p: People) -> Scenario:
    pathway_enrol(p.owner)
    return Scenario(signed_in(p.owner), reverse("pathways:tick", args=["coach"]), {"state": "done"})


def pathway_checkin(p: People) -> Scenario:
    pathway_enrol(p.owner, started_on=timezone.localdate() - timedelta(days=120))
    data = {"going": "Busy but good", "support": "A coach"}
    return Scenario(signed_in(p.owner), reverse("pathways:checkin", args=[3]), data)


def pathway_cohort_new(p: People) -> Scenario:
    return Scenario(signed_in(p.organiser), reverse("pathways:cohorts"), {"name": "New MDs 2026/27"})


def pathway_invite(p: People) -> Scenario:
    cohort = pathway_cohort(p.organiser)
    url = reverse("pathways:cohort_invite", args=[cohort.pk])
    return Scenario(signed_in(p.organiser), url, {"email": p.owner.email})


# Buddies ---------------------------------------------------------------------------------------------------------


def buddy_cohort_new(p: People) -> Scenario:
    return Scenario(signed_in(p.organiser), reverse("buddies:cohorts"), {"name": "New MDs, spring 2027"})


def buddy_member_add(p: People) -> Scenario:
    cohort = buddy_cohort_create(name="Winter", actor=p.organiser, now=timezone.now())
    url = reverse("buddies:member_new", args=[cohort.pk])
    return Scenario(signed_in(p.organiser), url, {"email": p.owner.email, "started_in_role": _today(-90)})


def buddy_join(p: People) -> Scenario:
    cohort = buddy_cohort_create(name="Winter", actor=p.organiser, now=timezone.now())
    closed = buddy_cohort_create(name="Closed", actor=p.organiser, now=timezone.now())
    BuddyCohort.objects.filter(pk=closed.pk).update(status="published")
    data = {"cohort": str(cohort.pk), "started_in_role": _today(-90)}
    return Scenario(signed_in(p.owner), reverse("buddies:join"), data, foreign={"cohort": [str(closed.pk)]})


def buddy_pair(p: People) -> Scenario:
    cohort = buddy_cohort_create(name="Winter", actor=p.organiser, now=timezone.now())
    ann, bob, stranger = buddy_md("Ann"), buddy_md("Bob"), buddy_md("Stranger")
    buddy_join_cohort(cohort, ann)
    buddy_join_cohort(cohort, bob)
    buddy_cohort_pair(cohort=cohort, actor=p.organiser, now=timezone.now())
    cohort.pairs.all().delete()  # both unpaired: a valid answer pairs them by hand
    data = {"first": str(ann.pk), "second": str(bob.pk)}
    foreign = {"first": [str(stranger.pk)], "second": [str(stranger.pk)]}
    return Scenario(signed_in(p.organiser), reverse("buddies:pair_new", args=[cohort.pk]), data, foreign=foreign)


T, EMAIL, EMAILS, URL, DATE, TIME = Kind.TEXT, Kind.EMAIL, Kind.EMAILS, Kind.URL, Kind.DATE, Kind.TIME
INT, NUMBER, CHOICE, MULTI, ID, IDS, BOOL = Kind.INT, Kind.NUMBER, Kind.CHOICE, Kind.MULTI, Kind.ID, Kind.IDS, Kind.BOOL


ROLE_HISTORY = {
    "title": "Clinical director, surgery",
    "step": "clinical_director",
    "level": "2",
    "organisation_kind": "nhs_trust",
    "sector": "",
    "started_on": "2019-04-01",
    "ended_on": "2023-03-31",
}


def role_history(p: People) -> Scenario:
    return Scenario(signed_in(p.owner), reverse("careers:my_history"), dict(ROLE_HISTORY))


def right_time(p: People) -> Scenario:
    data = {"attracts": "The culture", "experience": "Clinical director", "timing": "Soon", "support": "A coach"}
    return Scenario(signed_in(p.owner), reverse("careers:right_time"), data)


def role_profile_edit(p: People) -> Scenario:
    role_profiles_load(specs=shipped_roles(), update=False, now=timezone.now())
    spec = next(s for s in shipped_roles() if s.slug == "clinical-lead")
    data = {name: getattr(spec, name) for name in ("summary", "responsibilities", "portfolio", "typical_pas")}
    data |= {name: getattr(spec, name) for name in ("reports_to", "hardest", "job_description", "sources")}
    data |= {"title": "Clinical lead (edited)", "level": "1", "person_specification": spec.person_specification}
    data["version"] = "1"  # the version the administrator opened: a stale one is refused
    return Scenario(signed_in(p.administrator), reverse("careers:role_edit", args=["clinical-lead"]), data)


# Bilaterals ------------------------------------------------------------------------------------------------------

BILATERAL_BOOKED_AT = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("UTC"))  # the suite's fixed day
AFTER_BILATERAL = BILATERAL_TIME + timedelta(hours=2)  # its first meeting is over: the log is open


def bilateral_propose(p: People) -> Scenario:
    proposer, partner = md_person("md.proposer@example.org"), md_person("md.partner@example.org")
    data = {"partner_email": partner.email, "cadence_months": "2", "message": "Shall we meet?"}
    return Scenario(signed_in(proposer), reverse("bilaterals:propose"), data)


def bilateral_availability(p: People) -> Scenario:
    bilateral = agreed_bilateral(md_person("md.proposer@example.org"), md_person("md.partner@example.org"))
    url = reverse("bilaterals:availability", args=[bilateral.pk])
    return Scenario(signed_in(bilateral.partner), url, {"slots_tue": ["tue-14:00"], "slots_wed": ["wed-08:00"]})


def bilateral_choose_time(p: People) -> Scenario:
    bilateral = agreed_bilateral(md_person("md.proposer@example.org"), md_person("md.partner@example.org"))
    url = reverse("bilaterals:choose_time", args=[bilateral.pk])
    return Scenario(signed_in(bilateral.partner), url, {"choice": "other", "day": "2026-12-16", "start": "10:00"})


def _bilateral_meeting() -> Any:
    bilateral = agreed_bilateral(md_person("md.proposer@example.org"), md_person("md.partner@example.org"))
    return meeting_schedule(
        bilateral_id=bilateral.pk, person=bilateral.partner, starts_at=BILATERAL_TIME, now=BILATERAL_BOOKED_AT
    )


def bilateral_move(p: People) -> Scenario:
    meeting = _bilateral_meeting()
    url = reverse("bilaterals:meeting_move", args=[meeting.pk])
    return Scenario(signed_in(meeting.bilateral.proposer), url, {"day": "2026-12-17", "start": "11:00"})


def bilateral_note(p: People) -> Scenario:
    meeting = _bilateral_meeting()
    url = reverse("bilaterals:note_new", args=[meeting.pk])
    return Scenario(signed_in(meeting.bilateral.proposer), url, {"text": "We compared revalidation dashboards."})


def _f(name: str, kind: Kind, column: str = "", **options: Any) -> Field:
    return Field(name, kind, column, **options)


REQ: dict[str, Any] = {"required": True}
# A parameter the view compares with a few words and otherwise ignores: any value is harmless.
RAW: dict[str, Any] = {"raw": True}

GOAL_FIELDS = (
    _f("title", T, "development.Goal.title", shown=True, **REQ),
    _f("description", T, "development.Goal.description"),
    _f("measure", T, "development.Goal.measure", **REQ),
    _f("target_date", DATE, **REQ),
    _f("criteria", IDS),
)
MEETING_FIELDS = (
    _f("met_on", DATE, **REQ),
    _f("mode", CHOICE, "mentoring.Meeting.mode", **REQ),
    _f("notes", T, "mentoring.Meeting.notes"),
    _f("actions", T, "mentoring.Meeting.actions"),
)
SCHEME_FIELDS = (
    _f("name", T, "mentoring.Scheme.name", shown=True, **REQ),
    _f("description", T, "mentoring.Scheme.description"),
    _f("open_to_requests", BOOL),
    _f("weight_focus", NUMBER, "mentoring.Scheme.weight_focus", **REQ),
    _f("weight_mode", NUMBER, "mentoring.Scheme.weight_mode", **REQ),
    _f("co_organiser_emails", EMAILS),
)
PROGRAMME = "learning_sets.Programme"
PROGRAMME_FIELDS = (
    _f("name", T, f"{PROGRAMME}.name", shown=True, **REQ),
    _f("audience", CHOICE, f"{PROGRAMME}.audience", **REQ),
    _f("open_to", CHOICE, f"{PROGRAMME}.open_to", **REQ),
    _f("organisation", ID),
    _f("description", T, f"{PROGRAMME}.description"),
    _f("set_size_min", INT, f"{PROGRAMME}.set_size_min", **REQ),
    _f("set_size_max", INT, f"{PROGRAMME}.set_size_max", **REQ),
    _f("sessions_count", INT, f"{PROGRAMME}.sessions_count", **REQ),
    _f("cadence_weeks", INT, f"{PROGRAMME}.cadence_weeks", **REQ),
    _f("session_minutes", INT, f"{PROGRAMME}.session_minutes", **REQ),
    _f("applications_open_on", DATE, **REQ),
    _f("applications_close_on", DATE, **REQ),
    _f("first_sessions_from", DATE, **REQ),
    _f("facilitator_emails", EMAILS),
    _f("default_venue", T, f"{PROGRAMME}.default_venue", shown=True),
    _f("default_video_url", URL, f"{PROGRAMME}.default_video_url"),
)
SET_REFLECTION = "learning_sets.Reflection"
SHADOWING_REQUEST = "shadowing.ShadowingRequest"
SHADOWING_REFLECTION = "shadowing.ShadowingReflection"
SHADOWING_OFFER_FIELDS = (
    _f("kind", CHOICE, "shadowing.ShadowingOffer.kind", **REQ),
    _f("per_year", INT, "shadowing.ShadowingOffer.per_year", **REQ),
    _f("setting", CHOICE, "shadowing.ShadowingOffer.setting", **REQ),
    _f("who_may_ask", CHOICE, "shadowing.ShadowingOffer.who_may_ask", **REQ),
    _f("note", T, "shadowing.ShadowingOffer.note"),
)
SUCCESSION_POST = "succession.Post"
CANDIDACY = "succession.Candidacy"
FORWARD_FIELDS = (
    _f("aim", T, f"{CANDIDACY}.aim", shown=True),
    _f("timescale", CHOICE, f"{CANDIDACY}.timescale", **REQ),
    _f("readiness", CHOICE, f"{CANDIDACY}.readiness", **REQ),
    _f("emergency_cover", BOOL),
    _f("show", CHOICE, f"{CANDIDACY}.show", **REQ),
    _f("person", ID, never=True),  # nobody puts someone else forward
)
TALENT = "succession.TalentConversation"
TALENT_CONVERSATION_FIELDS = (
    _f("held_on", DATE, **REQ),
    *(_f(name, T, f"{TALENT}.{name}", shown=True) for name in ("aspiration", "strengths", "to_develop", "next_steps")),
    _f("meet_again_on", DATE),
)
SUCCESSION_POST_FIELDS = (
    _f("title", T, f"{SUCCESSION_POST}.title", shown=True, **REQ),
    _f("level", CHOICE, f"{SUCCESSION_POST}.level", **REQ),
    _f("portfolio", T, f"{SUCCESSION_POST}.portfolio", shown=True),
    _f("pas", NUMBER, f"{SUCCESSION_POST}.pas"),
    _f("expected_vacancy", DATE),
)

FORMS: tuple[Form, ...] = (
    Form(
        "sign-up",
        sign_up,
        (
            _f("email", EMAIL, "accounts.User.email", **REQ),
            _f("password1", T, related=("password2",), **REQ),
            _f("password2", T, **REQ),
        ),
        refusal="allauth",
    ),
    Form("password-reset", password_reset, (_f("email", EMAIL, "accounts.User.email", **REQ),), refusal="allauth"),
    Form(
        "add-email",
        add_email,
        (_f("email", EMAIL, "account.EmailAddress.email", **REQ), _f("action_add", CHOICE, **RAW)),
        refusal="allauth",
    ),
    Form("sign-in", sign_in, (_f("login", EMAIL, **REQ), _f("password", T, **REQ)), refusal="allauth"),
    Form(
        "profile",
        profile,
        (
            _f("first_name", T, "accounts.User.first_name", shown=True, **REQ),
            _f("last_name", T, "accounts.User.last_name", **REQ),
            _f("profession", CHOICE, "profiles.Profile.profession", **REQ),
            _f("career_role", CHOICE, "profiles.Profile.career_role", **REQ),
            _f("job_title", T, "profiles.Profile.job_title", shown=True),
            _f("specialty", ID),
            _f("organisation", ID, **REQ),
            _f("sector", ID),
            _f("region", ID),
            _f("years_in_leadership", INT, "profiles.Profile.years_in_leadership"),
            _f("clinical_pas", NUMBER, "profiles.Profile.clinical_pas"),
            _f("leadership_pas", NUMBER, "profiles.Profile.leadership_pas"),
            _f("working_pattern", CHOICE, "profiles.Profile.working_pattern"),
            _f("career_aim", CHOICE, "profiles.Profile.career_aim", **REQ),
            _f("career_aim_when", CHOICE, "profiles.Profile.career_aim_when"),
        ),
    ),
    Form(
        "diversity",
        diversity,
        tuple(
            _f(name, CHOICE, f"profiles.DiversityInformation.{name}")
            for name in ("age_band", "gender", "ethnic_group", "disability")
        ),
    ),
    Form("people-search", people_search, (_f("q", T, max_length=100), _f("page", CHOICE, **RAW)), refusal="search"),
    Form(
        "roles",
        roles,
        (
            _f("role", CHOICE, "accounts.RoleGrant.role", **REQ),
            _f("action", CHOICE, choices=("grant", "revoke"), **REQ),
            _f("ods_code", T, max_length=10),
        ),
        refusal="message",
    ),
    Form("roles-organisation-lead", roles_organisation_lead, (_f("ods_code", T, max_length=10, **REQ),), "message"),
    Form(
        "organisation-directory",
        organisations,
        (_f("q", T, max_length=100), _f("closed", BOOL)),
        refusal="search",
    ),
    Form("notification-list", notification_pages, (_f("page", CHOICE, **RAW),), refusal="search"),
    Form(
        "notification-choices", preferences, (_f("mode", CHOICE, "notifications.NotificationPreference.mode", **REQ),)
    ),
    Form("unsubscribe", unsubscribe, (_f("scope", CHOICE, **RAW),)),
    Form(
        "self-assessment-start",
        assessment_new,
        (_f("framework", ID, **REQ), _f("target_level", CHOICE, "assessments.Assessment.target_level", **REQ)),
    ),
    Form(
        "self-assessment-part",
        assessment_group,
        (
            _f("rating", CHOICE, "assessments.Rating.value"),
            _f("note", T, "assessments.Rating.note"),
            _f("answer", T, "assessments.PromptAnswer.text"),
        ),
    ),
    Form(
        "self-assessment-evidence",
        assessment_evidence,
        (
            _f("kind", CHOICE, "assessments.Evidence.kind", **REQ),
            _f("title", T, "assessments.Evidence.title", **REQ),
            _f("text", T, "assessments.Evidence.text"),
            _f("url", URL, "assessments.Evidence.url", **REQ),
        ),
    ),
    Form(
        "360-open",
        feedback_open,
        (
            _f("action", CHOICE, **RAW),
            _f("closes_on", DATE, **REQ),
            _f("message", T, "assessments.FeedbackRound.message"),
        ),
    ),
    Form(
        "360-invite",
        feedback_invite,
        (
            _f("email", EMAIL, "assessments.RaterInvitation.email", **REQ),
            _f("category", CHOICE, "assessments.RaterInvitation.category", **REQ),
        ),
    ),
    Form(
        "360-rater",
        rater,
        (
            _f("action", CHOICE, **RAW),
            _f("rating", CHOICE, "assessments.RaterRating.value", **REQ),
            _f("comment", T, "assessments.RaterComment.text"),
            _f("comment_general", T, "assessments.RaterComment.text"),
        ),
    ),
    Form("self-assessment-share", assessment_share, (_f("person", CHOICE), _f("email", EMAIL, max_length=254))),
    Form("self-assessment-unshare", assessment_unshare, (_f("share", ID, **REQ),), refusal="message"),
    Form(
        "plan",
        plan_new,
        (
            _f("title", T, "development.Plan.title", shown=True, **REQ),
            _f("target_level", CHOICE, "development.Plan.target_level", **REQ),
            _f("starts_on", DATE, related=("ends_on",), **REQ),
            _f("ends_on", DATE, related=("starts_on",), **REQ),
        ),
    ),
    Form("goal", goal_new, GOAL_FIELDS),
    # The edit pages have the same form as the new ones, and a service of their own: a field or two of each kind.
    Form("goal-edit", goal_edit, (*GOAL_FIELDS[::3], _f("status", CHOICE, "development.Goal.status", **REQ))),
    Form(
        "goal-from-suggestion",
        goal_from_suggestion,
        (_f("suggestion", CHOICE, **RAW), _f("criteria", MULTI, **RAW)),
        refusal="search",
    ),
    Form(
        "activity",
        activity_new,
        (
            _f("title", T, "development.Activity.title", shown=True, **REQ),
            _f("goal", ID),
            _f("provider", T, "development.Activity.provider"),
            _f("starts_on", DATE, related=("ends_on",)),
            _f("ends_on", DATE),
        ),
    ),
    Form(
        "catalogue-search",
        catalogue,
        (
            _f("q", T, max_length=100),
            _f("criterion", CHOICE),
            _f("kind", CHOICE),
            _f("time", CHOICE),
            _f("cost", CHOICE),
        ),
        refusal="search",
    ),
    Form("catalogue-search-htmx", catalogue_htmx, (_f("q", T, max_length=100), _f("kind", CHOICE)), refusal="search"),
    Form(
        "plan-reflection",
        reflection_new,
        (
            _f("about", CHOICE, **REQ),
            _f("title", T, "development.Reflection.title", **REQ),
            _f("written_on", DATE, **REQ),
            _f("what_happened", T, "development.Reflection.what_happened", **REQ),
            _f("so_what", T, "development.Reflection.so_what", **REQ),
            _f("now_what", T, "development.Reflection.now_what", **REQ),
        ),
    ),
    Form(
        "plan-evidence",
        plan_evidence,
        (
            _f("about", CHOICE, **REQ),
            _f("kind", CHOICE, "development.PlanEvidence.kind", **REQ),
            _f("title", T, "development.PlanEvidence.title", **REQ),
            _f("text", T, "development.PlanEvidence.text"),
            _f("url", URL, "development.PlanEvidence.url", **REQ),
        ),
    ),
    Form("plan-share", plan_share, (_f("person", CHOICE), _f("email", EMAIL, max_length=254))),
    Form("plan-unshare", plan_unshare, (_f("share", ID, **REQ),), refusal="message"),
    Form(
        "activity-status",
        activity_status,
        (_f("status", CHOICE, "development.Activity.status", **REQ),),
        refusal="message",
    ),
    Form(
        "mentoring-offer",
        offer,
        (
            _f("capacity", INT, "mentoring.MentorOffer.capacity", **REQ),
            _f("kind", CHOICE, "mentoring.MentorOffer.kind", **REQ),
            _f("expertise", MULTI),
            _f("sectors", IDS),
            _f("regions", IDS),
            _f("modes", MULTI, **REQ),
            _f("outside_own_organisation", BOOL),
            _f("schemes", IDS),
        ),
    ),
    Form(
        "mentoring-request",
        mentoring_request,
        (
            _f("kind", CHOICE, "mentoring.MentoringRequest.kind", **REQ),
            _f("focus", MULTI),
            _f("focus_text", T, "mentoring.MentoringRequest.focus_text"),
            _f("outside", CHOICE, "mentoring.MentoringRequest.outside", **REQ),
            _f("sector_preference", CHOICE, "mentoring.MentoringRequest.sector_preference", **REQ),
            _f("modes", MULTI, **REQ),
            _f("line_manager_email", EMAIL, "mentoring.MentoringRequest.line_manager_email"),
            _f("scheme", ID),
            _f("excluded_emails", EMAILS),
        ),
    ),
    Form(
        "mentoring-agreement",
        agreement,
        (
            _f("goals", T, "mentoring.MentoringRelationship.goals", **REQ),
            _f("meeting_frequency", CHOICE, "mentoring.MentoringRelationship.meeting_frequency", **REQ),
            _f("confidentiality", T, "mentoring.MentoringRelationship.confidentiality", **REQ),
        ),
    ),
    Form("mentoring-agree", agree, (_f("seen", CHOICE, **RAW),), refusal="message"),
    Form("mentoring-meeting", meeting_new, MEETING_FIELDS),
    Form("mentoring-meeting-edit", meeting_edit, MEETING_FIELDS[::2]),
    Form("mentoring-close", close, (_f("reason", CHOICE, "mentoring.MentoringRelationship.close_reason", **REQ),)),
    Form(
        "mentoring-feedback",
        closing_feedback,
        (
            _f("usefulness", CHOICE, "mentoring.ClosingFeedback.usefulness", **REQ),
            _f("goals_met", CHOICE, "mentoring.ClosingFeedback.goals_met", **REQ),
            _f("would_recommend", CHOICE, choices=("yes", "no"), **REQ),
            _f("comment", T, "mentoring.ClosingFeedback.comment"),
        ),
    ),
    Form("mentoring-early-check", early_check, (_f("working", CHOICE, choices=("yes", "no")),), refusal="message"),
    Form(
        "mentoring-proposal-reply",
        proposal_reply,
        (_f("reply", CHOICE, choices=("accept", "decline")),),
        refusal="message",
    ),
    Form("scheme", scheme_new, SCHEME_FIELDS),
    Form("scheme-edit", scheme_edit, SCHEME_FIELDS[::3]),
    Form("round-pair-change", pair_change, (_f("mentor", ID, **REQ),)),
    Form("round-pair-swap", pair_swap, (_f("other", ID, **REQ),)),
    Form("round-page", round_pages, (_f("show", CHOICE, **RAW), _f("page", CHOICE, **RAW)), refusal="search"),
    Form("programme", programme_new, PROGRAMME_FIELDS, at=PROGRAMME_SET_UP),
    Form("programme-edit", programme_edit, PROGRAMME_FIELDS[::5], at=PROGRAMME_SET_UP),
    Form(
        "apply",
        apply,
        (
            _f("organisation", ID, **REQ),
            _f("sector", ID, **REQ),
            _f("career_stage", CHOICE, "learning_sets.Application.career_stage", **REQ),
            _f("profession", CHOICE, "learning_sets.Application.profession", **REQ),
            _f("hopes", T, "learning_sets.Application.hopes"),
            _f("slots_tue", MULTI),
        ),
        at=datetime.combine(programmes.DURING, time(12), tzinfo=LONDON),
    ),
    Form("reschedule", reschedule, (_f("day", DATE, **REQ), _f("start", TIME, **REQ)), at=SETS_NOW),
    Form("apologies", apology, (_f("message", T, "learning_sets.Apology.message"),), at=SETS_NOW),
    Form(
        "attendance",
        attendance,
        (_f("member", CHOICE, choices=("yes", "no"), **REQ), _f("stranger", CHOICE, never=True)),
        at=AFTER_FIRST_SESSION,
    ),
    Form(
        "set-note",
        note,
        (_f("text", T, "learning_sets.SetNote.text", shown=True, **REQ), _f("session", CHOICE)),
        at=SETS_NOW,
    ),
    Form(
        "set-reflection",
        set_reflection,
        (
            _f("session", CHOICE),
            _f("what_happened", T, f"{SET_REFLECTION}.what_happened", shown=True, **REQ),
            _f("so_what", T, f"{SET_REFLECTION}.so_what", **REQ),
            _f("now_what", T, f"{SET_REFLECTION}.now_what", **REQ),
        ),
        at=AFTER_FIRST_SESSION,
    ),
    Form(
        "set-reflection-to-plan",
        reflection_to_plan,
        (_f("plan", CHOICE, **REQ), _f("title", T, "development.Reflection.title", **REQ)),
        at=AFTER_FIRST_SESSION,
    ),
    Form("review-move", review_move, (_f("target", CHOICE, **REQ),), at=SETS_NOW),
    Form("review-swap", review_swap, (_f("first", ID, **REQ), _f("second", ID, **REQ)), at=SETS_NOW),
    Form("publish", publish, (_f("next", CHOICE, **RAW),), refusal="message", at=SETS_NOW),
    Form("review-set", review_set, (_f("slot", CHOICE, **REQ), _f("facilitator", ID)), at=SETS_NOW),
    Form("shadowing-offer", shadowing_offer, SHADOWING_OFFER_FIELDS),
    Form("shadowing-offer-edit", shadowing_offer_edit, SHADOWING_OFFER_FIELDS[1:]),
    Form(
        "shadowing-request",
        shadowing_request,
        (_f("why", T, f"{SHADOWING_REQUEST}.why", **REQ), _f("suggested_on", DATE)),
    ),
    Form(
        "shadowing-accept",
        shadowing_accept,
        (_f("agreed_on", DATE), _f("message", T, f"{SHADOWING_REQUEST}.answer_message")),
    ),
    Form("shadowing-decline", shadowing_decline, (_f("message", T, f"{SHADOWING_REQUEST}.answer_message"),)),
    Form("shadowing-date", shadowing_date, (_f("agreed_on", DATE, **REQ),)),
    Form(
        "shadowing-reflection",
        shadowing_reflection,
        (
            _f("title", T, f"{SHADOWING_REFLECTION}.title", **REQ),
            _f("what_happened", T, f"{SHADOWING_REFLECTION}.what_happened", **REQ),
            _f("so_what", T, f"{SHADOWING_REFLECTION}.so_what", **REQ),
            _f("now_what", T, f"{SHADOWING_REFLECTION}.now_what", **REQ),
            _f("plan", ID),
        ),
    ),
    Form(
        "shadowing-browse",
        shadowing_browse,
        (_f("level", CHOICE, **RAW), _f("kind", CHOICE, **RAW), _f("region", ID, **RAW)),
        refusal="search",
    ),
    Form(
        "role-history",
        role_history,
        (
            _f("title", T, "careers.RoleHistoryEntry.title", shown=True, **REQ),
            _f("step", CHOICE, "careers.RoleHistoryEntry.step", **REQ),
            _f("level", CHOICE, "careers.RoleHistoryEntry.level"),
            _f("organisation_kind", CHOICE, "careers.RoleHistoryEntry.organisation_kind"),
            _f("started_on", DATE, related=("ended_on",), **REQ),
            _f("ended_on", DATE, related=("started_on",)),
        ),
    ),
    Form(
        "right-time",
        right_time,
        tuple(
            _f(name, T, f"careers.RightTimeReflection.{name}", shown=True)
            for name in ("attracts", "experience", "timing", "support")
        ),
    ),
    Form(
        "role-profile-edit",
        role_profile_edit,
        (
            _f("title", T, "careers.RoleProfile.title", shown=True, **REQ),
            _f("level", CHOICE, "careers.RoleProfile.level"),
            _f("summary", T, "careers.RoleProfile.summary", shown=True, **REQ),
            _f("reports_to", T, "careers.RoleProfile.reports_to", shown=True, **REQ),
            _f("job_description", T, "careers.RoleProfile.job_description", shown=True, **REQ),
        ),
    ),
    Form("succession-post", succession_post, (*SUCCESSION_POST_FIELDS, _f("holder", ID))),
    Form(
        "succession-post-edit",
        succession_post_edit,
        (*SUCCESSION_POST_FIELDS[::2], _f("holder_name", T, f"{SUCCESSION_POST}.holder_name", shown=True)),
    ),
    Form(
        "succession-structure",
        succession_structure,
        (_f("structure", CHOICE, choices=tuple(example.slug for example in shipped().examples), **REQ),),
        refusal="message",
    ),
    Form(
        "succession-forward-choose",
        forward_choose,
        (_f("q", T, max_length=100), _f("organisation", ID, **RAW)),
        refusal="search",
    ),
    Form("succession-forward", forward_new, (_f("place", CHOICE, **REQ), *FORWARD_FIELDS)),
    Form("succession-forward-edit", forward_edit, FORWARD_FIELDS),
    Form("succession-forward-confirm", forward_confirm, (_f("person", ID, never=True),), refusal="message"),
    Form(
        "succession-lead-view",
        succession_lead_view,
        (_f("readiness", CHOICE, f"{CANDIDACY}.lead_readiness", **REQ), _f("comment", T, f"{CANDIDACY}.lead_comment")),
    ),
    Form("succession-regional", succession_regional, (_f("region", ID), _f("icb", ID)), refusal="search"),
    Form("talent-conversation", talent_conversation, TALENT_CONVERSATION_FIELDS),
    Form("talent-conversation-edit", talent_conversation_edit, TALENT_CONVERSATION_FIELDS),
    Form(
        "talent-conversation-to-plan",
        talent_conversation_to_plan,
        (_f("step", CHOICE, choices=("0", "1"), **REQ), _f("plan", ID, **REQ)),
    ),
    Form(
        "network-new",
        network_new,
        (
            _f("name", T, "networks.Network.name", shown=True, **REQ),
            _f("kind", CHOICE, "networks.Network.kind", related=("region",), **REQ),
            _f("region", ID),
            _f("description", T, "networks.Network.description"),
            _f("join_rule", CHOICE, "networks.Network.join_rule", **REQ),
        ),
    ),
    *(
        Form(
            name,
            build,
            (
                _f("day", DATE, **REQ),
                _f("start", TIME, related=("end",), **REQ),
                _f("end", TIME, related=("start",), **REQ),
                _f("place", T, "networks.NetworkMeeting.place", shown=True, related=("online_url",)),
                _f("online_url", URL, "networks.NetworkMeeting.online_url", related=("place",)),
            ),
        )
        for name, build in (("network-meeting", network_meeting), ("network-meeting-edit", network_meeting_edit))
    ),
    Form(
        "network-topic",
        network_topic,
        (
            _f("title", T, "networks.Topic.title", shown=True, **REQ),
            _f("detail", T, "networks.Topic.detail", shown=True),
        ),
    ),
    Form("network-vote", network_vote, (_f("topic", ID, **RAW),), refusal="message"),
    Form(
        "network-agenda",
        network_agenda,
        (_f("topics", MULTI, related=("other_items",)), _f("other_items", T, max_length=4000, related=("topics",))),
    ),
    Form("network-note", network_note, (_f("text", T, "networks.MeetingNote.text", **REQ),)),
    Form("network-note-edit", network_note_edit, (_f("text", T, "networks.MeetingNote.text", **REQ),)),
    Form(
        "network-programme",
        network_programme,
        tuple(field for field in PROGRAMME_FIELDS if field.name != "organisation"),
        at=PROGRAMME_SET_UP,
    ),
    Form(
        "bilateral-propose",
        bilateral_propose,
        (
            _f("partner_email", EMAIL, **REQ),
            _f("cadence_months", CHOICE, "bilaterals.Bilateral.cadence_months", **REQ),
            _f("message", T, "bilaterals.Bilateral.message", shown=True),
        ),
    ),
    Form("bilateral-availability", bilateral_availability, (_f("slots_tue", MULTI), _f("slots_wed", MULTI))),
    Form(
        "bilateral-choose-time",
        bilateral_choose_time,
        (_f("choice", CHOICE, **REQ), _f("day", DATE, **REQ), _f("start", TIME, **REQ)),
    ),
    Form("bilateral-move", bilateral_move, (_f("day", DATE, **REQ), _f("start", TIME, **REQ))),
    Form(
        "bilateral-note",
        bilateral_note,
        (_f("text", T, "bilaterals.BilateralNote.text", shown=True, **REQ),),
        at=AFTER_BILATERAL,
    ),
    Form("pathway-join", pathway_join, (_f("started_on", DATE, **REQ),)),
    Form(
        "pathway-scope",
        pathway_scope,
        (
            _f("scope", T, "pathways.Enrolment.scope", shown=True),
            _f("objectives", T, "pathways.Enrolment.objectives", shown=True, **REQ),
            _f("agreed_on", DATE, **REQ),
        ),
    ),
    Form(
        "pathway-tick",
        pathway_tick,
        (_f("state", CHOICE, choices=("done", "not_applicable")),),
        refusal="message",
    ),
    Form(
        "pathway-checkin",
        pathway_checkin,
        (
            _f("going", T, "pathways.CheckIn.going", **REQ),
            _f("support", T, "pathways.CheckIn.support"),
        ),
    ),
    Form("pathway-cohort", pathway_cohort_new, (_f("name", T, "pathways.Cohort.name", shown=True, **REQ),)),
    Form("pathway-invite", pathway_invite, (_f("email", EMAIL, **REQ),)),
    Form("buddy-cohort", buddy_cohort_new, (_f("name", T, "buddies.Cohort.name", shown=True, **REQ),)),
    Form("buddy-member-add", buddy_member_add, (_f("email", EMAIL, **REQ), _f("started_in_role", DATE, **REQ))),
    Form("buddy-join", buddy_join, (_f("cohort", ID, **REQ), _f("started_in_role", DATE, **REQ))),
    Form("buddy-pair", buddy_pair, (_f("first", ID, related=("second",), **REQ), _f("second", ID, **REQ))),
)

# The form class behind each page whose fields are declared on the class, for the check that no field holds more
# than its column (test_bad_input_fuzz.py). Forms that make their fields per criterion or per member are left to
# the fuzz.
FORM_CLASSES: dict[str, type[forms.BaseForm]] = {
    "profile": ProfileForm,
    "diversity": DiversityForm,
    "roles": RoleChangeForm,
    "people-search": PeopleSearchForm,
    "organisation-directory": DirectorySearchForm,
    "self-assessment-start": StartForm,
    "self-assessment-evidence": EvidenceForm,
    "360-open": OpenRoundForm,
    "360-invite": InviteForm,
    "self-assessment-share": ShareWithForm,
    "plan-share": ShareWithForm,
    "plan": PlanForm,
    "goal": GoalForm,
    "goal-edit": GoalForm,
    "activity": ActivityForm,
    "catalogue-search": CatalogueSearchForm,
    "plan-reflection": PlanReflectionForm,
    "plan-evidence": PlanEvidenceForm,
    "mentoring-offer": OfferForm,
    "mentoring-request": RequestForm,
    "mentoring-agreement": AgreementForm,
    "mentoring-meeting": MeetingForm,
    "mentoring-meeting-edit": MeetingForm,
    "mentoring-close": CloseForm,
    "mentoring-feedback": FeedbackForm,
    "scheme": SchemeForm,
    "scheme-edit": SchemeForm,
    "programme": ProgrammeForm,
    "programme-edit": ProgrammeForm,
    "apply": ApplicationForm,
    "reschedule": RescheduleForm,
    "apologies": ApologyForm,
    "set-note": NoteForm,
    "set-reflection": SetReflectionForm,
    "set-reflection-to-plan": ReflectionToPlanForm,
    "shadowing-offer": ShadowingOfferForm,
    "shadowing-offer-edit": ShadowingOfferForm,
    "shadowing-request": ShadowingRequestForm,
    "shadowing-accept": AcceptForm,
    "shadowing-decline": DeclineForm,
    "shadowing-date": DateForm,
    "shadowing-reflection": ShadowingReflectionForm,
    "shadowing-browse": BrowseForm,
    "role-history": RoleHistoryForm,
    "right-time": RightTimeForm,
    "role-profile-edit": RoleProfileForm,
    "succession-post": PostForm,
    "succession-post-edit": PostForm,
    "succession-structure": StructureForm,
    "succession-forward-choose": OrganisationChoiceForm,
    "succession-forward": CandidacyForm,
    "succession-forward-edit": CandidacyForm,
    "succession-forward-confirm": ConfirmForm,
    "succession-lead-view": LeadViewForm,
    "succession-regional": AreaForm,
    "talent-conversation": ConversationForm,
    "talent-conversation-edit": ConversationForm,
    "talent-conversation-to-plan": StepToPlanForm,
    "network-new": NetworkForm,
    "network-meeting": NetworkMeetingForm,
    "network-meeting-edit": NetworkMeetingForm,
    "network-topic": NetworkTopicForm,
    "network-agenda": NetworkAgendaForm,
    "network-note": NetworkNoteForm,
    "network-note-edit": NetworkNoteForm,
    "bilateral-propose": ProposeForm,
    "bilateral-choose-time": ChooseTimeForm,
    "bilateral-move": MoveForm,
    "bilateral-note": BilateralNoteForm,
    "pathway-join": PathwayEnrolForm,
    "pathway-scope": PathwayScopeForm,
    "pathway-tick": PathwayTickForm,
    "pathway-checkin": PathwayCheckInForm,
    "pathway-cohort": PathwayCohortForm,
    "pathway-invite": PathwayInviteForm,
    "buddy-cohort": BuddyCohortForm,
    "buddy-member-add": BuddyMemberAddForm,
    "buddy-join": BuddyJoinForm,
}
