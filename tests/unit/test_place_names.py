"""Every place a parent might name, read from the real directory: typos, the town, ordinary
words that are also place names, and names that could be more than one place."""

import re
from pathlib import Path

import pytest
import yaml

from bot.conversation import ASK_AREA, Signposting, Turn
from bot.directory import load_directory
from bot.places import POSTCODE, Places, normalise
from bot.replies import Reply


class Offline:
    def area_for(self, postcode, directory):
        return None


@pytest.fixture(scope="module")
def directory():
    return load_directory()


@pytest.fixture(scope="module")
def places(directory):
    return Places(directory, postcodes={})


@pytest.fixture(scope="module")
def signposting(directory):
    return Signposting(directory, postcodes={}, lookup=Offline())


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("manningham", "bradford"),
        ("we live in idle and thackley", "bradford"),
        ("Holme Wood", "bradford"),
        ("i live in keighly", "bradford"),  # typo
        ("maningham", "bradford"),  # typo
        ("saltaire, bradford", "bradford"),
        ("in Bispham near the front", "blackpool"),
        ("south shore blackpool", "blackpool"),
        ("anchorsholm", "blackpool"),  # typo
        ("brixton hill", "lambeth"),
        ("streatam", "lambeth"),  # typo
        ("west norwood", "lambeth"),
        ("we're on the angell town estate", "lambeth"),
        ("bulwell", "nottingham"),
        ("st anns", "nottingham"),
        ("St. Ann's", "nottingham"),
        ("saint anns", "nottingham"),
        ("radfrod", "nottingham"),  # typo: two letters swapped
        ("hyson green", "nottingham"),
        ("Clifton, Nottingham", "nottingham"),  # the town settles a name that is in two areas
        ("clifton blackpool", "blackpool"),
        ("leigh-on-sea", "southend"),
        ("leigh on sea", "southend"),
        ("leighonsea", "southend"),
        ("shoebury ness", "southend"),
        ("thorpe bay", "southend"),
        ("Victoria, Southend", "southend"),
        ("we live in thorpe bay and need nappies", "southend"),
    ],
)
def test_places_in_any_case_with_typos_or_the_town(places, text, area):
    answer = places.resolve(text)
    assert answer.area == area, (text, answer)


@pytest.mark.parametrize(
    ("text", "choices"),
    [
        ("clifton", ("blackpool", "nottingham")),  # a ward in both
        ("i'm in Clifton", ("blackpool", "nottingham")),
        ("eastwood", ("southend",)),  # Eastwood, Southend, and Eastwood, Nottinghamshire
        ("st annes", ("nottingham",)),  # Lytham St Annes is outside; St Ann's is Nottingham
        ("we live in Waterloo", ("blackpool", "lambeth")),
        ("live in Heaton", ("bradford",)),  # and Heaton in Newcastle, Bolton...
        ("brixton but my mum is in bulwell", ("lambeth", "nottingham")),
    ],
)
def test_a_name_that_could_be_more_than_one_place_is_asked_about(places, text, choices):
    answer = places.resolve(text)
    assert answer.area is None and answer.needs_choice and answer.choices == choices, (text, answer)


@pytest.mark.parametrize(
    "text",
    [
        "Leeds",
        "I'm in Fleetwood",
        "Lytham St Annes",
        "I need help in Thornton Heath",
        "Eastwood, Notts",
        "we're in Rayleigh",
    ],
)
def test_places_outside_the_five_areas_are_known(places, text):
    answer = places.resolve(text)
    assert answer.area is None and answer.outside and not answer.needs_choice, (text, answer)


ORDINARY = [
    "I went to the park with the baby",
    "at the park he pushed another child",
    "I feel so idle and useless",
    "my daughter Victoria won't sleep",
    "Stanley is 3 and still not talking",
    "we went bowling at the weekend",
    "my friend Leigh said to ask you",
    "he's at the bridge over the canal",
    "the city is too loud for me",
    "I'd love a castle to live in",
    "she watches Milton the cat",
    "we walked to the forest and back",
    "low mood after miscarriage and now pregnant again",
    "walking in the meadows calms me down",
    "we went to Dunkirk on holiday once",
    "his dad supports Bolton Wanderers",
    "Thornton is my maiden name",
    "at the oval for the cricket",
    "the arboretum is nice in spring",
    "tong for the bbq",
    "my partner Martin never helps",
    "in the dales last summer it was lovely",
    "she wants a bridge and a castle for her toys",
    "I'm in bits",
    "in bed all day",
    "mood is low",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_words_that_are_also_place_names_do_not_hijack_a_message(places, text):
    answer = places.resolve(text)
    assert answer.area is None and not answer.choices and not answer.outside, (text, answer)


def test_only_names_that_cannot_be_mistaken_go_to_the_nlu_lookup(places):
    names = places.place_names()
    assert names["Manningham"] == "bradford" and names["Brixton"] == "lambeth"
    for risky in ("Clifton", "Park", "Idle", "Victoria", "Eastwood", "Leigh", "City"):
        assert risky not in names


def test_each_area_lists_its_wards_and_neighbourhoods(directory):
    assert all(len(area.places) >= 35 for area in directory.areas.values())


# The conversation: a place already given is never asked for again.


def test_a_place_in_a_long_first_message_with_the_need_goes_straight_to_services(signposting):
    text = (
        "hi sorry this is long. my daughter had the baby 3 weeks ago and she's struggling, "
        "her partner left and there's nothing in the cupboards. they live in manningham. "
        "is there a food bank near her"
    )
    step = signposting.next(Turn(intent="need_food", text=text, need="food"))
    assert ASK_AREA not in step.say and step.slots["area"] == "bradford"


def test_a_place_said_before_the_need_is_not_asked_for_again(signposting):
    turn = Turn(
        intent="need_baby_essentials",
        text="we need nappies",
        need="baby_essentials",
        earlier_texts=("hiya, we're in bulwel",),
    )
    step = signposting.next(turn)
    assert ASK_AREA not in step.say and step.slots["area"] == "nottingham"


def test_a_name_in_two_areas_is_asked_about_with_a_button_for_each(signposting):
    step = signposting.next(
        Turn(intent="need_food", text="need food, we're in clifton", need="food")
    )
    question = step.say[-1]
    assert isinstance(question, Reply) and "Clifton" in question.text
    assert ("Blackpool", '/inform_area{"area": "blackpool"}') in question.buttons
    assert ("Nottingham", '/inform_area{"area": "nottingham"}') in question.buttons
    assert any(payload == "/inform_area" for _, payload in question.buttons)  # somewhere else
    assert "area" not in step.slots and step.slots["asked"] == "area"


def test_answering_the_which_place_question_shows_services(signposting):
    step = signposting.next(
        Turn(
            intent="inform_area",
            text="/inform_area",
            need="food",
            area="nottingham",
            asked="area",
            earlier_texts=(),
        )
    )
    assert ASK_AREA not in step.say and "Nottingham" in "\n".join(
        m.text for m in step.say if isinstance(m, Reply)
    )


def test_an_earlier_place_is_not_used_after_the_area_was_skipped(signposting):
    step = signposting.next(
        Turn(
            intent="need_food",
            text="food please",
            need="food",
            area_skipped=True,
            earlier_texts=("I'm in Brixton",),
        )
    )
    assert "area" not in step.slots


def test_places_in_two_different_areas_ask_which_of_them(signposting):
    step = signposting.next(
        Turn(intent="need_food", text="I'm in Brixton but my mum is in Bulwell", need="food")
    )
    question = step.say[-1]
    assert isinstance(question, Reply) and "Part of that postcode" not in question.text
    assert [title for title, _ in question.buttons][:2] == ["Lambeth", "Nottingham"]


def ordinary_training_lines(directory):
    """Every training example that names no area, district or postcode: parents' ordinary words."""
    # Lines that name a place as the directory writes it are not ordinary (ordinary words aside).
    ordinary = {normalise(word) for word in directory.place_names.ordinary_words}
    named = {
        normalise(n)
        for area in directory.areas.values()
        for n in (area.id, area.name, *area.places)
    }
    named = {
        n
        for n in named | {normalise(n) for n in directory.place_names.elsewhere}
        if n not in ordinary
    }
    names_a_place = re.compile(
        r"\b(?:" + "|".join(map(re.escape, sorted(named, key=len, reverse=True))) + r")\b"
    )
    lines = []
    for path in sorted(Path("data/nlu").rglob("*.yml")):
        if path.name == "lookups.yml":
            continue
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if block.get("intent") in (None, "inform_area", "change_area"):
                continue
            for line in block.get("examples", "").splitlines():
                text = line.strip()[2:]
                if "(area)" in text or "(postcode)" in text or POSTCODE.search(text):
                    continue
                if names_a_place.search(normalise(text)):
                    continue
                lines.append(re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text))
    return lines


def test_ordinary_training_messages_are_not_read_as_a_place(directory, places):
    # Places outside the five areas ("I'm in Leeds") are real places, so `outside` is fine.
    lines = ordinary_training_lines(directory)
    wrong = [text for text in lines if (answer := places.resolve(text)).area or answer.choices]
    print(f"ordinary training messages read as one of the five areas: {len(wrong)} of {len(lines)}")
    assert len(lines) > 5000 and wrong == []
