"""Places as parents write them in other languages: case endings and Arabic or Urdu letters
(bot/words/place_names_languages.yml), read against the real directory's places."""

import pytest

from bot.directory import load_directory
from bot.places import Places


@pytest.fixture(scope="module")
def places():
    return Places(load_directory(), postcodes={})


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("mieszkam w Bradfordzie", "bradford"),
        ("jestem z Lambethu", "lambeth"),
        ("mieszkamy w Lambecie", "lambeth"),
        ("w Nottinghamie", "nottingham"),
        ("Southendzie", "southend"),
        ("niedaleko Keighley", "bradford"),
        ("mieszkam na Brixtonie", "lambeth"),
        ("locuiesc în Nottinghamul", "nottingham"),
        ("suntem din Bradfordul de nord", "bradford"),
        ("stau în Southend-ul", "southend"),
        ("moro em Brixton", "lambeth"),
        ("vivo cerca de Nottingham", "nottingham"),
        ("أسكن في نوتنغهام", "nottingham"),
        ("احنا ببرادفورد", "bradford"),
        ("وبلامبث", "lambeth"),
        ("ساكنة في ساوث اند", "southend"),
        ("نحن في بلاكبول", "blackpool"),
        ("میں بریڈفورڈ میں رہتی ہوں", "bradford"),
        ("ناٹنگھم", "nottingham"),
        ("ہم لیمبتھ میں ہیں", "lambeth"),
        ("ساؤتھ اینڈ میں", "southend"),
        ("main bradford mein rehti hoon", "bradford"),
    ],
)
def test_a_place_written_in_another_language_is_found(places, text, area):
    assert places.resolve(text).area == area


@pytest.mark.parametrize(
    "text",
    [
        "nie mam pieniędzy na pieluszki",  # no ending makes an ordinary word a place
        "w Parku",  # Park is an everyday word: never made a place by an ending
        "am nevoie de ajutor cu mâncarea",
        "اريد مساعدة في الطعام",
        "مجھے کھانے کے لیے مدد چاہیے",
        "preciso de ajuda com a renda",
    ],
)
def test_an_ordinary_message_names_no_place(places, text):
    answer = places.resolve(text)
    assert answer.area is None and not answer.choices


def test_a_name_ours_already_is_left_as_written(places):
    assert places.in_our_spelling("Bolton Woods") == "Bolton Woods"
