"""What the portal holds about one person, app by app, as plain JSON-ready data (the `data.json` of a download).

Every function starts from the person and reads through the owning app's selectors, or a queryset filtered by the
person, so nothing of anyone else's can come in by a join: other people appear only by the name the person already
sees on the page (their mentor, their facilitator, who looked at their plan), never by e-mail address. 360 feedback
is included as the results page shows it (`report.results_context`, the same anonymity rules), never as raters'
addresses, answers, tokens or invitations one by one.

Times are UTC in ISO 8601 (`2026-12-07T10:00:00Z`), dates `2026-12-07`, choices `{"code": …, "label": …}`.
`README.txt` in the archive (templates/exports/archive/README.txt) documents the layout; a change to it is a
change of `FORMAT`.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db.models import Count, Prefetch, Q

from apps.accounts.models import User
from apps.assessments.anonymity import CriterionFeedback, FeedbackView
from apps.assessments.models import (
    Assessment,
    AssessmentShare,
    Evidence,
    EvidenceKind,
    RaterCategory,
    RaterInvitation,
)
from apps.assessments.report import results_context
from apps.assessments.results import CriterionResult
from apps.assessments.selectors import CriterionEntry, all_entries, assessments_for_owner, feedback_round_for
from apps.assessments.uploads import safe_name
from apps.audit.models import ChangeEvent
from apps.audit.selectors import access_events_for_owner, role_changes_for
from apps.bilaterals.models import BilateralMeeting, BilateralNote
from apps.bilaterals.selectors import bilaterals_for
from apps.buddies.models import BuddyPair, CohortMember
from apps.buddies.models import PairStatus as BuddyPairStatus
from apps.careers.selectors import history_for_owner, right_time_for_owner, routes_consent_for
from apps.development.models import Plan, PlanEvidence, PlanShare
from apps.development.selectors import plan_with_content, plans_for_owner
from apps.learning_sets.models import (
    Apology,
    Attendance,
    CalendarFeed,
    ProgrammeInvitation,
    Reflection,
    Session,
    SetNote,
)
from apps.learning_sets.selectors import applications_of, sets_for
from apps.learning_sets.slots import slot_label
from apps.mentoring.models import ClosingFeedback, Meeting, MentoringRequest, MentorOffer, Proposal
from apps.mentoring.selectors import criterion_titles, relationships_for
from apps.networks.models import MeetingNote, NetworkMembership, Topic, TopicVote
from apps.notifications.kinds import KINDS
from apps.notifications.models import EmailOptOut, Reminder
from apps.notifications.selectors import MODE_LABELS, preferences_for_user
from apps.pathways.models import CheckIn as PathwayCheckIn
from apps.pathways.models import ChecklistTick, Enrolment, Invitation
from apps.pathways.template import shipped as shipped_pathway
from apps.profiles.selectors import diversity_for_owner, profile_for_owner
from apps.shadowing.models import ShadowingRequest
from apps.shadowing.selectors import offers_of, reflections_of, requests_asked_of, requests_made_by
from apps.succession.models import Post
from apps.succession.selectors import candidacies_of

from .models import DataExport

FORMAT = "stepping-up-export/1"
JSON = dict[str, Any]


@dataclass(frozen=True)
class ArchiveFile:
    """A stored document to copy into the archive: `path` inside the zip, `name` in the storage."""

    path: str
    name: str


@dataclass
class Collected:
    data: JSON
    files: list[ArchiveFile] = field(default_factory=list)


def person_data(*, person: User, now: datetime) -> Collected:
    """Everything about `person`, in the documented order of `data.json`."""
    files: list[ArchiveFile] = []
    data: JSON = {
        "format": FORMAT,
        "generated_at": when(now),
        "person": account_of(person),
        "roles": roles_of(person),
        "profile": profile_of(person),
        "diversity": diversity_of(person),
        "self_assessments": assessments_of(person, files),
        "development_plans": plans_of(person, files),
        "mentoring": mentoring_of(person),
        "learning_sets": learning_sets_of(person),
        "careers": careers_of(person),
        "talk_to_someone_in_the_role": shadowing_of(person),
        "succession": succession_of(person),
        "buddies": buddies_of(person),
        "bilaterals": bilaterals_of(person),
        "networks": networks_of(person),
        "first_year_pathway": first_year_pathway_of(person),
        "notifications": notifications_of(person),
        "sharing": sharing_of(person),
        "audit": audit_of(person),
        "downloads": downloads_of(person),
    }
    return Collected(data=data, files=files)


# --- Values -----------------------------------------------------------------------------------------------------


def when(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z") if moment else None


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def choice(code: object, label: object) -> JSON | None:
    """A stored code with the words people read for it; None when nothing was chosen."""
    if code in (None, ""):
        return None
    return {"code": code, "label": str(label)}


def number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _name(user: User | None) -> str | None:
    """Another person as the portal shows them to this one: their name, never their address."""
    return None if user is None else user.display_name


# --- Account and profile ----------------------------------------------------------------------------------------


def account_of(person: User) -> JSON:
    addresses = EmailAddress.objects.filter(user=person).order_by("-primary", "email")
    factors = Authenticator.objects.filter(user=person).order_by("created_at")
    sessions = UserSession.objects.filter(user=person).order_by("-created_at")
    return {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "joined_at": when(person.date_joined),
        "last_signed_in_at": when(person.last_login),
        "email_addresses": [{"email": a.email, "primary": a.primary, "verified": a.verified} for a in addresses],
        # What kind of second factor, and when: never its secret or recovery codes.
        "two_factor": [
            {
                "type": choice(f.type, f.get_type_display()),
                "added_at": when(f.created_at),
                "last_used_at": when(f.last_used_at),
            }
            for f in factors
        ],
        "signed_in_sessions": [
            {
                "started_at": when(s.created_at),
                "last_seen_at": when(s.last_seen_at),
                "ip": s.ip,
                "browser": s.user_agent,
            }
            for s in sessions
        ],
    }


def roles_of(person: User) -> list[JSON]:
    return [
        {
            "role": choice(g.role, g.get_role_display()),
            "granted_at": when(g.granted_at),
            "granted_by": "you" if g.granted_by_id == person.pk else _name(g.granted_by),
            "removed_at": when(g.revoked_at),
            "removed_by": "you" if g.revoked_by_id == person.pk else _name(g.revoked_by),
        }
        for g in role_changes_for(person=person)
    ]


def profile_of(person: User) -> JSON | None:
    p = profile_for_owner(user=person)
    if p is None:
        return None
    return {
        "profession": choice(p.profession, p.get_profession_display()),
        "current_role": choice(p.career_role, p.get_career_role_display()),
        "leadership_level": p.leadership_level.label if p.leadership_level else None,
        "job_title": p.job_title,
        "specialty": p.specialty.name if p.specialty else None,
        "organisation": {"ods_code": p.organisation.ods_code, "name": p.organisation.name} if p.organisation else None,
        "sector": p.sector.name if p.sector else None,
        "region": p.region.name if p.region else None,
        "years_in_leadership_roles": p.years_in_leadership,
        "clinical_pas": number(p.clinical_pas),
        "leadership_pas": number(p.leadership_pas),
        "working_pattern": choice(p.working_pattern, p.get_working_pattern_display()),
        "next_career_aim": choice(p.career_aim, p.get_career_aim_display()),
        "next_career_aim_when": choice(p.career_aim_when, p.get_career_aim_when_display()),
        "completed_at": when(p.completed_at),
        "updated_at": when(p.updated_at),
    }


def diversity_of(person: User) -> JSON | None:
    d = diversity_for_owner(user=person)
    if d is None:
        return None
    return {
        "age_band": choice(d.age_band, d.get_age_band_display()),
        "gender": choice(d.gender, d.get_gender_display()),
        "ethnic_group": choice(d.ethnic_group, d.get_ethnic_group_display()),
        "disability": choice(d.disability, d.get_disability_display()),
        "updated_at": when(d.updated_at),
    }


# --- Self-assessments and 360 feedback --------------------------------------------------------------------------


def assessments_of(person: User, files: list[ArchiveFile]) -> list[JSON]:
    return [_assessment(a, files) for a in assessments_for_owner(owner=person)]


def _assessment(assessment: Assessment, files: list[ArchiveFile]) -> JSON:
    framework = assessment.framework
    return {
        "id": assessment.pk,
        "framework": {"slug": framework.slug, "version": framework.version, "name": framework.name},
        "target_role": choice(assessment.target_level, assessment.get_target_level_display()),
        "status": choice(assessment.status, assessment.get_status_display()),
        "started_at": when(assessment.started_at),
        "completed_at": when(assessment.submitted_at),
        "criteria": [_criterion_entry(assessment, c, files) for c in all_entries(assessment=assessment)],
        "feedback_round": _feedback_round(assessment),
        "results": _results(assessment),
    }


def _criterion_entry(assessment: Assessment, entry: CriterionEntry, files: list[ArchiveFile]) -> JSON:
    criterion, rating = entry.criterion, entry.rating
    return {
        "code": criterion.code,
        "title": criterion.title,
        "group": criterion.group.title,
        "your_rating": rating.value if rating else None,
        "note": rating.note if rating else "",
        "prompts": [{"question": p.prompt.text, "your_answer": p.answer} for p in entry.prompts],
        "evidence": [_evidence(item, f"files/self-assessment-{assessment.pk}", files) for item in entry.evidence],
    }


def _evidence(item: Evidence | PlanEvidence, folder: str, files: list[ArchiveFile]) -> JSON:
    entry: JSON = {
        "kind": choice(item.kind, item.get_kind_display()),
        "title": item.title,
        "text": item.text,
        "url": item.url,
        "added_at": when(item.added_at),
    }
    if item.kind == EvidenceKind.FILE and item.file:
        path = f"{folder}/{item.pk}-{safe_name(item.file_name or 'document')}"
        files.append(ArchiveFile(path=path, name=str(item.file.name)))
        entry.update(file=path, file_name=item.file_name, content_type=item.content_type, size=item.size)
    return entry


def _feedback_round(assessment: Assessment) -> JSON | None:
    """The round as its manage page shows it: dates, the person's own note, and counts by group, never who."""
    feedback_round = feedback_round_for(assessment=assessment)
    if feedback_round is None:
        return None
    counts = (
        RaterInvitation.objects.filter(round=feedback_round)
        .values("category")
        .annotate(asked=Count("id"), answered=Count("id", filter=Q(answered=True)))
        .order_by("category")
    )
    labels = dict(RaterCategory.choices)
    return {
        "opened_at": when(feedback_round.opened_at),
        "closes_at": when(feedback_round.closes_at),
        "closed_early_at": when(feedback_round.closed_early_at),
        "your_note_to_raters": feedback_round.message,
        "asked_and_answered_by_group": [
            {"group": labels.get(row["category"], row["category"]), "asked": row["asked"], "answered": row["answered"]}
            for row in counts
        ],
    }


def _results(assessment: Assessment) -> JSON:
    """The results page's figures, and only those: the anonymity rules have already run in `results_context`."""
    context = results_context(assessment=assessment)
    feedback, summary, previous = context["feedback"], context["summary"], context["previous"]
    shown = bool(feedback.shown_groups)
    return {
        "compared_with_assessment_of": when(previous.submitted_at) if previous else None,
        "feedback_open_until": when(context["feedback_open_until"]),
        "feedback": _feedback_shown(feedback) if feedback.answered else None,
        "readiness": {
            "rated": summary.rated,
            "with_a_suggested_level": summary.with_expectation,
            "meeting_the_suggested_level": summary.meeting,
        },
        "criteria": [_result(result, rated, shown) for result, rated in context["results"]],
    }


def _feedback_shown(feedback: FeedbackView) -> JSON:
    return {
        "answered_by_group": dict(feedback.answered),
        "groups_shown": list(feedback.shown_groups),
        "answers_withheld_to_keep_them_anonymous": feedback.withheld,
        "general_comments": list(feedback.general_comments) if feedback.shown_groups else [],
    }


def _result(result: CriterionResult, rated: CriterionFeedback, shown: bool) -> JSON:
    groups = [g for g in rated.groups if g.mean is not None] if len(rated.groups) > 1 else []
    return {
        "code": result.code,
        "title": result.title,
        "group": result.group,
        "your_rating": result.self_rating,
        "suggested_level": result.expected,
        "gap": result.gap,
        "change_since_last_time": result.change,
        "others": result.others if shown else None,
        "others_by_group": {g.label: g.mean for g in groups} if shown else {},
        "comments": list(rated.comments) if shown else [],
    }


# --- Development plans ------------------------------------------------------------------------------------------


def plans_of(person: User, files: list[ArchiveFile]) -> list[JSON]:
    plans = [
        plan_with_content(owner=person, plan_id=plan_id)
        for plan_id in plans_for_owner(owner=person).values_list("pk", flat=True)
    ]
    return [_plan(plan, files) for plan in plans if plan is not None]


def _plan(plan: Plan, files: list[ArchiveFile]) -> JSON:
    return {
        "id": plan.pk,
        "title": plan.title,
        "target_role": choice(plan.target_level, plan.get_target_level_display()),
        "starts_on": day(plan.starts_on),
        "ends_on": day(plan.ends_on),
        "created_at": when(plan.created_at),
        "goals": [
            {
                "id": g.pk,
                "title": g.title,
                "description": g.description,
                "measure_of_success": g.measure,
                "target_date": day(g.target_date),
                "status": choice(g.status, g.get_status_display()),
                "criteria": [{"code": c.code, "title": c.title} for c in g.criteria.all()],
                "created_at": when(g.created_at),
                "completed_at": when(g.completed_at),
            }
            for g in plan.goals.all()
        ],
        "activities": [
            {
                "id": a.pk,
                "title": a.title,
                "goal_id": a.goal_id,
                "from_catalogue": a.opportunity.title if a.opportunity else None,
                "provider": a.provider,
                "starts_on": day(a.starts_on),
                "ends_on": day(a.ends_on),
                "status": choice(a.status, a.get_status_display()),
                "created_at": when(a.created_at),
            }
            for a in plan.activities.all()
        ],
        "evidence": [{**_anchor(e), **_evidence(e, f"files/plan-{plan.pk}", files)} for e in plan.evidence.all()],
        "reflections": [
            {
                **_anchor(r),
                "title": r.title,
                "what_happened": r.what_happened,
                "so_what": r.so_what,
                "now_what": r.now_what,
                "written_on": day(r.written_on),
                "created_at": when(r.created_at),
            }
            for r in plan.reflections.all()
        ],
    }


def _anchor(record: Any) -> JSON:
    """What a plan's evidence or reflection is about: a goal, an activity, a criterion, or the plan as a whole."""
    if record.goal_id:
        return {"about": {"goal_id": record.goal_id, "goal": record.goal.title}}
    if record.activity_id:
        return {"about": {"activity_id": record.activity_id, "activity": record.activity.title}}
    if record.criterion_id:
        return {"about": {"criterion": record.criterion.code, "title": record.criterion.title}}
    return {"about": "the whole plan"}


# --- Mentoring ----------------------------------------------------------------------------------------------------


def mentoring_of(person: User) -> JSON:
    titles = criterion_titles()
    return {
        "offer": _offer(person, titles),
        "requests": _requests(person, titles),
        "proposals_to_you_as_mentor": _proposals_as_mentor(person),
        "relationships": _relationships(person),
    }


def _criteria(codes: list[str], titles: dict[str, str]) -> list[JSON]:
    return [{"code": code, "title": titles.get(code, code)} for code in codes]


def _offer(person: User, titles: dict[str, str]) -> JSON | None:
    offer = MentorOffer.objects.filter(mentor=person).prefetch_related("sectors", "regions", "schemes").first()
    if offer is None:
        return None
    return {
        "capacity": offer.capacity,
        "kind": choice(offer.kind, offer.get_kind_display()),
        "expertise": _criteria(offer.expertise, titles),
        "sectors": [s.name for s in offer.sectors.all()],
        "regions": [r.name for r in offer.regions.all()],
        "ways_to_meet": list(offer.modes),
        "mentors_outside_own_organisation": offer.outside_own_organisation,
        "paused": offer.paused,
        "schemes": [s.name for s in offer.schemes.all()],
        "updated_at": when(offer.updated_at),
    }


def _requests(person: User, titles: dict[str, str]) -> list[JSON]:
    requests = (
        MentoringRequest.objects.filter(mentee=person)
        .select_related("scheme")
        .prefetch_related(
            Prefetch("proposals", queryset=Proposal.objects.select_related("mentor").order_by("created_at"))
        )
    )
    return [
        {
            "id": r.pk,
            "kind": choice(r.kind, r.get_kind_display()),
            "focus": _criteria(r.focus, titles),
            "what_you_want_help_with": r.focus_text,
            "outside_your_organisation": choice(r.outside, r.get_outside_display()),
            "sector": choice(r.sector_preference, r.get_sector_preference_display()),
            "prefer_your_region": r.same_region,
            "ways_to_meet": list(r.modes),
            # Addresses the person typed themself, so that the rules keep those people away from them.
            "line_manager_email": r.line_manager_email,
            "never_match_with": list(r.excluded_emails),
            "scheme": r.scheme.name if r.scheme else None,
            "status": choice(r.status, r.get_status_display()),
            "created_at": when(r.created_at),
            "proposals": [_proposal_to_mentee(p) for p in r.proposals.all()],
        }
        for r in requests
    ]


def _proposal_to_mentee(proposal: Proposal) -> JSON:
    return {
        "mentor": _name(proposal.mentor),
        "why": proposal.explanation,
        "score": proposal.score,
        "status": choice(proposal.status, proposal.get_status_display()),
        "proposed_at": when(proposal.created_at),
        "reply_by": when(proposal.reply_by),
        "you_said_yes_at": when(proposal.mentee_accepted_at),
        "decided_at": when(proposal.decided_at),
        "declined_by": choice(proposal.declined_by, proposal.get_declined_by_display()),
        "withdrawn_because": proposal.withdrawn_reason,
    }


def _proposals_as_mentor(person: User) -> list[JSON]:
    """Who was proposed to this mentor and what they answered: the mentee by name only, as the mentor saw them."""
    proposals = Proposal.objects.filter(mentor=person).select_related("request__mentee").order_by("created_at", "pk")
    return [
        {
            "mentee": _name(p.request.mentee),
            "status": choice(p.status, p.get_status_display()),
            "proposed_at": when(p.created_at),
            "reply_by": when(p.reply_by),
            "you_said_yes_at": when(p.mentor_accepted_at),
            "decided_at": when(p.decided_at),
            "declined_by": choice(p.declined_by, p.get_declined_by_display()),
        }
        for p in proposals
    ]


def _relationships(person: User) -> list[JSON]:
    """Each pair the person is in, as the relationship page shows it to them: the whole meeting log (either of the
    pair may write in it, and both read it), the agreement, and both closing feedbacks once it has closed."""
    relationships = (
        relationships_for(user=person)
        .select_related("closed_by")
        .prefetch_related(
            Prefetch("meetings", queryset=Meeting.objects.select_related("recorded_by").order_by("met_on", "pk")),
            Prefetch("feedback", queryset=ClosingFeedback.objects.select_related("author").order_by("created_at")),
        )
        .order_by("started_at", "pk")
    )
    return [_relationship(r, person) for r in relationships]


def _relationship(r: Any, person: User) -> JSON:
    as_mentor = r.mentor_id == person.pk
    closed = r.status != "active"
    return {
        "id": r.pk,
        "you_are": "mentor" if as_mentor else "mentee",
        "with": _name(r.mentee if as_mentor else r.mentor) or "A former member",
        "kind": choice(r.kind, r.get_kind_display()),
        "status": choice(r.status, r.get_status_display()),
        "started_at": when(r.started_at),
        "agreement": {
            "what_we_will_work_on": r.goals,
            "how_often_we_meet": choice(r.meeting_frequency, r.get_meeting_frequency_display()),
            "what_stays_between_us": r.confidentiality,
            "mentor_agreed_at": when(r.mentor_agreed_at),
            "mentee_agreed_at": when(r.mentee_agreed_at),
        },
        "you_said_it_is_working_at": when(r.mentor_working_at if as_mentor else r.mentee_working_at),
        "closed_at": when(r.closed_at),
        "closed_by": ("you" if r.closed_by_id == person.pk else _name(r.closed_by)) if r.closed_at else None,
        "close_reason": choice(r.close_reason, r.get_close_reason_display()),
        "meetings": [_meeting(m, person) for m in r.meetings.all()],
        "closing_feedback": [_closing_feedback(f, person) for f in r.feedback.all()] if closed else [],
    }


def _meeting(meeting: Meeting, person: User) -> JSON:
    return {
        "met_on": day(meeting.met_on),
        "how": choice(meeting.mode, meeting.get_mode_display()),
        "what_we_talked_about": meeting.notes,
        "actions_agreed": meeting.actions,
        "recorded_by": "you" if meeting.recorded_by_id == person.pk else _name(meeting.recorded_by),
        "recorded_at": when(meeting.created_at),
    }


def _closing_feedback(feedback: ClosingFeedback, person: User) -> JSON:
    return {
        "by": "you" if feedback.author_id == person.pk else _name(feedback.author) or "A former member",
        "usefulness_out_of_5": feedback.usefulness,
        "goals_met": choice(feedback.goals_met, feedback.get_goals_met_display()),
        "would_recommend": feedback.would_recommend,
        "comment": feedback.comment,
        "given_at": when(feedback.created_at),
    }


# --- Careers ------------------------------------------------------------------------------------------------------


def careers_of(person: User) -> JSON:
    reflection = right_time_for_owner(owner=person)
    return {
        "role_history": [
            {
                "job_title": e.title,
                "kind_of_role": choice(e.step, e.get_step_display()),
                "level": choice(e.level, e.get_level_display()) if e.level else None,
                "organisation_kind": choice(e.organisation_kind, e.get_organisation_kind_display())
                if e.organisation_kind
                else None,
                "sector": e.sector.name if e.sector else None,
                "started_on": day(e.started_on),
                "ended_on": day(e.ended_on),
            }
            for e in history_for_owner(owner=person)
        ],
        "counted_in_anonymous_routes": routes_consent_for(owner=person),
        "is_now_the_right_time": {
            "what_attracts_you": reflection.attracts,
            "your_experience": reflection.experience,
            "is_now_the_right_time": reflection.timing,
            "your_support": reflection.support,
            "updated_at": when(reflection.updated_at),
        }
        if reflection
        else None,
    }


# --- Talk to someone in the role ----------------------------------------------------------------------------------


def shadowing_of(person: User) -> JSON:
    """Four queries: offers, requests made, requests to them, reflections. The other person by name only."""
    return {
        "offers": [
            {
                "what": choice(o.kind, o.get_kind_display()),
                "role": o.role_title,
                "where": choice(o.setting, o.get_setting_display()),
                "who_may_ask": choice(o.who_may_ask, o.get_who_may_ask_display()),
                "how_many_a_year": o.per_year,
                "note": o.note,
                "status": choice(o.status, o.get_status_display()),
                "created_at": when(o.created_at),
            }
            for o in offers_of(person=person)
        ],
        "requests_you_made": [
            {**_shadowing_request(r), "asked": _name(r.offerer), "role": r.offer.role_title}
            for r in requests_made_by(user=person)
        ],
        "requests_to_you": [
            {**_shadowing_request(r), "from": _name(r.requester)} for r in requests_asked_of(user=person)
        ],
        "reflections": [
            {
                "title": r.title,
                "what_happened": r.what_happened,
                "so_what": r.so_what,
                "now_what": r.now_what,
                "added_to_plan": r.plan_reflection.plan.title if r.plan_reflection else None,
                "written_at": when(r.created_at),
            }
            for r in reflections_of(author=person)
        ],
    }


def _shadowing_request(r: ShadowingRequest) -> JSON:
    return {
        "what": choice(r.offer.kind, r.offer.get_kind_display()),
        "why": r.why,
        "date_suggested": day(r.suggested_on),
        "status": choice(r.status, r.get_status_display()),
        "asked_at": when(r.created_at),
        "answer_by": when(r.reply_by),
        "answered_at": when(r.answered_at),
        "message_with_the_answer": r.answer_message,
        "date_agreed": day(r.agreed_on),
    }


# --- Succession -------------------------------------------------------------------------------------------------


def succession_of(person: User) -> JSON:
    """Three queries: where they stand forward (with the lead's view beside their own), their talent conversations,
    the posts they are named as holding. A lead by name only."""
    return {
        "standing_forward": [
            {
                "organisation": c.organisation.name,
                "post": c.post.title if c.post else None,
                "level": choice(c.level, c.get_level_display()),
                "your_aim": c.aim,
                "when_you_would_like_to_move": choice(c.timescale, c.get_timescale_display()),
                "your_readiness": choice(c.readiness, c.get_readiness_display()),
                "could_act_up_at_short_notice": c.emergency_cover,
                "what_the_leads_see": choice(c.show, c.get_show_display()),
                "put_forward_at": when(c.created_at),
                "readiness_last_confirmed_at": when(c.reviewed_at),
                "the_leads_view": {
                    "readiness": choice(c.lead_readiness, c.get_lead_readiness_display()),
                    "comment": c.lead_comment,
                    "by": _name(c.lead_by),
                    "at": when(c.lead_at),
                    "you_saw_it_at": when(c.lead_seen_at),
                }
                if c.lead_readiness or c.lead_comment
                else None,
            }
            for c in candidacies_of(person=person).select_related("organisation", "post", "lead_by")
        ],
        "talent_conversations": [
            {
                "organisation": t.organisation.name,
                "with": _name(t.lead),
                "held_on": day(t.held_on),
                "aspiration": t.aspiration,
                "strengths": t.strengths,
                "what_to_develop": t.to_develop,
                "agreed_next_steps": t.next_step_list,
                "meet_again_on": day(t.meet_again_on),
                "last_changed_at": when(t.updated_at),
            }
            for t in person.talent_conversations.select_related("organisation", "lead").order_by("-held_on", "-pk")
        ],
        "posts_you_hold": [
            {
                "organisation": p.organisation.name,
                "title": p.title,
                "level": choice(p.level, p.get_level_display()),
                "expected_to_fall_vacant": day(p.expected_vacancy),
            }
            for p in Post.objects.filter(holder=person).select_related("organisation").order_by("title", "pk")
        ],
    }


# --- Buddies ---------------------------------------------------------------------------------------------------


def buddies_of(person: User) -> JSON:
    """Two queries: the cohorts they joined (with why they were left out, if they were), their pairs with what
    pairing read of each of them. The buddy by name only, and only once the pair is published."""
    pairs = BuddyPair.objects.filter(Q(first=person) | Q(second=person)).select_related("cohort", "first", "second")
    return {
        "cohorts": [
            {
                "cohort": m.cohort.name,
                "status": choice(m.cohort.status, m.cohort.get_status_display()),
                "started_in_role": day(m.started_in_role),
                "joined_at": when(m.joined_at),
                "why_you_had_no_buddy": m.left_out_reason or None,
            }
            for m in CohortMember.objects.filter(user=person).select_related("cohort").order_by("joined_at", "pk")
        ],
        "pairs": [
            {
                "cohort": p.cohort.name,
                # A draft is the organisers' working copy: who it would pair them with is not theirs until published.
                "buddy": (
                    _name(p.second if p.first_id == person.pk else p.first)
                    if p.status == BuddyPairStatus.PUBLISHED
                    else None
                ),
                "status": choice(p.status, p.get_status_display()),
                "why": p.explanation,
                "your_organisation": p.first_organisation if p.first_id == person.pk else p.second_organisation,
                "their_organisation": (
                    (p.second_organisation if p.first_id == person.pk else p.first_organisation)
                    if p.status == BuddyPairStatus.PUBLISHED
                    else None
                ),
                "published_at": when(p.published_at),
            }
            for p in pairs.order_by("created_at", "pk")
        ],
    }


# --- First-year pathway -----------------------------------------------------------------------------------------


def first_year_pathway_of(person: User) -> JSON:
    """Four queries: the pathway with its cohort, the checklist ticks, the check-ins, invitations to cohorts."""
    enrolment = Enrolment.objects.select_related("cohort").filter(person=person).first()
    titles = {item.key: item.title for item in shipped_pathway().items}
    ticks = ChecklistTick.objects.filter(enrolment__person=person).order_by("item_key")
    checkins = PathwayCheckIn.objects.filter(enrolment__person=person).order_by("months")
    invitations = Invitation.objects.filter(person=person).select_related("cohort")
    return {
        "pathway": {
            "cohort": enrolment.cohort.name if enrolment.cohort else None,
            "started_as_medical_director_on": day(enrolment.started_on),
            "joined_at": when(enrolment.enrolled_at),
            "scope_of_your_role": enrolment.scope,
            "objectives": enrolment.objectives,
            "agreed_with_your_chief_executive_on": day(enrolment.scope_agreed_on),
        }
        if enrolment
        else None,
        "checklist": [
            {
                "item": titles.get(t.item_key, t.item_key),
                "state": choice(t.state, t.get_state_display()),
                "at": when(t.ticked_at),
            }
            for t in ticks
        ],
        "check_ins": [
            {
                "months": c.months,
                "how_it_is_going": c.going,
                "support_you_need": c.support,
                "written_at": when(c.completed_at),
            }
            for c in checkins
        ],
        "invitations": [{"cohort": i.cohort.name, "invited_at": when(i.invited_at)} for i in invitations],
    }


# --- Bilaterals ---------------------------------------------------------------------------------------------------


def bilaterals_of(person: User) -> JSON:
    """Three queries: their bilaterals with the other person, the meetings of those, the notes they wrote in the
    logs. The other person's notes are theirs, and the other by name only."""
    bilaterals = list(bilaterals_for(user=person).order_by("proposed_at", "pk"))
    # A subquery, not the ids: the count stays three when there are none.
    meetings = BilateralMeeting.objects.filter(bilateral__in=bilaterals_for(user=person)).order_by("starts_at", "pk")
    by_bilateral: dict[int, list[JSON]] = {}
    for m in meetings:
        by_bilateral.setdefault(m.bilateral_id, []).append(
            {"starts_at": when(m.starts_at), "status": choice(m.status, m.get_status_display())}
        )
    notes = BilateralNote.objects.filter(author=person).select_related("meeting").order_by("created_at", "pk")
    return {
        "bilaterals": [
            {
                "with": _name(b.other(person.pk)),
                "you_proposed": b.proposer_id == person.pk,
                "how_often": choice(b.cadence_months, b.get_cadence_months_display()),
                "message": b.message,
                "status": choice(b.status, b.get_status_display()),
                "your_weekly_times": b.slots_of(person.pk),
                "proposed_at": when(b.proposed_at),
                "answered_at": when(b.answered_at),
                "ended_at": when(b.ended_at),
                "meetings": by_bilateral.get(b.pk, []),
            }
            for b in bilaterals
        ],
        "notes_you_wrote": [
            {"meeting": when(n.meeting.starts_at), "note": n.text, "written_at": when(n.created_at)} for n in notes
        ],
    }


# --- Networks and forums ------------------------------------------------------------------------------------------


def networks_of(person: User) -> JSON:
    """Four queries: the networks they are in or asked to join, the topics they proposed, their votes, the notes
    they wrote. Other members' notes and votes are theirs, not this person's."""
    memberships = NetworkMembership.objects.filter(person=person).select_related("network").order_by("network__name")
    topics = Topic.objects.filter(proposed_by=person).select_related("meeting__network").order_by("proposed_at", "pk")
    votes = TopicVote.objects.filter(voter=person).select_related("topic").order_by("voted_at", "pk")
    notes = MeetingNote.objects.filter(author=person).select_related("meeting__network").order_by("created_at", "pk")
    return {
        "memberships": [
            {
                "network": m.network.name,
                "status": choice(m.status, m.get_status_display()),
                "organiser": m.is_organiser,
                "asked_at": when(m.requested_at),
                "joined_at": when(m.joined_at),
            }
            for m in memberships
        ],
        "topics_you_proposed": [
            {
                "network": t.meeting.network.name,
                "meeting": when(t.meeting.starts_at),
                "topic": t.title,
                "why_it_matters": t.detail,
                "proposed_at": when(t.proposed_at),
            }
            for t in topics
        ],
        "your_votes": [{"topic": v.topic.title, "voted_at": when(v.voted_at)} for v in votes],
        "notes_you_wrote": [
            {
                "network": n.meeting.network.name,
                "meeting": when(n.meeting.starts_at),
                "note": n.text,
                "written_at": when(n.created_at),
                "changed_at": when(n.updated_at),
            }
            for n in notes
        ],
    }


# --- Action learning sets -----------------------------------------------------------------------------------------


def learning_sets_of(person: User) -> JSON:
    feed = CalendarFeed.objects.filter(person=person).first()
    return {
        "applications": _applications(person),
        "invitations_to_programmes": [
            {"programme": i.programme.name, "invited_at": when(i.invited_at)}
            for i in ProgrammeInvitation.objects.filter(person=person).select_related("programme").order_by("pk")
        ],
        "sets": _sets(person),
        "apologies": _apologies(person),
        "attendance": _attendance(person),
        "reflections": _set_reflections(person),
        "notes_you_wrote_as_facilitator": _notes_written(person),
        # That a private calendar link exists and when it was made: never the link itself.
        "calendar_link_made_at": when(feed.created_at) if feed else None,
    }


def _applications(person: User) -> list[JSON]:
    applications = applications_of(person).select_related("organisation", "sector")
    return [
        {
            "programme": a.programme.name,
            "organisation": a.organisation.name,
            "sector": a.sector.name,
            "current_role": choice(a.career_stage, a.get_career_stage_display()),
            "profession": choice(a.profession, a.get_profession_display()),
            "times_you_can_make": [slot_label(s) for s in a.slots],
            "what_you_hope_to_get": a.hopes,
            "status": choice(a.status, a.get_status_display()),
            "why_not_placed": a.unplaced_reason,
            "applied_at": when(a.created_at),
            "updated_at": when(a.updated_at),
        }
        for a in applications
    ]


def _sets(person: User) -> list[JSON]:
    sets = sets_for(user=person).select_related("programme", "facilitator").order_by("programme__name", "number")
    return [
        {
            "programme": s.programme.name,
            "set": s.number,
            "you_are": "facilitator" if s.facilitator_id == person.pk else "member",
            "meets": slot_label(s.slot),
            "facilitator": "you" if s.facilitator_id == person.pk else _name(s.facilitator),
        }
        for s in sets
    ]


def _session(session: Session) -> JSON:
    return {
        "programme": session.learning_set.programme.name,
        "set": session.learning_set.number,
        "session": session.number,
        "starts_at": when(session.starts_at),
        "cancelled_at": when(session.cancelled_at),
    }


_SESSION = "session__learning_set__programme"


def _apologies(person: User) -> list[JSON]:
    apologies = Apology.objects.filter(member=person).select_related(_SESSION).order_by("session__starts_at", "pk")
    return [{**_session(a.session), "message": a.message, "sent_at": when(a.created_at)} for a in apologies]


def _attendance(person: User) -> list[JSON]:
    """What the facilitator recorded about this person, session by session (not about anyone else)."""
    rows = Attendance.objects.filter(member=person).select_related(_SESSION).order_by("session__starts_at", "pk")
    return [{**_session(a.session), "present": a.present, "recorded_at": when(a.recorded_at)} for a in rows]


def _set_reflections(person: User) -> list[JSON]:
    reflections = (
        Reflection.objects.filter(author=person)
        .select_related("learning_set__programme", "session")
        .order_by("created_at", "pk")
    )
    return [
        {
            "programme": r.learning_set.programme.name,
            "set": r.learning_set.number,
            "session": r.session.number if r.session else None,
            "what_happened": r.what_happened,
            "so_what": r.so_what,
            "now_what": r.now_what,
            "added_to_your_plan": r.plan_reflection_id is not None,
            "written_at": when(r.created_at),
        }
        for r in reflections
    ]


def _notes_written(person: User) -> list[JSON]:
    """A facilitator's own notes: theirs because they wrote them. Notes by others are the set's, not the person's."""
    notes = SetNote.objects.filter(author=person).select_related("learning_set__programme", "session")
    return [
        {
            "programme": n.learning_set.programme.name,
            "set": n.learning_set.number,
            "session": n.session.number if n.session else None,
            "text": n.text,
            "written_at": when(n.created_at),
        }
        for n in notes.order_by("created_at", "pk")
    ]


# --- Reminders and choices ----------------------------------------------------------------------------------------


def notifications_of(person: User) -> JSON:
    reminders = Reminder.objects.filter(recipient=person).order_by("due_at", "pk")
    addresses = [*EmailAddress.objects.filter(user=person).values_list("email", flat=True), person.email]
    opt_outs = EmailOptOut.objects.filter(email__in=[a.lower() for a in addresses]).order_by("created_at")
    return {
        "reminders": [_reminder(r) for r in reminders],
        "email_choices": [
            {"reminder": kind.label, "code": kind.code, "how": MODE_LABELS.get(mode, mode)}
            for kind, mode in preferences_for_user(user=person)
        ],
        "addresses_opted_out": [
            {"email": o.email, "kind": o.kind or "all", "at": when(o.created_at)} for o in opt_outs
        ],
    }


def _reminder(reminder: Reminder) -> JSON:
    kind = KINDS.get(reminder.kind)
    secret = kind is None or kind.secret_context
    return {
        "kind": choice(reminder.kind, kind.label if kind else reminder.kind),
        "due_at": when(reminder.due_at),
        "status": choice(reminder.status, reminder.get_status_display()),
        "sent_at": when(reminder.sent_at),
        "read_at": when(reminder.read_at),
        # What the e-mail was about, as it was (or will be) written; a secret link is never copied out.
        "details": {} if secret else _plain_context(reminder.context),
    }


def _plain_context(context: dict[str, Any]) -> dict[str, Any]:
    # Calendar events are repeated in full elsewhere (sets, sessions); their summary is enough here.
    plain = {key: value for key, value in context.items() if key not in ("event", "events", "invitation")}
    if "events" in context:
        plain["sessions"] = len(context["events"] or [])
    return plain


# --- Sharing and the audit log --------------------------------------------------------------------------------------


def sharing_of(person: User) -> list[JSON]:
    """What the person chose to share, with whom (by name), and when they stopped."""
    assessment_shares = AssessmentShare.objects.filter(assessment__owner=person).select_related(
        "viewer", "assessment__framework"
    )
    plan_shares = PlanShare.objects.filter(plan__owner=person).select_related("viewer", "plan")
    shares = [
        {
            "record": "self-assessment",
            "record_id": s.assessment_id,
            "title": s.assessment.framework.name,
            "shared_with": _name(s.viewer),
            "as": choice(s.reason, s.get_reason_display()),
            "shared_at": when(s.shared_at),
            "stopped_at": when(s.revoked_at),
        }
        for s in assessment_shares
    ]
    shares += [
        {
            "record": "development plan",
            "record_id": s.plan_id,
            "title": s.plan.title,
            "shared_with": _name(s.viewer),
            "as": choice("mentor", "Mentor or coach"),
            "shared_at": when(s.shared_at),
            "stopped_at": when(s.revoked_at),
        }
        for s in plan_shares
    ]
    return sorted(shares, key=lambda s: s["shared_at"] or "")


def audit_of(person: User) -> JSON:
    return {
        "views_of_your_records": [
            {
                "viewed_at": when(e.viewed_at),
                # The name kept with the row when the viewer's account has gone (where the audit app keeps one).
                "by": _name(e.viewer) or e.viewer_name,
                "record": e.record_kind,
                "record_id": e.record_id,
                "why_they_could": e.reason,
                "page": e.path,
            }
            for e in access_events_for_owner(owner=person).order_by("viewed_at", "pk")
        ],
        # Every change recorded about this person (audit.ChangeEvent with them as its subject).
        "changes_about_you": [
            {
                "changed_at": when(c.changed_at),
                "by": c.actor_name,
                "as": c.capacity,
                "what": c.action,
                "to": c.target,
                "before": c.before,
                "after": c.after,
            }
            for c in ChangeEvent.objects.filter(subject=person).order_by("changed_at", "pk")
        ],
    }


def downloads_of(person: User) -> list[JSON]:
    return [
        {
            "requested_at": when(e.requested_at),
            "status": choice(e.status, e.get_status_display()),
            "ready_at": when(e.ready_at),
            "expires_at": when(e.expires_at),
        }
        for e in DataExport.objects.filter(owner=person).order_by("requested_at", "pk")
    ]
