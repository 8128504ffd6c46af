"""The organisation lead's pipeline: per post who stands forward and how ready they say they are, the gaps, what
the people who chose a summary are doing, the pipeline by level and horizon; only the lead's own organisation,
only what each person chose, the lead's view only once seen; in the same queries however big it grows."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.audit.models import AccessEvent
from apps.organisations.models import Organisation
from apps.profiles.models import LeadershipLevel
from apps.succession.models import Candidacy, Readiness, ShowChoice, TalentConversation
from apps.succession.pipeline import NOT_YET_SEEN, pipeline_for_lead
from apps.succession.services.candidacies import candidacy_withdraw
from apps.succession.summary import Flags
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, ProfileFactory, UserFactory, grant
from tests.shadowing.support import accepted, make_offer, person_in_role
from tests.support.colleagues import working_with
from tests.support.succession import make_candidacy, make_lead, make_post

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 7)


def person(name: str, organisation: Organisation | None = None) -> User:
    first, last = name.split()
    fields = {"organisation": organisation} if organisation else {}
    return ProfileFactory(user__first_name=first, user__last_name=last, **fields).user


@pytest.fixture
def trust() -> Organisation:
    return OrganisationFactory(name="Riverside NHS Foundation Trust")


@pytest.fixture
def lead(trust: Organisation) -> User:
    return make_lead(trust)


def page(user: User, status: int = 200) -> str:
    response = signed_in(user).get(reverse("succession:pipeline"))
    assert response.status_code == status
    return response.content.decode()


def test_each_post_lists_those_standing_for_it_and_for_its_level(trust: Organisation, lead: User) -> None:
    md = make_post(trust, title="Medical director", level=LeadershipLevel.MEDICAL_DIRECTOR)
    dmd = make_post(trust, title="Deputy medical director, quality")
    make_post(trust, title="Deputy medical director, people")
    make_candidacy(person("Asha Patel"), trust, md, readiness=Readiness.READY_NOW)
    make_candidacy(person("Ben Okafor"), trust, None, level=LeadershipLevel.DEPUTY_MD, emergency_cover=True)
    make_candidacy(person("Cara Jones"), trust, dmd, readiness=Readiness.THREE_TO_FIVE_YEARS)

    found = pipeline_for_lead(lead=lead, today=TODAY)

    assert found is not None
    assert [(block.label, [line.title for line in block.posts]) for block in found.levels] == [
        ("Medical director", ["Medical director"]),
        ("Deputy medical director", ["Deputy medical director, people", "Deputy medical director, quality"]),
    ]
    people = {line.title: [s.name for s in line.people] for block in found.levels for line in block.posts}
    assert people == {
        "Medical director": ["Asha Patel"],
        "Deputy medical director, people": [],
        "Deputy medical director, quality": ["Cara Jones"],
    }
    # Ben stands forward for the level, so for every post at it: listed once, beside the level's posts
    assert [[s.name for s in block.for_level] for block in found.levels] == [[], ["Ben Okafor"]]
    assert [line.for_level for block in found.levels for line in block.posts] == [0, 1, 1]
    assert [(row.label, row.counts, row.people) for row in found.by_horizon] == [
        ("Medical director", (1, 0, 0), 1),
        ("Deputy medical director", (0, 1, 1), 2),
    ]
    html = page(lead)
    assert "Asha Patel" in html and "Could act up at short notice" in html


def test_the_gaps_are_flagged(trust: Organisation, lead: User) -> None:
    soon = make_post(trust, title="Clinical director, surgery", level=2, expected_vacancy=TODAY + timedelta(days=90))
    covered = make_post(trust, title="Clinical director, medicine", level=2)
    later = make_post(trust, title="Clinical director, women", level=2, expected_vacancy=TODAY + timedelta(days=400))
    make_candidacy(person("Dee Smith"), trust, covered, emergency_cover=True)
    make_candidacy(person("Eli Brown"), trust, later, readiness=Readiness.READY_NOW)

    found = pipeline_for_lead(lead=lead, today=TODAY)

    assert found is not None
    lines = {line.title: line for line in found.levels[0].posts}
    assert (lines[soon.title].no_cover, lines[soon.title].vacant_soon_unready) == (True, True)
    assert (lines[covered.title].no_cover, lines[covered.title].vacant_soon_unready) == (False, False)
    assert (lines[later.title].no_cover, lines[later.title].vacant_soon_unready) == (False, False)
    assert (found.no_cover, found.vacant_soon_unready) == (1, 1)
    html = page(lead)
    assert "1 post with no one ready now and no one offering emergency cover" in html
    assert "1 post falling vacant within six months with no one ready now" in html


def test_level_candidates_show_when_no_post_at_their_level_is_listed(trust: Organisation, lead: User) -> None:
    make_candidacy(person("Fay Green"), trust, None, level=LeadershipLevel.ASSOCIATE_MD)
    found = pipeline_for_lead(lead=lead, today=TODAY)
    assert found is not None
    assert [(b.label, b.posts, [s.name for s in b.for_level]) for b in found.levels] == [
        ("Associate medical director", (), ["Fay Green"])
    ]
    assert "No post at this level is listed yet." in page(lead)


def test_a_lead_view_not_yet_seen_is_not_shown_as_a_label(trust: Organisation, lead: User) -> None:
    now = timezone.now()
    post = make_post(trust)
    make_candidacy(person("Gus Hill"), trust, post, lead_readiness=Readiness.READY_NOW, lead_at=now, lead_by=lead)
    seen = make_candidacy(
        person("Hana Ito"),
        trust,
        post,
        lead_readiness=Readiness.THREE_TO_FIVE_YEARS,
        lead_at=now - timedelta(days=2),
        lead_seen_at=now - timedelta(days=1),
    )
    found = pipeline_for_lead(lead=lead, today=TODAY)
    assert found is not None
    views = {s.name: s.lead_view for s in found.levels[0].posts[0].people}
    assert views == {"Gus Hill": NOT_YET_SEEN, "Hana Ito": "Ready in 3 to 5 years"}
    html = page(lead)
    assert NOT_YET_SEEN in html
    assert html.count("Ready now") == 1  # the horizon table's heading only: Gus's unseen label is nowhere
    # A view changed after it was seen is unseen again.
    Candidacy.objects.filter(pk=seen.pk).update(lead_at=now)
    found = pipeline_for_lead(lead=lead, today=TODAY)
    assert found is not None
    assert {s.lead_view for s in found.levels[0].posts[0].people} == {NOT_YET_SEEN}


def test_what_they_are_doing_and_agreed_steps_only_for_those_who_chose_a_summary(
    trust: Organisation, lead: User
) -> None:
    post = make_post(trust)
    sharer, private = person("Ivy Lane"), person("Jon Kerr")
    make_candidacy(sharer, trust, post, show=ShowChoice.SUMMARY)
    make_candidacy(private, trust, post, show=ShowChoice.NAME_ONLY)
    now = timezone.now()
    for who in (sharer, private):
        for held_on, steps in ((date(2026, 6, 1), "One\nTwo\nThree"), (date(2026, 11, 1), "Shadow the MD\n\nBoard")):
            TalentConversation.objects.create(
                person=who,
                lead=lead,
                organisation=trust,
                held_on=held_on,
                next_steps=steps,
                created_at=now,
                updated_at=now,
            )
    # A conversation with another lead is theirs, not this lead's.
    other_lead = make_lead(trust, UserFactory())
    TalentConversation.objects.create(
        person=sharer,
        lead=other_lead,
        organisation=trust,
        held_on=date(2026, 12, 1),
        next_steps="A\nB\nC\nD",
        created_at=now,
        updated_at=now,
    )
    for who in (sharer, private):
        working_with(who, ProfileFactory().user)  # a mentor
        accepted(make_offer(person_in_role(f"md.{who.pk}@example.org")), who)  # a shadowing day

    found = pipeline_for_lead(lead=lead, today=TODAY)

    assert found is not None
    people = {s.name: s for s in found.levels[0].posts[0].people}
    assert people["Ivy Lane"].agreed_steps == 2  # the latest conversation: two lines, the blank one not counted
    assert people["Ivy Lane"].doing == Flags(mentored=True, shadowing=1)
    assert (people["Jon Kerr"].agreed_steps, people["Jon Kerr"].doing) == (None, None)
    html = page(lead)
    assert "Agreed next steps in your latest talent conversation: 2." in html
    assert "They show their name and readiness only." in html
    assert html.count("Has a mentor or coach.") == 1 and html.count("Shadowing: 1.") == 1


def test_a_person_who_withdraws_vanishes_at_once(trust: Organisation, lead: User) -> None:
    post = make_post(trust)
    leaving = person("Kit Marsh")
    candidacy = make_candidacy(leaving, trust, post)
    assert "Kit Marsh" in page(lead)
    candidacy_withdraw(candidacy=candidacy, person=leaving, now=timezone.now())
    assert "Kit Marsh" not in page(lead)
    response = signed_in(lead).get(reverse("succession:candidate", args=[candidacy.pk]))
    assert response.status_code == 404


def test_a_lead_sees_only_their_own_organisation(trust: Organisation, lead: User) -> None:
    other = OrganisationFactory(name="Hillside NHS Trust")
    other_lead = make_lead(other)
    make_candidacy(person("Lia Nash"), other, make_post(other, title="Medical director", level=5))
    make_candidacy(person("Max Orr"), trust, make_post(trust))
    html = page(lead)
    assert "Max Orr" in html and "Lia Nash" not in html and "Hillside" not in html
    assert "Lia Nash" in page(other_lead) and "Max Orr" not in page(other_lead)


@pytest.mark.parametrize("role", [None, Role.ORGANISER, Role.ADMINISTRATOR, Role.MENTOR])
def test_anyone_but_an_organisation_lead_is_refused(trust: Organisation, role: str | None) -> None:
    make_candidacy(person("Ned Park"), trust, make_post(trust))
    user = ProfileFactory(organisation=trust).user
    if role:
        grant(user, role)
    assert "Ned Park" not in page(user, status=403)


def test_each_opening_of_the_grid_is_on_the_record_of_those_whose_summary_it_shows(
    trust: Organisation, lead: User
) -> None:
    shows = person("Sam Shows")
    make_candidacy(shows, trust, make_post(trust), show=ShowChoice.SUMMARY)
    make_candidacy(
        person("Nat Nameonly"), trust, make_post(trust, title="Clinical director", level=2), show=ShowChoice.NAME_ONLY
    )
    page(lead)
    page(lead)
    events = AccessEvent.objects.all()
    assert [(e.viewer, e.owner, e.record_kind) for e in events] == [(lead, shows, "succession summary")] * 2


def test_signed_out_people_are_sent_to_sign_in() -> None:
    response = Client().get(reverse("succession:pipeline"))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_pipeline_page_makes_the_same_queries_as_it_grows(
    trust: Organisation, lead: User, django_assert_num_queries: object
) -> None:
    def grow(n: int, start: int) -> None:
        for i in range(start, start + n):
            post = make_post(trust, title=f"Clinical director {i}", level=2)
            make_candidacy(person(f"Person P{i}"), trust, post, show=ShowChoice.SUMMARY, emergency_cover=i % 2 == 0)
            make_candidacy(person(f"Level L{i}"), trust, None, level=2 + i % 3, show=ShowChoice.NAME_ONLY)

    grow(2, 0)
    client = signed_in(lead)
    client.get(reverse("succession:pipeline"))  # warm the session (and store the diversity tables)

    def count(queries: int) -> str:
        # 1 session, 2 user, 3 roles (role_required), 4 the grant naming the organisation led, 5 the organisation,
        # 6 its posts with their holders, 7 its candidacies with their people, the summary-choosers' 8 learning
        # sets, 9 mentors and 10 shadowing (summary.development_flags), 11 their latest conversations' next steps,
        # 12 the diversity answers (aggregated at once), 13 the stored diversity tables, 14 the summary-choosers'
        # access records (one insert), 15 the header's unread reminders. When the tables are worked out again (5
        # people's entries changed), 5 more after 13: a savepoint, the organisation locked, the stored tables read
        # again under the lock, the new ones written, the savepoint released (services/diversity_snapshots.py).
        with django_assert_num_queries(queries):  # type: ignore[operator]
            response = client.get(reverse("succession:pipeline"))
        assert response.status_code == 200
        return response.content.decode()

    assert count(15).count("Person P") == 2
    grow(12, 2)
    assert count(20).count("Person P") == 14  # 24 people more: the diversity tables are worked out again
    assert count(15).count("Person P") == 14
