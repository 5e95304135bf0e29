"""The sentence reader: a need buried in a long message is found in its strongest sentence, every
sentence is reported (COMMON.md's `sentence_intents`), and the model saves and loads as plain
files. Trained here on a few lines with the real MiniLM encoder, as in the pipeline."""

import numpy as np
import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.reading_model import lean_to_urgent
from components.sentence_reader import SENTENCE_INTENTS, SentenceReader

TRAINING = {
    "need_food": [
        "we have no food",
        "is there a food bank",
        "nothing to eat in the house",
        "need a food parcel",
        "the cupboards are empty",
        "can't afford food this week",
        "kids are hungry",
    ],
    "need_housing": [
        "we are being evicted",
        "the landlord wants us out",
        "we have nowhere to live",
        "mould in the flat",
        "need somewhere to stay",
        "homeless with a baby",
        "section 21 notice",
    ],
    "greet": [
        "hi",
        "hello",
        "good morning",
        "hiya",
        "hey there",
        "hello is anyone there",
        "hi there",
    ],
    "thanks": [
        "thanks",
        "thank you",
        "cheers",
        "thanks so much",
        "ta",
        "thank you for listening",
        "much appreciated",
    ],
    "urgent_danger": [
        "he is hitting me now",
        "he has a knife",
        "he's trying to get in",
        "i'm not safe right now",
        "he is going to kill me",
        "he's strangling me",
        "help he's attacking me",
    ],
}
LONG = (
    "Hi. Thanks for reading this. My week has been long and the baby is teething. "
    "The cupboards are empty and we have nothing to eat."
)


@pytest.fixture(scope="module")
def reader(tmp_path_factory):
    examples = [
        Message(data={TEXT: text, INTENT: intent})
        for intent, texts in TRAINING.items()
        for text in texts
    ]
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("reader")
    trainer = SentenceReader.create(
        {**SentenceReader.get_default_config(), "max_iter": 200}, storage, resource, None
    )
    trainer.train(
        TrainingData(
            training_examples=examples,
            lookup_tables=[{"name": "food", "elements": ["food bank", "food parcel"]}],
        )
    )
    return SentenceReader.load(SentenceReader.get_default_config(), storage, resource, None)


def read(reader, text):
    message = Message(data={TEXT: text})
    reader.process([message])
    return message


def test_a_need_at_the_end_of_a_long_message_is_found(reader):
    message = read(reader, LONG)
    assert message.get(INTENT)["name"] == "need_food"
    assert message.get(INTENT_RANKING_KEY)[0] == message.get(INTENT)


def test_every_sentence_is_reported_with_its_urgent_probability(reader):
    sentences = read(reader, LONG).get(SENTENCE_INTENTS)
    assert [s["text"] for s in sentences][0] == "Hi."
    assert len(sentences) == 4
    assert sentences[0]["intent"] == "greet"
    assert sentences[-1]["intent"] == "need_food"
    for s in sentences:
        assert set(s) == {"text", "intent", "confidence", "urgent_probability"}
        assert 0.0 <= s["urgent_probability"] <= 1.0 and 0.0 < s["confidence"] <= 1.0


def test_a_danger_sentence_has_the_highest_urgent_probability(reader):
    sentences = read(reader, "Hello. We have no food. He is hitting me now.").get(SENTENCE_INTENTS)
    assert max(sentences, key=lambda s: s["urgent_probability"])["text"] == "He is hitting me now."


def test_a_short_message_is_one_sentence_read_as_a_whole(reader):
    message = read(reader, "is there a food bank")
    (sentence,) = message.get(SENTENCE_INTENTS)
    assert sentence["intent"] == message.get(INTENT)["name"] == "need_food"
    assert sentence["confidence"] == pytest.approx(message.get(INTENT)["confidence"])


def test_a_loaded_model_reads_as_the_trained_one(reader):
    model = reader.model
    rows = model.probabilities(["mould in the flat", "hello"])
    assert np.allclose(rows.sum(axis=1), 1.0)
    assert [model.classes[i] for i in rows.argmax(axis=1)] == ["need_housing", "greet"]


def test_urgent_intents_come_first_when_they_share_enough():
    ranking = [
        {"name": "need_food", "confidence": 0.4},
        {"name": "urgent_danger", "confidence": 0.3},
        {"name": "urgent_self_harm", "confidence": 0.25},
        {"name": "greet", "confidence": 0.05},
    ]
    leaned = lean_to_urgent(ranking, ("urgent_danger", "urgent_self_harm"), 0.5)
    assert leaned[0] == {"name": "urgent_danger", "confidence": 0.55}
    assert lean_to_urgent(ranking, ("urgent_danger", "urgent_self_harm"), 0.6) == ranking
