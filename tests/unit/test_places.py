"""Which area a parent means, from a name, a place, a postcode or a district."""

import pytest

from bot.places import Places


@pytest.fixture(scope="module")
def places(mini):
    return Places(mini, postcodes={})


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("Bradford", "bradford"),
        ("i live in keighley", "bradford"),
        ("near West Norwood please", "lambeth"),
        ("BD7 1HY", "bradford"),
        ("bd71hy", "bradford"),
        ("my postcode is sw2 1rw", "lambeth"),
        ("LS29", "bradford"),
        ("food bank in brixton", "lambeth"),
    ],
)
def test_resolves_names_places_and_postcodes(places, text, area):
    assert places.resolve(text).area == area


def test_shared_district_asks_which_area(places):
    answer = places.resolve("SE1 7PB")
    assert answer.area is None and answer.needs_choice
    assert answer.choices == ("lambeth",)
    assert answer.postcode == "SE1 7PB"


def test_outside_postcode_is_recognised(places):
    answer = places.resolve("LS1 4AB")
    assert answer.area is None and answer.outside and not answer.needs_choice


def test_unknown_text_gives_nothing(places):
    answer = places.resolve("somewhere up north")
    assert answer.area is None and not answer.outside and not answer.needs_choice


def test_words_inside_other_words_do_not_match(places):
    assert places.resolve("I'm bradfordian at heart").area is None


def test_a_full_postcode_is_resolved_exactly_when_the_table_is_built(mini):
    exact = Places(mini, {"SE1 7PB": "lambeth", "SE1 9GP": "-", "BD7 1HY": "bradford"})
    assert (
        exact.resolve("SE1 7PB").area == "lambeth"
    )  # a shared district, but this postcode is in Lambeth
    outside = exact.resolve("se1 9gp")
    assert outside.area is None and outside.outside and not outside.needs_choice
    assert exact.resolve("SE1 1AA").needs_choice  # not in the table: ask gently


def test_the_built_table_knows_the_checked_postcodes():
    from bot.postcode_table import DEFAULT_TABLE, load

    table = load(DEFAULT_TABLE)
    if not table:
        pytest.skip("build/postcodes.tsv not built (make setup builds it)")
    expected = {
        "BD7 1HY": "bradford",
        "SW2 1RW": "lambeth",
        "SS2 6ER": "southend",
        "FY1 4BJ": "blackpool",
        "NG1 2DT": "nottingham",
    }
    assert {p: table[p] for p in expected} == expected
