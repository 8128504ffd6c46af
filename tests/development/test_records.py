"""Evidence and reflections in a plan: hung on a goal, an activity, a criterion or the plan; owner only."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.competencies.models import Criterion, Framework
from apps.development.models import Goal, Plan, PlanEvidence, Reflection
from apps.development.services import goal_create, plan_create
from tests.conftest import signed_in
from tests.support.colleagues import become_mentor_of, share_plan_with

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def plan(owner: User) -> Plan:
    return plan_create(
        owner=owner,
        title="Towards deputy MD",
        target_level=4,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=365),
        now=timezone.now(),
    )


@pytest.fixture
def goal(plan: Plan, person_spec: Framework) -> Goal:
    return goal_create(
        plan=plan,
        title="Chair the quality sub-committee",
        description="",
        measure="m",
        target_date=timezone.localdate() + timedelta(days=30),
        now=timezone.now(),
        criteria=[Criterion.objects.get(framework=person_spec, code="SKI-6")],
    )


def reflection_data(**changes: object) -> dict[str, object]:
    data = {
        "about": "plan",
        "title": "First board paper",
        "written_on": timezone.localdate().isoformat(),
        "what_happened": "Presented the mortality review.",
        "so_what": "Too much detail for a board.",
        "now_what": "Lead with the decision needed.",
    }
    data.update(changes)
    return data


def test_a_reflection_on_a_goal_counts_towards_its_criteria(owner: User, plan: Plan, goal: Goal) -> None:
    client = signed_in(owner)
    response = client.post(
        reverse("development:reflection_new", args=[plan.pk]), reflection_data(about=f"goal:{goal.pk}")
    )
    assert response.status_code == 302
    assert Reflection.objects.get().goal == goal
    body = client.get(reverse("development:plan", args=[plan.pk])).content.decode()
    assert "Lead with the decision needed." in body
    # The criterion by its title, so that a person knows what it is, with the code for reference.
    assert "“Can act corporately and take corporate decisions" in body and "(SKI-6): 1 record" in body


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"written_on": "2099-01-01"}, "cannot be in the future"),
        ({"so_what": ""}, "Say what it meant and what you learned"),
        ({"about": "goal:999999"}, "Choose from the list"),
    ],
)
def test_bad_reflections_are_refused_and_what_was_typed_is_kept(
    owner: User, plan: Plan, goal: Goal, changes: dict[str, object], message: str
) -> None:
    response = signed_in(owner).post(reverse("development:reflection_new", args=[plan.pk]), reflection_data(**changes))
    assert response.status_code == 400 and message in response.content.decode()
    assert "Presented the mortality review." in response.content.decode()
    assert not Reflection.objects.exists()


def test_a_goal_in_someone_elses_plan_cannot_be_an_anchor(owner: User, colleague: User, plan: Plan, goal: Goal) -> None:
    theirs = plan_create(
        owner=colleague,
        title="Theirs",
        target_level=4,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=200),
        now=timezone.now(),
    )
    response = signed_in(colleague).post(
        reverse("development:reflection_new", args=[theirs.pk]), reflection_data(about=f"goal:{goal.pk}")
    )
    assert response.status_code == 400 and not Reflection.objects.exists()


def test_evidence_note_link_and_document(
    owner: User, plan: Plan, goal: Goal, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    client = signed_in(owner)
    url = reverse("development:evidence_new", args=[plan.pk])
    client.post(url, {"about": "plan", "kind": "text", "title": "Board feedback", "text": "The chair thanked me."})
    client.post(url, {"about": f"goal:{goal.pk}", "kind": "link", "title": "Paper", "url": "https://example.org/p"})
    response = client.post(
        url,
        {
            "about": "plan",
            "kind": "file",
            "title": "Certificate",
            "file": SimpleUploadedFile("cert.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    document = PlanEvidence.objects.get(kind="file")
    assert "cert" not in document.file.name  # stored under a random name
    download = client.get(reverse("development:evidence_file", args=[plan.pk, document.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_a_wrong_upload_is_refused_and_nothing_is_stored(
    owner: User, plan: Plan, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    response = signed_in(owner).post(
        reverse("development:evidence_new", args=[plan.pk]),
        {
            "about": "plan",
            "kind": "file",
            "title": "Script",
            "file": SimpleUploadedFile("run.exe", b"MZ\x90\x00" + b"\x00" * 100),
        },
    )
    assert response.status_code == 400 and not PlanEvidence.objects.exists()
    assert not any(tmp_path.rglob("*"))  # type: ignore[attr-defined]


@pytest.mark.parametrize("shared", [False, True], ids=["nothing shared", "the plan shared with them"])
def test_nobody_else_adds_sees_downloads_or_removes(
    owner: User, colleague: User, plan: Plan, settings: object, tmp_path: object, shared: bool
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    signed_in(owner).post(
        reverse("development:evidence_new", args=[plan.pk]),
        {
            "about": "plan",
            "kind": "file",
            "title": "Certificate",
            "file": SimpleUploadedFile("cert.pdf", PDF, content_type="application/pdf"),
        },
    )
    document = PlanEvidence.objects.get()
    if shared:  # the owner's mentor reads the plan and the document's name, never the document
        become_mentor_of(owner, colleague)
        share_plan_with(colleague, plan)
    client = signed_in(colleague)
    assert client.get(reverse("development:evidence_file", args=[plan.pk, document.pk])).status_code == 404
    assert client.get(reverse("development:evidence_new", args=[plan.pk])).status_code == 404
    remove = reverse("development:record_remove", args=[plan.pk, "evidence", document.pk])
    assert client.post(remove).status_code == 404
    assert PlanEvidence.objects.filter(pk=document.pk).exists()
    assert signed_in(owner).post(remove).status_code == 302 and not PlanEvidence.objects.exists()


def test_wrong_methods_and_sign_in(client: Client, owner: User, plan: Plan) -> None:
    assert client.get(reverse("development:reflection_new", args=[plan.pk])).status_code == 302
    remove = reverse("development:record_remove", args=[plan.pk, "reflection", 1])
    assert signed_in(owner).get(remove).status_code == 405


def test_the_plan_downloads_as_a_pdf_for_appraisal(
    owner: User, colleague: User, plan: Plan, goal: Goal, tmp_path: object
) -> None:
    import shutil
    import subprocess

    client = signed_in(owner)
    client.post(reverse("development:reflection_new", args=[plan.pk]), reflection_data(about=f"goal:{goal.pk}"))
    response = client.get(reverse("development:plan_pdf", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "attachment" in response["Content-Disposition"]
    if shutil.which("pdftotext"):
        path = tmp_path / "plan.pdf"  # type: ignore[operator]
        path.write_bytes(response.content)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert "Chair the quality sub-committee" in text and "Lead with the decision needed." in text
    assert signed_in(colleague).get(reverse("development:plan_pdf", args=[plan.pk])).status_code == 404
