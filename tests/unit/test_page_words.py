"""The chat page's words per language (bot/web/page_words.py), from a folder of language files."""

from __future__ import annotations

import pytest
import yaml

from bot.urgent import exit_words
from bot.web import page_words as pw

LANGUAGES = {
    "languages": [
        {"code": "en", "name": "English", "native": "English", "direction": "ltr",
         "enabled": True, "forget_words": "forget me"},
        {"code": "pl", "name": "Polish", "native": "Polski", "direction": "ltr", "enabled": True},
        {"code": "ur", "name": "Urdu", "native": "اردو", "direction": "rtl", "enabled": True},
        {"code": "ro", "name": "Romanian", "native": "Română", "direction": "ltr", "enabled": False},
        {"code": "es", "name": "Spanish", "native": "Español", "direction": "ltr", "enabled": True},
    ]
}  # fmt: skip


@pytest.fixture
def words_in(tmp_path, monkeypatch):
    """page_words reading `tmp_path`: pl and ur and ro have files, es has none."""
    (tmp_path / "languages.yml").write_text(yaml.safe_dump(LANGUAGES), encoding="utf-8")
    files = tmp_path / "languages"
    files.mkdir()
    pl = {
        "page": {"title": "Wsparcie", "chat_about": "Wpisz „{exit_word}”.", "nope": "x"},
        "quick_exit": ["Wyjdź", "zamknij"],
        "forget_words": "zapomnij mnie",
    }
    ur = {"page": {"title": "مدد", "send": ""}, "quick_exit": ["باہر"]}
    for code, data in {"pl": pl, "ur": ur, "ro": {"page": {"title": "Sprijin"}}}.items():
        (files / f"{code}.yml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    monkeypatch.setattr(pw, "LANGUAGES_PATH", tmp_path / "languages.yml")
    monkeypatch.setattr(pw, "LANGUAGE_FILES", files)
    for cached in (pw._listed, pw.language_file, pw.page_languages, pw.page_words):
        cached.cache_clear()
    yield pw
    for cached in (pw._listed, pw.language_file, pw.page_languages, pw.page_words):
        cached.cache_clear()


def test_only_enabled_languages_with_a_file_are_offered(words_in):
    assert [lang.code for lang in words_in.page_languages()] == ["en", "pl", "ur"]
    assert words_in.language("ur").direction == "rtl"
    assert words_in.language("ro").code == "en"  # turned off
    assert words_in.language("es").code == "en"  # no file
    assert words_in.language(None).code == "en"


def test_a_language_falls_back_to_english_key_by_key(words_in):
    english = yaml.safe_load(pw.PAGE_PATH.read_text(encoding="utf-8"))
    pl = words_in.page_words("pl")
    assert pl["title"] == "Wsparcie"
    assert pl["send"] == english["send"]
    assert set(pl) == set(english)  # a key English lacks is not taken
    assert words_in.page_words("ur")["send"] == english["send"]  # an empty one neither


def test_placeholders_are_filled_from_the_same_language(words_in):
    assert words_in.page_words("pl")["chat_about"] == "Wpisz „Wyjdź”."
    assert "zapomnij mnie" in words_in.page_words("pl")["privacy_note"]
    en = words_in.page_words("en")
    assert f'type "{exit_words()[0]}"' in en["chat_about"]
    assert 'type "forget me"' in en["privacy_note"]
    # No forget_words in the Urdu file: the English ones, never a bare placeholder.
    assert "forget me" in words_in.page_words("ur")["privacy_note"]
    # The page makes {number} and {keyword} into links itself.
    assert "{number}" in en["urgent_call"] and "{keyword}" in en["text_keyword"]


def test_every_offered_language_exit_words_once_english_first(words_in):
    words = words_in.page_exit_words()
    english_first = tuple(dict.fromkeys(exit_words()))  # the server's own list, each once
    assert words[: len(english_first)] == english_first
    assert {"wyjdź", "zamknij", "باہر"} <= set(words)  # lower case, as the server compares
    assert len(words) == len(set(words))
