"""Set the `language` slot from the parent's first messages when no language was chosen.

A thin adapter: bot/language_detection.py decides, among the languages a parent can use
(bot.translations); this adds the answer as a `language_detected` entity, which one of the
`language` slot's from_entity mappings reads (the other takes a button's or the picker's
`language` entity, only with choose_language). Nothing is learned or stored.

It runs after the intent classifier for one more reason: `choose_language` with no language
named is not a choice (a message in a language with little training data can look like the
language names the intent was taught), so the classifier's next intent takes its place.
"""

from __future__ import annotations

from typing import Any, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language_detection import detector, language_to_set
from bot.translations import translations

SLOT = "language"
ENTITY = "language_detected"
CHOSEN_ENTITY = "language"  # named in the message ("Polish please") or a button's payload
CHOOSE_INTENT = "choose_language"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LanguageDetection(GraphComponent, IntentClassifier):
    """Adds a `language_detected` entity to one of the first messages in another language, and
    takes back a `choose_language` that names no language."""

    def __init__(self, codes: tuple[str, ...]) -> None:
        self.codes = codes
        if len(codes) > 1:
            detector(codes)  # load the models now, not on a parent's first message

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetection:
        return cls(tuple(translations().enabled_codes()))

    # Optional[...], not `X | None`: Rasa's graph validation checks this hint with typing_utils.
    def process(
        self,
        messages: list[Message],
        tracker: Optional[DialogueStateTracker] = None,  # noqa: UP045
    ) -> list[Message]:
        current = tracker.get_slot(SLOT) if tracker is not None else None
        # Counting the earlier messages walks the whole conversation, so only while a
        # language can still be detected (none chosen yet; more than one language to use).
        earlier = (
            sum(1 for e in tracker.applied_events() if isinstance(e, UserUttered))
            if tracker is not None and current is None and len(self.codes) > 1
            else 0
        )
        for message in messages:
            _no_choice_without_a_language(message)
            text = message.get(TEXT) or ""
            code = language_to_set(text, current, earlier, self.codes)
            if code is None:
                continue
            entity = {
                "entity": ENTITY,
                "value": code,
                "start": 0,
                "end": len(text),
                "extractor": type(self).__name__,
            }
            message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
        return messages


def _no_choice_without_a_language(message: Message) -> None:
    intent = message.get(INTENT) or {}
    named = any(e.get("entity") == CHOSEN_ENTITY for e in message.get(ENTITIES) or [])
    if intent.get("name") != CHOOSE_INTENT or named:
        return
    others = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != CHOOSE_INTENT]
    best = others[0] if others else {"name": "nlu_fallback", "confidence": 1.0}
    message.set(INTENT, best, add_to_output=True)
    message.set(INTENT_RANKING_KEY, others or [best], add_to_output=True)
