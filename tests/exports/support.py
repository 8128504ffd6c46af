"""People with records in every app, for the download tests: whose strings must be in an export, and whose must not.

`fill_in(person, tag)` gives a person a record in each app, every free-text field carrying `tag` so that a test can
say "all of the owner's, none of the colleague's" by searching for the tags alone.
"""

import zipfile
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.evidence import evidence_add
from apps.assessments.feedback import feedback_round_close, feedback_round_open, rater_invite
from apps.assessments.models import Assessment, AssessmentShare, PromptAnswer, Rating
from apps.assessments.services import assessment_start, assessment_submit
from apps.audit.services import access_record, change_record
from apps.competencies.models import Criterion, Framework
from apps.development.models import Activity, Goal, PlanEvidence, PlanShare, Reflection
from apps.learning_sets.models import Apology, Attendance, CalendarFeed, LearningSet, SetNote
from apps.learning_sets.models import Reflection as SetReflection
from apps.mentoring.models import MentoringRequest
from apps.mentoring.services.relationships import meeting_log
from apps.profiles.models import DiversityInformation, Profile
from tests.factories import year_plan
from tests.mentoring.test_relationships import make_mentor, start
from tests.support.rater_links import rater_links_sent, token_of

DOCUMENT = b"Minutes of the quality committee I chaired.\n"


def document(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DOCUMENT, content_type="text/plain")


def answer_all(token: str, value: str, comment: str) -> None:
    data = {"action": "submit", "comment_general": comment}
    for criterion in Criterion.objects.filter(framework__slug="md-person-spec"):
        data[f"rating_{criterion.pk}"] = value
    response = Client().post(reverse("feedback:respond", args=[token]), data)
    assert response.status_code in (200, 302), response.status_code


@dataclass
class Feedback:
    rater_emails: list[str]
    tokens: list[str]


def assessment_with_feedback(person: User, framework: Framework, tag: str) -> tuple[Assessment, Feedback]:
    """A self-assessment with a note, a prompt answer and a document, completed, and a closed 360 round: three
    peers who answered alike and one line manager (too few to show) with a remark of their own."""
    now = timezone.now()
    assessment = assessment_start(owner=person, framework=framework, target_level=5, now=now)
    assessment.ratings.update(value=3)
    rating = Rating.objects.filter(assessment=assessment).select_related("criterion").order_by("criterion__position")[0]
    Rating.objects.filter(pk=rating.pk).update(note=f"{tag} rating note")
    prompt = rating.criterion.prompts.order_by("position").first()
    assert prompt is not None
    PromptAnswer.objects.create(assessment=assessment, prompt=prompt, text=f"{tag} prompt answer")
    evidence_add(
        assessment=assessment,
        criterion=rating.criterion,
        kind="file",
        title=f"{tag} committee minutes",
        upload=document(f"{tag}-minutes.txt"),
        now=now,
    )
    assessment = assessment_submit(assessment=assessment, now=now)
    feedback_round = feedback_round_open(
        assessment=assessment, closes_on=timezone.localdate() + timedelta(days=21), message=f"{tag} note", now=now
    )
    emails = [f"{tag.lower()}.peer{i}@nhs.net" for i in range(3)] + [f"{tag.lower()}.boss@nhs.net"]
    for i, email in enumerate(emails):
        rater_invite(feedback_round=feedback_round, email=email, category="line_manager" if i == 3 else "peer", now=now)
    links = rater_links_sent()
    tokens = [token_of(links[email]) for email in emails]
    for token in tokens[:3]:
        answer_all(token, "2", f"{tag} is very visible on the wards")
    answer_all(tokens[3], "4", f"{tag} lone line manager remark")
    feedback_round_close(feedback_round=feedback_round, now=timezone.now())
    return assessment, Feedback(rater_emails=emails, tokens=tokens)


def plan_with_records(person: User, tag: str) -> None:
    plan = year_plan(person, title=f"{tag} plan")
    now, today = timezone.now(), timezone.localdate()
    goal = Goal.objects.create(
        plan=plan, title=f"{tag} goal", measure=f"{tag} measure", target_date=today + timedelta(days=60), created_at=now
    )
    Activity.objects.create(plan=plan, goal=goal, title=f"{tag} activity", created_at=now)
    PlanEvidence.objects.create(
        plan=plan, goal=goal, kind="file", title=f"{tag} plan document", file=document(f"{tag}-plan.txt"),
        file_name=f"{tag}-plan.txt", content_type="text/plain", size=len(DOCUMENT), added_at=now,
    )  # fmt: skip
    Reflection.objects.create(
        plan=plan, title=f"{tag} reflection", what_happened=f"{tag} happened", so_what=f"{tag} so what",
        now_what=f"{tag} now what", written_on=today, created_at=now,
    )  # fmt: skip


@dataclass
class Person:
    user: User
    tag: str
    assessment: Assessment
    feedback: Feedback
    mentor: User


def fill_in(person: User, framework: Framework, tag: str, *, learning_set: LearningSet | None = None) -> Person:
    """A record of `person` in every app, each free text carrying `tag`."""
    now = timezone.now()
    Profile.objects.filter(user=person).update(job_title=f"{tag} Associate Medical Director")
    DiversityInformation.objects.create(user=person, age_band="45_54", gender="woman")
    assessment, feedback = assessment_with_feedback(person, framework, tag)
    plan_with_records(person, tag)

    mentor = make_mentor(f"{tag.lower()}.mentor@example.org")
    relationship = start(mentor, person)
    relationship.started_at = now - timedelta(days=30)  # so that the pair can log meetings from before today
    relationship.save(update_fields=["started_at"])
    MentoringRequest.objects.filter(mentee=person).update(focus_text=f"{tag} wants help with boards")
    meeting_log(
        relationship=relationship, actor=person, met_on=timezone.localdate(), mode="video",
        notes=f"{tag} own meeting notes", actions=f"{tag} own actions", now=now,
    )  # fmt: skip
    meeting_log(
        relationship=relationship, actor=mentor, met_on=timezone.localdate() - timedelta(days=1), mode="phone",
        notes=f"{tag} meeting notes by the mentor", actions="", now=now,
    )  # fmt: skip

    AssessmentShare.objects.create(assessment=assessment, viewer=mentor, reason="mentor", shared_at=now)
    PlanShare.objects.create(plan=person.plans.get(), viewer=mentor, shared_at=now)
    access_record(
        viewer=mentor, owner=person, record_kind="self-assessment", record_id=assessment.pk,
        reason=f"shared with mentor ({tag})", now=now,
    )  # fmt: skip
    change_record(
        actor=None, capacity="organiser", action=f"changed your proposed mentor ({tag})", target="a round",
        subjects=[person], before={"mentor": "Someone"}, after={"mentor": "Someone else"}, now=now,
    )  # fmt: skip
    CalendarFeed.objects.create(person=person, token=f"{tag}-calendar-secret-token", created_at=now)
    if learning_set is not None:
        sets_records(person, learning_set, tag)
    return Person(user=person, tag=tag, assessment=assessment, feedback=feedback, mentor=mentor)


def sets_records(person: User, learning_set: LearningSet, tag: str) -> None:
    """An apology, an attendance mark and a reflection of a member of a published set."""
    now = timezone.now()
    sessions = list(learning_set.sessions.order_by("number"))
    first, last = sessions[0], sessions[-1]
    Apology.objects.create(session=last, member=person, message=f"{tag} apology", created_at=now)
    facilitator = learning_set.facilitator
    assert facilitator is not None
    Attendance.objects.create(session=first, member=person, present=True, recorded_by=facilitator, recorded_at=now)
    SetReflection.objects.create(
        learning_set=learning_set, session=first, author=person, what_happened=f"{tag} set reflection",
        so_what=f"{tag} set so what", now_what=f"{tag} set now what", created_at=now,
    )  # fmt: skip


def facilitator_note(learning_set: LearningSet, text: str) -> SetNote:
    assert learning_set.facilitator is not None
    return SetNote.objects.create(
        learning_set=learning_set, author=learning_set.facilitator, text=text, created_at=timezone.now()
    )


def read_archive(content: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """(data.json parsed, every member's bytes) of a downloaded archive."""
    import json

    with zipfile.ZipFile(BytesIO(content)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(members["data.json"]), members
