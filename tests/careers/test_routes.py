"""The routes people took and life after MD: only from people who agreed to count, never fewer than 5 people
behind a figure, no rare move shown, and the same number of queries however many histories there are."""

from datetime import date, timedelta

import pytest

from apps.accounts.models import User
from apps.careers.models import RoutesFigures
from apps.careers.routes import Spell, next_after, routes
from tests.conftest import signed_in

from .conftest import history, people_with

pytestmark = pytest.mark.django_db
CD_TO_MD = (
    ("clinical_director", date(2010, 1, 1), date(2015, 1, 1)),
    ("medical_director", date(2015, 1, 1), date(2021, 1, 1)),
)


def test_four_people_are_not_enough_to_show_a_move(owner: User) -> None:
    people_with(4, *CD_TO_MD)
    html = signed_in(owner).get("/careers/routes/").content.decode()
    assert "Too few people have shared their history yet" in html
    assert "Clinical director →" not in html
    assert "Ham, Clark, Spurgeon" in html and "36 to 64" in html and "17 of the 22" in html


def test_five_people_show_the_move_and_the_years_as_a_chart_and_a_table(owner: User) -> None:
    people_with(5, *CD_TO_MD)
    html = signed_in(owner).get("/careers/routes/").content.decode()
    assert "Clinical director → Medical director or chief medical officer: 5" in html  # the chart (aria-hidden)
    assert "<caption" in html and ">5</span>" in html  # the table beside it
    assert "5 people counted" in html
    assert "Median years" not in html  # years need 10 people: with 5, the quartiles are three people's own totals


def test_a_rare_move_is_never_shown_even_beside_common_ones(owner: User) -> None:
    people_with(6, *CD_TO_MD)
    history(
        User.objects.create(email="rare@example.org"),
        ("clinical_director", date(2010, 1, 1), date(2015, 1, 1)),
        ("system", date(2015, 1, 1), None),
    )
    html = signed_in(owner).get("/careers/routes/").content.decode()
    assert "Clinical director → Medical director or chief medical officer: 6" in html
    assert "System, regional or national role" not in html
    assert "Moves made by fewer than 5 people are not shown" in html


def test_people_who_did_not_agree_are_not_counted(owner: User) -> None:
    people_with(3, *CD_TO_MD)
    people_with(5, *CD_TO_MD, counted=False, prefix="no")
    assert "Too few people" in signed_in(owner).get("/careers/routes/").content.decode()


@pytest.mark.parametrize("url", ["/careers/routes/", "/careers/after-medical-director/"])
def test_the_pages_take_the_same_queries_with_50_or_2000_histories(
    owner: User, url: str, django_assert_num_queries: object
) -> None:
    client = signed_in(owner)
    client.get("/careers/")  # warm the session
    spells = (*CD_TO_MD, ("chief_executive", date(2021, 1, 1), None))
    for more, prefix, total in ((50, "a", "50"), (1950, "b", "2000")):
        people_with(more, *spells, prefix=prefix)
        RoutesFigures.objects.all().delete()  # as on the first view of a month
        # The month's first view: 1 session, 2 user, 3 this month's figures (none yet), 4 the last figures (none),
        # 5 the counted spells (one query, whatever their number), 6 the figures stored, 7 older months' figures
        # deleted, 8 the changes they account for deleted, 9 the figures as stored; the header's 10 roles and 11
        # unread count.
        with django_assert_num_queries(11):  # type: ignore[operator]
            assert client.get(url).status_code == 200
        # Every later view: 1 session, 2 user, 3 this month's figures; the header's 4 roles and 5 unread count.
        with django_assert_num_queries(5):  # type: ignore[operator]
            response = client.get(url)
        assert response.status_code == 200
        assert total in response.content.decode()


def test_life_after_md_shows_the_seed_figures_and_suppresses_small_counts(owner: User) -> None:
    client = signed_in(owner)
    html = client.get("/careers/after-medical-director/").content.decode()
    assert "Retirement" in html and ">25</span>" in html and "Monitor and NHS Trust Development Authority" in html
    assert "Denmark" in html and "Not yet enough" in html
    md_then = (("medical_director", date(2012, 1, 1), date(2020, 1, 1)),)
    people_with(6, *md_then, ("chief_executive", date(2020, 1, 1), None), prefix="ce")
    people_with(2, *md_then, ("clinical", date(2020, 1, 1), None), prefix="cl")
    RoutesFigures.objects.all().delete()  # they show from the next month's figures (test_monthly_figures.py)
    html = client.get("/careers/after-medical-director/").content.decode()
    assert "8 people who agreed to count" in html
    # Two who went back to clinical practice are hidden, and so is the next smallest, so neither can be worked
    # out from the total.
    assert html.count("not shown (too few)") == 2
    assert ">6</span>" not in html and ">2</span>" not in html


def test_four_former_mds_are_not_enough_for_the_portals_own_counts(owner: User) -> None:
    people_with(4, ("medical_director", date(2012, 1, 1), date(2020, 1, 1)), ("retired", date(2020, 1, 1), None))
    assert "Not yet enough" in signed_in(owner).get("/careers/after-medical-director/").content.decode()


# --- The pure module ----------------------------------------------------------------------------------------------


def spells(person: int, *steps: tuple[str, int, int | None]) -> list[Spell]:
    return [Spell(person, step, date(start, 1, 1), date(end, 1, 1) if end else None) for step, start, end in steps]


def test_a_person_who_made_a_move_twice_counts_once_and_years_are_the_middle_half() -> None:
    found = [
        *spells(1, ("a", 2000, 2002), ("b", 2002, 2004), ("a", 2004, 2006), ("b", 2006, None)),
        *[s for p in range(2, 6) for s in spells(p, ("a", 2000, 2000 + p), ("b", 2000 + p, None))],
    ]
    result = routes(found, minimum=5, order=["a", "b"])
    assert [(m.from_step, m.to_step, m.people) for m in result.moves] == [("a", "b", 5)]
    assert result.moves_left_out  # b → a, by one person
    # With 5 people the inclusive quartiles would be the 2nd, 3rd and 4th person's own totals: no years shown.
    assert result.years == ()


def test_what_people_did_after_their_last_spell_in_a_role() -> None:
    found = [*spells(1, ("md", 2000, 2005), ("ce", 2005, None)), *spells(2, ("md", 2000, None))]
    assert next_after(found, step="md") == {"ce": 1}


def finished_spells(totals_in_days: list[int]) -> list[Spell]:
    return [
        Spell(person, "a", date(2000, 1, 1), date(2000, 1, 1) + timedelta(days=days))
        for person, days in enumerate(totals_in_days)
    ]


@pytest.mark.parametrize("n", [5, 9])
def test_years_need_ten_people_who_finished_a_spell(n: int) -> None:
    assert routes(finished_spells([400 * (i + 1) for i in range(n)]), minimum=5, order=["a"]).years == ()


def test_with_ten_people_the_years_are_shown_to_the_nearest_half_year() -> None:
    # Totals of 1.1, 2.2, ... 11 years, none a whole or half year.
    found = finished_spells([round(1.1 * (i + 1) * 365.25) for i in range(10)])
    [years] = routes(found, minimum=5, order=["a"]).years
    assert years.people == 10
    # Exactly: lower 3.575, median 6.05, upper 8.525 years.
    assert (years.lower, years.median, years.upper) == (3.5, 6.0, 8.5)
    assert all((2 * v).is_integer() for v in (years.lower, years.median, years.upper))


@pytest.mark.parametrize(("n", "shown"), [(5, False), (9, False), (10, True)])
def test_the_page_shows_the_years_from_ten_people_rounded_and_says_so(owner: User, n: int, shown: bool) -> None:
    for i in range(n):
        end = date(2015, 1, 1) + timedelta(days=round(1.1 * (i + 1) * 365.25))
        history(
            User.objects.create(email=f"y{i}@example.org"),
            ("clinical_director", date(2015, 1, 1), end),
            ("medical_director", end, None),
        )
    html = signed_in(owner).get("/careers/routes/").content.decode()
    assert ("Median years" in html) is shown
    assert "rounded to the nearest half year" in html and "at least 10 people finished a spell" in html
    if shown:
        assert ">6.0</span>" in html and "3.5 to 8.5 years" in html
        assert "6.05" not in html and "3.57" not in html


def test_figures_stored_before_the_rule_are_held_to_it_as_they_are_read(owner: User) -> None:
    from django.utils import timezone

    from apps.careers.services.figures import month_start

    RoutesFigures.objects.create(
        month=month_start(timezone.now()).date(),
        computed_at=timezone.now(),
        figures={
            "people": 15,
            "moves": [],
            "moves_left_out": False,
            "years": [["clinical_director", 5, 4.0, 3.1, 4.2], ["medical_director", 10, 6.1, 3.6, 8.3]],
            "after_md_total": None,
            "after_md": [],
        },
    )
    html = signed_in(owner).get("/careers/routes/").content.decode()
    assert "Clinical director</span>" not in html.split("Years in each role")[1].split("What the research")[0]
    assert ">6.0</span>" in html and "3.5 to 8.5 years" in html
