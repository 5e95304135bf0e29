"""Which language detector, measured on short parent messages: `python -m bench.languages`.

Messages: the dev lists of ordinary messages in each language (tests/dev/ordinary_<code>.txt,
Urdu there is Roman Urdu), English from tests/dev/ordinary.txt, and any training examples in
data/nlu/languages/<code>.yml. Each is read whole, then cut to its first three words and to
its first two (how short a first message can be). Mixed lines (English with a few words of
another language) must stay English. Prints a Markdown table for bench/results-languages.md.

Detectors:
- lingua: lingua-language-detector restricted to the assistant's languages, top answer;
- lingua+rules: bot.language_detection (lingua, a confidence floor, too-short messages left
  alone, Roman Urdu by its common words) - what the assistant uses;
- char n-grams: character 1-4-grams (TF-IDF) and logistic regression, trained on the other
  messages (ten folds), so no message is scored by a model that saw it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "dev"
CODES = ("en", "pl", "ur", "ro", "pt", "es", "ar")
# English with a few words of another language: the conversation must stay English.
MIXED = [
    "I need help with khana for my baby",
    "is there a food bank near me, dziękuję",
    "we need nappies por favor",
    "my baby won't sleep, obrigada for asking",
    "I'm in Bradford, mujhe help please",
    "can you help with money, mersi",
    "my husband says inshallah it will be fine but I need housing help",
    "looking for baby clothes, gracias",
]


def messages() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    out["en"] = _lines(DEV / "ordinary.txt")
    for code in CODES[1:]:
        lines = _lines(DEV / f"ordinary_{code}.txt")
        path = ROOT / "data" / "nlu" / "languages" / f"{code}.yml"
        if path.is_file():
            for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
                lines += [
                    line[2:].strip()
                    for line in str(block.get("examples", "")).splitlines()
                    if line.startswith("- ")
                ]
        if lines:
            out[code] = lines
    return out


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def cut(text: str, words: int | None) -> str:
    return text if words is None else " ".join(text.split()[:words])


FOLDS = 10


def ngram_predictions(data: dict[str, list[str]], words: int | None) -> dict[str, list[str]]:
    """Ten-fold predictions of a char n-gram classifier trained on the full messages: each
    message is scored by a model trained without its fold (every tenth message of each list)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    items = [(code, i, text) for code, lines in data.items() for i, text in enumerate(lines)]
    found: dict[tuple[str, int], str] = {}
    for fold in range(FOLDS):
        train = [(c, t) for c, i, t in items if i % FOLDS != fold]
        test = [(c, i, t) for c, i, t in items if i % FOLDS == fold]
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True)
        model = LogisticRegression(max_iter=300, C=10.0)
        model.fit(vectorizer.fit_transform([t for _, t in train]), [c for c, _ in train])
        guesses = model.predict(vectorizer.transform([cut(t, words) for _, _, t in test]))
        for (code, i, _), guess in zip(test, guesses, strict=True):
            found[(code, i)] = str(guess)
    return {code: [found[(code, i)] for i in range(len(lines))] for code, lines in data.items()}


def main() -> int:
    from lingua import LanguageDetectorBuilder

    from bot.language_detection import LINGUA_NAMES, LanguageDetector

    data = messages()
    codes = tuple(data)
    started = time.perf_counter()
    ours = LanguageDetector(codes)
    load_seconds = time.perf_counter() - started
    lingua = ours._lingua
    by_language = ours._by_language
    _ = (LanguageDetectorBuilder, LINGUA_NAMES)

    def plain(text: str) -> str | None:
        found = lingua.detect_language_of(text)
        return by_language.get(found) if found else None

    rows = []
    for words, label in ((None, "whole message"), (3, "first 3 words"), (2, "first 2 words")):
        ngram = ngram_predictions(data, words)
        for name, guess in (
            ("lingua", lambda t, w=words: plain(cut(t, w))),
            ("lingua+rules", lambda t, w=words: ours.detect(cut(t, w))),
        ):
            rows.append((label, name, _score(data, lambda code, i, t, g=guess: g(t))))
        rows.append((label, "char n-grams", _score(data, lambda code, i, t, n=ngram: n[code][i])))
    timing_started = time.perf_counter()
    every = [t for lines in data.values() for t in lines]
    for text in every:
        ours.detect(text)
    per_message_ms = (time.perf_counter() - timing_started) * 1000 / len(every)

    print(
        "| messages | detector | "
        + " | ".join(f"{c} ({len(data[c])})" for c in codes)
        + " | mixed stay English |"
    )
    print("|---|---|" + "---|" * len(codes) + "---|")
    for label, name, (per_code, _) in rows:
        cells = " | ".join(f"{per_code[c][0]}/{per_code[c][1]}" for c in codes)
        mixed = "-"
        if label == "whole message" and name != "char n-grams":
            detect = ours.detect if name == "lingua+rules" else plain
            mixed = f"{sum(1 for m in MIXED if detect(m) in (None, 'en'))}/{len(MIXED)}"
        print(f"| {label} | {name} | {cells} | {mixed} |")
    print()
    print(
        f"lingua+rules: models loaded in {load_seconds:.1f} s, {per_message_ms:.2f} ms a message "
        f"(mean of {len(every)})."
    )
    print("Wrong answers of lingua+rules on whole messages (expected -> got: text):")
    for code, lines in data.items():
        for text in lines:
            got = ours.detect(text)
            if got not in (code, None):
                print(f"  {code} -> {got}: {text[:70]}")
    return 0


def _score(data, guess) -> tuple[dict[str, tuple[int, int]], int]:
    """code -> (right, total); a None counts as right for English (it stays English)."""
    per_code = {}
    for code, lines in data.items():
        right = 0
        for position, text in enumerate(lines):
            got = guess(code, position, text)
            right += got == code or (code == "en" and got is None)
        per_code[code] = (right, len(lines))
    return per_code, 0


if __name__ == "__main__":
    sys.exit(main())
