"""Per-message NLU time on one core, and what each pipeline component costs:
`python -m bench.nlu_profile [--model models/assistant.tar.gz] [--repeat 2] [--out FILE]`.

Loads the trained model, pins this process to one core, and parses every line of the dev
lists (tests/dev/ordinary.txt and danger.txt as English, ordinary_<code>.txt and
danger_<code>.txt for the other languages) through the model's NLU graph, the way Rasa parses
a parent's message. Each message is parsed twice: as a conversation's first message (no
language chosen, so language detection reads it) and as a later one (the language already
chosen). The first pass over the lists is a warm-up and is not counted.

Prints p50/p95 of the whole parse per list and per turn kind, and for each graph node the
mean and p95 milliseconds per message. With --out, also writes every message's parse
(intent, entities, safety band) as JSON lines, so two versions of the code can be compared
reply for reply (`python -m bench.nlu_profile --compare A.jsonl B.jsonl`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "dev"
CODES = ("en", "pl", "ur", "ro", "pt", "es", "ar")


def lists() -> dict[str, list[str]]:
    """Dev list name -> its lines."""
    out: dict[str, list[str]] = {}
    for code in CODES:
        for kind in ("ordinary", "danger"):
            name = f"{kind}.txt" if code == "en" else f"{kind}_{code}.txt"
            path = DEV / name
            if path.is_file():
                lines = [
                    line.strip()
                    for line in path.read_text(encoding="utf-8").splitlines()
                    if line.strip() and not line.lstrip().startswith("#")
                ]
                out[f"{kind}_{code}"] = lines
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _timed_nodes(times: dict[str, list[float]]) -> None:
    """Wrap Rasa's graph node call so each node's time is noted under its name."""
    from rasa.engine.graph import GraphNode

    original = GraphNode.__call__

    def timed(self, *args):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return original(self, *args)
        finally:
            times[self._node_name].append(time.perf_counter() - start)

    GraphNode.__call__ = timed  # type: ignore[method-assign]


def run(model: str, repeat: int, out: str | None, limit: int | None = None) -> None:
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.events import SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    agent = Agent.load(model)
    processor = agent.processor
    node_times: dict[str, list[float]] = defaultdict(list)
    _timed_nodes(node_times)

    def trackers(code: str) -> dict[str, DialogueStateTracker]:
        first = DialogueStateTracker.from_events("first", [], slots=agent.domain.slots)
        later_events = [UserUttered("hello", {"name": "greet", "confidence": 1.0})] * 3
        if code != "en":
            later_events.append(SlotSet("language", code))
        later = DialogueStateTracker.from_events("later", later_events, slots=agent.domain.slots)
        return {"first": first, "later": later}

    def parse(text: str, tracker: DialogueStateTracker) -> dict:
        return processor._parse_message_with_graph(UserMessage(text), tracker)

    dev = {name: lines[:limit] for name, lines in lists().items()}
    for name, lines in dev.items():  # warm-up
        for text in lines[:20]:
            parse(text, trackers(name.rsplit("_", 1)[1])["first"])
    node_times.clear()

    totals: dict[tuple[str, str], list[float]] = defaultdict(list)
    parses: list[dict] = []
    # Each line as a first and then as a later message, one after the other, so both kinds
    # of turn meet the same load from the rest of the machine.
    nodes_by_turn = {"first": defaultdict(list), "later": defaultdict(list)}
    for repetition in range(repeat):
        for name, lines in dev.items():
            by_turn = trackers(name.rsplit("_", 1)[1])
            for text in lines:
                for turn, tracker in by_turn.items():
                    node_times.clear()
                    start = time.perf_counter()
                    data = parse(text, tracker)
                    totals[(name, turn)].append(time.perf_counter() - start)
                    for node, values in node_times.items():
                        nodes_by_turn[turn][node] += values
                    if repetition == 0:
                        parses.append(
                            {
                                "list": name,
                                "turn": turn,
                                "text": text,
                                "intent": (data.get("intent") or {}).get("name"),
                                "confidence": round(
                                    float((data.get("intent") or {}).get("confidence") or 0), 4
                                ),
                                "entities": sorted(
                                    (e.get("entity"), str(e.get("value"))) for e in data["entities"]
                                ),
                                "band": (data.get("safety") or {}).get("band"),
                            }
                        )

    print(f"model {model}, one core, {repeat} pass(es) over {sum(map(len, dev.values()))} lines")
    print("\n| list | turn | messages | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|---|")
    for (name, turn), values in sorted(totals.items()):
        ms = [v * 1000 for v in values]
        print(
            f"| {name} | {turn} | {len(ms)} | {statistics.median(ms):.1f} | "
            f"{percentile(ms, 0.95):.1f} | {max(ms):.1f} |"
        )
    for turn in ("first", "later"):
        everything = [v * 1000 for (n, t), vs in totals.items() if t == turn for v in vs]
        english = [
            v * 1000 for (n, t), vs in totals.items() if t == turn and n.endswith("_en") for v in vs
        ]
        other = [
            v * 1000
            for (n, t), vs in totals.items()
            if t == turn and not n.endswith("_en")
            for v in vs
        ]
        for label, ms in (("all", everything), ("English", english), ("other languages", other)):
            print(
                f"| **{label}** | {turn} | {len(ms)} | {statistics.median(ms):.1f} | "
                f"{percentile(ms, 0.95):.1f} | {max(ms):.1f} |"
            )
    for turn, nodes in nodes_by_turn.items():
        print(f"\nper component, {turn} message (ms per message)\n")
        print("| node | mean | p95 |")
        print("|---|---|---|")
        for node, values in sorted(nodes.items(), key=lambda kv: -sum(kv[1])):
            ms = [v * 1000 for v in values]
            print(f"| {node} | {statistics.fmean(ms):.2f} | {percentile(ms, 0.95):.2f} |")
    if out:
        with open(out, "w", encoding="utf-8") as f:
            for row in parses:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")


def compare(a: str, b: str) -> int:
    """Print every message whose intent, entities or band differ between two --out files."""
    rows_a, rows_b = (
        sorted(
            (json.loads(line) for line in Path(f).read_text(encoding="utf-8").splitlines()),
            key=lambda r: (r["list"], r["turn"], r["text"]),
        )
        for f in (a, b)
    )
    keys = ("intent", "entities", "band")
    differ = 0
    for x, y in zip(rows_a, rows_b, strict=True):
        if any(x[k] != y[k] for k in keys) or abs(x["confidence"] - y["confidence"]) > 1e-3:
            differ += 1
            print(
                f"{x['list']} {x['turn']}: {x['text']!r}\n  {[x[k] for k in keys]}\n  {[y[k] for k in keys]}"
            )
    print(f"{differ} of {len(rows_a)} parses differ")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "assistant.tar.gz"))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out")
    parser.add_argument("--limit", type=int, help="only the first LIMIT lines of each list")
    parser.add_argument("--compare", nargs=2, metavar=("A", "B"))
    args = parser.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    run(args.model, args.repeat, args.out, args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
