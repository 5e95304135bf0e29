"""Compare ways of reading a message on the same 5-fold CV and the same dev sets.

    .venv/bin/python -m bench.configs.compare_readers [--folds 5] [--json OUT]

Classifier only (no fallback, no phrase layer), so designs differ only in how they read:

- `whole-logreg`: counts + need words + MiniLM into a logistic regression, whole message (as
  config.yml was before the sentence reader);
- `sentence-logreg`: the same model, read sentence by sentence (components/reading_model.py:
  the strongest sentence's need wins when it is surer than the whole message);
- `mean-pool-logreg`: the same model, the mean of the whole message's and every sentence's
  probabilities (per-sentence pooling);
- `whole-knn` and `sentence-knn`: a k-nearest-neighbour head on the MiniLM vectors (cosine,
  k=10, weighted by closeness: a SetFit-style head without fine-tuning), whole / by sentence.

Dev sets (written for tuning, never trained on): tests/dev/nlu.yml and tests/dev/*.yml.
Prints one row per design; held-out sets are not read here.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
DEV_SETS = [
    "tests/dev/nlu.yml",
    "tests/dev/long_messages.yml",
    "tests/dev/text_speak.yml",
    "tests/dev/coercive_control.yml",
]
DESIGNS = ["whole-logreg", "sentence-logreg", "mean-pool-logreg", "whole-knn", "sentence-knn"]


def examples(path: str) -> list[tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(ROOT / path))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples if m.get("text")]


class Vectors:
    """MiniLM vectors, each text encoded once."""

    def __init__(self, saved: Path | None = None):
        from components.sentence_embeddings import encoder

        self.encoder, self.cache, self.saved = encoder(), {}, saved
        if saved and saved.exists():
            with np.load(saved, allow_pickle=False) as stored:
                self.cache = dict(zip(stored["texts"].tolist(), stored["vectors"], strict=True))

    def save(self) -> None:
        if self.saved:
            texts = list(self.cache)
            np.savez(
                self.saved,
                texts=np.array(texts, dtype=str),
                vectors=np.array([self.cache[t] for t in texts]),
            )

    def __call__(self, texts: list[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if new:
            for text, vector in zip(new, self.encoder.encode(new), strict=True):
                self.cache[text] = vector
        return np.array([self.cache[t] for t in texts], dtype=np.float32).reshape(len(texts), -1)


class Knn:
    def __init__(self, vectors: Vectors, k: int = 10):
        self.vectors, self.k = vectors, k

    def fit(self, texts, intents):
        self.train = self.vectors(texts)
        self.classes = np.array(sorted(set(intents)))
        self.labels = np.searchsorted(self.classes, intents)
        return self

    def probabilities(self, texts):
        sims = self.vectors(texts) @ self.train.T
        rows = np.zeros((len(texts), len(self.classes)))
        nearest = np.argsort(-sims, axis=1)[:, : self.k]
        for i, idx in enumerate(nearest):
            np.add.at(rows[i], self.labels[idx], np.clip(sims[i, idx], 0, None) ** 4)
        rows += 1e-6
        return rows / rows.sum(axis=1, keepdims=True)


def predict(design: str, model, reader, texts: list[str]) -> list[str]:
    from bot.sentences import split_sentences

    pieces_of = [split_sentences(t) or [t] for t in texts]
    all_texts = list(dict.fromkeys([*texts, *(p for ps in pieces_of for p in ps)]))
    rows = dict(zip(all_texts, model.probabilities(all_texts), strict=True))
    out = []
    for text, pieces in zip(texts, pieces_of, strict=True):
        whole = rows[text]
        per = np.array([rows[p] for p in pieces])
        if design.startswith("whole"):
            reading = reader.reading([text], whole, whole[None, :])
        elif design.startswith("mean-pool"):
            pooled = np.vstack([whole[None, :], per]).mean(axis=0)
            reading = reader.reading([text], pooled, pooled[None, :])
        else:
            reading = reader.reading(pieces, whole, per)
        out.append(reading.intent["name"])
    return out


def macro_f1(truth, pred) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(truth, pred, labels=sorted(set(truth)), average="macro", zero_division=0))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5, help="0: dev sets only")
    parser.add_argument(
        "--vectors", type=Path, help="keep the MiniLM vectors in this .npz between runs"
    )
    parser.add_argument("--json")
    parser.add_argument(
        "--without", action="append", default=[], help="leave this training file out (before/after)"
    )
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.disable(logging.WARNING)
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData
    from sklearn.model_selection import StratifiedKFold

    from components.reading_model import ReadingModel

    left_out = {str((ROOT / p).resolve()) for p in args.without}
    files = [
        p
        for p in sorted((ROOT / "data" / "nlu").rglob("*.yml"))
        if str(p.resolve()) not in left_out
    ]
    data = TrainingData().merge(*[load_data(str(p)) for p in files])
    train = [(m.get("text"), m.get("intent")) for m in data.intent_examples if m.get("text")]
    lookups = {
        t["name"]: [str(e) for e in t["elements"]]
        for t in data.lookup_tables
        if isinstance(t.get("elements"), list)
    }
    texts, intents = [t for t, _ in train], [i for _, i in train]
    vectors = Vectors(args.vectors)
    started = time.time()
    vectors(texts)
    for path in DEV_SETS:
        vectors([t for t, _ in examples(path)])
    vectors.save()
    print(f"encoded {len(texts)} training examples in {time.time() - started:.0f} s")

    def models(fit_texts, fit_intents):
        started = time.time()
        logreg = ReadingModel(vectors).fit(fit_texts, fit_intents, lookups, vectors(fit_texts))
        fit_s = time.time() - started
        knn = Knn(vectors).fit(fit_texts, fit_intents)
        reader = ReadingModel(vectors)
        reader.classes = logreg.classes
        knn_reader = ReadingModel(vectors)
        knn_reader.classes = knn.classes
        return {"logreg": (logreg, logreg), "knn": (knn, knn_reader)}, fit_s

    results = {d: {"cv": [], "fit_s": []} for d in DESIGNS}
    splits = (
        StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=42).split(texts, intents)
        if args.folds
        else []
    )
    for n, (fit_idx, test_idx) in enumerate(splits):
        fitted, fit_s = models([texts[i] for i in fit_idx], [intents[i] for i in fit_idx])
        test_texts, truth = [texts[i] for i in test_idx], [intents[i] for i in test_idx]
        for design in DESIGNS:
            model, reader = fitted["knn" if design.endswith("knn") else "logreg"]
            results[design]["cv"].append(
                macro_f1(truth, predict(design, model, reader, test_texts))
            )
            results[design]["fit_s"].append(fit_s if "logreg" in design else 0.0)
        print(
            f"fold {n + 1}: " + ", ".join(f"{d} {results[d]['cv'][-1]:.3f}" for d in DESIGNS),
            flush=True,
        )

    fitted, fit_s = models(texts, intents)
    print(f"full fit {fit_s:.0f} s")
    for path in DEV_SETS:
        dev = examples(path)
        dev_texts, truth = [t for t, _ in dev], [i for _, i in dev]
        for design in DESIGNS:
            model, reader = fitted["knn" if design.endswith("knn") else "logreg"]
            pred = predict(design, model, reader, dev_texts)
            right = sum(p == t for p, t in zip(pred, truth, strict=True))
            entry = {"macro_f1": round(macro_f1(truth, pred), 3), "right": f"{right}/{len(truth)}"}
            if "coercive" in path:
                confusion = Counter((t, p) for t, p in zip(truth, pred, strict=True) if t != p)
                entry["abuse_as_money"] = confusion[("need_domestic_abuse", "need_money")]
                entry["money_as_abuse"] = confusion[("need_money", "need_domestic_abuse")]
            results[design][path] = entry
    for design in DESIGNS:
        r = results[design]
        cv = r.pop("cv")
        r["cv_macro_f1"] = round(float(np.mean(cv)), 3) if cv else None
        r.pop("fit_s")
        print(design, json.dumps(r))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
