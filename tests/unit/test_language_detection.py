"""Finding the parent's language from their first messages, when no button was pressed."""

from __future__ import annotations

import pytest

from bot.language_detection import detector, language_to_set, romanised

CODES = ("en", "pl", "ur", "ro", "pt", "es", "ar")


@pytest.fixture(scope="module")
def detect():
    return detector(CODES).detect


@pytest.mark.parametrize(
    "text, code",
    [
        ("Potrzebuję pieluch i mleka dla dziecka", "pl"),
        ("Am nevoie de ajutor cu mâncare pentru copil", "ro"),
        ("Preciso de ajuda com comida para o meu bebé", "pt"),
        ("Necesito ayuda con comida para mi bebé", "es"),
        ("مجھے اپنے بچے کے لیے مدد چاہیے", "ur"),
        ("أحتاج مساعدة في الطعام لطفلي", "ar"),
        ("I need help with food for my baby", "en"),
    ],
)
def test_each_language_is_found(detect, text, code):
    assert detect(text) == code


@pytest.mark.parametrize(
    "text", ["mujhe madad chahiye", "bachay ke liye khana", "Kiraya dene ke paise nahi hain"]
)
def test_urdu_in_latin_letters_is_urdu(detect, text):
    assert detect(text) == "ur"


@pytest.mark.parametrize(
    "text",
    [
        "I need help with khana for my baby",
        "is there a food bank near me, dziękuję",
        "we need nappies por favor",
        "the main road is closed, can you help",
    ],
)
def test_mostly_english_with_a_few_other_words_stays_english(detect, text):
    assert detect(text) in (None, "en")


@pytest.mark.parametrize("text", ["ok", "hello", "hi", "no"])
def test_a_very_short_message_says_nothing(detect, text):
    assert detect(text) is None


def test_roman_urdu_words_only_count_for_urdu_when_urdu_is_offered():
    assert romanised("mujhe madad chahiye", ("en", "ur")) == "ur"
    assert romanised("mujhe madad chahiye", ("en", "pl")) is None


def test_only_the_first_messages_with_no_language_yet_set_it():
    polish = "Potrzebuję pieluch i mleka dla dziecka"
    assert language_to_set(polish, None, 0, CODES) == "pl"
    assert language_to_set(polish, "en", 0, CODES) is None  # chosen already (button or picker)
    assert language_to_set(polish, None, 3, CODES) is None  # later messages never switch it
    assert language_to_set('/choose_language{"language":"ur"}', None, 0, CODES) is None
    assert language_to_set("I need food for my baby", None, 0, CODES) is None  # English: unset
    assert language_to_set(polish, None, 0, ("en",)) is None  # no other language offered
