"""Each language's quick-exit words and urgent phrases join English's."""

from __future__ import annotations

import pytest
import yaml

from bot.urgent import PHRASES_PATH, QUICK_EXIT, UrgentPhrases, urgent_phrases, with_languages
from tests.unit.language_fixtures import complete_file, folder_with, translations_in


def _phrases(tmp_path, files):
    english = yaml.safe_load(PHRASES_PATH.read_text(encoding="utf-8"))
    return UrgentPhrases(with_languages(english, translations_in(folder_with(tmp_path, files))))


def test_every_offered_languages_exit_words_end_the_chat(tmp_path):
    phrases = _phrases(tmp_path, {"pl": complete_file("pl")})
    assert phrases.classify("exit") == QUICK_EXIT  # English stays
    assert phrases.classify(" PL-EXIT! ") == QUICK_EXIT
    assert phrases.classify("pl leave now") == QUICK_EXIT
    assert phrases.classify("باہر") == QUICK_EXIT  # the fixture's Urdu word
    assert "باہر" in phrases.exit_words and "pl-exit" in phrases.exit_words


def test_a_language_that_is_not_offered_adds_nothing(tmp_path):
    folder = folder_with(tmp_path, {"ro": complete_file("ro")})  # ro is off in the fixture list
    english = yaml.safe_load(PHRASES_PATH.read_text(encoding="utf-8"))
    phrases = UrgentPhrases(with_languages(english, translations_in(folder)))
    assert phrases.classify("ro-exit") is None


def test_each_languages_urgent_phrases_and_look_alikes_apply(tmp_path):
    phrases = _phrases(tmp_path, {"pl": complete_file("pl")})
    assert phrases.classify("he said pl danger phrase to me") == "urgent_danger"
    assert phrases.classify("we watched pl danger phrase in a film") is None
    assert phrases.classify_each_sentence("hello. mujhe maar raha hai") == "urgent_danger"


def test_without_language_files_english_is_unchanged(tmp_path):
    english = yaml.safe_load(PHRASES_PATH.read_text(encoding="utf-8"))
    from bot.translations import Translations

    merged = with_languages(english, Translations(files_dir=tmp_path / "none"))
    assert merged == english


@pytest.mark.parametrize(
    "typed",
    [
        "أُرِيدُ أَنْ أَمُوتَ",  # fully vowelled
        "الطفل لا يتنفّس",  # one shadda
        "أريـد أن أمـوت",  # stretched with tatweel
    ],
)
def test_arabic_vowel_marks_and_stretching_do_not_hide_urgent_words(typed):
    assert urgent_phrases().classify(typed) is not None
