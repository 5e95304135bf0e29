"""Held-out sets in another language: meta.yml says which, the counts say how many ended in it."""

from __future__ import annotations

from bot.tools.conversation_counts import Outcome, judge, report
from bot.tools.urgent_counts import in_language, set_language


def test_a_sets_language_comes_from_its_meta(tmp_path):
    assert set_language(tmp_path) is None  # no meta.yml: English
    (tmp_path / "meta.yml").write_text("status: sealed\nlanguage: pl\n", encoding="utf-8")
    assert set_language(tmp_path) == "pl"
    (tmp_path / "meta.yml").write_text("language: en\n", encoding="utf-8")
    assert set_language(tmp_path) is None


def test_a_first_reply_is_in_the_language_when_the_pipeline_found_it():
    parse = {"entities": [{"entity": "language_detected", "value": "pl"}]}
    assert in_language(parse, "pl") and not in_language(parse, "ur")
    assert not in_language({"entities": [{"entity": "language", "value": "pl"}]}, "pl")


def test_conversations_count_how_many_ended_in_the_sets_language():
    expected = {"need": "food", "area": "bradford"}
    right = judge(
        expected, [False], {"needs_shown": ["food"], "area": "bradford", "language": "pl"}
    )
    english = judge(expected, [False], {"needs_shown": ["food"], "area": "bradford"})
    assert right.language == "pl" and english.language is None
    line = report("set", [right, english], "pl")
    assert line.endswith("; in pl 1/2")
    assert "in pl" not in report("set", [right, english])
    assert isinstance(right, Outcome)
