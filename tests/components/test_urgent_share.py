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
