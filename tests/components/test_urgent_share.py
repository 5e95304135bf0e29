"""The classifier leans towards urgent help, counting the three urgent intents together."""

import numpy as np
from rasa.shared.nlu.training_data.message import Message

from components.linear_intents import UrgentAwareLogisticRegressionClassifier

CLASSES = ["need_food", "urgent_danger", "urgent_medical", "urgent_self_harm"]


class FakeLogisticRegression:
    classes_ = np.array(CLASSES)

    def __init__(self, row):
        self.row = row

    def predict_proba(self, x):
        return np.array([self.row])


def classify(row):
    classifier = UrgentAwareLogisticRegressionClassifier.__new__(
        UrgentAwareLogisticRegressionClassifier
    )
    classifier.config = {
        **UrgentAwareLogisticRegressionClassifier.get_default_config(),
        "urgent_share": 0.5,
    }
    classifier.clf = FakeLogisticRegression(row)
    classifier.english, classifier._codes = None, ()
    classifier._create_X = lambda messages: None
    message = Message(data={"text": "x"})
    classifier.process([message])
    return message.get("intent")


def test_urgent_intents_together_overtake_a_single_other_intent():
    intent = classify([0.4, 0.2, 0.25, 0.15])
    assert intent["name"] == "urgent_medical" and intent["confidence"] == 0.6


def test_an_urgent_intent_already_first_is_as_sure_as_the_urgent_share():
    # Urgent help split three ways: 0.3 for danger alone, 0.8 for urgent help as a whole.
    intent = classify([0.2, 0.3, 0.28, 0.22])
    assert intent["name"] == "urgent_danger" and abs(intent["confidence"] - 0.8) < 1e-9


def test_under_the_urgent_share_nothing_changes():
    intent = classify([0.68, 0.0, 0.0, 0.32])
    assert intent["name"] == "need_food" and intent["confidence"] == 0.68


def test_english_messages_are_read_by_the_english_head_and_the_rest_by_the_other():
    classifier = UrgentAwareLogisticRegressionClassifier.__new__(
        UrgentAwareLogisticRegressionClassifier
    )
    classifier.config = UrgentAwareLogisticRegressionClassifier.get_default_config()
    classifier.clf = FakeLogisticRegression([0.9, 0.05, 0.03, 0.02])  # every language: food
    classifier.english = FakeLogisticRegression([0.1, 0.85, 0.03, 0.02])  # English: danger
    classifier._codes = ("en", "pl", "ur")
    classifier._create_X = lambda messages: None
    english = Message(data={"text": "he is outside the door and says he will hurt me"})
    polish = Message(data={"text": "Potrzebuję pieluch i jedzenia dla dziecka, nie mam pieniędzy"})
    classifier.process([english, polish])
    assert english.get("intent")["name"] == "urgent_danger"
    assert polish.get("intent")["name"] == "need_food"


def test_the_english_head_leaves_out_exactly_the_other_languages_examples():
    from pathlib import Path

    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    from components.linear_intents import other_language_texts

    def texts(path):
        data = RasaYAMLReader().reads(Path(path).read_text(encoding="utf-8"))
        return {e.get("text") for e in data.intent_examples}

    others = other_language_texts()
    assert texts("data/nlu/languages/pl.yml") <= others
    assert texts("data/nlu/languages/ar.yml") <= others
    assert not texts("data/nlu/needs/food.yml") & others
