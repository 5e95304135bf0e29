"""Two NLU components around the fallback classifier, so urgent messages are never missed.

`UrgentHelpDetector` runs last, after the fallback classifier, so nothing can turn its answer
into a fallback. When a phrase in `bot/words/urgent_help.yml` matches, it sets the urgent
intent with full confidence, whatever the classifier thought, so the reply cannot depend on
its confidence.

`IdiomCheck` runs before the fallback classifier. When the classifier alone chose an urgent
intent and the only alarming words are an idiom from the same file's `not_urgent` list ("my
toddler will be the death of me"), the classifier's best other intent takes its place - and
then faces the fallback threshold like any other guess, so the gentle fallback (which still
has an "I need urgent help" button) answers when that intent is unsure.
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

from bot.urgent import QUICK_EXIT, URGENT_INTENTS, has_idiom, urgent_kind


class _WithoutSettings(GraphComponent, IntentClassifier):
    """Both components below have no settings and learn nothing."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _WithoutSettings:
        return cls()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UrgentHelpDetector(_WithoutSettings):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            kind = urgent_kind(text)
            if kind is None:
                _no_exit_by_accident(message, text)
                continue
            top = {"name": kind, "confidence": 1.0}
            message.set(INTENT, top, add_to_output=True)
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != kind]
            message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)
        return messages


# A quick exit clears the conversation, so the classifier alone may only trigger it for a
# short message ("get me out of here"); seen: 20,000 x's were classified as quick_exit.
MAX_EXIT_WORDS = 8


def _no_exit_by_accident(message: Message, text: str) -> None:
    intent = message.get(INTENT) or {}
    if intent.get("name") == QUICK_EXIT and (len(text.split()) > MAX_EXIT_WORDS or len(text) > 80):
        fallback = {"name": "nlu_fallback", "confidence": 1.0}
        message.set(INTENT, fallback, add_to_output=True)
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != QUICK_EXIT]
        message.set(INTENT_RANKING_KEY, [fallback, *ranking], add_to_output=True)


URGENT = URGENT_INTENTS


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class IdiomCheck(_WithoutSettings):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            text = message.get(TEXT) or ""
            # A real urgent phrase beside the idiom is left alone: UrgentHelpDetector forces it.
            if intent.get("name") in URGENT and has_idiom(text) and urgent_kind(text) is None:
                others = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") not in URGENT]
                best = others[0] if others else {"name": "nlu_fallback", "confidence": 1.0}
                message.set(INTENT, best, add_to_output=True)
                message.set(INTENT_RANKING_KEY, others or [best], add_to_output=True)
        return messages
