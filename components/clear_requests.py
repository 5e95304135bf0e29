"""Takes back a reading that would end, delete or clear the conversation unless the message
is a clear request for it (bot/clear_requests.py decides). A thin adapter, learns nothing.

It runs after the classifier and before the fallback and the urgent phrase layer: a message
that is one of the quick-exit words as a whole still leaves at once (UrgentHelpDetector), and
an urgent line the classifier took for quick exit gets urgent help, not a deleted chat.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.clear_requests import clear_requests
from bot.language_detection import reads_as_english
from bot.translations import translations


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ClearRequestCheck(GraphComponent, IntentClassifier):
    """Quick exit, forget me and start again only from a clear request."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ClearRequestCheck:
        clear_requests()  # read the words now, not on a parent's message
        return cls(tuple(translations().enabled_codes()))

    def __init__(self, codes: tuple[str, ...]) -> None:
        self.codes = codes

    def process(self, messages: list[Message]) -> list[Message]:
        requests = clear_requests()
        for message in messages:
            intent = message.get(INTENT) or {}
            name = intent.get("name")
            if not requests.guarded(name):
                continue
            ranking = message.get(INTENT_RANKING_KEY) or []
            if requests.is_clear(
                name,
                float(intent.get("confidence") or 0.0),
                message.get(TEXT) or "",
                ranking,
                message.get(ENTITIES) or [],
                english=reads_as_english(message.get(TEXT) or "", self.codes),
            ):
                continue
            best = requests.instead(ranking)
            others = [r for r in ranking if not requests.guarded(r.get("name"))]
            message.set(INTENT, best, add_to_output=True)
            message.set(INTENT_RANKING_KEY, others or [best], add_to_output=True)
        return messages
