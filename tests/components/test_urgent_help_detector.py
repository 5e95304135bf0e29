"""The urgent-help NLU components, in the order config.yml runs them after the classifier
(IdiomCheck, the FallbackClassifier with config.yml's settings, UrgentHelpDetector): phrases
win over the classifier; an idiom alone doesn't raise an alarm; a long message can't
quick-exit by accident."""

from pathlib import Path

import pytest
import yaml
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.urgent_help import IdiomCheck, UrgentHelpDetector

CONFIG = Path(__file__).resolve().parents[2] / "config.yml"


def classified(text, *ranking):
    """A message as the classifier left it: ranking is (intent, confidence) pairs, best first."""
    message = Message(data={TEXT: text})
    ranked = [{"name": name, "confidence": conf} for name, conf in ranking]
    message.set(INTENT, ranked[0])
    message.set(INTENT_RANKING_KEY, ranked)
    return message


class AfterTheClassifier:
    """The pipeline's last three steps, as config.yml orders and configures them."""

    def __init__(self):
        pipeline = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["pipeline"]
        names = [step["name"].rsplit(".", 1)[-1] for step in pipeline]
        assert names[-3:] == ["IdiomCheck", "FallbackClassifier", "UrgentHelpDetector"]
        settings = {k: v for k, v in pipeline[-2].items() if k != "name"}
        self.steps = [IdiomCheck(), FallbackClassifier({**FallbackClassifier.get_default_config(), **settings}),
                      UrgentHelpDetector()]

    def process(self, messages):
        for step in self.steps:
            messages = step.process(messages)
        return messages


@pytest.fixture
def detector():
    return AfterTheClassifier()


def intent_after(detector, message):
    return detector.process([message])[0].get(INTENT)["name"]


def test_a_danger_phrase_wins_whatever_the_classifier_thought(detector):
    message = classified("he's got a knife and he's coming for me", ("need_housing", 0.9), ("urgent_danger", 0.05))
    assert intent_after(detector, message) == "urgent_danger"


def test_an_idiom_alone_does_not_keep_the_classifiers_alarm(detector):
    message = classified("my toddler is going to be the death of me", ("urgent_self_harm", 0.6), ("need_parenting", 0.3))
    assert intent_after(detector, message) == "need_parenting"


def test_an_idiom_with_an_unsure_alternative_gets_the_gentle_fallback(detector):
    message = classified("dying to get these stitches out", ("urgent_self_harm", 0.5), ("out_of_scope", 0.1))
    assert intent_after(detector, message) == "nlu_fallback"


def test_without_an_idiom_the_classifiers_alarm_stands(detector):
    message = classified("i don't know how much longer i can keep going", ("urgent_self_harm", 0.5), ("need_parenting", 0.4))
    assert intent_after(detector, message) == "urgent_self_harm"


def test_real_danger_next_to_an_idiom_still_reaches_help(detector):
    message = classified("i'm dying for a cup of tea but he's hitting me", ("need_food", 0.6), ("urgent_danger", 0.3))
    assert intent_after(detector, message) == "urgent_danger"


def test_a_long_message_never_quick_exits_by_accident(detector):
    message = classified("x" * 20_000, ("quick_exit", 0.7), ("greet", 0.1))
    assert intent_after(detector, message) == "nlu_fallback"
