"""The saved classifier loads with the same weights and gives the same probabilities, fast."""

import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource

from components.linear_intents import LinearIntentClassifier


def _saved_and_loaded(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("classifier")
    config = LinearIntentClassifier.get_default_config()
    trained = LinearIntentClassifier(config, "classifier", storage, resource)
    rng = np.random.default_rng(0)
    x = sp.random(60, 500, density=0.05, format="csr", random_state=1)
    y = rng.choice(["need_food", "greet", "urgent_danger"], size=60)
    trained.clf.fit(x, y)
    trained.persist()
    context = ExecutionContext(GraphSchema({}), "model")
    context.node_name = "classifier"
    loaded = LinearIntentClassifier.load(config, storage, resource, context)
    return trained, loaded


def test_loaded_classifier_gives_the_trained_probabilities_exactly(tmp_path):
    trained, loaded = _saved_and_loaded(tmp_path)
    messages = sp.random(20, 500, density=0.05, format="csr", random_state=2)
    assert np.array_equal(loaded.clf.classes_, trained.clf.classes_)
    assert np.array_equal(loaded.clf.coef_, trained.clf.coef_)
    # Bit for bit: the same sums in the same order, so no intent or confidence moves.
    assert np.array_equal(loaded.clf.predict_proba(messages), trained.clf.predict_proba(messages))


def test_loaded_weights_are_read_in_place_when_predicting(tmp_path):
    # X @ coef_.T copies the whole weight matrix on every message unless coef_.T is
    # row-major; with about 40,000 features that copy would be most of the classifier's time.
    _, loaded = _saved_and_loaded(tmp_path)
    assert loaded.clf.coef_.T.flags["C_CONTIGUOUS"]


def _featurized_message(seed):
    from rasa.shared.nlu.training_data.features import Features
    from rasa.shared.nlu.training_data.message import Message

    message = Message(data={"text": "we need nappies"})
    for i, width in enumerate((7, 120, 900)):  # regex, word counts, character counts
        sequence = sp.random(3, width, density=0.3, format="coo", random_state=seed + i)
        sentence = sp.random(1, width, density=0.3, format="coo", random_state=seed + 10 + i)
        message.add_features(Features(sequence, "sequence", "text", f"featurizer{i}"))
        message.add_features(Features(sentence, "sentence", "text", f"featurizer{i}"))
    vector = np.random.default_rng(seed).normal(size=(1, 384)).astype(np.float32)
    message.add_features(Features(vector, "sentence", "text", "embeddings"))
    return message


def test_feature_rows_are_rasas_own(tmp_path):
    from rasa.nlu.classifiers.logistic_regression_classifier import (
        LogisticRegressionClassifier,
    )

    _, loaded = _saved_and_loaded(tmp_path)
    messages = [_featurized_message(seed) for seed in (1, 2, 3)]
    ours = loaded._create_X(messages).tocsr()
    rasas = LogisticRegressionClassifier._create_X(loaded, messages).tocsr()
    assert ours.shape == rasas.shape == (3, 7 + 120 + 900 + 384)
    assert np.array_equal(ours.indptr, rasas.indptr)
    assert np.array_equal(ours.indices, rasas.indices)  # the same order, so the same sums
    assert np.array_equal(ours.data, rasas.data)
