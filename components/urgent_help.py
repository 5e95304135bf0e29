"""Two NLU components around the fallback classifier, so urgent messages are never missed.

`UrgentHelpDetector` runs last, after the fallback classifier, so nothing can turn its answer
into a fallback. It puts each message in a band (bot/safety.py): urgent, check-in or ordinary.
When a phrase in `bot/words/urgent_help.yml` matches the message or any sentence of it (and
the message does not frame it as weaker evidence, `softened`), it sets the urgent intent with
full confidence, whatever the classifier thought, so the reply cannot depend on its
confidence. In the check-in band it sets the intent `safety_check_in` (rules answer with
utter_safety_check_in, no action server needed). Near a threshold it adds the entity
`urgent_kind` (which urgent reply fits), so a later "I need help now" gets that reply. It
reads the conversation so far from the tracker, and leaves its result on the message as
`safety` (band, score, and the intent it held back; no words), which later turns read.

`IdiomCheck` runs before the fallback classifier. When the classifier alone chose an urgent
intent and the only alarming words are an idiom from the same file's `not_urgent` list ("my
toddler will be the death of me"), the classifier's best other intent takes its place - and
then faces the fallback threshold like any other guess, so the gentle fallback (which still
has an "I need urgent help" button) answers when that intent is unsure.
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

from bot.safety import (
    CHECK_IN,
    ORDINARY,
    URGENT,
    Decision,
    Thresholds,
    decide,
    read_so_far,
    urgent_score,
)
from bot.urgent import (
    DANGER,
    HELP_NOW,
    QUICK_EXIT,
    URGENT_INTENTS,
    has_idiom,
    says_unsafe,
    softened,
    urgent_kind,
    urgent_kind_in_sentences,
    urgent_phrases,
)

CHECK_IN_INTENT = "safety_check_in"
SAFETY = "safety"  # the key of this component's result on each message
# An entity naming the urgent reply that fits a near miss, a check-in or urgent help
# (urgent_danger, urgent_medical or urgent_self_harm). It fills the slot of the same name, so
# "I need help now" afterwards gets that reply (rules in data/rules/safety.yml, no actions).
URGENT_KIND = "urgent_kind"


class _WithoutSettings(GraphComponent, IntentClassifier):
    """A component with no settings that learns nothing."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _WithoutSettings:
        urgent_phrases()  # compiled now, so no parent's first message waits for it
        return cls()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UrgentHelpDetector(GraphComponent, IntentClassifier):
    """The last word on urgent help: phrases per sentence, the urgent score, the conversation so far."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        defaults = Thresholds()
        return {
            "check_in_threshold": defaults.check_in,
            "near_miss_threshold": defaults.near_miss,
            "classifier_urgent_threshold": defaults.classifier_urgent,
        }

    def __init__(self, config: dict[str, Any]) -> None:
        self.thresholds = Thresholds(
            check_in=float(config["check_in_threshold"]),
            near_miss=float(config["near_miss_threshold"]),
            classifier_urgent=float(config["classifier_urgent_threshold"]),
        )
        # Every language's phrases (about 1,300 patterns) take most of a second to compile:
        # done when the model loads, not on a parent's first message.
        urgent_phrases()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UrgentHelpDetector:
        return cls({**cls.get_default_config(), **config})

    # Optional[...], not `X | None`: Rasa's graph validation checks this hint with typing_utils.
    def process(
        self,
        messages: list[Message],
        tracker: Optional[DialogueStateTracker] = None,  # noqa: UP045
    ) -> list[Message]:
        earlier = _earlier_results(tracker)
        for message in messages:
            text = message.get(TEXT) or ""
            kind = urgent_kind_in_sentences(text)
            if kind == QUICK_EXIT:
                _set_intent(message, QUICK_EXIT)
                continue
            if (message.get(INTENT) or {}).get("name") == QUICK_EXIT and kind is None:
                _no_exit_by_accident(message, text)
            intent = (message.get(INTENT) or {}).get("name")
            if intent in (QUICK_EXIT, HELP_NOW):  # leaving, or asking for help, is never held
                continue
            ranking = message.get(INTENT_RANKING_KEY) or []
            sentences = message.get("sentence_intents") or []
            score = urgent_score(
                _urgent_probability(intent, ranking),
                [float(s.get("urgent_probability") or 0.0) for s in sentences],
            )
            decision = decide(
                score,
                self.thresholds,
                read_so_far(earlier),
                phrase=kind is not None,
                classifier_urgent=intent in URGENT_INTENTS
                or any(s.get("intent") in URGENT_INTENTS for s in sentences),
                asks_check_in=intent == CHECK_IN_INTENT,
                softened=softened(text),
            )
            _apply(message, decision, kind, intent, ranking, sentences)
            if decision.band != ORDINARY or decision.near_miss:
                _note_urgent_kind(message, kind or _likeliest_urgent(ranking, sentences))
            message.set(
                SAFETY,
                {
                    "band": decision.band,
                    "score": round(decision.score, 4),
                    "near_miss": decision.near_miss,
                    "why": list(decision.why),
                    "said_unsafe": says_unsafe(text),
                    "held_intent": intent,
                },
                add_to_output=True,
            )
            earlier.append(message.get(SAFETY))
        return messages


def _earlier_results(tracker: DialogueStateTracker | None) -> list[dict]:
    """The `safety` results of this conversation's earlier messages (since the last restart), oldest first.
    A button press has none, so it ends a row of near misses."""
    if tracker is None:
        return []
    return [
        (e.parse_data or {}).get(SAFETY) or {}
        for e in tracker.applied_events()
        if isinstance(e, UserUttered)
    ]


def _urgent_probability(intent: str | None, ranking: list[dict]) -> float:
    """The classifier's probability that the message is urgent: the urgent intents' share of the
    ranking (when it chose one itself, the confidence it gave that choice already holds the share)."""
    if intent in URGENT_INTENTS:
        return next(
            (float(r.get("confidence") or 0.0) for r in ranking if r.get("name") == intent), 1.0
        )
    return sum(
        float(r.get("confidence") or 0.0) for r in ranking if r.get("name") in URGENT_INTENTS
    )


def _apply(
    message: Message,
    decision: Decision,
    kind: str | None,
    intent: str | None,
    ranking: list[dict],
    sentences: list[dict],
) -> None:
    if decision.band == URGENT:
        if kind is not None:
            _set_intent(message, kind)
        elif intent not in URGENT_INTENTS:
            # Moved up by the conversation so far, or an urgent sentence: the likeliest urgent reply.
            urgent = [r["name"] for r in ranking if r.get("name") in URGENT_INTENTS]
            urgent += [s["intent"] for s in sentences if s.get("intent") in URGENT_INTENTS]
            _set_intent(message, urgent[0] if urgent else DANGER)
    elif decision.band == CHECK_IN:
        _set_intent(message, CHECK_IN_INTENT)
    elif intent in URGENT_INTENTS:
        # The classifier's unsure or softened urgent choice, and the check-in already asked:
        # the gentle fallback (its buttons include "I need urgent help"), not urgent help.
        others = [r for r in ranking if r.get("name") not in URGENT_INTENTS]
        fallback = {"name": "nlu_fallback", "confidence": 1.0}
        message.set(INTENT, fallback, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [fallback, *others], add_to_output=True)
    elif intent == CHECK_IN_INTENT:
        # Asked once already: the classifier's next guess answers instead.
        others = [r for r in ranking if r.get("name") != CHECK_IN_INTENT]
        best = others[0] if others else {"name": "nlu_fallback", "confidence": 1.0}
        message.set(INTENT, best, add_to_output=True)
        message.set(INTENT_RANKING_KEY, others or [best], add_to_output=True)


def _likeliest_urgent(ranking: list[dict], sentences: list[dict]) -> str:
    """The urgent intent the classifier ranks highest for the message or any sentence of it."""
    scored = [
        (float(r.get("confidence") or 0.0), r["name"])
        for r in ranking
        if r.get("name") in URGENT_INTENTS
    ]
    scored += [
        (float(s.get("confidence") or 0.0), s["intent"])
        for s in sentences
        if s.get("intent") in URGENT_INTENTS
    ]
    return max(scored)[1] if scored else DANGER


def _note_urgent_kind(message: Message, kind: str) -> None:
    entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != URGENT_KIND]
    entities.append(
        {
            "entity": URGENT_KIND,
            "value": kind,
            "start": 0,
            "end": 0,
            "confidence_entity": 1.0,
            "extractor": "UrgentHelpDetector",
        }
    )
    message.set(ENTITIES, entities, add_to_output=True)


def _set_intent(message: Message, name: str) -> None:
    top = {"name": name, "confidence": 1.0}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)


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


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class IdiomCheck(_WithoutSettings):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            text = message.get(TEXT) or ""
            # A real urgent phrase beside the idiom is left alone: UrgentHelpDetector forces it.
            if (
                intent.get("name") in URGENT_INTENTS
                and has_idiom(text)
                and urgent_kind(text) is None
            ):
                others = [
                    r
                    for r in message.get(INTENT_RANKING_KEY) or []
                    if r.get("name") not in URGENT_INTENTS
                ]
                best = others[0] if others else {"name": "nlu_fallback", "confidence": 1.0}
                message.set(INTENT, best, add_to_output=True)
                message.set(INTENT_RANKING_KEY, others or [best], add_to_output=True)
        return messages
