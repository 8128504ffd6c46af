"""What a download holds: every record of the person's, from every app, in data.json and in the page a person
reads; and nothing of anyone else's: not a colleague's records, not who gave 360 feedback or what any one of them
said, not a private link."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.models import Evidence, RaterResponse, RaterToken
from apps.competencies.models import Framework
from apps.development.models import Activity, Goal, Plan
from apps.exports.collect import FORMAT, person_data
from apps.exports.models import DataExport
from apps.exports.services import export_build, export_request
from apps.mentoring.models import MentoringRelationship
from apps.mentoring.services.relationships import meeting_log
from apps.notifications.services import schedule
from tests.learning_sets.sets_support import World

from .support import DOCUMENT, Person, facilitator_note, fill_in, read_archive

pytestmark = pytest.mark.django_db


def download(person: User) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Ask for a download and build it as the worker does; the archive as the person gets it."""
    export = export_request(owner=person, now=timezone.now())
    built = export_build(export_id=export.pk, now=timezone.now())
    assert built is not None and built.status == "ready"
    with default_storage.open(built.file.name, "rb") as stored:
        return read_archive(stored.read())


@pytest.fixture
def world(organiser: User, owner: User, colleague: User, outsider: User) -> World:
    """The owner and the colleague are members of set 1 of a published programme."""
    return World(organiser, owner, colleague, outsider).publish()


@pytest.fixture
def me(owner: User, person_spec: Framework, world: World) -> Person:
    return fill_in(owner, person_spec, "OWNERTAG", learning_set=world.set1)


@pytest.fixture
def them(colleague: User, person_spec: Framework, world: World) -> Person:
    return fill_in(colleague, person_spec, "COLLEAGUETAG", learning_set=world.set1)


def test_the_download_holds_the_persons_records_from_every_app(me: Person, them: Person, world: World) -> None:
    data, members = download(me.user)
    assert data["format"] == FORMAT == "stepping-up-export/1"
    assert list(data)[:3] == ["format", "generated_at", "person"]
    assert data["person"]["email"] == "owner@example.org"
    assert data["profile"]["job_title"] == "OWNERTAG Associate Medical Director"
    assert data["diversity"]["age_band"] == {"code": "45_54", "label": "45 to 54"}

    [assessment] = data["self_assessments"]
    noted = next(c for c in assessment["criteria"] if c["note"])
    assert noted["note"] == "OWNERTAG rating note"
    assert noted["prompts"][0]["your_answer"] == "OWNERTAG prompt answer"
    [evidence] = noted["evidence"]
    assert evidence["title"] == "OWNERTAG committee minutes"
    assert members[evidence["file"]] == DOCUMENT
    assert evidence["file"].startswith(f"files/self-assessment-{me.assessment.pk}/")
    # 360 results as the results page shows them: the three peers combined, the lone line manager withheld.
    results = assessment["results"]
    assert results["feedback"]["answered_by_group"] == {"Line manager": 1, "Peers": 3}
    assert results["feedback"]["groups_shown"] == ["Peers"]
    assert results["feedback"]["answers_withheld_to_keep_them_anonymous"] == 1
    assert results["feedback"]["general_comments"] == ["OWNERTAG is very visible on the wards"] * 3
    assert {c["others"] for c in results["criteria"]} == {2.0}
    assert assessment["feedback_round"]["asked_and_answered_by_group"] == [
        {"group": "Line manager", "asked": 1, "answered": 1},
        {"group": "Peers", "asked": 3, "answered": 3},
    ]

    [plan] = data["development_plans"]
    assert plan["title"] == "OWNERTAG plan"
    assert [g["title"] for g in plan["goals"]] == ["OWNERTAG goal"]
    assert [a["title"] for a in plan["activities"]] == ["OWNERTAG activity"]
    assert members[plan["evidence"][0]["file"]] == DOCUMENT
    assert plan["reflections"][0]["now_what"] == "OWNERTAG now what"

    mentoring = data["mentoring"]
    assert mentoring["requests"][0]["what_you_want_help_with"] == "OWNERTAG wants help with boards"
    [relationship] = mentoring["relationships"]
    # The whole log the pair keeps, as they both see it: the person's entry and the mentor's.
    assert [(m["what_we_talked_about"], m["recorded_by"]) for m in relationship["meetings"]] == [
        ("OWNERTAG meeting notes by the mentor", me.mentor.full_name),
        ("OWNERTAG own meeting notes", "you"),
    ]

    sets = data["learning_sets"]
    assert [(s["set"], s["you_are"]) for s in sets["sets"]] == [(1, "member")]
    assert [a["message"] for a in sets["apologies"]] == ["OWNERTAG apology"]
    assert [(a["session"], a["present"]) for a in sets["attendance"]] == [(1, True)]
    assert [r["what_happened"] for r in sets["reflections"]] == ["OWNERTAG set reflection"]
    assert sets["calendar_link_made_at"] is not None

    assert {s["record"] for s in data["sharing"]} == {"self-assessment", "development plan"}
    assert [v["why_they_could"] for v in data["audit"]["views_of_your_records"]] == ["shared with mentor (OWNERTAG)"]
    assert [c["what"] for c in data["audit"]["changes_about_you"]] == ["changed your proposed mentor (OWNERTAG)"]
    assert any(r["kind"]["code"] == "plan_quarterly_review" for r in data["notifications"]["reminders"])
    assert data["notifications"]["email_choices"]
    assert [d["status"]["code"] for d in data["downloads"]] == ["building"]

    # The page a person reads says the same things, and names the same files.
    summary = members["summary.html"].decode()
    for text in ("OWNERTAG rating note", "OWNERTAG own meeting notes", "OWNERTAG set reflection", evidence["file"]):
        assert text in summary
    assert "stepping-up-export/1" in members["README.txt"].decode()


def test_nothing_of_anyone_elses_is_in_it(me: Person, them: Person, world: World) -> None:
    facilitator_note(world.set1, "FACILITATORTAG note about the whole set")
    _, members = download(me.user)
    everything = b"\n".join([name.encode() for name in members] + list(members.values()))
    for stranger in ("COLLEAGUETAG", "colleague@example.org", "FACILITATORTAG", "outsider@example.org"):
        assert stranger.encode() not in everything, stranger
    # The colleague's mentor, their e-mail address and their 360 raters are strangers to the owner too.
    for address in [them.mentor.email, *them.feedback.rater_emails]:
        assert address.encode() not in everything


def test_no_rater_is_identified_and_no_private_link_is_copied(me: Person) -> None:
    _, members = download(me.user)
    everything = b"\n".join(members.values())
    for address in me.feedback.rater_emails:
        assert address.encode() not in everything
    for token in me.feedback.tokens:
        assert token.encode() not in everything
    for token_hash in RaterToken.objects.values_list("token_hash", flat=True):
        assert token_hash.encode() not in everything
    for response_id in RaterResponse.objects.values_list("id", flat=True):
        assert str(response_id).encode() not in everything
    assert b"OWNERTAG lone line manager remark" not in everything  # a group of one stays withheld
    assert b"OWNERTAG-calendar-secret-token" not in everything
    assert b"OWNERTAG is very visible on the wards" in everything


def test_a_facilitator_gets_the_notes_they_wrote_and_not_the_members_records(
    me: Person, them: Person, world: World
) -> None:
    facilitator_note(world.set1, "FACILITATORTAG note about the whole set")
    data, members = download(world.facilitator)
    sets = data["learning_sets"]
    assert [n["text"] for n in sets["notes_you_wrote_as_facilitator"]] == ["FACILITATORTAG note about the whole set"]
    assert [(s["set"], s["you_are"]) for s in sets["sets"]] == [(1, "facilitator")]
    everything = b"\n".join(members.values())
    assert b"OWNERTAG" not in everything and b"COLLEAGUETAG" not in everything


def test_the_readable_page_escapes_what_people_typed(owner: User) -> None:
    plan = Plan.objects.create(
        owner=owner,
        title="<script>alert('plan')</script>",
        target_level=5,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=90),
        created_at=timezone.now(),
    )
    data, members = download(owner)
    assert data["development_plans"][0]["title"] == plan.title
    summary = members["summary.html"].decode()
    assert "<script>" not in summary
    assert "&lt;script&gt;alert(&#x27;plan&#x27;)&lt;/script&gt;" in summary


def test_a_document_missing_from_storage_is_listed_and_the_rest_is_built(me: Person) -> None:
    evidence = Evidence.objects.get(assessment=me.assessment)
    default_storage.delete(evidence.file.name)
    data, members = download(me.user)
    [missing] = data["missing_files"]
    assert missing.startswith(f"files/self-assessment-{me.assessment.pk}/") and missing not in members
    assert any(name.startswith("files/plan-") for name in members)


def test_collecting_takes_the_same_queries_however_many_records(me: Person, world: World) -> None:
    """Reads are per app and per plan or self-assessment, never per goal, activity, meeting or reminder."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            person_data(person=me.user, now=timezone.now())
        return len(captured)

    before = queries()
    # account 3 (addresses, second factors, sessions), roles 1, profile 1, diversity 1;
    # self-assessments 1 + 15 each: entries 6 (criteria, prompts, expectations, ratings, answers, evidence), the
    #   round and its counts 2, results_context 7 (previous, the criteria's figures, round, answers 3 once closed,
    #   scale);
    # plans 1 + 6 each (the plan, goals, their criteria, activities, reflections, evidence);
    # mentoring 8 (criterion titles, offer, requests, their proposals, proposals as mentor, pairs, meetings,
    #   closing feedback); learning sets 8 (calendar link, applications, invitations to programmes, sets,
    #   apologies, attendance, reflections, notes); careers 3 (role history, the right-time reflection, consent
    #   to count);
    # talk to someone in the role 4 (offers, requests made, requests to them, reflections);
    # succession 3 (where they stand forward with the lead's view, their talent conversations, posts they hold);
    # buddies 2 (cohorts joined, pairs with both people);
    # first-year pathway 4 (the pathway and its cohort, checklist ticks, check-ins, invitations);
    # bilaterals 3 (bilaterals with the other person, their meetings, notes written);
    # networks 4 (memberships, topics proposed, votes, notes written);
    # notifications 4 (addresses, reminders, choices, opt-outs); sharing 2; audit 2; downloads 1.
    # One self-assessment and one plan here: 6 + 16 + 7 + 8 + 8 + 3 + 4 + 3 + 2 + 4 + 3 + 4 + 4 + 2 + 2 + 1.
    assert before == 77
    plan = Plan.objects.get(owner=me.user)
    relationship = MentoringRelationship.objects.get(mentee=me.user)
    for i in range(5):
        goal = Goal.objects.create(
            plan=plan, title=f"More {i}", measure="m", target_date=timezone.localdate(), created_at=timezone.now()
        )
        Activity.objects.create(plan=plan, goal=goal, title=f"More {i}", created_at=timezone.now())
        meeting_log(
            relationship=relationship,
            actor=me.user,
            met_on=timezone.localdate() - timedelta(days=i + 2),
            mode="video",
            notes=f"More {i}",
            actions="",
            now=timezone.now(),
        )
        schedule(
            recipient=me.user,
            kind="goal_overdue",
            due_at=timezone.now() + timedelta(days=i + 1),
            dedupe_key=f"more:{i}",
            context={"goal_title": f"More {i}", "due_on": "2026-12-01", "url": "/plans/"},
        )
    assert queries() == before
    assert DataExport.objects.count() == 0  # collecting only reads
