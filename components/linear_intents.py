"""The intent classifiers: Rasa's logistic regression saved as plain arrays, and the same
leaning towards urgent help (UrgentAwareLogisticRegressionClassifier, the one config.yml uses).

Rasa 3.6 saves LogisticRegressionClassifier with skops, whose loader scans types for about
11 s on a 2-core machine (`python -m bench.coldstart MODEL --skops` measures it) - most of
our start-up. A logistic regression is just weights, so we keep coef_/intercept_/classes_ in an .npz file: nothing is unpickled,
and the model loads in milliseconds. Training and prediction are Rasa's own.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.base import clone

from bot.language_detection import reads_as_english
from bot.translations import translations
from bot.urgent import URGENT_INTENTS

# Training examples written in the other languages (one file per language).
LANGUAGE_DATA = Path(__file__).resolve().parents[1] / "data" / "nlu" / "languages"

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), "C": 1.0}

    def __init__(
        self, config: dict[str, Any], name: str, model_storage: ModelStorage, resource: Resource
    ) -> None:
        super().__init__(config, name, model_storage, resource)
        self.clf.set_params(C=self.config["C"])

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as model_dir:
            np.savez(
                model_dir / "weights.npz",
                coef=self.clf.coef_,
                intercept=self.clf.intercept_,
                classes=np.array(self.clf.classes_, dtype=str),
            )

    def _create_X(self, messages: list[Message]) -> csr_matrix:
        """The messages' sentence features, sparse then dense, one row each: Rasa's matrix,
        made without also joining up the per-token features it then throws away."""
        rows = []
        for message in messages:
            sparse, dense = [], []
            for f in message.features:
                if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE:
                    (sparse if f.is_sparse() else dense).append(f.features)
            rows.append(
                hstack(
                    [
                        csr_matrix(hstack(sparse) if sparse else []),
                        csr_matrix(np.concatenate(dense, axis=-1) if dense else []),
                    ]
                )
            )
        return vstack(rows)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        component = cls(config, execution_context.node_name, model_storage, resource)
        try:
            with model_storage.read_from(resource) as model_dir:
                weights = np.load(model_dir / "weights.npz", allow_pickle=False)
                # Column-major, so predict's `X @ coef_.T` reads the weights in place: scipy
                # copies a transposed row-major array (35 x 40,000 numbers, about 4 ms) on
                # every call. The same numbers, added in the same order.
                component.clf.coef_ = np.asfortranarray(weights["coef"])
                component.clf.intercept_ = weights["intercept"]
                component.clf.classes_ = weights["classes"].astype(object)
        except (ValueError, FileNotFoundError):
            logger.debug(
                f"No trained weights for '{resource.name}'; the classifier will predict nothing."
            )
        return component


def other_language_texts(folder: Path = LANGUAGE_DATA) -> set[str]:
    """The texts of every training example written in another language than English."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    texts: set[str] = set()
    for path in sorted(folder.glob("*.yml")):
        data = RasaYAMLReader().reads(path.read_text(encoding="utf-8"))
        texts.update(e.get("text") for e in data.intent_examples if e.get("text"))
    return texts


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class UrgentAwareLogisticRegressionClassifier(LinearIntentClassifier):
    """Rasa's logistic regression (sparse and dense sentence features), leaning towards urgent help.

    When the urgent intents together have at least `urgent_share` of the probability, the more
    likely of them comes first (with the larger of that share and the top score as its
    confidence), even if a single other intent scored higher: a wrong alarm costs far less
    than a missed one. When an urgent intent is first anyway, its confidence is the urgent
    intents' share, so splitting urgent help three ways never makes it look unsure. The phrase layer
    (components/urgent_help.py) still has the last word.

    With `english_head` (config.yml), a second regression is trained on the English examples
    alone and reads every message the language detector finds to be English; the first,
    trained on every language, reads the rest (another language, or too short or mixed to
    tell). English is then read exactly as a model trained on English only would read it.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **LinearIntentClassifier.get_default_config(),
            "urgent_intents": list(URGENT_INTENTS),
            "urgent_share": 0.3,
            "english_head": False,
        }

    def __init__(
        self, config: dict[str, Any], name: str, model_storage: ModelStorage, resource: Resource
    ) -> None:
        super().__init__(config, name, model_storage, resource)
        self.english: Any = None  # the English head, when there is one
        self._codes = tuple(translations().enabled_codes()) if config.get("english_head") else ()

    def train(self, training_data: Any) -> Resource:
        resource = super().train(training_data)
        if self.config["english_head"]:
            others = other_language_texts()
            examples = [
                e
                for e in training_data.intent_examples
                if e.get("intent") and e.get("text") and e.get("text") not in others
            ]
            self.english = clone(self.clf).fit(
                self._create_X(examples), [e.get("intent") for e in examples]
            )
            self.persist()
        return resource

    def persist(self) -> None:
        super().persist()
        if self.english is not None:
            with self._model_storage.write_to(self._resource) as model_dir:
                np.savez(
                    model_dir / "english.npz",
                    coef=self.english.coef_,
                    intercept=self.english.intercept_,
                    classes=np.array(self.english.classes_, dtype=str),
                )

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs):
        component = super().load(config, model_storage, resource, execution_context, **kwargs)
        if not component.config["english_head"]:
            return component
        try:
            with model_storage.read_from(resource) as model_dir:
                weights = np.load(model_dir / "english.npz", allow_pickle=False)
        except (ValueError, FileNotFoundError):
            return component
        english = clone(component.clf)
        english.coef_ = np.asfortranarray(weights["coef"])  # read in place, as above
        english.intercept_ = weights["intercept"]
        english.classes_ = weights["classes"].astype(object)
        component.english = english
        return component

    def _reads_english(self, message: Message) -> bool:
        if self.english is None:
            return False
        return reads_as_english(message.get("text") or "", self._codes)

    def process(self, messages: list[Message]) -> list[Message]:
        if not messages:
            return messages
        english = [self._reads_english(m) for m in messages]
        for head, wanted in ((self.clf, False), (self.english, True)):
            chosen = [
                m for m, is_english in zip(messages, english, strict=True) if is_english == wanted
            ]
            if chosen:
                probabilities = head.predict_proba(self._create_X(chosen))
                for message, row in zip(chosen, probabilities, strict=True):
                    self._set_intent(message, head.classes_, row)
        return messages

    def _set_intent(self, message: Message, classes: Any, row: Any) -> None:
        urgent = set(self.config["urgent_intents"])
        ranking = sorted(
            ({"name": k, "confidence": float(v)} for k, v in zip(classes, row, strict=True)),
            key=lambda e: -e["confidence"],
        )
        share = sum(e["confidence"] for e in ranking if e["name"] in urgent)
        if ranking[0]["name"] not in urgent and share >= self.config["urgent_share"]:
            best = next(e for e in ranking if e["name"] in urgent)
            # At least as confident as the intent it overtakes, so the fallback sees no tie.
            top = max(share, ranking[0]["confidence"])
            ranking = [{"name": best["name"], "confidence": top}] + [
                e for e in ranking if e is not best
            ]
        elif ranking[0]["name"] in urgent and share > ranking[0]["confidence"]:
            # Urgent help split between its intents (danger, a child's medical emergency,
            # self-harm) is as sure as their sum: the fallback must not take it for doubt.
            ranking = [{"name": ranking[0]["name"], "confidence": share}] + ranking[1:]
        if self.config["ranking_length"] > 0:
            ranking = ranking[: self.config["ranking_length"]]
        message.set("intent", ranking[0], add_to_output=True)
        message.set("intent_ranking", ranking, add_to_output=True)
