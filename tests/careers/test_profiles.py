"""Role profiles: loaded idempotently from the data file, browsed by every member, edited by administrators in
the portal as new versions with a change record."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.audit.models import ChangeEvent
from apps.careers.models import RoleProfile
from apps.careers.selectors import shipped_roles
from apps.careers.services.profiles import role_profiles_load
from tests.conftest import signed_in
from tests.factories import grant

pytestmark = pytest.mark.django_db
EDIT = "/careers/roles/medical-director/edit/"


def form_of(profile: RoleProfile, **changes: str) -> dict[str, str]:
    fields = ["title", "summary", "responsibilities", "portfolio", "typical_pas", "reports_to", "hardest"]
    fields += ["job_description", "person_specification", "sources"]
    data = {name: getattr(profile, name) for name in fields}
    data["level"] = str(profile.level or "")
    data["version"] = str(profile.version)  # the version the administrator opened
    return {**data, **changes}


def test_loading_twice_creates_nothing_more_and_keeps_administrators_edits(roles: None, administrator: User) -> None:
    assert RoleProfile.objects.count() == 11
    md = RoleProfile.objects.get(slug="medical-director")
    signed_in(administrator).post(EDIT, form_of(md, reports_to="The chief executive and the chair"))
    call_command("load_role_profiles", verbosity=0)
    assert RoleProfile.objects.count() == 12  # the edit's version, nothing from the second load
    assert RoleProfile.objects.get(slug="medical-director", is_current=True).reports_to.endswith("the chair")


def test_loading_with_update_adds_a_version_only_where_the_file_differs(roles: None) -> None:
    RoleProfile.objects.filter(slug="cqc-adviser").update(reports_to="Changed by hand")
    result = role_profiles_load(specs=shipped_roles(), update=True, now=timezone.now())
    assert (result.created, result.updated, result.unchanged) == (0, 1, 10)
    assert list(RoleProfile.objects.filter(slug="cqc-adviser").values_list("version", "is_current")) == [
        (2, True),
        (1, False),
    ]


def test_list_and_profile_pages_show_the_groups_and_the_profile(roles: None, owner: User) -> None:
    client = signed_in(owner)
    page = client.get("/careers/").content.decode()
    assert page.index("Rungs of the ladder") < page.index("Clinical lead") < page.index("System, regional")
    assert "Care Quality Commission specialist" in page
    md = client.get("/careers/roles/medical-director/").content.decode()
    assert "4 to 11 PAs" in md and "An example job description" in md and "Edit this profile" not in md
    assert client.get("/careers/roles/no-such-role/").status_code == 404


def test_the_explorer_is_for_signed_in_people(roles: None, outsider: User) -> None:
    assert Client().get("/careers/roles/medical-director/").status_code == 302
    assert signed_in(outsider).get("/careers/roles/medical-director/").status_code == 200


def test_an_administrator_edit_is_a_new_version_with_a_change_record(roles: None, administrator: User) -> None:
    md = RoleProfile.objects.get(slug="medical-director")
    client = signed_in(administrator)
    assert "Edit this profile" in client.get("/careers/roles/medical-director/").content.decode()
    assert client.get(EDIT).status_code == 200
    response = client.post(EDIT, form_of(md, hardest=md.hardest + "\n  Board papers arrive late on Friday  \n\n"))
    assert response.status_code == 302
    versions = list(RoleProfile.objects.filter(slug="medical-director").order_by("version"))
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert versions[1].hardest_list[-1] == "Board papers arrive late on Friday"
    assert versions[1].edited_by == administrator
    assert versions[0].hardest == md.hardest  # the history is kept
    [event] = ChangeEvent.objects.all()
    assert event.actor == administrator and event.capacity == "administrator"
    assert list(event.after) == ["hardest"]
    page = client.get("/careers/roles/medical-director/versions/").content.decode()
    assert "(shown)" in page and administrator.full_name in page


def test_a_nameless_administrator_is_shown_as_an_administrator_never_by_their_email(
    roles: None, administrator: User, owner: User
) -> None:
    User.objects.filter(pk=administrator.pk).update(first_name="", last_name="")
    md = RoleProfile.objects.get(slug="medical-director")
    assert signed_in(administrator).post(EDIT, form_of(md, reports_to="The chair")).status_code == 302
    page = signed_in(owner).get("/careers/roles/medical-director/versions/").content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    assert "An administrator" in main and "@" not in main
    assert administrator.email not in page


def test_a_second_administrator_editing_the_same_version_is_refused_and_shown_the_first_ones(
    roles: None, administrator: User
) -> None:
    other = User.objects.create(email="other-admin@example.org", first_name="Olu", last_name="Other")
    grant(other, Role.ADMINISTRATOR)
    md = RoleProfile.objects.get(slug="medical-director")
    first, second = signed_in(administrator), signed_in(other)
    # Both open version 1; the first saves, then the second.
    assert first.post(EDIT, form_of(md, reports_to="The chief executive and the chair")).status_code == 302
    response = second.post(EDIT, form_of(md, summary="Overwritten"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Someone else saved a new version while you were editing: here is theirs" in html
    assert "The chief executive and the chair" in html  # theirs, to make the change again on top
    assert 'name="version" value="2"' in html
    assert list(RoleProfile.objects.filter(slug="medical-director").values_list("version", "is_current")) == [
        (2, True),
        (1, False),
    ]
    assert RoleProfile.objects.get(slug="medical-director", is_current=True).summary == md.summary
    assert ChangeEvent.objects.count() == 1
    # Made again on top of theirs, it saves as version 3 and keeps their change.
    again = form_of(RoleProfile.objects.get(slug="medical-director", is_current=True), summary="Overwritten")
    assert second.post(EDIT, again).status_code == 302
    current = RoleProfile.objects.get(slug="medical-director", is_current=True)
    assert (current.version, current.summary, current.reports_to) == (
        3,
        "Overwritten",
        "The chief executive and the chair",
    )


def test_an_edit_form_without_its_version_is_refused(roles: None, administrator: User) -> None:
    md = RoleProfile.objects.get(slug="medical-director")
    data = form_of(md, reports_to="The chair")
    del data["version"]
    response = signed_in(administrator).post(EDIT, data)
    assert response.status_code == 400 and "open the profile again" in response.content.decode()
    assert RoleProfile.objects.filter(slug="medical-director").count() == 1


@pytest.mark.parametrize(
    ("changes", "says"),
    [({"title": ""}, "Enter the title"), ({"level": "9"}, "Choose a level"), ({}, "Nothing was changed")],
)
def test_a_bad_edit_is_refused_with_a_message_and_nothing_changes(
    roles: None, administrator: User, changes: dict[str, str], says: str
) -> None:
    md = RoleProfile.objects.get(slug="medical-director")
    response = signed_in(administrator).post(EDIT, form_of(md, **changes))
    assert response.status_code == 400
    assert says in response.content.decode()
    assert RoleProfile.objects.filter(slug="medical-director").count() == 1
    assert ChangeEvent.objects.count() == 0


def test_only_administrators_may_edit(roles: None, owner: User) -> None:
    md = RoleProfile.objects.get(slug="medical-director")
    assert signed_in(owner).get(EDIT).status_code == 403
    assert signed_in(owner).post(EDIT, form_of(md, title="Hijacked")).status_code == 403
    assert Client().get(EDIT).status_code == 302
    assert RoleProfile.objects.filter(slug="medical-director").count() == 1


def test_wrong_method(roles: None, administrator: User) -> None:
    client = signed_in(administrator)
    assert client.post("/careers/").status_code == 405
    assert client.delete(EDIT).status_code == 405
