"""Urgent help never misses: held-out danger and self-harm phrasings, and ordinary worries.

tests/urgent/*.txt are never used for training. Targets (issue: gentle and safe):
100% recall on danger.txt; at most 5% false alarms on ordinary.txt.
"""

from pathlib import Path

import pytest

from bot.urgent import urgent_kind

pytestmark = pytest.mark.e2e
HERE = Path(__file__).resolve().parent.parent / "urgent"
URGENT = {"urgent_danger", "urgent_self_harm"}


def lines(name):
    return [line.strip() for line in (HERE / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_held_out_sets_are_big_enough():
    assert len(lines("danger.txt")) >= 40 and len(lines("ordinary.txt")) >= 40


def test_every_danger_message_gets_urgent_help(understand):
    missed = [text for text in lines("danger.txt") if understand(text)["intent"]["name"] not in URGENT]
    assert missed == [], f"{len(missed)} danger message(s) missed"


def test_ordinary_worries_rarely_raise_an_alarm(understand):
    ordinary = lines("ordinary.txt")
    alarms = [text for text in ordinary if understand(text)["intent"]["name"] in URGENT]
    assert len(alarms) <= 0.05 * len(ordinary), alarms


def test_the_phrase_layer_alone_catches_urgent_messages_the_classifier_might_not():
    # The pattern layer must stand on its own: report how much of the held-out set it covers.
    caught = [t for t in lines("danger.txt") if urgent_kind(t) in URGENT]
    assert len(caught) >= 0.8 * len(lines("danger.txt")), "the phrase lists have fallen behind the held-out set"
