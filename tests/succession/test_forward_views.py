"""The pages of putting oneself forward, as the person, someone else and someone signed out: another person's
candidacy is a 404 that changes nothing, a post that tries to name someone else, an organisation not taking part or
another organisation's post is a clear message that changes nothing, and `mine` costs the same queries however many
places the person stands forward."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.organisations.models import Organisation
from apps.profiles.models import LeadershipLevel
from apps.succession.models import Candidacy, Readiness
from tests.conftest import signed_in
from tests.factories import OrganisationFactory
from tests.support.succession import make_candidacy, make_lead, make_post

pytestmark = pytest.mark.django_db

ANSWERS = {
    "aim": "Deputy medical director for quality.",
    "timescale": "1_to_2_years",
    "readiness": "1_2_years",
    "emergency_cover": "on",
    "show": "summary",
}


@pytest.fixture
def trust(db: None) -> Organisation:
    return OrganisationFactory(name="Northshire NHS Foundation Trust")


@pytest.fixture
def lead(trust: Organisation) -> User:
    return make_lead(trust)


def step_two(organisation: Organisation) -> str:
    return f"{reverse('succession:forward_new')}?organisation={organisation.pk}"


def urls(candidacy: Candidacy) -> dict[str, str]:
    return {
        name: reverse(f"succession:{name}", args=[candidacy.pk])
        for name in ("forward_edit", "forward_confirm", "forward_withdraw")
    }


def test_signed_out_people_are_sent_to_sign_in() -> None:
    for url in (reverse("succession:mine"), reverse("succession:forward_new")):
        response = Client().get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_putting_yourself_forward_in_two_steps(owner: User, trust: Organisation, lead: User) -> None:
    client = signed_in(owner)
    page = client.get(reverse("succession:forward_new")).content.decode()
    assert "Step 1 of 2" in page and trust.name in page
    post = make_post(trust, title="Associate medical director for quality", level=LeadershipLevel.ASSOCIATE_MD)
    page = client.get(step_two(trust)).content.decode()
    assert "Step 2 of 2" in page and "Associate medical director for quality" in page
    assert "Nothing to summarise yet" in page  # the preview of the summary, as the leads would see it
    response = client.post(step_two(trust), {**ANSWERS, "place": f"post-{post.pk}"})
    assert response.status_code == 302 and response["Location"] == reverse("succession:mine")
    candidacy = Candidacy.objects.get(person=owner)
    assert (candidacy.post, candidacy.level, candidacy.emergency_cover) == (post, LeadershipLevel.ASSOCIATE_MD, True)
    page = client.get(reverse("succession:mine")).content.decode()
    assert "You stand forward at Northshire NHS Foundation Trust" in page
    assert "Associate medical director for quality at Northshire NHS Foundation Trust" in page
    assert "Ready in 1 to 2 years" in page


def test_a_level_without_a_post(owner: User, trust: Organisation, lead: User) -> None:
    response = signed_in(owner).post(step_two(trust), {**ANSWERS, "place": "level-5"})
    assert response.status_code == 302
    candidacy = Candidacy.objects.get(person=owner)
    assert (candidacy.post, candidacy.level) == (None, LeadershipLevel.MEDICAL_DIRECTOR)


def test_many_organisations_get_a_search(owner: User, lead: User) -> None:
    for i in range(13):
        make_lead(OrganisationFactory(name=f"Searchable Trust {i:02d}"))
    client = signed_in(owner)
    page = client.get(reverse("succession:forward_new")).content.decode()
    assert "Search by name or ODS code" in page and "Searchable Trust 12" in page
    page = client.get(reverse("succession:forward_new"), {"q": "Trust 07"}).content.decode()
    assert "Searchable Trust 07" in page and "Searchable Trust 08" not in page


@pytest.mark.parametrize("extra", [{"person": "OTHER"}, {"person_id": "OTHER"}, {"email": "colleague@example.org"}])
def test_a_post_naming_someone_else_is_refused(
    owner: User, colleague: User, trust: Organisation, lead: User, extra: dict[str, str]
) -> None:
    data = {**ANSWERS, "place": "level-4", **{k: str(colleague.pk) if v == "OTHER" else v for k, v in extra.items()}}
    response = signed_in(owner).post(step_two(trust), data)
    assert response.status_code == 400
    assert "You can only put yourself forward" in response.content.decode()
    assert not Candidacy.objects.exists()


def test_an_organisation_not_taking_part_is_refused(owner: User, trust: Organisation, lead: User) -> None:
    elsewhere = OrganisationFactory(name="Not Yet Trust")
    client = signed_in(owner)
    for value in (str(elsewhere.pk), "abc", "99999999999"):
        response = client.post(
            f"{reverse('succession:forward_new')}?organisation={value}", {**ANSWERS, "place": "level-4"}
        )
        assert response.status_code == 400
        assert "This organisation is not taking part" in response.content.decode()
    assert "Not Yet Trust" not in client.get(reverse("succession:forward_new")).content.decode()
    assert not Candidacy.objects.exists()


def test_a_post_of_another_organisation_is_refused(owner: User, trust: Organisation, lead: User) -> None:
    elsewhere = OrganisationFactory()
    make_lead(elsewhere)
    theirs = make_post(elsewhere)
    response = signed_in(owner).post(step_two(trust), {**ANSWERS, "place": f"post-{theirs.pk}"})
    assert response.status_code == 400
    assert "Choose one of this organisation&#x27;s posts" in response.content.decode()
    assert not Candidacy.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"readiness": "ready_tomorrow"}, "Choose ready now, in 1 to 2 years, or in 3 to 5 years"),
        ({"readiness": ""}, "Choose how ready you are"),
        ({"show": "everything"}, "Choose what the leads may see from the list"),
        ({"place": ""}, "Choose a post or a level"),
        ({"aim": "x" * 1001}, "Keep it to 1000 characters or fewer"),
    ],
)
def test_bad_input_is_a_clear_message_and_keeps_what_was_typed(
    owner: User, trust: Organisation, lead: User, changes: dict[str, str], message: str
) -> None:
    data = {**ANSWERS, "place": "level-4", **changes}
    response = signed_in(owner).post(step_two(trust), data)
    page = response.content.decode()
    assert response.status_code == 400 and message in page and "There is a problem" in page
    assert "x" * 1001 in page if "aim" in changes else ANSWERS["aim"] in page
    assert not Candidacy.objects.exists()


def test_a_double_submit_is_told_it_already_stands(owner: User, trust: Organisation, lead: User) -> None:
    client = signed_in(owner)
    client.post(step_two(trust), {**ANSWERS, "place": "level-4"})
    response = client.post(step_two(trust), {**ANSWERS, "place": "level-4"})
    assert response.status_code == 400 and "You already stand forward" in response.content.decode()
    assert Candidacy.objects.count() == 1


def test_changing_confirming_and_withdrawing(owner: User, trust: Organisation, lead: User) -> None:
    candidacy = make_candidacy(owner, trust)
    client = signed_in(owner)
    pages = urls(candidacy)
    assert client.get(pages["forward_edit"]).status_code == 200
    response = client.post(pages["forward_edit"], {**ANSWERS, "readiness": "ready_now", "show": "name_only"})
    assert response.status_code == 302
    candidacy.refresh_from_db()
    assert (candidacy.readiness, candidacy.show) == (Readiness.READY_NOW, "name_only")
    response = client.post(pages["forward_confirm"], follow=True)
    assert "your readiness still holds" in response.content.decode()
    page = client.get(pages["forward_withdraw"]).content.decode()
    assert "these go at once" in page
    response = client.post(pages["forward_withdraw"], follow=True)
    assert "no longer see anything of it" in response.content.decode()
    assert not Candidacy.objects.exists()


def test_someone_elses_candidacy_is_a_404_and_nothing_changes(
    owner: User, colleague: User, trust: Organisation, lead: User
) -> None:
    candidacy = make_candidacy(owner, trust)
    client = signed_in(colleague)
    for url in urls(candidacy).values():
        assert client.get(url).status_code in (404, 405)
        assert client.post(url, {**ANSWERS, "readiness": "ready_now"}).status_code == 404
    candidacy.refresh_from_db()
    assert candidacy.readiness == Readiness.ONE_TO_TWO_YEARS and candidacy.reviewed_at == candidacy.created_at
    assert trust.name not in client.get(reverse("succession:mine")).content.decode()


def test_confirm_is_post_only(owner: User, trust: Organisation, lead: User) -> None:
    candidacy = make_candidacy(owner, trust)
    assert signed_in(owner).get(urls(candidacy)["forward_confirm"]).status_code == 405


def test_the_leads_view_is_shown_and_marked_seen(owner: User, trust: Organisation, lead: User) -> None:
    candidacy = make_candidacy(owner, trust)
    Candidacy.objects.filter(pk=candidacy.pk).update(
        lead_readiness=Readiness.READY_NOW, lead_comment="Ready to step up.", lead_by=lead, lead_at=timezone.now()
    )
    page = signed_in(owner).get(reverse("succession:mine")).content.decode()
    assert "The lead's view" in page and "Ready to step up." in page and lead.display_name in page
    assert lead.email not in page
    candidacy.refresh_from_db()
    assert candidacy.lead_view_seen


def _mine_queries(client: Client, django_assert_num_queries: Any) -> None:
    # 1. the session; 2. the user; 3. the person's candidacies with their organisation, post and lead
    # 4. mark seen the lead's views shown for the first time (one update, however many)
    # 5. the readiness summary (a candidacy shows it): the latest completed self-assessment; 6. the latest with
    #    closed 360 feedback; 7. the current plan with its goal counts (the rest only when they exist)
    # 8. development flags: learning sets; 9. mentoring; 10. shadowing
    # 11. whether the person leads an organisation (conversations_for); 12. their talent conversations
    # 13. their roles (the header); 14. their unread notifications (the header)
    with django_assert_num_queries(14):
        assert client.get(reverse("succession:mine")).status_code == 200


def test_mine_takes_the_same_queries_however_many_candidacies(
    owner: User, trust: Organisation, lead: User, django_assert_num_queries: Any
) -> None:
    client = signed_in(owner)
    for count in (1, 5):
        while Candidacy.objects.filter(person=owner).count() < count:
            organisation = OrganisationFactory()
            make_lead(organisation)
            made = make_candidacy(owner, organisation, post=make_post(organisation))
            Candidacy.objects.filter(pk=made.pk).update(
                lead_readiness=Readiness.READY_NOW, lead_by=lead, lead_at=timezone.now()
            )
        _mine_queries(client, django_assert_num_queries)
