"""Measure how well the assistant understands parents: `python -m bot.tools.nlu_quality`.

Runs `rasa test nlu` on the NLU file of each held-out set (tests/heldout/*/meta.yml says
which file, whether the set is sealed, and its floors) and, unless --check is given, 5-fold
cross-validation on the training data; writes the tables to docs/nlu-quality.md. Targets:
macro F1 >= 0.92 on a held-out file, and no need intent below 0.85. With --check (in
`make test`) it exits 1 if a score falls below its floor in the set's meta.yml - the targets,
or what was last measured where a target isn't met yet - and prints every target still missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from bot.tools.heldout_sets import heldout_sets

ROOT = Path(__file__).resolve().parents[2]
RASA = str(Path(sys.executable).parent / "rasa")
MACRO_TARGET, NEED_TARGET = 0.92, 0.85


def heldout_files() -> list[tuple[str, str, str, dict]]:
    """(file, results folder, what it is, floors) for every held-out set with an NLU file."""
    return [
        (
            str(s.nlu_file.relative_to(ROOT)),
            f"results/nlu-heldout-{s.name}",
            f"{s.holds} ({s.status})",
            s.nlu_floors,
        )
        for s in heldout_sets()
        if s.nlu_file
    ]


CV_CMD = [
    RASA,
    "test",
    "nlu",
    "--nlu",
    "data/nlu",
    "--config",
    "config.yml",
    "--cross-validation",
    "--folds",
    "5",
    "--out",
    "results/nlu-cv",
]


def run(command: list[str], report: str) -> dict:
    subprocess.run(
        command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return json.loads((ROOT / report).read_text())


def heldout_command(path: str, out: str) -> list[str]:
    return [RASA, "test", "nlu", "--nlu", path, "--model", "models/assistant.tar.gz", "--out", out]


def need_macro(report: dict) -> float:
    """Mean F1 over the need intents the file has (for a file of needs only, rasa's macro
    average would also count other intents it predicted, with no examples of their own)."""
    scores = [
        s["f1-score"] for k, s in report.items() if k.startswith("need_") and s.get("support")
    ]
    return sum(scores) / len(scores)


def macro(report: dict) -> float:
    """Rasa's macro average, or the needs' own for a file of needs only."""
    return need_macro(report) if is_needs_only(report) else report["macro avg"]["f1-score"]


def is_needs_only(report: dict) -> bool:
    return all(
        k.startswith("need_")
        for k, s in report.items()
        if isinstance(s, dict)
        and s.get("support")
        and k not in ("macro avg", "weighted avg", "micro avg", "accuracy")
    )


def below_floor(report: dict, floors: dict) -> list[str]:
    problems = []
    score = macro(report)
    if "macro" in floors and score < floors["macro"]:
        problems.append(f"macro F1 {score:.3f} < floor {floors['macro']}")
    for intent, scores in report.items():
        floor = (floors.get("intents") or {}).get(
            intent, floors["need_default"] if intent.startswith("need_") else None
        )
        if (
            floor is not None
            and isinstance(scores, dict)
            and scores.get("support")
            and scores["f1-score"] < floor
        ):
            problems.append(f"{intent} F1 {scores['f1-score']:.3f} < floor {floor}")
    return problems


def misses(report: dict) -> list[str]:
    problems = []
    if macro(report) < MACRO_TARGET:
        problems.append(
            f"{'need ' if is_needs_only(report) else ''}macro F1 {macro(report):.3f} < {MACRO_TARGET}"
        )
    for intent, scores in report.items():
        if (
            intent.startswith("need_")
            and scores.get("support")
            and scores["f1-score"] < NEED_TARGET
        ):
            problems.append(f"{intent} F1 {scores['f1-score']:.3f} < {NEED_TARGET}")
    return problems


def table(report: dict) -> str:
    rows = ["| intent | precision | recall | F1 | examples |", "|---|---|---|---|---|"]
    for intent, s in sorted(report.items()):
        if (
            isinstance(s, dict)
            and "support" in s
            and intent not in ("macro avg", "weighted avg", "micro avg")
        ):
            rows.append(
                f"| {intent} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1-score']:.3f} | {s['support']} |"
            )
    for avg in ("macro avg", "weighted avg"):
        s = report[avg]
        rows.append(
            f"| **{avg}** | {s['precision']:.3f} | {s['recall']:.3f} | **{s['f1-score']:.3f}** | {s['support']} |"
        )
    if is_needs_only(report):
        rows.append(f"| **macro avg over the needs** | | | **{need_macro(report):.3f}** | |")
    return "\n".join(rows)


HISTORY = ROOT / "docs" / "nlu-quality-history.md"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--check",
        action="store_true",
        help="held-out only; exit 1 if a score falls below its floor",
    )
    parser.add_argument(
        "--no-cv", action="store_true", help="write docs/nlu-quality.md without cross-validation"
    )
    args = parser.parse_args()
    sections, regressions, all_misses = [], [], []
    for path, out, about, floors in heldout_files():
        report = run(heldout_command(path, out), f"{out}/intent_report.json")
        problems = misses(report)
        all_misses += [f"{path}: {p}" for p in problems]
        regressions += [f"{path}: {p}" for p in below_floor(report, floors)]
        print(f"{path}: {'need ' if is_needs_only(report) else ''}macro F1 {macro(report):.3f}")
        command = " ".join(["rasa", *heldout_command(path, out)[1:]])
        sections.append(
            f"## `{path}`: {about}\n\n`{command}`\n\n{table(report)}\n\n"
            f"Targets: {'met' if not problems else 'NOT met: ' + '; '.join(problems)}\n"
        )
    if not args.check:
        cv_table = "Not run this time (`--no-cv`); `python -m bot.tools.nlu_quality` runs it."
        if not args.no_cv:
            cv_table = table(run(CV_CMD, "results/nlu-cv/intent_report.json"))
        (ROOT / "docs" / "nlu-quality.md").write_text(
            f"# How well the assistant understands parents\n\nMeasured {dt.date.today()} with "
            f"`python -m bot.tools.nlu_quality` (pipeline: `config.yml`). Targets: macro F1 >= {MACRO_TARGET} on a "
            f"held-out file, no need intent below {NEED_TARGET}. Urgent help is measured separately "
            "(`pytest tests/nlu`; figures in the history page linked at the end).\n\n"
            + "\n".join(sections)
            + f"\n## 5-fold cross-validation on the training data\n\n`{' '.join(['rasa', *CV_CMD[1:]])}`\n\n{cv_table}\n"
            + f"\nWhere each held-out set came from, what it showed the first time, and urgent help on each: "
            f"[{HISTORY.name}]({HISTORY.name}).\n",
            encoding="utf-8",
        )
    for problem in all_misses:
        print(f"NLU target missed: {problem}", file=sys.stderr)
    for problem in regressions:
        print(f"NLU below its floor: {problem}", file=sys.stderr)
    return 1 if regressions and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
