"""Score one trained model on the NLU and urgent-help sets, in one process (faster than
`rasa test nlu` and the same numbers: both parse each message with the whole pipeline,
including the phrase layer and the fallback classifier).

    .venv/bin/python -m bench.configs.nlu_eval MODEL [--heldout] [--json OUT]

Always scores the dev sets (tests/dev/). With --heldout it
also scores the held-out sets, as aggregate numbers only (never their lines).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
from collections import Counter
from pathlib import Path

from bot.tools.urgent_counts import how_many_by_phrases, how_many_urgent, messages, quiet_rasa_logs
from bot.urgent import URGENT_INTENTS

ROOT = Path(__file__).resolve().parents[2]


def nlu_examples(path: Path) -> list[tuple[str, str]]:
    """(text, intent) of an NLU file; none for a written-conversations list (tests/dev/*_conversations.yml)."""
    from rasa.shared.nlu.training_data.loading import load_data

    if path.name.endswith("_conversations.yml"):
        return []

    data = load_data(str(path))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def score_nlu(parse, examples, show_errors=False):
    from sklearn.metrics import classification_report

    truth, pred = [], []
    for text, intent in examples:
        truth.append(intent)
        pred.append(parse(text)["intent"]["name"])
        if show_errors and pred[-1] != intent:
            print(f"    {intent:32s} -> {pred[-1]:30s} {text}")
    report = classification_report(truth, pred, output_dict=True, zero_division=0)
    needs = {k: v["f1-score"] for k, v in report.items() if k.startswith("need_")}
    worst = min(needs.items(), key=lambda kv: kv[1])
    return {
        "macro_f1": report["macro avg"]["f1-score"],
        "worst_need": worst,
        "accuracy": report.get("accuracy"),
        "per_intent": {
            k: round(v["f1-score"], 3)
            for k, v in report.items()
            if isinstance(v, dict) and "support" in v
        },
    }


def score_urgent(parse, danger, ordinary, show_errors=False):
    """Counts from bot.tools.urgent_counts; with show_errors (dev lists only) the misses and alarms too."""
    if show_errors:
        from bot.urgent import urgent_kind

        for t in danger:
            if parse(t)["intent"]["name"] not in URGENT_INTENTS:
                print(f"    MISSED: {t}  ({parse(t)['intent']['name']})")
        for t in ordinary:
            if parse(t)["intent"]["name"] in URGENT_INTENTS:
                print(f"    ALARM: {t}  (layer={urgent_kind(t)})")
    return {
        "recall": f"{how_many_urgent(danger, parse)}/{len(danger)}",
        "layer_recall": f"{how_many_by_phrases(danger)}/{len(danger)}",
        "false_alarms": f"{how_many_urgent(ordinary, parse)}/{len(ordinary)}",
        "layer_false_alarms": f"{how_many_by_phrases(ordinary)}/{len(ordinary)}",
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--heldout", action="store_true")
    parser.add_argument(
        "--errors", action="store_true", help="print dev-set errors (never held-out lines)"
    )
    parser.add_argument("--json")
    parser.add_argument(
        "--normalise",
        help="YAML dictionary of text-speak (word: replacement): also score "
        "tests/dev/text_speak.yml rewritten with it (an experiment)",
    )
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.disable(logging.WARNING)
    quiet_rasa_logs()  # Rasa logs every parsed text at debug level: keep held-out lines unseen
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    from rasa.core.agent import Agent

    quiet_rasa_logs()

    t0 = time.perf_counter()
    agent = Agent.load(args.model)
    load_s = time.perf_counter() - t0
    loop = asyncio.new_event_loop()

    def parse(text):
        return loop.run_until_complete(agent.parse_message(text))

    parse("hello")
    t0 = time.perf_counter()
    for _ in range(50):
        parse("i need a food bank in bradford and nappies for the baby")
    per_msg_ms = (time.perf_counter() - t0) / 50 * 1000
    out = {"model": args.model, "load_s": round(load_s, 2), "parse_ms": round(per_msg_ms, 1)}
    out["dev_nlu"] = score_nlu(parse, nlu_examples(ROOT / "tests/dev/nlu.yml"), args.errors)
    for path in sorted((ROOT / "tests" / "dev").glob("*.yml")):
        examples = nlu_examples(path)
        if path.name == "nlu.yml" or not examples:
            continue
        scored = score_nlu(parse, examples, args.errors)
        confused = Counter((i, parse(t)["intent"]["name"]) for t, i in examples)
        scored["right"] = f"{sum(n for (i, p), n in confused.items() if i == p)}/{len(examples)}"
        scored["abuse_as_money"] = confused[("need_domestic_abuse", "need_money")]
        scored["money_as_abuse"] = confused[("need_money", "need_domestic_abuse")]
        scored["fallbacks"] = sum(n for (_, p), n in confused.items() if p == "nlu_fallback")
        out[f"dev_list {path.relative_to(ROOT)}"] = scored
        print(
            f"{path.relative_to(ROOT)}: right {scored['right']}, macro F1 {scored['macro_f1']:.3f}, "
            f"abuse->money {scored['abuse_as_money']}, money->abuse {scored['money_as_abuse']}, "
            f"fallbacks {scored['fallbacks']}"
        )
    if args.normalise:
        import re

        import yaml

        words = {
            str(k).lower(): str(v)
            for k, v in yaml.safe_load(Path(args.normalise).read_text(encoding="utf-8")).items()
        }
        pattern = re.compile(
            r"(?<![\w'])("
            + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
            + r")(?![\w'])",
            re.IGNORECASE,
        )
        examples = [
            (pattern.sub(lambda m: words[m.group(1).lower()], t), i)
            for t, i in nlu_examples(ROOT / "tests" / "dev" / "text_speak.yml")
        ]
        right = sum(parse(t)["intent"]["name"] == i for t, i in examples)
        out["text_speak_normalised"] = f"{right}/{len(examples)}"
        print(
            f"tests/dev/text_speak.yml normalised with {args.normalise}: right {right}/{len(examples)}"
        )
    out["dev_urgent"] = score_urgent(
        parse,
        messages(ROOT / "tests/dev/danger.txt"),
        messages(ROOT / "tests/dev/ordinary.txt"),
        args.errors,
    )
    if args.heldout:
        out["heldout_nlu"] = score_nlu(
            parse, nlu_examples(ROOT / "tests/heldout/01-first-author/nlu.yml")
        )
        out["heldout_urgent"] = score_urgent(
            parse,
            messages(ROOT / "tests/heldout/01-first-author/danger.txt"),
            messages(ROOT / "tests/heldout/01-first-author/ordinary.txt"),
        )
    summary = {k: v for k, v in out.items()}
    for key in ("dev_nlu", "heldout_nlu"):
        if key in summary:
            s = summary[key]
            print(
                f"{key}: macro F1 {s['macro_f1']:.3f}, worst need {s['worst_need'][0]} {s['worst_need'][1]:.3f}"
            )
            print(
                "   ",
                {k: v for k, v in s["per_intent"].items() if k.startswith(("need_", "urgent_"))},
            )
    for key in ("dev_urgent", "heldout_urgent"):
        if key in summary:
            print(f"{key}: {summary[key]}")
    print(f"load {out['load_s']} s, parse {out['parse_ms']} ms/message")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
