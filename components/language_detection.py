"""Set the `language` slot from the parent's first messages when no language was chosen.

A thin adapter: bot/language_detection.py decides, among the languages a parent can use
(bot.translations); this adds the answer as a `language_detected` entity, which one of the
`language` slot's from_entity mappings reads (the other takes a button's or the picker's
`language` entity, only with choose_language). Nothing is learned or stored.
"""

from __future__ import annotations

from typing import Any, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language_detection import detector, language_to_set
from bot.translations import translations

SLOT = "language"
ENTITY = "language_detected"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class LanguageDetection(GraphComponent):
    """Adds a `language_detected` entity to one of the first messages in another language."""

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
        earlier = (
            sum(1 for e in tracker.applied_events() if isinstance(e, UserUttered))
            if tracker is not None
            else 0
        )
        for message in messages:
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
