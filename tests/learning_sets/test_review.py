"""Forming the sets once applications close, reviewing the draft and moving people by hand with the rules checked
as the organiser goes (htmx), and each refusal changing nothing."""

from collections.abc import Sequence
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.learning_sets.models import Application, ApplicationStatus, LearningSet, Membership, Programme
from apps.learning_sets.models import ProgrammeStatus as Status
from apps.learning_sets.selectors import stage_of_role
from apps.learning_sets.services.review import MOVED_OUT, move_check, programme_group
from apps.organisations.models import Organisation
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, UserFactory

from .test_programmes import AFTER, DURING, FORM, applicant, draft, make_programme, on

SECTORS = ("mental_health", "acute", "community", "primary_care")
STAGES = ("clinical_lead", "clinical_director", "associate_md")


def cohort(programme: Programme, people: int, organisations: int, slots: Sequence[str]) -> list[Application]:
    """`people` applicants spread over `organisations`, sectors and career stages, all free at `slots`."""
    places = [OrganisationFactory() for _ in range(organisations)]
    return [
        applicant(
            programme,
            organisation=places[i % organisations],
            sector=SECTORS[i % len(SECTORS)],
            stage=STAGES[i % len(STAGES)],
            slots=slots,
        )
        for i in range(people)
    ]


def members_of(learning_set: LearningSet) -> list[Application]:
    return list(Application.objects.filter(membership__learning_set=learning_set).select_related("organisation"))


# Forming the sets


def test_forming_the_sets_gives_each_facilitator_a_set_that_keeps_the_rules(organiser: User) -> None:
    programme = make_programme(organiser)
    facilitators = [UserFactory(first_name="A", last_name=name) for name in ("Clark", "Adams", "Brown")]
    programme.facilitators.set(facilitators)
    cohort(programme, 24, 12, ("tue-14:00", "wed-10:00"))
    with on(AFTER):
        client = signed_in(organiser)
        response = client.post(reverse("learning_sets:programme_group", args=[programme.pk]))
        page = client.get(response["Location"]).content.decode()

    assert response["Location"] == reverse("learning_sets:review", args=[programme.pk])
    assert "3 sets formed with 24 people; 0 not placed." in page
    programme.refresh_from_db()
    assert programme.status == Status.GROUPING
    sets = list(LearningSet.objects.filter(programme=programme).order_by("number"))
    assert [s.number for s in sets] == [1, 2, 3]
    assert [s.facilitator.last_name for s in sets if s.facilitator] == ["Adams", "Brown", "Clark"]  # by name
    for learning_set in sets:
        members = members_of(learning_set)
        assert len(members) == 8
        assert len({m.organisation_id for m in members}) == 8  # nobody with a colleague from their organisation
        assert all(learning_set.slot in m.slots for m in members)
    assert set(Application.objects.values_list("status", flat=True)) == {ApplicationStatus.PLACED}


def test_people_who_cannot_be_placed_are_listed_with_the_reason(organiser: User) -> None:
    programme = make_programme(organiser)
    cohort(programme, 13, 13, ("tue-14:00",))
    loner = applicant(programme, slots=("fri-18:00",))
    with on(AFTER):
        run = programme_group(programme=programme, actor=organiser, now=timezone.now())
    assert (run.sets, run.placed, run.unplaced) == (2, 13, 1)
    loner.refresh_from_db()
    assert loner.status == ApplicationStatus.UNPLACED
    assert loner.unplaced_reason == "no set meets at a time they can make"
    with on(AFTER):
        page = signed_in(organiser).get(reverse("learning_sets:review", args=[programme.pk])).content.decode()
    assert "Not placed" in page and "no set meets at a time they can make" in page
    assert "Tuesday 14:00 to 16:00" in page


def test_the_sets_are_formed_only_after_the_window_closes(organiser: User) -> None:
    programme = make_programme(organiser)
    cohort(programme, 12, 12, ("tue-14:00",))
    with on(DURING):
        response = signed_in(organiser).post(reverse("learning_sets:programme_group", args=[programme.pk]), follow=True)
    assert (
        "Applications are open until 31 March 2027: form the sets once the window has closed, or close applications "
        "now from the programme&#x27;s page."
    ) in response.content.decode()
    programme.refresh_from_db()
    assert programme.status == Status.OPEN and not LearningSet.objects.exists()


@pytest.mark.parametrize(
    ("people", "message"),
    [
        (4, "The sets cannot be formed: The 4 participants cannot be split into sets of 6 to 8 people"),
        (0, "Nobody has applied to this programme"),
    ],
)
def test_applicants_who_cannot_be_grouped_change_nothing(organiser: User, people: int, message: str) -> None:
    programme = make_programme(organiser)
    cohort(programme, people, 4, ("tue-14:00",))
    with on(AFTER):
        response = signed_in(organiser).post(reverse("learning_sets:programme_group", args=[programme.pk]), follow=True)
    assert message in response.content.decode()
    programme.refresh_from_db()
    assert programme.status == Status.OPEN and not LearningSet.objects.exists()
    assert not Application.objects.exclude(status=ApplicationStatus.APPLIED).exists()


def test_a_programme_with_more_facilitators_than_sets_can_fill_is_refused(organiser: User) -> None:
    programme = make_programme(organiser)
    programme.facilitators.set(UserFactory.create_batch(3))
    cohort(programme, 14, 14, ("tue-14:00",))
    with on(AFTER):
        response = signed_in(organiser).post(reverse("learning_sets:programme_group", args=[programme.pk]), follow=True)
    assert "3 sets of at least 6 need 18 people, but there are only 14 participants" in response.content.decode()
    assert not LearningSet.objects.exists()


def test_the_sets_balance_leadership_levels_whatever_the_title() -> None:
    # A divisional and an associate medical director are on the same rung; roles off the ladder count as themselves.
    assert stage_of_role("divisional_md") == stage_of_role("associate_md") != stage_of_role("clinical_director")
    assert stage_of_role("dme") == stage_of_role("clinical_director")
    assert stage_of_role("consultant_gp") == "consultant_gp" != stage_of_role("sas")


def test_forming_the_sets_again_replaces_the_draft(organiser: User) -> None:
    programme = make_programme(organiser, set_size_min=2, set_size_max=4)
    people = cohort(programme, 8, 8, ("tue-14:00",))
    Application.objects.filter(pk=people[0].pk).update(status=ApplicationStatus.WITHDRAWN)
    with on(AFTER):
        programme_group(programme=programme, actor=organiser, now=timezone.now())
        first_draft = set(LearningSet.objects.values_list("pk", flat=True))
        moved = Membership.objects.first()
        assert moved is not None
        Membership.objects.filter(pk=moved.pk).delete()
        programme_group(programme=programme, actor=organiser, now=timezone.now())
    assert not first_draft & set(LearningSet.objects.values_list("pk", flat=True))
    assert Membership.objects.count() == 7  # everyone but the withdrawn applicant, who is never grouped
    assert not Membership.objects.filter(application=people[0]).exists()


# Reviewing


def test_the_review_page_shows_each_set_and_the_unplaced_in_constant_queries(
    organiser: User, django_assert_num_queries: object
) -> None:
    programme = make_programme(organiser)
    programme.facilitators.add(UserFactory(first_name="Helen", last_name="Moss"))
    people = cohort(programme, 60, 8, ("tue-14:00", "thu-10:00"))
    sets = draft(programme, [("tue-14:00", people[i : i + 8]) for i in range(0, 56, 8)])
    for application in people[56:]:
        Application.objects.filter(pk=application.pk).update(
            status=ApplicationStatus.UNPLACED, unplaced_reason="no set has room at a time they can make"
        )
    url = reverse("learning_sets:review", args=[programme.pk])
    client = signed_in(organiser)
    client.get(url)
    # 1 session, 2 user, 3 role grants, 4 the programme, 5 its sets with their facilitators, 6 the applications
    # with person, organisation, sector and membership, 7 the programme's facilitators, 8 unread reminders
    with django_assert_num_queries(8):  # type: ignore[operator]
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<h2 class="nhsuk-heading-m" id="set-') == len(sets) == 7
    assert "8, from 4 sectors" in page and "no set has room at a time they can make" in page
    assert str(people[0].person) in page and people[0].organisation.name in page
    assert "Clinical director" in page and "Helen Moss" in page
    assert 'hx-get="' + reverse("learning_sets:move_check", args=[programme.pk, people[0].pk]) in page


def test_the_review_page_offers_to_publish_the_draft(organiser: User) -> None:
    programme = make_programme(organiser)
    draft(programme, [("tue-14:00", cohort(programme, 6, 6, ("tue-14:00",)))])
    try:
        publish = reverse("learning_sets:publish", args=[programme.pk])
    except NoReverseMatch:
        pytest.skip("The publish view (urls_sets.py) is not there yet.")
    page = signed_in(organiser).get(reverse("learning_sets:review", args=[programme.pk])).content.decode()
    assert f'action="{publish}"' in page
    assert f'name="next" value="{reverse("learning_sets:review", args=[programme.pk])}"' in page  # comes back here


# Moving people, with the rules checked as they go


@pytest.fixture
def small_sets(organiser: User) -> dict[str, object]:
    """Sets of 2 to 3: set 1 is full, set 2 has room; three people are unplaced."""
    programme = make_programme(organiser, set_size_min=2, set_size_max=3)
    x, y, z, w, v = (
        OrganisationFactory(name=f"{name} NHS Trust") for name in ("Xfield", "Yham", "Zton", "Wby", "Vale")
    )

    def person(organisation: Organisation, slots: Sequence[str] = ("tue-14:00", "wed-10:00")) -> Application:
        return applicant(programme, organisation=organisation, slots=slots)

    a1, a2, a3, b1, b2 = person(x), person(y), person(z), person(x), person(w)
    first, second = draft(programme, [("tue-14:00", [a1, a2, a3]), ("tue-14:00", [b1, b2])])
    unplaced = {"same_org": person(y), "elsewhere": person(v, slots=("fri-08:00",)), "free": person(v)}
    Application.objects.filter(pk__in=[a.pk for a in unplaced.values()]).update(status=ApplicationStatus.UNPLACED)
    return {"programme": programme, "first": first, "second": second, "a1": a1, "b1": b1, **unplaced}


def check(organiser: User, programme: Programme, application: Application, target: object) -> str:
    url = reverse("learning_sets:move_check", args=[programme.pk, application.pk])
    response = signed_in(organiser).get(url, {"target": target}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_the_live_check_names_every_rule_a_move_would_break(organiser: User, small_sets: dict) -> None:
    programme, first, second = small_sets["programme"], small_sets["first"], small_sets["second"]
    refused = check(organiser, programme, small_sets["b1"], first.pk)
    assert "Not allowed" in refused
    assert "set 1 is full, with 3 members" in refused
    assert "someone from Xfield NHS Trust is already in set 1" in refused
    assert "set 2 would be left with 1 members, fewer than the 2 this programme needs" in refused

    assert "Allowed" in check(organiser, programme, small_sets["same_org"], second.pk)
    assert "Not allowed" not in check(organiser, programme, small_sets["same_org"], second.pk)
    elsewhere = check(organiser, programme, small_sets["elsewhere"], second.pk)
    assert "they cannot make set 2&#x27;s time, Tuesday 14:00 to 16:00" in elsewhere
    assert "Allowed" in check(organiser, programme, small_sets["a1"], "out")
    assert "fewer than the 2" in check(organiser, programme, small_sets["b1"], "out")
    assert "they are already in set 1" in check(organiser, programme, small_sets["a1"], first.pk)
    assert "Choose a set to check the move" in check(organiser, programme, small_sets["a1"], "")


def test_an_allowed_move_is_made_and_a_refused_one_changes_nothing(organiser: User, small_sets: dict) -> None:
    programme, first, second = small_sets["programme"], small_sets["first"], small_sets["second"]
    client = signed_in(organiser)

    def move(application: Application, target: object) -> Any:
        url = reverse("learning_sets:move", args=[programme.pk, application.pk])
        return client.post(url, {"target": target})

    before = sorted(Membership.objects.values_list("learning_set_id", "application_id"))
    for application, target, message in [
        (small_sets["b1"], first.pk, "set 1 is full"),
        (small_sets["b1"], "out", "fewer than the 2 this programme needs"),
        (small_sets["elsewhere"], second.pk, "they cannot make set 2"),
        (small_sets["a1"], "somewhere", "Choose where to move them."),
        (small_sets["a1"], 999_999, "Choose one of this programme&#x27;s sets."),
    ]:
        response = move(application, target)
        assert response.status_code == 400 and message in response.content.decode(), message
    assert sorted(Membership.objects.values_list("learning_set_id", "application_id")) == before

    response = move(small_sets["same_org"], second.pk)
    assert response.status_code == 302
    joined = Application.objects.get(pk=small_sets["same_org"].pk)
    assert joined.status == ApplicationStatus.PLACED and joined.membership.learning_set == second

    assert move(small_sets["a1"], "out").status_code == 302
    left = Application.objects.get(pk=small_sets["a1"].pk)
    assert left.status == ApplicationStatus.UNPLACED and left.unplaced_reason == MOVED_OUT
    assert not Membership.objects.filter(application=left).exists()

    assert move(small_sets["b1"], first.pk).status_code == 302  # set 1 has room now, and no one from Xfield
    assert Application.objects.get(pk=small_sets["b1"].pk).membership.learning_set == first


def test_the_check_counts_the_sets_as_they_are_now(organiser: User, small_sets: dict) -> None:
    programme, second = small_sets["programme"], small_sets["second"]
    assert move_check(programme=programme, application=small_sets["free"], target=second).allowed
    Membership.objects.create(
        learning_set=second, application=small_sets["same_org"], member=small_sets["same_org"].person
    )
    refused = move_check(programme=programme, application=small_sets["free"], target=second)
    assert not refused.allowed and refused.reasons == ["set 2 is full, with 3 members"]


def test_a_set_changes_to_a_time_all_its_members_share_and_to_one_of_the_facilitators(
    organiser: User, small_sets: dict
) -> None:
    programme, first, second = small_sets["programme"], small_sets["first"], small_sets["second"]
    helen, tom = UserFactory(first_name="Helen"), UserFactory(first_name="Tom")
    programme.facilitators.set([helen, tom])
    client = signed_in(organiser)
    url = reverse("learning_sets:set_edit", args=[programme.pk, second.pk])

    page = client.get(reverse("learning_sets:review", args=[programme.pk])).content.decode()
    assert '<option value="wed-10:00">Wednesday 10:00 to 12:00</option>' in page
    assert "Friday 08:00" not in page.split('id="unplaced"')[0]  # only the times every member shares are offered

    response = client.post(url, {"slot": "wed-10:00", "facilitator": helen.pk})
    second.refresh_from_db()
    assert response.status_code == 302 and (second.slot, second.facilitator) == ("wed-10:00", helen)

    LearningSet.objects.filter(pk=first.pk).update(facilitator=tom)
    for data, message in [
        ({"slot": "fri-08:00"}, "Not every member of set 2 can make Friday 08:00 to 10:00"),
        ({"slot": "sun-03:00"}, "Choose one of the weekly times offered."),
        ({"slot": "tue-14:00", "facilitator": organiser.pk}, "Choose one of the programme&#x27;s facilitators"),
        ({"slot": "tue-14:00", "facilitator": "x"}, "Choose one of the programme&#x27;s facilitators"),
        ({"slot": "tue-14:00", "facilitator": "²"}, "Choose one of the programme&#x27;s facilitators"),  # isdigit()
        ({"slot": "tue-14:00", "facilitator": "9" * 30}, "Choose one of the programme&#x27;s facilitators"),
        ({"slot": "tue-14:00", "facilitator": tom.pk}, f"{tom} already facilitates set 1 at Tuesday 14:00 to 16:00"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400 and message in response.content.decode(), message
    second.refresh_from_db()
    assert (second.slot, second.facilitator) == ("wed-10:00", helen)


def test_a_facilitator_taken_off_the_programme_no_longer_has_a_draft_set(organiser: User, small_sets: dict) -> None:
    programme, first, second = small_sets["programme"], small_sets["first"], small_sets["second"]
    helen, tom = UserFactory(email="helen@example.org"), UserFactory(email="tom@example.org")
    programme.facilitators.set([helen, tom])
    LearningSet.objects.filter(pk=first.pk).update(facilitator=helen)
    LearningSet.objects.filter(pk=second.pk).update(facilitator=tom)
    data = {**FORM, "set_size_min": "2", "set_size_max": "3", "facilitator_emails": "helen@example.org"}
    response = signed_in(organiser).post(reverse("learning_sets:programme_edit", args=[programme.pk]), data)
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.facilitator, second.facilitator) == (helen, None)  # the organiser chooses again for set 2


def test_published_sets_are_shown_but_no_longer_moved(organiser: User, small_sets: dict) -> None:
    programme, second = small_sets["programme"], small_sets["second"]
    Programme.objects.filter(pk=programme.pk).update(status=Status.RUNNING)
    client = signed_in(organiser)
    page = client.get(reverse("learning_sets:review", args=[programme.pk])).content.decode()
    assert "The sets" in page and 'name="target"' not in page and "Set 2" in page
    url = reverse("learning_sets:move", args=[programme.pk, small_sets["free"].pk])
    response = client.post(url, {"target": second.pk})
    assert response.status_code == 400 and "Only draft sets can be changed" in response.content.decode()
    assert not Membership.objects.filter(application=small_sets["free"]).exists()
    with on(AFTER):
        response = signed_in(organiser).post(reverse("learning_sets:programme_group", args=[programme.pk]), follow=True)
    assert "can no longer be formed again" in response.content.decode()
    assert Membership.objects.count() == 5
