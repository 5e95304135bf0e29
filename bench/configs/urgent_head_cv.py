"""Would a dedicated urgent-or-not head read urgency better than the classifier's urgent share?

    python -m bench.configs.urgent_head_cv

A two-answer logistic regression (one of the urgent intents, or anything else) on the
pipeline's features - word 1-2 grams and character 2-5 grams counted, and the MiniLM sentence
vector times 10 - trained on the English examples in data/nlu, against the trained model's
urgent score (`safety.score`: the classifier's urgent share) on the English dev lists, which
neither is trained on. Grouped by author: each group is held out whole, and the head is
trained either on data/nlu alone or on data/nlu plus the other groups' dev lines (ordinary
look-alikes as negatives). Prints, per group, the ROC AUC and how many urgent lines score at
or above the threshold that gives 10% of that group's ordinary lines the check-in. Reads
tests/dev only, never tests/heldout. Counts only.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests" / "dev"
GROUPS = {
    "author C": (("outside_c_danger", 1), ("outside_c_ordinary", 0)),
    "our dev lists": (("danger", 1), ("ordinary", 0)),
    "look-alikes (ordinary only)": (("everyday_alarm_words", 0), ("look_alikes_realistic", 0)),
}


def training_rows() -> list[tuple[str, int]]:
    """(text, urgent?) for every English example in data/nlu."""
    from bot.urgent import URGENT_INTENTS

    rows = []
    for path in sorted((ROOT / "data" / "nlu").rglob("*.yml")):
        if "languages" in path.parts or path.name == "lookups.yml":
            continue
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" not in block:
                continue
            for line in block["examples"].splitlines():
                line = line.strip()
                if line.startswith("- "):
                    text = re.sub(r"\[([^\]]+)\][({][^)}]+[)}]", r"\1", line[2:])
                    rows.append((text, int(block["intent"] in URGENT_INTENTS)))
    return rows


def main() -> int:
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    from bot.tools.urgent_counts import CommandLoop, load_model, messages, quiet_rasa_logs
    from components.sentence_embeddings import encoder

    quiet_rasa_logs()
    logging.disable(logging.WARNING)
    train = training_rows()
    dev = [
        (t, y, g)
        for g, lists in GROUPS.items()
        for name, y in lists
        for t in messages(DEV / f"{name}.txt")
    ]
    texts = [t for t, _ in train] + [t for t, _, _ in dev]
    labels = np.array([y for _, y in train] + [y for _, y, _ in dev])
    groups = np.array(["train"] * len(train) + [g for _, _, g in dev])
    vectors = encoder().encode(texts) * 10

    loop = CommandLoop()
    agent = load_model(loop)
    score = np.zeros(len(texts))
    score[len(train) :] = [
        (loop.run(agent.parse_message(t)).get("safety") or {}).get("score", 0.0) for t, _, _ in dev
    ]
    loop.close()

    def line(p, held):
        urgent, ordinary = p[held & (labels == 1)], p[held & (labels == 0)]
        bar = np.quantile(ordinary, 0.9)
        if not len(urgent):
            return f"ordinary >= 0.3: {(ordinary >= 0.3).sum()}/{len(ordinary)}"
        auc = roc_auc_score(labels[held], p[held])
        return f"AUC {auc:.3f}, urgent at the 10%-check-in bar ({bar:.2f}): {(urgent >= bar).sum()}/{len(urgent)}"

    lower = [t.lower() for t in texts]
    for group in GROUPS:
        held = groups == group
        print(f"{group}: classifier's urgent share: {line(score, held)}")
        for with_dev in (False, True):
            fit = (groups == "train") | (with_dev & ~held)
            fitted = [t for t, m in zip(lower, fit, strict=True) if m]
            words = CountVectorizer(ngram_range=(1, 2)).fit(fitted).transform(lower)
            chars = (
                CountVectorizer(analyzer="char_wb", ngram_range=(2, 5)).fit(fitted).transform(lower)
            )
            features = sp.hstack([words, chars, sp.csr_matrix(vectors)]).tocsr()
            head = LogisticRegression(C=0.1, max_iter=400, tol=1e-4).fit(features[fit], labels[fit])
            p = head.predict_proba(features)[:, 1]
            trained = "data/nlu and the other dev groups" if with_dev else "data/nlu alone"
            print(f"  head trained on {trained}: {line(p, held)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
