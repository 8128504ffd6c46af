"""The pure pairing module: the hard rules, the fit and its words, the optimum, the people left out and why, the
file format, and a cross-check against an independent exact method (CP-SAT) on random cohorts."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.buddies.management.commands.buddy_bench import exact_optimum
from apps.buddies.pairing import (
    MAX_FIT,
    NO_PARTNER,
    ODD_NUMBER,
    PARTNERS_TAKEN,
    CohortError,
    Pair,
    Person,
    allowed,
    fit,
    solve,
    validate,
)


def person(
    id: str, organisation: str = "", *, level: int = 5, sector: str = "", region: str = "", months: int = 0
) -> Person:
    return Person(
        id=id,
        organisation=organisation or f"org-{id}",
        level=level,
        sector=sector,
        region=region,
        months_in_role=months,
    )


def test_the_hard_rules_are_another_person_the_same_level_another_organisation() -> None:
    ann = person("ann", "rv5")
    assert allowed(ann, person("bob", "rwk"))
    assert not allowed(ann, ann)
    assert not allowed(ann, person("bob", "rv5"))
    assert not allowed(ann, person("bob", "rwk", level=4))


def test_the_best_fit_is_same_sector_a_little_further_in_and_the_same_region() -> None:
    a = person("a", sector="Mental health", region="London", months=2)
    b = person("b", sector="Mental health", region="London", months=14)

    result = fit(a, b)

    assert result.score == MAX_FIT == 100
    assert result.reasons == (
        "Same leadership level, different organisations",
        "Same sector (Mental health)",
        "One is 12 months further into the role: close enough to remember starting",
        "Same region (London)",
    )


@pytest.mark.parametrize(
    ("gap", "points"), [(0, 0), (1, 10), (2, 10), (3, 30), (24, 30), (25, 10), (48, 10), (49, 0), (120, 0)]
)
def test_a_buddy_3_to_24_months_further_in_is_ideal(gap: int, points: int) -> None:
    assert fit(person("a", months=0), person("b", months=gap)).score == 10 + points


def test_neighbouring_regions_count_for_less_than_the_same_region_and_unknown_for_nothing() -> None:
    assert fit(person("a", region="London"), person("b", region="South East")).score == 20
    assert (
        "Neighbouring regions (London and South East)"
        in fit(person("a", region="London"), person("b", region="South East")).reasons
    )
    assert fit(person("a", region="London"), person("b", region="North West")).score == 10
    assert fit(person("a", region=""), person("b", region="")).score == 10
    assert fit(person("a", sector=""), person("b", sector="")).score == 10


def test_pairs_everyone_it_can_with_the_best_total() -> None:
    # c and d share t2 with b and t1 with a respectively: a–b (same sector) and c–d is the best of the two ways
    # of pairing all four.
    a = person("a", "t1", sector="Acute")
    b = person("b", "t2", sector="Acute")
    c = person("c", "t2")
    d = person("d", "t1")

    result = solve([a, b, c, d])

    assert result.paired == 4
    assert [(p.first, p.second) for p in result.pairs] == [("a", "b"), ("c", "d")]
    assert result.total_fit == 50 + 10
    assert result.left_out == []


def test_pairs_the_most_people_before_the_best_single_pair() -> None:
    # a–b is the best pair (fit 100), but c and d share a trust: taking a–b would leave both of them out.
    a = person("a", "t1", sector="Acute", region="London", months=0)
    b = person("b", "t2", sector="Acute", region="London", months=12)
    c = person("c", "t3")
    d = person("d", "t3")
    assert fit(a, b).score == 100

    result = solve([a, b, c, d])

    assert result.paired == 4
    assert {p.first for p in result.pairs} == {"a", "b"}
    assert {p.second for p in result.pairs} == {"c", "d"}
    assert result.total_fit == 10 + 40  # a with one of them (nothing shared), b 12 months further in than the other


def test_a_general_graph_is_needed_a_triangle_pairs_its_best_two() -> None:
    a = person("a", sector="Acute", months=1)
    b = person("b", sector="Acute", months=10)
    c = person("c", sector="Community", months=10)

    result = solve([a, b, c])

    assert result.pairs == [Pair(first="a", second="b", fit=fit(a, b))]
    assert [(item.id, item.reason) for item in result.left_out] == [("c", ODD_NUMBER)]


def test_people_left_out_are_told_why() -> None:
    alone_at_level = person("x", level=3)
    colleagues = [person("c1", "same"), person("c2", "same")]

    result = solve([alone_at_level, *colleagues])

    assert result.pairs == []
    assert {item.id: item.reason for item in result.left_out} == {"c1": NO_PARTNER, "c2": NO_PARTNER, "x": NO_PARTNER}


def test_someone_whose_partners_are_all_taken_is_told_so() -> None:
    # Four people, even at the level: b and c share a trust and can only pair with a; d pairs with a too.
    a, d = person("a", "t1"), person("d", "t1")
    b, c = person("b", "t2"), person("c", "t2")
    e = person("e", "t1")
    f = person("f", "t1")

    result = solve([a, b, c, d, e, f])

    assert result.paired == 4  # b and c each take one of t1's four
    assert {item.reason for item in result.left_out} == {PARTNERS_TAKEN}


def test_levels_are_paired_separately() -> None:
    people = [person("a", level=1), person("b", level=1), person("c", level=2), person("d", level=2)]

    assert [(p.first, p.second) for p in solve(people).pairs] == [("a", "b"), ("c", "d")]


def test_an_empty_cohort_has_no_pairs() -> None:
    result = solve([])
    assert (result.pairs, result.left_out, result.total_fit) == ([], [], 0)


def test_a_repeated_id_is_refused_with_where() -> None:
    with pytest.raises(CohortError, match=r"people\[1\]: the id 'a' is used twice \(first at people\[0\]\)"):
        solve([person("a"), person("a")])


GOOD = {"id": "a", "organisation": "RV5", "level": 5, "sector": "", "region": "London", "months_in_role": 3}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "must be a JSON object with the key 'people'"),
        ({}, "The key 'people' is missing."),
        ({"people": {}}, "'people' must be a list."),
        ({"people": [3]}, r"people\[0\] must be an object."),
        ({"people": [{**GOOD, "level": None}]}, r"people\[0\].level must be a whole number from 1 to 9, not null."),
        ({"people": [{**GOOD, "level": True}]}, r"people\[0\].level must be a whole number from 1 to 9, not true."),
        ({"people": [GOOD, {**GOOD, "id": ""}]}, r"people\[1\].id must be a non-empty string"),
        ({"people": [{**GOOD, "months_in_role": -1}]}, r"people\[0\].months_in_role must be a whole number"),
        ({"people": [{**GOOD, "sector": 5}]}, r"people\[0\].sector must be a string \(may be empty\), not 5."),
        ({"people": [{k: v for k, v in GOOD.items() if k != "region"}]}, r"people\[0\] has no 'region'."),
        ({"people": [GOOD, GOOD]}, r"people\[1\]: the id 'a' is used twice"),
        ({"people": [{**GOOD, "organisation": "x" * 200 + " "}, {**GOOD, "id": 7}]}, r"people\[1\].id must be"),
    ],
)
def test_validate_names_the_place_in_the_file(raw: object, message: str) -> None:
    with pytest.raises(CohortError, match=message):
        validate(raw)


def test_validate_reads_a_good_file() -> None:
    assert validate({"people": [GOOD]}) == [
        Person(id="a", organisation="RV5", level=5, sector="", region="London", months_in_role=3)
    ]


# --- Against the independent exact method --------------------------------------------------------------------------

people_strategy = st.lists(
    st.builds(
        lambda org, level, sector, region, months: (org, level, sector, region, months),
        st.integers(0, 4),
        st.integers(4, 5),
        st.sampled_from(["", "Acute", "Mental health"]),
        st.sampled_from(["", "London", "South East", "Wales"]),
        st.integers(0, 60),
    ),
    max_size=14,
)


@settings(max_examples=60, deadline=None)
@given(people_strategy)
def test_blossom_agrees_with_cp_sat_on_the_number_paired_and_the_total_fit(rows: list[tuple]) -> None:
    people = [
        Person(id=f"p{n}", organisation=f"t{org}", level=level, sector=sector, region=region, months_in_role=months)
        for n, (org, level, sector, region, months) in enumerate(rows)
    ]

    result = solve(people)

    assert (result.paired, result.total_fit) == exact_optimum(people, seconds=60)
    # and the pairing itself keeps the rules: everyone at most once, every pair allowed, fits summed right
    by_id = {p.id: p for p in people}
    seen = [p for pair in result.pairs for p in (pair.first, pair.second)]
    assert len(seen) == len(set(seen))
    assert all(allowed(by_id[pair.first], by_id[pair.second]) for pair in result.pairs)
    assert result.total_fit == sum(fit(by_id[p.first], by_id[p.second]).score for p in result.pairs)
    assert len(result.left_out) + len(seen) == len(people)
