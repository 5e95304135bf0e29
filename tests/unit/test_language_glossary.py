"""The language check's glossary and its acknowledge-before-ask rule (bot/language.py)."""

import yaml

from bot import language
from bot.language import RULES_PATH, LanguageCheck, acknowledged_before_asking
from bot.replies import Reply

RULES = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))


def problems(reply):
    return [p.rule for p in LanguageCheck(RULES).check("test", reply)]


def test_drifting_words_are_flagged_with_the_glossary_name():
    assert any("'automated assistant'" in p for p in problems(Reply("I'm an automated helper.")))
    assert any("'24 hours'" in p for p in problems(Reply("Call free, day or night.")))
    assert any("'24 hours'" in p for p in problems(Reply("Samaritans: 116 123, any time.")))
    assert problems(Reply("I'm an automated assistant. Samaritans: 116 123, 24 hours.")) == []


def test_goodbye_buttons_have_one_name():
    ask = "What would you like to do next?"
    assert any(
        "'Not now'" in p for p in problems(Reply(ask, (("I'm done", "/goodbye"), ("Skip", "/x"))))
    )
    assert any(
        "'Not now'" in p for p in problems(Reply(ask, (("No thanks", "/deny"), ("Skip", "/x"))))
    )
    assert problems(Reply(ask, (("Not now", "/goodbye"),))) == []


def test_everything_the_assistant_says_keeps_the_glossary_and_acknowledges_first():
    said = language.everything_said()
    checker = LanguageCheck(RULES)
    assert [
        p for where, reply, judge, whole in said for p in checker.check(where, reply, judge, whole)
    ] == []
    assert acknowledged_before_asking(RULES) == []


def test_an_area_question_without_an_acknowledgement_is_a_problem():
    strict = {
        **RULES,
        "acknowledge_before_asking": {
            "needs": ["domestic_abuse", "food"],
            "acknowledgement": "^Thank you for telling me\\.",
        },
    }
    found = acknowledged_before_asking(strict)
    assert [p.where for p in found] == ["conversation: need 'food' told without an area"]
