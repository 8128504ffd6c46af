"""The regional view: organisers and administrators choose a region or an integrated care board and see counts
across its organisations, never a person, never one organisation's people, every count derived from people
suppressed under 5 so that it survives subtraction; in the same queries however large the area."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from apps.accounts.models import Role, User
from apps.organisations.models import Organisation, OrganisationKind, Region
from apps.profiles.models import LeadershipLevel
from apps.succession.models import Candidacy, Readiness
from apps.succession.pipeline import Area, regional_figures
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, ProfileFactory, grant
from tests.support.succession import make_candidacy, make_lead, make_post

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 7)
MD, DMD = LeadershipLevel.MEDICAL_DIRECTOR, LeadershipLevel.DEPUTY_MD


def london() -> Region:
    """The trusts' region (the people's own organisations, made by ProfileFactory, are in another)."""
    return Region.objects.get(ods_code="Y60")


def trust_with_posts(name: str, *, icb_code: str = "", ready: list[str | None]) -> Organisation:
    """A trust with a medical director post and three deputies; `ready` gives, post by post, the readiness of
    the one person standing forward for it (None: no one)."""
    trust = OrganisationFactory(name=name, icb_code=icb_code, region=london())
    posts = [make_post(trust, title="Medical director", level=MD)] + [
        make_post(trust, title=f"Deputy medical director {i}", level=DMD) for i in range(3)
    ]
    for post, readiness in zip(posts, ready, strict=True):
        if readiness:
            make_candidacy(
                ProfileFactory(user__first_name="Zed", user__last_name=f"Person{post.pk}").user,
                trust,
                post,
                readiness=readiness,
            )
    return trust


R, S, L = Readiness.READY_NOW, Readiness.ONE_TO_TWO_YEARS, Readiness.THREE_TO_FIVE_YEARS


def page(user: User, params: dict[str, object], status: int = 200) -> str:
    response = signed_in(user).get(reverse("succession:regional"), params)
    assert response.status_code == status
    return response.content.decode()


def test_counts_across_a_region_with_small_counts_hidden(organiser: User) -> None:
    trust_with_posts("A Trust", ready=[R, R, S, S])
    trust_with_posts("B Trust", ready=[R, R, S, None])
    trust_with_posts("C Trust", ready=[R, S, S, L])
    figures = regional_figures(area=Area.of_region(london()), today=TODAY)
    assert (figures.organisations, figures.organisations_with_posts, figures.md_posts) == (3, 3, 12)
    # ready now 5, 1 to 2 years 5, later 1, no one 1: the two small ones hidden, neither can be worked out
    assert figures.md_partition is not None
    assert [row.count for row in figures.md_partition] == [5, 5, None, None]
    # people: medical directors 3 ready now (hidden whole: under 5); deputies 2 ready now, 5 soon, 1 later
    assert [(s.label, s.people, s.counts) for s in figures.sizes] == [
        ("Medical director", None, None),
        ("Deputy medical director", 10, (None, 5, None)),  # 8 people, rounded to the nearest 5
    ]
    html = page(organiser, {"region": london().pk})
    assert "Zed" not in html and "A Trust" not in html
    assert "Medical director and deputy posts" in html


def test_fewer_than_three_organisations_show_no_people_derived_figure(organiser: User) -> None:
    trust_with_posts("A Trust", ready=[R, R, R, R])
    trust_with_posts("B Trust", ready=[R, S, S, S])
    figures = regional_figures(area=Area.of_region(london()), today=TODAY)
    assert figures.md_posts == 8  # posts are not people: shown
    assert (figures.md_partition, figures.sizes, figures.vacant_unready) == (None, (), None)
    html = page(organiser, {"region": london().pk})
    assert "Not shown: fewer than 3 organisations here list medical director or deputy posts." in html


def test_an_icb_counts_the_trusts_that_name_it(administrator: User) -> None:
    icb = OrganisationFactory(
        name="NHS North Central London ICB", kind=OrganisationKind.ICB, ods_code="QMJ", region=london()
    )
    for name in ("A Trust", "B Trust", "C Trust"):
        trust_with_posts(name, icb_code="QMJ", ready=[R, S, None, None])
    trust_with_posts("Elsewhere Trust", icb_code="QKK", ready=[R, R, R, R])
    figures = regional_figures(area=Area.of_icb(icb), today=TODAY)
    assert (figures.organisations, figures.md_posts) == (4, 12)  # the ICB itself and its three trusts
    # ready now 3, 1 to 2 years 3, later 0, no one 6: the small ones hidden, and the zero with them; 6 rounds to 5
    assert figures.md_partition is not None
    assert [row.count for row in figures.md_partition] == [None, None, None, 5]
    html = page(administrator, {"icb": icb.pk})
    assert "NHS North Central London ICB" in html


def test_vacancies_within_twelve_months_with_no_one_ready(organiser: User) -> None:
    for name in ("A Trust", "B Trust", "C Trust"):
        trust = trust_with_posts(name, ready=[R, None, None, None])
        for i in range(2):
            make_post(trust, title=f"Clinical director {i}", level=2, expected_vacancy=TODAY + timedelta(days=200))
        make_post(trust, title="Later", level=2, expected_vacancy=TODAY + timedelta(days=500))
    figures = regional_figures(area=Area.of_region(london()), today=TODAY)
    assert figures.vacant_unready == 5  # 6, rounded to the nearest 5


def test_a_person_who_withdraws_is_gone_from_the_figures_at_once(organiser: User) -> None:
    for name in ("A Trust", "B Trust", "C Trust"):
        trust_with_posts(name, ready=[S, S, S, None])
    before = regional_figures(area=Area.of_region(london()), today=TODAY)
    assert [(s.label, s.people) for s in before.sizes] == [("Medical director", None), ("Deputy medical director", 5)]
    for candidacy in Candidacy.objects.filter(level=DMD)[:2]:
        candidacy.delete()
    after = regional_figures(area=Area.of_region(london()), today=TODAY)
    assert [(s.label, s.people) for s in after.sizes] == [("Medical director", None), ("Deputy medical director", None)]


def test_a_region_less_one_of_its_icbs_says_nothing_certain_about_the_trust_left_over(organiser: User) -> None:
    """The review's case: an ICB's three trusts, and one trust of the same region outside it with one deputy post
    and one person ready now for it. Exact figures for the region less the ICB's would show that trust's person;
    rounded, the region's figures are the same whether that person stands forward or not."""
    icb = OrganisationFactory(name="NHS Test ICB", kind=OrganisationKind.ICB, ods_code="QXX", region=london())
    for name in ("A Trust", "B Trust", "C Trust"):
        trust_with_posts(name, icb_code="QXX", ready=[R, R, None, None])
    lone = OrganisationFactory(name="Lone Trust", icb_code="QYY", region=london())
    person = ProfileFactory().user
    make_candidacy(person, lone, make_post(lone, title="Deputy medical director", level=DMD), readiness=R)

    def shown(area: Area) -> tuple[object, ...]:
        figures = regional_figures(area=area, today=TODAY)
        partition = [row.count for row in figures.md_partition or []]
        return partition, [(s.people, s.counts) for s in figures.sizes], figures.vacant_unready

    with_them = shown(Area.of_region(london()))
    assert with_them == shown(Area.of_icb(icb))  # region and ICB alike: no difference to subtract
    Candidacy.objects.filter(person=person).delete()
    assert shown(Area.of_region(london())) == with_them


def test_a_person_standing_at_two_organisations_counts_once_per_level(organiser: User) -> None:
    trusts = [trust_with_posts(name, ready=[None] * 4) for name in ("A", "B", "C")]
    people = [ProfileFactory().user for _ in range(5)]
    for who in people:
        make_candidacy(who, trusts[0], None, level=DMD, readiness=L)
        make_candidacy(who, trusts[1], None, level=DMD, readiness=S)  # the more ready counts
        make_candidacy(who, trusts[2], None, level=DMD, readiness=S)
    figures = regional_figures(area=Area.of_region(london()), today=TODAY)
    assert [(s.label, s.people, s.counts) for s in figures.sizes] == [("Deputy medical director", 5, None)]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"region": "999999"}, "Choose a region from the list."),
        ({"icb": "abc"}, "Choose an integrated care board from the list."),
        ({"region": "", "icb": ""}, "Choose a region or an integrated care board."),
    ],
)
def test_bad_input_is_a_clear_message(organiser: User, params: dict[str, str], message: str) -> None:
    html = page(organiser, params)
    assert "nhsuk-error-summary" in html and message in html


def test_both_a_region_and_an_icb_is_refused(organiser: User) -> None:
    icb = OrganisationFactory(kind=OrganisationKind.ICB)
    html = page(organiser, {"region": london().pk, "icb": icb.pk})
    assert "Choose a region or an integrated care board, not both." in html


def test_the_page_without_a_choice_shows_the_form_only(organiser: User) -> None:
    html = page(organiser, {})
    assert "Show the figures" in html and "nhsuk-error-summary" not in html


@pytest.mark.parametrize("role", [None, Role.ORGANISATION_LEAD, Role.MENTOR])
def test_members_and_leads_are_refused(role: str | None) -> None:
    user = ProfileFactory().user
    if role == Role.ORGANISATION_LEAD:
        make_lead(user.profile.organisation, user)
    elif role:
        grant(user, role)
    page(user, {"region": london().pk}, status=403)


def test_the_regional_page_makes_the_same_queries_as_it_grows(
    organiser: User, django_assert_num_queries: object
) -> None:
    trust_with_posts("A Trust", ready=[R, S, L, None])
    client, region = signed_in(organiser), london().pk
    client.get(reverse("succession:regional"))  # warm the session

    def count() -> str:
        # 1 session, 2 user, 3 roles (role_required), 4 the region chosen (the form's check), 5 the regions and
        # 6 the integrated care boards of the form, 7 the area's organisations counted, 8 its posts and 9 its
        # candidacies, both counted in Python (posts by who stands forward for them, people by level and horizon,
        # the organisations they stand at), 10 the header's unread reminders
        with django_assert_num_queries(10):  # type: ignore[operator]
            response = client.get(reverse("succession:regional"), {"region": region})
        assert response.status_code == 200
        return response.content.decode()

    count()
    for name in ("B", "C", "D", "E", "F"):
        trust_with_posts(name, ready=[R, S, S, R])
    assert "Someone ready now" in count()
