"""The assistant's words in each language: lookups with English filling the gaps, the domain's
variations per language, the language check, and production refusing draft languages."""

from __future__ import annotations

import copy

import pytest
import yaml

from bot import translations as translations_module
from bot.language import RULES_PATH
from bot.tools.domain_languages import domain_text
from bot.translation_check import FileCheck, check_files
from bot.translations import Translations
from tests.unit import language_fixtures
from tests.unit.language_fixtures import (
    FIXTURES,
    ROOT,
    complete_file,
    folder_with,
    translations_in,
)

RULES = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def english():
    return language_fixtures.english()


@pytest.fixture
def with_polish(tmp_path):
    return translations_in(folder_with(tmp_path, {"pl": complete_file("pl")}))


# ---------------------------------------------------------------- lookups


def test_only_languages_turned_on_and_with_a_file_are_offered():
    t = translations_in(FIXTURES)
    # pl is turned on but has no file here; ro has no file and is off.
    assert t.enabled_codes() == ["en", "ur"]
    assert t.turned_on_without_file() == ["pl"]
    assert t.offered("pl") is None and t.offered("ro") is None and t.offered("en") is None


def test_a_translated_text_is_used_and_a_missing_one_falls_back_to_english():
    t = translations_in(FIXTURES)
    assert t.text("replies", "skip", "ur") == "TEST-UR skip"
    assert t.text("replies", "next_done", "ur") == "Not now"  # not in the fixture: English
    assert t.text("replies", "skip", None) == "Skip"
    assert t.text("replies", "skip", "pl") == "Skip"  # not offered: English


def test_nested_keys_and_need_labels(with_polish):
    assert with_polish.text("referral", "steps.how.question", "pl").startswith("PL: How is it safe")
    assert with_polish.need_label("food", "short_label", "pl", "Food") == "PL: Food"
    assert translations_in(FIXTURES).need_label("food", "short_label", "ur", "Food") == "Food"


def test_review_state_draft_or_reviewed(with_polish, tmp_path):
    assert with_polish.is_draft("pl")
    assert not with_polish.is_draft("ur")  # the fixture is marked reviewed
    assert not with_polish.is_draft(None)
    assert with_polish.draft_languages() == ["pl"]


def test_speaks_and_interpreters_lines_fill_the_language_name(with_polish):
    assert with_polish.line("speaks", "pl", language="Polski") == "PL: They speak Polski."
    assert with_polish.line("speaks", None, language="English") is None


# ---------------------------------------------------------------- domain variations


def _domain():
    return (ROOT / "domain.yml").read_text(encoding="utf-8")


def test_every_response_gets_a_variation_on_the_language_slot(with_polish):
    problems: list[str] = []
    text = domain_text(_domain(), with_polish, problems)
    responses = yaml.safe_load(text)["responses"]
    assert problems == []
    danger = responses["utter_urgent_danger"]
    english = [v for v in danger if not v.get("condition")]
    polish = [v for v in danger if v.get("condition")]
    assert len(english) == 1 and english[0]["text"].startswith("If you are in danger now")
    assert [v["condition"] for v in polish] == [
        [{"type": "slot", "name": "language", "value": "pl"}]
    ]
    assert polish[0]["text"].startswith("PL: If you are in danger now, call 999")
    # Payloads come from English, titles from the file.
    assert [b["payload"] for b in polish[0]["buttons"]] == [
        b["payload"] for b in english[0]["buttons"]
    ]
    assert polish[0]["buttons"][0]["title"] == "PL: Find local support"
    # custom (the page's quick exit) is copied from English.
    exit_pl = [v for v in responses["utter_quick_exit"] if v.get("condition")][0]
    assert exit_pl["custom"] == {"page": "leave"}


def test_area_buttons_keep_their_entity_payloads(with_polish):
    responses = yaml.safe_load(domain_text(_domain(), with_polish))["responses"]
    polish = [v for v in responses["utter_ask_area"] if v.get("condition")][0]
    assert polish["buttons"][0]["payload"] == '/inform_area{{"area": "blackpool"}}'


def test_the_greeting_offers_each_language_and_a_draft_shows_its_notice(with_polish):
    responses = yaml.safe_load(domain_text(_domain(), with_polish))["responses"]
    english_greeting = [v for v in responses["utter_greet"] if not v.get("condition")][0]
    titles = {b["title"]: b["payload"] for b in english_greeting["buttons"]}
    assert titles == {
        "PL choose": '/choose_language{{"language": "pl"}}',
        "اردو": '/choose_language{{"language": "ur"}}',
    }
    polish_greeting = [v for v in responses["utter_greet"] if v.get("condition")]
    assert "English" in [b["title"] for b in polish_greeting[0]["buttons"]]
    # A draft language's greeting (often the first reply) starts with its notice.
    assert polish_greeting[0]["text"].startswith("PL: This translation is new. In an emergency")
    assert "\nPL: Hello." in polish_greeting[0]["text"]
    chosen = {
        v["condition"][0]["value"]: v
        for v in responses["utter_language_chosen"]
        if v.get("condition")
    }
    assert chosen["pl"]["text"].startswith("PL: This translation is new")
    assert chosen["pl"]["custom"] == {"language": "pl", "direction": "ltr"}
    assert "text" not in chosen["ur"]  # reviewed: no notice
    assert chosen["ur"]["custom"]["direction"] == "rtl"


def test_a_translation_with_the_wrong_number_of_buttons_is_left_to_english(tmp_path):
    broken = complete_file("pl")
    broken["responses"]["utter_ask_area"]["buttons"].pop()
    t = translations_in(folder_with(tmp_path, {"pl": broken}))
    problems: list[str] = []
    responses = yaml.safe_load(domain_text(_domain(), t, problems))["responses"]
    assert not [v for v in responses["utter_ask_area"] if v.get("condition")]
    assert any("utter_ask_area" in p and "English has 7" in p for p in problems)


def test_generating_twice_changes_nothing_and_english_stays_as_it_was(with_polish, tmp_path):
    once = domain_text(_domain(), with_polish)
    assert domain_text(once, with_polish) == once
    without = domain_text(once, Translations(files_dir=tmp_path / "no_files"))
    greet = yaml.safe_load(without)["responses"]["utter_greet"]
    english = [
        v for v in yaml.safe_load(_domain())["responses"]["utter_greet"] if "condition" not in v
    ]
    assert [v["text"] for v in greet] == [v["text"] for v in english]
    assert not any("condition" in v or "buttons" in v for v in greet)


def test_the_project_domain_is_up_to_date():
    assert domain_text(_domain(), translations_module.translations()) == _domain()


# ---------------------------------------------------------------- the language check


def _problems(data, english):
    return FileCheck("pl", data, english, RULES).run()


def test_a_complete_file_passes(english):
    assert _problems(complete_file("pl"), english) == []


@pytest.mark.parametrize(
    "break_it, expected",
    [
        (lambda d: d["replies"].pop("skip"), "replies.skip: missing"),
        (lambda d: d["replies"].update(extra="x"), "replies.extra: not in English"),
        (
            lambda d: d["replies"].update(results_intro="Here is {need}."),
            "placeholders ['need'], English has ['area', 'need']",
        ),
        (
            lambda d: d["responses"]["utter_urgent_self_harm"].update(
                text="Samaritans 116 123. Call 999. Text SHOUT to 85258, PANDAS to 85258. NHS 111."
            ),
            "numbers",
        ),
        (lambda d: d["responses"]["utter_ask_need"]["buttons"].pop(), "buttons, English has 10"),
        (
            lambda d: d["responses"]["utter_ask_need"]["buttons"].__setitem__(0, "x" * 41),
            "41 characters, more than 40",
        ),
        (lambda d: d["page"].__setitem__("intro", "word " * 120), "more than a phone screen"),
        (lambda d: d.update(review={"state": "reviewed"}), "who reviewed it"),
        (
            lambda d: d["urgent_phrases"]["urgent_danger"].append("(unclosed"),
            "not a regular expression",
        ),
        (lambda d: d.update(quick_exit=[]), "quick_exit"),
        (
            lambda d: d["responses"]["utter_greet"].update(text="Hello. " * 67),
            "with the draft notice before it",
        ),
        (lambda d: d["needs"].pop("food"), "needs.food: missing"),
    ],
)
def test_the_check_names_what_is_wrong(english, break_it, expected):
    data = copy.deepcopy(complete_file("pl"))
    break_it(data)
    problems = _problems(data, english)
    assert any(expected in p for p in problems), problems


def test_the_check_lists_every_language_and_its_review_state(tmp_path):
    t = translations_in(folder_with(tmp_path, {"pl": complete_file("pl")}))
    problems, summary = check_files(ROOT, t, RULES)
    assert any(line.startswith("pl Polish: on, DRAFT") for line in summary)
    assert any(line.startswith("ro Romanian: off, no file") for line in summary)
    # The fixture ur.yml is deliberately partial: the check says so.
    assert any(
        p.startswith("bot/words/languages/ur.yml responses.utter_greet: missing") for p in problems
    )


# ---------------------------------------------------------------- production


def test_production_lists_draft_languages_and_refuses_them_unless_allowed(
    tmp_path, monkeypatch, capsys
):
    from bot.__main__ import _languages_ready

    monkeypatch.setenv("LANGUAGE_FILES", str(folder_with(tmp_path, {"pl": complete_file("pl")})))
    translations_module.translations.cache_clear()
    try:
        assert _languages_ready(allow_draft=False) is False
        said = capsys.readouterr().err
        assert "Draft language: Polish (pl)" in said and "Refused" in said
        assert "Urdu" not in said  # reviewed
        assert _languages_ready(allow_draft=True) is True
    finally:
        monkeypatch.delenv("LANGUAGE_FILES")
        translations_module.translations.cache_clear()
