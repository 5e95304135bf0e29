"""Read a long message sentence by sentence, with the pipeline's own classifier.

Two halves of one component, placed around the pipeline's featurizers and classifier:

- `SentenceSplit` (first in the pipeline) adds each sentence of a message that has more than
  one (bot.sentences.split_sentences) to the batch as a message of its own. Everything after
  it - spaCy, the counts, the MiniLM vector, the classifier - then reads the sentences in the
  same call as the whole message: one batched ONNX call embeds them all, and a sentence is
  scored by exactly the model that scores whole messages.
- `SentenceReader` (right after the classifier) takes the sentences out of the batch again,
  attaches what each said as `sentence_intents` (COMMON.md's contract: text, intent,
  confidence, urgent probability) and lets a sentence choose the message's need only where
  the whole message was unsure (bot.sentences.read_by_sentence).

Nothing is trained here; training data passes through untouched.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.sentences import SURE_OF_THE_MESSAGE, read_by_sentence, split_sentences
from bot.urgent import URGENT_INTENTS

SENTENCE_INTENTS = "sentence_intents"
_SENTENCES = "sentence_reader_parts"  # on the whole message: its sentences' messages
_PART = "sentence_reader_part"  # on a sentence's message: True


class _Stateless(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _Stateless:
        return cls({**cls.get_default_config(), **config})

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SentenceSplit(_Stateless, IntentClassifier):
    """Put each sentence of a longer message into the batch, after the message itself."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def process(self, messages: list[Message]) -> list[Message]:
        batch = []
        for message in messages:
            batch.append(message)
            text = message.get(TEXT) or ""
            if message.get(_PART) or not text or text.startswith("/"):
                continue
            pieces = split_sentences(text)
            if len(pieces) < 2:
                continue
            parts = [Message(data={TEXT: piece, _PART: True}) for piece in pieces]
            message.set(_SENTENCES, parts)
            batch.extend(parts)
        return batch


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SentenceReader(_Stateless, IntentClassifier):
    """Take the sentences out of the batch; report each, and let a sure one settle an unsure message."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "sure": SURE_OF_THE_MESSAGE,
            "urgent_intents": list(URGENT_INTENTS),
            # Whether the sentences go on the message as `sentence_intents` (read by the urgent
            # layer and by the conversation for the needs to offer next).
            "attach_sentence_intents": False,
        }

    def process(self, messages: list[Message]) -> list[Message]:
        wholes = [m for m in messages if not m.get(_PART)]
        for message in wholes:
            parts = message.data.pop(_SENTENCES, None)
            if not parts or not message.get(INTENT):
                continue
            ranking = message.get(INTENT_RANKING_KEY) or [message.get(INTENT)]
            ranking, sentences = read_by_sentence(
                ranking,
                [(p.get(TEXT), p.get(INTENT_RANKING_KEY) or [p.get(INTENT)]) for p in parts],
                urgent_intents=set(self.config["urgent_intents"]),
                sure=float(self.config["sure"]),
            )
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            if self.config["attach_sentence_intents"]:
                message.set(SENTENCE_INTENTS, sentences, add_to_output=True)
        return wholes
