"""The phrase layer reads a message's sentences without reading the same words twice, and
finds exactly what reading every sentence afresh finds, on every dev list."""

from pathlib import Path

import yaml

from bot.sentences import split_sentences
from bot.tools.urgent_counts import messages
from bot.urgent import URGENT_INTENTS, urgent_phrases

DEV = Path(__file__).resolve().parent.parent / "dev"


def every_sentence_afresh(phrases, text):
    """classify_each_sentence as it read before: each sentence classified on its own."""
    kind = phrases.classify(text)
    if kind is not None or not text:
        return kind
    if phrases._only_in_the_past(phrases._normalise(text[:5000])) or phrases.has_idiom(text):
        return None
    for sentence in split_sentences(text[:5000]):
        kind = phrases.classify(sentence)
        if kind in URGENT_INTENTS:
            return kind
    return None


def dev_messages():
    texts = []
    for path in sorted(DEV.glob("*.txt")):
        texts += messages(path)
    for path in sorted(DEV.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            texts += [
                line[2:].strip()
                for line in str(block.get("examples", "")).splitlines()
                if line.startswith("- ")
            ]
    return texts


def test_the_same_urgent_kind_as_reading_every_sentence_afresh():
    phrases = urgent_phrases()
    texts = dev_messages()
    assert len(texts) > 2000
    found = 0
    for text in texts:
        expected = every_sentence_afresh(phrases, text)
        assert phrases.classify_each_sentence(text) == expected, text
        found += expected in URGENT_INTENTS
    assert found > 500  # the danger lists are in there


def test_a_danger_sentence_after_ordinary_ones_is_still_found():
    text = "we are managing ok. the baby is feeding well. he has a knife and says he will kill me"
    assert urgent_phrases().classify_each_sentence(text) == "urgent_danger"


def test_normalising_the_same_message_again_gives_the_same_text():
    phrases = urgent_phrases()
    text = "He’s HURTING me!!  please"
    assert phrases.normalise(text) == phrases.normalise(text) == phrases._normalise(text)
