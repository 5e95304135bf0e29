"""Measure how well the assistant understands parents: `python -m bot.nlu_quality`.

Runs `rasa test nlu` on the held-out file (tests/nlu/heldout.yml, never trained on) and,
unless --check is given, 5-fold cross-validation on the training data; writes the tables
to docs/nlu-quality.md. Targets: macro F1 >= 0.92 on the held-out file, and no need intent
below 0.85. With --check (in `make test`) it exits 1 if the held-out scores fall below the
floors in tests/nlu/quality_floor.yml - the targets, or what was last measured where a
target isn't met yet - and prints every target still missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RASA = str(Path(sys.executable).parent / "rasa")
MACRO_TARGET, NEED_TARGET = 0.92, 0.85
HELDOUT_CMD = [RASA, "test", "nlu", "--nlu", "tests/nlu/heldout.yml", "--model", "models/assistant.tar.gz",
               "--out", "results/nlu-heldout"]
CV_CMD = [RASA, "test", "nlu", "--nlu", "data/nlu", "--config", "config.yml", "--cross-validation", "--folds", "5",
          "--out", "results/nlu-cv"]


def run(command: list[str], report: str) -> dict:
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return json.loads((ROOT / report).read_text())


def below_floor(report: dict, floors: dict) -> list[str]:
    problems = []
    if report["macro avg"]["f1-score"] < floors["macro"]:
        problems.append(f"macro F1 {report['macro avg']['f1-score']:.3f} < floor {floors['macro']}")
    for intent, scores in report.items():
        floor = floors["intents"].get(intent, floors["need_default"] if intent.startswith("need_") else None)
        if floor is not None and scores["f1-score"] < floor:
            problems.append(f"{intent} F1 {scores['f1-score']:.3f} < floor {floor}")
    return problems


def misses(report: dict) -> list[str]:
    problems = []
    if report["macro avg"]["f1-score"] < MACRO_TARGET:
        problems.append(f"macro F1 {report['macro avg']['f1-score']:.3f} < {MACRO_TARGET}")
    for intent, scores in report.items():
        if intent.startswith("need_") and scores["f1-score"] < NEED_TARGET:
            problems.append(f"{intent} F1 {scores['f1-score']:.3f} < {NEED_TARGET}")
    return problems


def table(report: dict) -> str:
    rows = ["| intent | precision | recall | F1 | examples |", "|---|---|---|---|---|"]
    for intent, s in sorted(report.items()):
        if isinstance(s, dict) and "support" in s and intent not in ("macro avg", "weighted avg", "micro avg"):
            rows.append(f"| {intent} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1-score']:.3f} | {s['support']} |")
    for avg in ("macro avg", "weighted avg"):
        s = report[avg]
        rows.append(f"| **{avg}** | {s['precision']:.3f} | {s['recall']:.3f} | **{s['f1-score']:.3f}** | {s['support']} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="held-out only; exit 1 if a score falls below its floor")
    parser.add_argument("--no-cv", action="store_true", help="write docs/nlu-quality.md from the held-out file only")
    args = parser.parse_args()
    heldout = run(HELDOUT_CMD, "results/nlu-heldout/intent_report.json")
    problems = misses(heldout)
    if not args.check:
        cv_table = "Not run this time (`--no-cv`); `python -m bot.nlu_quality` runs it."
        if not args.no_cv:
            cv_table = table(run(CV_CMD, "results/nlu-cv/intent_report.json"))
        (ROOT / "docs" / "nlu-quality.md").write_text(
            f"# How well the assistant understands parents\n\nMeasured {dt.date.today()} with "
            f"`python -m bot.nlu_quality` (pipeline: `config.yml`). Targets: macro F1 >= {MACRO_TARGET} on the "
            f"held-out file, no need intent below {NEED_TARGET}.\n\n"
            f"## Held-out file (never trained on)\n\n`{' '.join(['rasa', *HELDOUT_CMD[1:]])}`\n\n{table(heldout)}\n\n"
            f"Targets: {'met' if not problems else 'NOT met: ' + '; '.join(problems)}\n\n"
            f"## 5-fold cross-validation on the training data\n\n`{' '.join(['rasa', *CV_CMD[1:]])}`\n\n{cv_table}\n",
            encoding="utf-8",
        )
    for problem in problems:
        print(f"NLU target missed: {problem}", file=sys.stderr)
    print(f"held-out macro F1 {heldout['macro avg']['f1-score']:.3f}")
    import yaml

    regressions = below_floor(heldout, yaml.safe_load((ROOT / "tests" / "nlu" / "quality_floor.yml").read_text()))
    for problem in regressions:
        print(f"NLU below its floor: {problem}", file=sys.stderr)
    return 1 if regressions and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
