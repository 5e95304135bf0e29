"""Rasa's logistic-regression intent classifier, saved as plain arrays.

Rasa 3.6 saves LogisticRegressionClassifier with skops, whose loader scans types for about
11 s on a 2-core machine (`python -m bench.coldstart MODEL --skops` measures it) - most of
our start-up. A logistic regression is just weights, so we keep coef_/intercept_/classes_ in an .npz file: nothing is unpickled,
and the model loads in milliseconds. Training and prediction are Rasa's own.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

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
                component.clf.coef_ = weights["coef"]
                component.clf.intercept_ = weights["intercept"]
                component.clf.classes_ = weights["classes"].astype(object)
        except (ValueError, FileNotFoundError):
            logger.debug(
                f"No trained weights for '{resource.name}'; the classifier will predict nothing."
            )
        return component
