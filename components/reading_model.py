"""Understand a message the way a person reads it: sentence by sentence.

The model owns its features, so it can score a whole message and each of its sentences the
same way (Rasa 3's graph featurizes a message once, whole - architecture.md):

- word counts (words and pairs of words) and character counts (2 to 5 letters inside words),
  as Rasa's CountVectorsFeaturizer makes them;
- one feature per need's word list (the lookup tables in data/nlu/lookups.yml);
- the MiniLM sentence vector (components/sentence_embeddings.py), times `scale`;
- one logistic regression over all of them.

`read` then decides what the message is about: the whole message's best intent, unless one
sentence names a need more strongly than the whole message names anything (the need buried in
a long story), and it lists what each sentence said, so other needs can be offered next and
every sentence can go through the urgent layer. Nothing here imports Rasa. It is not in the
pipeline: bench/configs/compare_readers.py compares reading designs with it offline, and the
pipeline reads sentences with its own classifier (components/sentence_reader.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression

from bot.sentences import split_sentences

NEED_PREFIX = "need_"
WEIGHTS, VOCABULARY = "reader_weights.npz", "reader_vocabulary.json"


@dataclass
class Settings:
    scale: float = 10.0  # the vector weighs as much as the counts (bench/results-nlu.md)
    C: float = 1.0
    max_iter: int = 400
    tol: float = 1e-4
    random_state: int = 42
    # A sentence's need replaces the whole message's intent only when the sentence is at
    # least this sure and surer than the whole message is of its own best intent.
    sentence_confidence: float = 0.5
    urgent_intents: tuple[str, ...] = ("urgent_danger", "urgent_self_harm", "urgent_medical")
    urgent_share: float = 0.5


def _words(text: str) -> str:
    return text.lower().replace("\u2019", "'")


class Features:
    """Turns texts into one sparse matrix: word counts, character counts, need words, vector."""

    def __init__(
        self,
        encode,
        scale: float,
        words: dict | None = None,
        chars: dict | None = None,
        lookups: dict[str, list[str]] | None = None,
    ):
        self.encode, self.scale = encode, scale
        self.word_vectorizer = CountVectorizer(
            ngram_range=(1, 2), preprocessor=_words, vocabulary=words, token_pattern=r"(?u)\b\w+\b"
        )
        self.char_vectorizer = CountVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), preprocessor=_words, vocabulary=chars
        )
        self.lookups = lookups or {}
        self._patterns = [
            re.compile(
                r"\b(?:"
                + "|".join(re.escape(w.lower()) for w in sorted(words_, key=len, reverse=True))
                + r")\b"
            )
            for words_ in self.lookups.values()
            if words_
        ]

    def fit(self, texts: list[str]) -> Features:
        self.word_vectorizer.fit(texts)
        self.char_vectorizer.fit(texts)
        return self

    def matrix(self, texts: list[str], vectors: np.ndarray | None = None) -> csr_matrix:
        """The features of these texts (`vectors`: their sentence vectors, if already made)."""
        vectors = self.encode(texts) if vectors is None else vectors
        lowered = [_words(t) for t in texts]
        need_words = np.array(
            [[1.0 if p.search(t) else 0.0 for p in self._patterns] for t in lowered]
        ).reshape(len(texts), -1)
        return hstack(
            [
                self.word_vectorizer.transform(texts),
                self.char_vectorizer.transform(texts),
                csr_matrix(need_words),
                csr_matrix(vectors * self.scale),
            ]
        ).tocsr()

    def vocabulary(self) -> dict:
        return {
            "words": {k: int(v) for k, v in self.word_vectorizer.vocabulary_.items()},
            "chars": {k: int(v) for k, v in self.char_vectorizer.vocabulary_.items()},
            "lookups": self.lookups,
        }


@dataclass
class Reading:
    """What the model read in one message."""

    intent: dict
    ranking: list[dict]
    sentences: list[dict] = field(default_factory=list)  # COMMON.md's `sentence_intents`


class ReadingModel:
    """Counts + need words + MiniLM into a logistic regression, read sentence by sentence."""

    def __init__(self, encode, settings: Settings | None = None):
        self.encode = encode
        self.settings = settings or Settings()
        self.features: Features | None = None
        self.classes: np.ndarray | None = None
        self.coef: np.ndarray | None = None
        self.intercept: np.ndarray | None = None

    def fit(
        self,
        texts: list[str],
        intents: list[str],
        lookups: dict[str, list[str]] | None = None,
        vectors: np.ndarray | None = None,
    ) -> ReadingModel:
        s = self.settings
        self.features = Features(self.encode, s.scale, lookups=lookups).fit(texts)
        clf = LogisticRegression(
            C=s.C,
            max_iter=s.max_iter,
            tol=s.tol,
            solver="lbfgs",
            random_state=s.random_state,
            class_weight="balanced",
        )
        clf.fit(self.features.matrix(texts, vectors), intents)
        self.classes, self.coef, self.intercept = (
            np.array(clf.classes_, dtype=str),
            clf.coef_,
            clf.intercept_,
        )
        return self

    def probabilities(self, texts: list[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """One row of intent probabilities per text (columns in the order of `classes`)."""
        scores = self.features.matrix(texts, vectors) @ self.coef.T + self.intercept
        scores = np.asarray(scores)
        if scores.shape[1] == 1:  # two classes: sklearn keeps one column
            scores = np.hstack([-scores, scores])
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def read(self, text: str) -> Reading:
        """The message's intent and ranking, and what each sentence said."""
        pieces = split_sentences(text) or [text]
        texts = [text] if len(pieces) == 1 else [text, *pieces]
        rows = self.probabilities(texts)
        return self.reading(pieces, rows[0], rows[1:] if len(pieces) > 1 else rows)

    def reading(self, pieces: list[str], whole: np.ndarray, per_sentence: np.ndarray) -> Reading:
        """Decide from the whole message's probabilities and each sentence's."""
        s = self.settings
        classes = [str(c) for c in self.classes]
        urgent = [i for i, c in enumerate(classes) if c in s.urgent_intents]
        needs = [i for i, c in enumerate(classes) if c.startswith(NEED_PREFIX)]
        sentences = []
        for piece, row in zip(pieces, per_sentence, strict=True):
            best = int(np.argmax(row))
            sentences.append(
                {
                    "text": piece,
                    "intent": classes[best],
                    "confidence": float(row[best]),
                    "urgent_probability": float(row[urgent].sum()) if urgent else 0.0,
                }
            )
        ranking = lean_to_urgent(_ranking(classes, whole), s.urgent_intents, s.urgent_share)
        top = ranking[0]
        if len(pieces) > 1 and top["name"] not in s.urgent_intents and needs:
            # The strongest sentence: the one most sure of a need.
            index, need = max(
                ((i, n) for i in range(len(pieces)) for n in needs),
                key=lambda p: per_sentence[p[0]][p[1]],
            )
            confidence = float(per_sentence[index][need])
            if (
                confidence >= s.sentence_confidence
                and confidence > top["confidence"]
                and classes[need] != top["name"]
            ):
                chosen = {"name": classes[need], "confidence": confidence}
                ranking = [chosen, *[r for r in ranking if r["name"] != chosen["name"]]]
        return Reading(intent=ranking[0], ranking=ranking, sentences=sentences)

    def save(self, folder: Path) -> None:
        np.savez(folder / WEIGHTS, coef=self.coef, intercept=self.intercept, classes=self.classes)
        (folder / VOCABULARY).write_text(json.dumps(self.features.vocabulary()), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, encode, settings: Settings | None = None) -> ReadingModel:
        model = cls(encode, settings)
        weights = np.load(folder / WEIGHTS, allow_pickle=False)
        model.coef, model.intercept, model.classes = (
            weights["coef"],
            weights["intercept"],
            weights["classes"],
        )
        vocabulary = json.loads((folder / VOCABULARY).read_text(encoding="utf-8"))
        model.features = Features(
            encode,
            model.settings.scale,
            vocabulary["words"],
            vocabulary["chars"],
            vocabulary["lookups"],
        )
        return model


def _ranking(classes: list[str], row: np.ndarray) -> list[dict]:
    order = np.argsort(-row, kind="stable")
    return [{"name": classes[i], "confidence": float(row[i])} for i in order]


def lean_to_urgent(ranking: list[dict], urgent_intents, share_needed: float) -> list[dict]:
    """Put the likelier urgent intent first when the urgent intents together have at least
    `share_needed` of the probability, even if a single other intent scored higher: a wrong
    alarm costs far less than a missed one. Its confidence is the larger of that share and the
    top score, so the fallback sees no tie."""
    share = sum(e["confidence"] for e in ranking if e["name"] in urgent_intents)
    if not ranking or ranking[0]["name"] in urgent_intents or share < share_needed:
        return ranking
    best = next(e for e in ranking if e["name"] in urgent_intents)
    top = {"name": best["name"], "confidence": max(share, ranking[0]["confidence"])}
    return [top, *[e for e in ranking if e is not best]]
