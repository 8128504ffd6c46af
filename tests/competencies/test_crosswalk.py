"""The crosswalk between frameworks: the file, loading it, reading it both ways, and the administrators' pages."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.models import ChangeEvent
from apps.competencies import services_crosswalk
from apps.competencies.crosswalkfile import CrosswalkFileError, parse_crosswalk
from apps.competencies.models import Criterion, CriterionLink
from apps.competencies.selectors_crosswalk import linked_codes, links_by_code
from apps.competencies.services_crosswalk import CrosswalkError, crosswalk_load, shipped_crosswalk_files
from tests.conftest import signed_in
from tests.factories import UserFactory
from tests.support.races import race

pytestmark = pytest.mark.django_db

SHIPPED = Path(__file__).resolve().parents[2] / "apps" / "competencies" / "crosswalks" / "md-person-spec.yaml"

SMALL = """\
format: stepping-up-crosswalk/1
crosswalk:
  from: md-person-spec
  to: [nhs-board-leadership]
  source: a test
  licence: ours
criteria:
  - code: EXP-1
    nhs-board-leadership: [D2-1]
"""


@pytest.fixture
def shipped() -> None:
    call_command("load_framework", "--shipped", stdout=StringIO())


def _edit_url(first: str = "md-person-spec", code: str = "EXP-2", second: str = "nhs-board-leadership") -> str:
    return reverse("competencies:crosswalk_edit", args=[first, code, second])


def _links() -> set[tuple[str, str, str, str]]:
    return set(CriterionLink.objects.values_list("from_slug", "from_code", "to_slug", "to_code"))


# The file.


def test_the_shipped_crosswalk_names_every_criterion_of_the_person_specification() -> None:
    spec = parse_crosswalk(SHIPPED.read_text())
    assert spec.from_slug == "md-person-spec" and spec.to_slugs == ("nhs-board-leadership", "mlcf")
    assert "Stepping Up's own" in spec.source
    assert len(spec.links) == 55
    assert sum(1 for link in spec.links if link.to_slug == "nhs-board-leadership") == 30
    assert {link.from_code for link in spec.links} <= {f"EXP-{n}" for n in range(1, 5)} | {
        f"KNO-{n}" for n in range(1, 6)
    } | {f"SKI-{n}" for n in range(1, 12)} | {"DES-1", "DES-2"}
    text = SHIPPED.read_text()
    assert text.count("  - code: ") == 22  # every criterion, those that map to nothing with empty lists


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        (
            SMALL.replace("[D2-1]", "[D2-1, D2-1]"),
            "criteria[0].nhs-board-leadership[1] (line 9): 'D2-1' is given twice",
        ),
        (SMALL.replace("[D2-1]", "[D2 1]"), "criteria[0].nhs-board-leadership[0] (line 9): 'D2 1' is not a code"),
        (SMALL + "    mlcf: [PQ-1]\n", "criteria[0].mlcf (line 10): unknown field 'mlcf'"),
        (SMALL.replace("to: [nhs-board-leadership]", "to: [md-person-spec]"), "crosswalk.to[0] (line 4): a crosswalk"),
        (SMALL + "  - code: EXP-1\n", "criteria[1].code (line 10): 'EXP-1' is given twice (also criteria[0])"),
        (SMALL.replace("stepping-up-crosswalk/1", "stepping-up-framework/1"), "format (line 1): expected"),
        (SMALL.replace("  licence: ours\n", ""), "crosswalk (line 3): missing field 'licence'"),
        ("criteria: [\n", "(line 2): not valid YAML or JSON"),
    ],
)
def test_a_faulty_file_is_refused_with_the_path_and_line_of_the_fault(text: str, fault: str) -> None:
    with pytest.raises(CrosswalkFileError) as refused:
        parse_crosswalk(text)
    assert any(fault in str(f) for f in refused.value.faults), refused.value.faults


# Loading.


def test_load_framework_shipped_loads_the_crosswalk_and_again_changes_nothing(shipped: None) -> None:
    assert CriterionLink.objects.count() == 55
    links, logged = _links(), ChangeEvent.objects.count()
    out = StringIO()
    call_command("load_framework", "--shipped", stdout=out)
    assert _links() == links and ChangeEvent.objects.count() == logged
    assert "md-person-spec.yaml: crosswalk: 0 links added, 0 removed" in out.getvalue()


def test_the_service_replaces_the_shipped_mapping_idempotently(shipped: None) -> None:
    CriterionLink.objects.filter(from_code="EXP-1").delete()
    CriterionLink.objects.create(from_slug="md-person-spec", from_code="EXP-2", to_slug="mlcf", to_code="PQ-4")
    spec = parse_crosswalk(SHIPPED.read_text())
    result = crosswalk_load(crosswalk=spec, now=timezone.now())
    assert (result.added, result.removed) == (5, 1)
    assert CriterionLink.objects.count() == 55
    again = crosswalk_load(crosswalk=spec, now=timezone.now())
    assert (again.added, again.removed) == (0, 0)


def test_administrators_edits_survive_the_next_shipped_load_unless_replaced(shipped: None) -> None:
    CriterionLink.objects.create(from_slug="md-person-spec", from_code="EXP-2", to_slug="mlcf", to_code="PQ-4")
    call_command("load_framework", "--shipped", stdout=StringIO())
    assert linked_codes(slug="md-person-spec", code="EXP-2") == [("mlcf", "PQ-4")]
    call_command("load_framework", "--shipped", "--replace-crosswalks", stdout=StringIO())
    assert linked_codes(slug="md-person-spec", code="EXP-2") == []


def test_a_link_to_a_code_no_loaded_framework_has_is_refused_with_its_path_and_nothing_is_written(
    shipped: None,
) -> None:
    CriterionLink.objects.all().delete()
    spec = parse_crosswalk(SMALL.replace("[D2-1]", "[D2-1, D9-9]").replace("code: EXP-1", "code: EXP-99"))
    with pytest.raises(CrosswalkError) as refused:
        crosswalk_load(crosswalk=spec, now=timezone.now())
    assert refused.value.faults == [
        "criteria[0].nhs-board-leadership[0] (line 9): no loaded framework 'md-person-spec' has a criterion 'EXP-99'",
        "criteria[0].nhs-board-leadership[1] (line 9): no loaded framework 'nhs-board-leadership' has a criterion "
        "'D9-9'",
    ]
    assert CriterionLink.objects.count() == 0


def test_a_bad_shipped_crosswalk_stops_the_command_with_a_clear_message(
    shipped: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    CriterionLink.objects.all().delete()
    (tmp_path / "bad.yaml").write_text(SMALL.replace("[D2-1]", "[D9-9]"))
    monkeypatch.setattr(services_crosswalk, "SHIPPED_CROSSWALKS", tmp_path)
    assert shipped_crosswalk_files() == [tmp_path / "bad.yaml"]
    with pytest.raises(CommandError) as refused:
        call_command("load_framework", "--shipped", stdout=StringIO())
    assert "bad.yaml was not loaded (no link was written)" in str(refused.value)
    assert "criteria[0].nhs-board-leadership[0] (line 9): no loaded framework 'nhs-board-leadership'" in str(
        refused.value
    )
    (tmp_path / "bad.yaml").write_text(SMALL.replace("format:", "formats:"))
    with pytest.raises(CommandError, match=r"(?s)bad.yaml was not loaded:.*unknown field 'formats'"):
        call_command("load_framework", "--shipped", stdout=StringIO())
    assert CriterionLink.objects.count() == 0


def test_the_database_refuses_a_link_within_one_framework() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CriterionLink.objects.create(from_slug="mlcf", from_code="PQ-1", to_slug="mlcf", to_code="PQ-2")


# Reading.


def test_links_are_read_both_ways(shipped: None) -> None:
    assert linked_codes(slug="md-person-spec", code="SKI-3") == [("mlcf", "SD-2"), ("nhs-board-leadership", "D6-3")]
    assert ("md-person-spec", "SKI-3") in linked_codes(slug="nhs-board-leadership", code="D6-3")
    assert linked_codes(slug="md-person-spec", code="EXP-2") == []


def test_a_whole_framework_is_one_query(shipped: None, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        links = links_by_code(slug="nhs-board-leadership")
    assert "D3-1" not in links  # nothing in the person specification speaks of equality
    assert links["D6-1"] == [("md-person-spec", "EXP-4"), ("md-person-spec", "SKI-8"), ("md-person-spec", "SKI-9")]


# The administrators' pages.


def test_an_administrator_sees_the_table_and_changes_one_criterions_links(shipped: None, administrator: User) -> None:
    client = signed_in(administrator)
    body = client.get(reverse("competencies:crosswalk")).content.decode()
    assert "Medical director person specification mapped to" in body
    assert "Seeks assurance, not reassurance" in body  # SKI-6 maps to D4-2
    page = client.get(_edit_url())
    assert page.status_code == 200 and 'type="checkbox"' in page.content.decode()
    response = client.post(_edit_url(), {"codes": ["D4-1", "D5-4"]}, follow=True)
    assert "EXP-2 now maps to D4-1, D5-4." in response.content.decode()
    assert linked_codes(slug="md-person-spec", code="EXP-2") == [
        ("nhs-board-leadership", "D4-1"),
        ("nhs-board-leadership", "D5-4"),
    ]
    event = ChangeEvent.objects.get(action="changed a criterion's links in the crosswalk")
    assert event.actor == administrator and event.after["added"] == ["D4-1", "D5-4"] and event.before["links"] == []
    response = client.post(_edit_url(), {"codes": ["D5-4"]}, follow=True)
    assert "EXP-2 no longer maps to D4-1." in response.content.decode()
    assert linked_codes(slug="md-person-spec", code="EXP-2") == [("nhs-board-leadership", "D5-4")]


def test_edits_from_the_other_side_change_the_same_links(shipped: None, administrator: User) -> None:
    client = signed_in(administrator)
    response = client.post(_edit_url("nhs-board-leadership", "D6-3", "md-person-spec"), {"codes": []})
    assert response.status_code == 302
    assert ("nhs-board-leadership", "D6-3") not in linked_codes(slug="md-person-spec", code="SKI-3")


def test_the_detail_page_links_to_the_crosswalk_for_administrators_only(
    shipped: None, administrator: User, owner: User
) -> None:
    framework = Criterion.objects.filter(framework__slug="mlcf").first().framework  # type: ignore[union-attr]
    url = reverse("competencies:detail", args=[framework.pk])
    assert "/frameworks/crosswalk/?first=mlcf" in signed_in(administrator).get(url).content.decode()
    assert "/frameworks/crosswalk/" not in signed_in(owner).get(url).content.decode()
    table = signed_in(administrator).get(reverse("competencies:crosswalk"), {"first": "mlcf"}).content.decode()
    assert "Medical Leadership Competency Framework mapped to Medical director person specification" in table


def test_a_member_gets_403_and_nothing_changes(shipped: None, owner: User) -> None:
    client, links = signed_in(owner), _links()
    assert client.get(reverse("competencies:crosswalk")).status_code == 403
    assert client.get(_edit_url()).status_code == 403
    assert client.post(_edit_url(), {"codes": ["D4-1"]}).status_code == 403
    assert _links() == links


def test_signed_out_people_are_sent_to_sign_in(shipped: None, client: Client) -> None:
    assert client.get(reverse("competencies:crosswalk")).status_code == 302


@pytest.mark.parametrize(
    "codes",
    [["D9-9"], ["SKI-1"], ["D4-1", "<script>"], ["D4-1\x00"]],
    ids=["unknown code", "a code of the same framework", "tampered", "a NUL"],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_changes(
    shipped: None, administrator: User, codes: list[str]
) -> None:
    links, logged = _links(), ChangeEvent.objects.count()
    response = signed_in(administrator).post(_edit_url(), {"codes": codes})
    assert response.status_code == 400
    assert "Choose criteria from the list" in response.content.decode()
    assert _links() == links and ChangeEvent.objects.count() == logged


def test_picking_the_same_framework_twice_is_refused(shipped: None, administrator: User) -> None:
    client = signed_in(administrator)
    response = client.get(reverse("competencies:crosswalk"), {"first": "mlcf", "second": "mlcf"})
    assert response.status_code == 400
    assert "a framework does not map to itself" in response.content.decode()
    response = client.get(reverse("competencies:crosswalk"), {"first": "mlcf", "second": "nonsense"})
    assert response.status_code == 400 and "Choose a framework from the list" in response.content.decode()
    links = _links()
    response = client.post(_edit_url("mlcf", "PQ-1", "mlcf"), {"codes": ["PQ-2"]}, follow=True)
    assert "two different frameworks" in response.content.decode()
    assert _links() == links


@pytest.mark.parametrize(
    "url",
    [
        _edit_url("no-such-framework"),
        _edit_url(code="EXP-99"),
        _edit_url(second="no-such-framework"),
        _edit_url(code="EXP\x001"),
    ],
)
def test_unknown_frameworks_and_criteria_are_404(shipped: None, administrator: User, url: str) -> None:
    assert signed_in(administrator).get(url).status_code == 404


def test_wrong_methods(shipped: None, administrator: User) -> None:
    client = signed_in(administrator)
    assert client.post(reverse("competencies:crosswalk")).status_code == 405
    assert client.put(_edit_url()).status_code == 405


def test_the_crosswalk_page_query_count(shipped: None, administrator: User, django_assert_num_queries: Any) -> None:
    client = signed_in(administrator)
    url = reverse("competencies:crosswalk")
    client.get(url)
    # 1. the session  2. the user  3. the roles (role_required; the layout reuses them)  4. the latest version of
    # each framework  5. the second framework's criteria  6. the links  7. the first framework's criteria with
    # their groups  8. the unread count for the layout
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200


def test_the_edit_page_query_count(shipped: None, administrator: User, django_assert_num_queries: Any) -> None:
    client = signed_in(administrator)
    client.get(_edit_url())
    # 1. the session  2. the user  3. the roles  4. the first framework  5. the second  6. the criterion with its
    # group  7. its links  8. the second framework's criteria  9. the unread count for the layout
    with django_assert_num_queries(9):
        assert client.get(_edit_url()).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_link_at_once_make_one_link_and_no_error(reference_data: None) -> None:
    call_command("load_framework", "--shipped", stdout=StringIO())
    administrator = UserFactory(email="admin@example.org")
    exp2 = Criterion.objects.get(framework__slug="md-person-spec", code="EXP-2")
    d11 = Criterion.objects.get(framework__slug="nhs-board-leadership", code="D1-1")
    # From D1-1's side the administrator keeps what it maps to already and adds EXP-2 (EXP-2 maps to nothing yet).
    kept = [code for s, code in linked_codes(slug="nhs-board-leadership", code="D1-1") if s == "md-person-spec"]

    def from_this_side() -> Any:
        return services_crosswalk.criterion_links_set(
            criterion=exp2, other=d11.framework, codes=["D1-1"], actor=administrator, now=timezone.now()
        )

    def from_the_other_side() -> Any:
        return services_crosswalk.criterion_links_set(
            criterion=d11, other=exp2.framework, codes=[*kept, "EXP-2"], actor=administrator, now=timezone.now()
        )

    outcomes = race(from_this_side, from_this_side, from_the_other_side)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(1 for added, _ in outcomes if added) == 1  # the first to get the lock adds it; the others find it there
    assert all(not removed for _, removed in outcomes)
    assert CriterionLink.objects.filter(from_code="EXP-2", to_code="D1-1").count() == 1
    assert ChangeEvent.objects.filter(action="changed a criterion's links in the crosswalk").count() == 1
