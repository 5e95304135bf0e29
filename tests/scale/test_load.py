"""Load on one machine: 50 parents at once, 10 turns each, against one Rasa and one action
server (SQLite store, as `make run`). A measurement, not a timed assertion: it asserts only
that there were no errors and every conversation completed, and prints p50/p95/p99 latency
and throughput (recorded in docs/reliability.md)."""

import asyncio
import json

import pytest

from bot.tools.servers import ROOT, running_assistant
from tests.scale.conversations import describe, run_conversations, summary

pytestmark = pytest.mark.scale
CONVERSATIONS, TURNS = 50, 10


def test_fifty_parents_at_once(tmp_path, capsys):
    with running_assistant(tmp_path) as assistant:
        conversations, seconds = asyncio.run(
            run_conversations(assistant.rasa_url, CONVERSATIONS, TURNS)
        )
    figures = summary(conversations, seconds)
    with capsys.disabled():
        print(f"\nload, one Rasa + one action server (SQLite): {describe(figures)}")
    results = ROOT / "results" / "scale"
    results.mkdir(parents=True, exist_ok=True)
    (results / "load.json").write_text(json.dumps(figures, indent=2) + "\n")
    problems = [f"{c.sender}: {e}" for c in conversations for e in c.errors]
    assert not problems, "\n".join(problems[:20])
    assert figures["errors"] == 0 and figures["complete"] == CONVERSATIONS
    assert figures["turns"] == CONVERSATIONS * TURNS
