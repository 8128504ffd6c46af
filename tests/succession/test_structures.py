"""The starting structures (seed 001, appendix 1) as data: the shipped file reads, says what the source says, and
every fault in a structures file is refused with where it is."""

from pathlib import Path

import pytest

from apps.profiles.models import LeadershipLevel
from apps.succession.structures import FILE, LEVELS, StructureFileError, parse, shipped

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "001_646ad188ddcf19e3.txt"


def test_the_levels_are_the_ladder() -> None:
    assert list(LEVELS) == sorted(LeadershipLevel.values)


def test_the_shipped_file_holds_the_three_examples_of_appendix_one() -> None:
    structures = shipped()
    assert "Exploring the role of senior medical leadership in mental health providers in England" in (
        structures.source
    )
    assert "NHS Confederation Mental Health Network (2024)" in structures.source
    assert [example.name for example in structures.examples] == [
        "Example one: mental health and community trust",
        "Example two: mental health and community NHS trust",
        "Example three: mental health trust",
    ]
    one, two, three = structures.examples
    posts = {(p.title, p.level, p.count) for p in one.posts}
    assert posts == {
        ("Medical director", 5, 1),
        ("Deputy medical director", 4, 3),
        ("Clinical director", 2, 4),
        ("Medical lead", 1, 4),
    }
    deputies = next(p for p in one.posts if p.level == 4)
    assert deputies.portfolios == ("mental health", "physical health", "patient safety and governance")
    assert one.post_count == 12
    # Example two lists no chief medical officer but two deputies of one: the post is there, with a note.
    cmo = next(p for p in two.posts if p.level == 5)
    assert cmo.title == "Chief medical officer" and "Not listed" in cmo.note
    leads = next(p for p in two.posts if p.level == 1)
    assert leads.count == 1 and "without a number" in leads.note
    assert {p.count for p in two.posts if p.level == 3} == {7}
    left_out = " ".join(item.role for item in two.left_out)
    for role in ("chief pharmacist", "chief psychological professions officer", "chief clinical information officer"):
        assert role in left_out
    assert [(p.title, p.count) for p in three.posts] == [
        ("Medical director", 1),
        ("Deputy medical director", 2),
        ("Clinical director", 5),
    ]


def test_every_quote_is_the_sources_own_words() -> None:
    """Each line quoted is in the seed's appendix, once its spacing is evened out (the seed is extracted text)."""
    if not SEED.exists():
        pytest.skip("the seed is not beside this checkout")
    source = " ".join(SEED.read_text(encoding="utf-8").replace("•", " ").split())
    for example in shipped().examples:
        for line in example.quote_lines:
            assert " ".join(line.split()) in source, f"{example.name}: {line!r}"


def test_titles_of_several_posts_are_numbered_unless_each_has_a_portfolio() -> None:
    one = shipped().examples[0]
    deputies = next(p for p in one.posts if p.level == 4)
    directors = next(p for p in one.posts if p.level == 2)
    assert deputies.titles() == ["Deputy medical director"] * 3
    assert [deputies.portfolio_of(i) for i in range(3)] == list(deputies.portfolios)
    assert (
        directors.titles()[0] == "Clinical director (1 of 4)" and directors.titles()[-1] == "Clinical director (4 of 4)"
    )
    assert directors.portfolio_of(3) == "overseeing the different services the trust provides"


GOOD_POST = "      - {count: 1, title: Medical director, level: 5}\n"


def structures_file(post: str = GOOD_POST, example_extra: str = "", top_extra: str = "") -> str:
    return (
        "source: A report\n"
        f"{top_extra}"
        "examples:\n"
        "  - slug: one\n"
        "    name: Example one\n"
        "    quote: Clinical staffing\n"
        f"{example_extra}"
        "    posts:\n"
        f"{post}"
    )


def test_a_small_file_reads() -> None:
    structures = parse(structures_file())
    assert structures.get("one") is not None and structures.get("two") is None
    assert structures.examples[0].posts[0].titles() == ["Medical director"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("source: [unclosed", "not YAML"),
        ("- a list", "the file: expected a mapping"),
        ("source: A report\n", "the file: missing 'examples'"),
        (structures_file(top_extra="colour: blue\n"), "the file: unknown key 'colour'"),
        (structures_file("      - {count: 0, title: MD, level: 5}\n"), "examples[0].posts[0].count: a whole number"),
        (structures_file("      - {count: two, title: MD, level: 5}\n"), "examples[0].posts[0].count"),
        (structures_file("      - {count: true, title: MD, level: 5}\n"), "examples[0].posts[0].count"),
        (structures_file("      - {count: 1, title: MD, level: 6}\n"), "examples[0].posts[0].level: a level on"),
        (structures_file("      - {count: 1, title: '  ', level: 5}\n"), "examples[0].posts[0].title: expected text"),
        (structures_file("      - {count: 1, level: 5}\n"), "examples[0].posts[0]: missing 'title'"),
        (structures_file("      - {count: 1, title: MD, level: 5, pay: 3}\n"), "unknown key 'pay'"),
        (structures_file("      - {count: 1, title: " + "x" * 140 + ", level: 5}\n"), "at most"),
        (
            structures_file("      - {count: 2, title: Deputy, level: 4, portfolios: [quality]}\n"),
            "examples[0].posts[0].portfolios: one for each of the 2 posts, not 1",
        ),
        (
            structures_file("      - {count: 1, title: MD, level: 5, portfolio: a, portfolios: [b]}\n"),
            "not both",
        ),
        (structures_file(post=""), "examples[0].posts: expected a list"),
        (structures_file(example_extra="    left_out:\n      - {role: chief pharmacist}\n"), "missing 'why'"),
        (structures_file().replace("slug: one", "slug: Example One"), "examples[0].slug: lower-case"),
        (structures_file() + structures_file().split("examples:\n", 1)[1], "the slug 'one' is used twice"),
    ],
)
def test_a_fault_is_refused_with_where_it_is(text: str, says: str) -> None:
    with pytest.raises(StructureFileError, match=None) as refused:
        parse(text)
    assert says in str(refused.value)


def test_the_file_is_beside_the_module() -> None:
    assert FILE.name == "structures.yaml" and FILE.exists()
